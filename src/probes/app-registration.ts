// Custom app registrations (mdi.app-registered, the custom-app path of mde/azure) and their client
// secrets (X.app-secret). Only credential metadata is ever read or kept: keyId, hint, endDateTime.
// secretText is null on every read per Microsoft, and is never copied anywhere regardless.
import { dayOf, fail, pass, sameId, shown, warn, type Evidence, type Observation } from './observation.js';
import { odataString } from './guest.js';

export interface PasswordCredential {
  keyId?: string | null;
  hint?: string | null;
  displayName?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
}

export interface Application {
  id: string;
  appId: string;
  displayName?: string | null;
  createdDateTime?: string | null;
  signInAudience?: string | null;
  passwordCredentials?: PasswordCredential[] | null;
}

export const APPLICATION_SELECT = 'id,appId,displayName,createdDateTime,signInAudience,passwordCredentials';

export const applicationsByNamePath = (displayName: string): string =>
  `/applications?$filter=${encodeURIComponent(`displayName eq ${odataString(displayName)}`)}&$select=${APPLICATION_SELECT}`;

/**
 * The app a step judges when several registrations share the name: the newest (the one the
 * customer most likely just created). Names are compared again in case a filter was ignored.
 */
export function pickApplication(displayName: string, apps: readonly Application[]): {
  app: Application | null;
  sameName: number;
} {
  const matches = apps.filter((a) => (a.displayName ?? '').toLowerCase() === displayName.toLowerCase());
  const newest = [...matches].sort((a, b) => (b.createdDateTime ?? '').localeCompare(a.createdDateTime ?? ''))[0];
  return { app: newest ?? null, sameName: matches.length };
}

export function evaluateAppRegistered(displayName: string, apps: readonly Application[]): Observation {
  const name = shown(displayName);
  const { app, sameName } = pickApplication(displayName, apps);
  if (!app) return fail(`No app registration named "${name}" exists`, { displayName: name });
  const evidence: Evidence = {
    appId: app.appId,
    objectId: app.id,
    createdDateTime: app.createdDateTime ?? null,
    signInAudience: app.signInAudience ?? null,
  };
  if (sameName > 1) {
    return warn(`${sameName} app registrations are named "${name}"; judging the newest (${app.appId})`, {
      ...evidence,
      sameName,
    });
  }
  return pass(`App "${name}" is registered (created ${dayOf(app.createdDateTime)})`, evidence);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Credential metadata safe for evidence: never anything but these three fields. */
const credentialEvidence = (c: PasswordCredential) => ({
  keyId: c.keyId ?? null,
  hint: c.hint ?? null,
  endDateTime: c.endDateTime ?? null,
});

const endOf = (c: PasswordCredential): number => (c.endDateTime ? Date.parse(c.endDateTime) : Number.POSITIVE_INFINITY);

/**
 * Done = at least one client secret that has not expired; the one that expires last counts.
 * `warn` inside the warning window, `fail` when every secret has expired or there is none.
 */
export function evaluateSecret(app: Application, now: Date, warningDays: number): Observation {
  const credentials = (app.passwordCredentials ?? []).filter((c) => c && !Number.isNaN(endOf(c)));
  const evidence: Evidence = { appId: app.appId, secrets: credentials.length };
  if (credentials.length === 0) return fail('The app has no client secret', evidence);
  const nowMs = now.getTime();
  const valid = credentials.filter((c) => endOf(c) > nowMs).sort((a, b) => endOf(b) - endOf(a));
  const best = valid[0];
  if (!best) {
    const latest = [...credentials].sort((a, b) => endOf(b) - endOf(a))[0]!;
    return fail(`Every client secret has expired (the latest on ${dayOf(latest.endDateTime)})`, {
      ...evidence,
      latest: credentialEvidence(latest),
    });
  }
  const daysLeft = Math.floor((endOf(best) - nowMs) / DAY_MS);
  const current = credentialEvidence(best);
  if (!best.endDateTime) return pass('The app has a client secret without an expiry date', { ...evidence, current });
  if (endOf(best) - nowMs <= warningDays * DAY_MS) {
    return warn(`The app's client secret expires on ${dayOf(best.endDateTime)} (${daysLeft} days left)`, {
      ...evidence,
      current,
      daysLeft,
    });
  }
  return pass(`The app has a client secret valid until ${dayOf(best.endDateTime)}`, { ...evidence, current, daysLeft });
}

/** The app's own service principal among those returned by an appId or display-name lookup. */
export function servicePrincipalOf<T extends { appId: string }>(app: Application, principals: readonly T[]): T | null {
  return principals.find((sp) => sameId(sp.appId, app.appId)) ?? null;
}
