// X.alerts: an alert from the integration's service source created since T0. alerts_v2 hides
// serviceSource values listed after unknownFutureValue (microsoftSentinel,
// microsoftDefenderForCloud, …) unless the request carries `Prefer: include-unknown-enum-members`,
// so every alerts request sends it.
import { pass, pending, shown, type Observation } from './observation.js';

export interface SecurityAlert {
  id: string;
  serviceSource?: string | null;
  detectionSource?: string | null;
  createdDateTime?: string | null;
  title?: string | null;
  severity?: string | null;
}

export const ALERTS_PREFER_HEADER = { Prefer: 'include-unknown-enum-members' } as const;

export function alertsPath(serviceSource: string, since: Date, top?: number): string {
  const filter = `serviceSource eq '${serviceSource}' and createdDateTime ge ${since.toISOString()}`;
  return `/security/alerts_v2?$filter=${encodeURIComponent(filter)}${top ? `&$top=${top}` : ''}`;
}

/** Alerts that really match (the service's filter is re-checked, never trusted blindly). */
export function matchingAlerts(alerts: readonly SecurityAlert[], sources: readonly string[], since: Date): SecurityAlert[] {
  return alerts.filter(
    (a) =>
      typeof a.serviceSource === 'string' &&
      sources.includes(a.serviceSource) &&
      typeof a.createdDateTime === 'string' &&
      Date.parse(a.createdDateTime) >= since.getTime(),
  );
}

export function evaluateAlerts(
  label: string,
  sources: readonly string[],
  alerts: readonly SecurityAlert[],
  since: Date,
): Observation {
  const latest = matchingAlerts(alerts, sources, since).sort((a, b) =>
    (b.createdDateTime ?? '').localeCompare(a.createdDateTime ?? ''),
  )[0];
  if (latest) {
    return pass(`${label} alert created ${latest.createdDateTime} (${shown(latest.serviceSource)})`, {
      alertId: shown(latest.id),
      serviceSource: shown(latest.serviceSource),
      createdDateTime: latest.createdDateTime,
      title: latest.title ? shown(latest.title) : null,
    });
  }
  return pending(`No ${label} alert since ${since.toISOString()}`, {
    serviceSources: [...sources],
    since: since.toISOString(),
  });
}
