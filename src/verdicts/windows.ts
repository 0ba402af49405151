// The guides' time windows: T0 of an integration and when a step that waits on evidence turns overdue.
import type { ScopedIntegrationId, Tenant } from '../core/tenant.js';
import type { StepWindow } from '../integrations/catalogue.js';
import type { WindowSettings } from './types.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export type T0Source = 'device-added' | 'history' | 'this-run';

export interface T0 {
  at: Date;
  source: T0Source;
}

/** A roster date or date-time as an instant; a date without a time means 00:00 UTC. Null when unreadable. */
export function parseInstant(value: string | null | undefined): Date | null {
  if (!value) return null;
  const text = value.trim();
  const ms = DATE_ONLY.test(text) ? Date.parse(`${text}T00:00:00.000Z`) : Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/**
 * T0 per steps.md: the analyst's device-added date, else the first time the integration's API-access
 * step was done per history, else now when it is done in the run being evaluated.
 */
export function integrationT0(
  tenant: Tenant,
  integration: ScopedIntegrationId,
  firstDoneOfApiAccess: string | null,
  apiAccessDoneThisRun: boolean,
  now: Date,
): T0 | null {
  const deviceAdded = parseInstant(tenant.deviceAdded[integration]);
  if (deviceAdded) return { at: deviceAdded, source: 'device-added' };
  const first = parseInstant(firstDoneOfApiAccess);
  if (first) return { at: first, source: 'history' };
  return apiAccessDoneThisRun ? { at: now, source: 'this-run' } : null;
}

/** When a window that started at T0 ends: after this instant the step is `overdue`. */
export function windowEnd(window: StepWindow, t0: Date, settings: WindowSettings): Date {
  switch (window) {
    case 'polling':
      return new Date(t0.getTime() + (settings.pollingWindowMinutes + settings.pollingReportingAllowanceMinutes) * MINUTE);
    case 'alerts':
      return new Date(t0.getTime() + settings.alertWindowHours[1] * HOUR);
    case 'audit-log':
      return new Date(t0.getTime() + settings.auditLogWindowMinutes * MINUTE);
  }
}

/** Overdue strictly after the window's end: at the exact end instant the evidence is still on time. */
export function isPastWindow(end: Date, now: Date): boolean {
  return now.getTime() > end.getTime();
}

export type AlertPhase = 'early' | 'due' | 'overdue';

/** Alerts: `early` before the lower bound, `due` between the bounds, `overdue` after the upper bound. */
export function alertPhase(t0: Date, now: Date, settings: WindowSettings): AlertPhase {
  if (isPastWindow(windowEnd('alerts', t0, settings), now)) return 'overdue';
  return now.getTime() >= t0.getTime() + settings.alertWindowHours[0] * HOUR ? 'due' : 'early';
}
