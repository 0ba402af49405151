// X.polling: Expel's app signing in to the tenant is the only outside evidence that Expel is
// polling. Source: beta auditLogs/signIns filtered to service-principal sign-ins of the app (v1.0
// returns interactive user sign-ins only; servicePrincipalSignInActivities has no failures and is
// global-cloud only). Reading it needs Entra ID P1/P2: a licence refusal is `error` not_licensed.
import { BAD_SECRET_SIGNIN_CODES } from '../integrations/reference.js';
import { AccessError } from '../microsoft/types.js';
import { fail, pass, pending, sameId, shown, type Evidence, type Observation } from './observation.js';

export interface SignInRecord {
  id?: string;
  createdDateTime: string;
  appId?: string | null;
  resourceDisplayName?: string | null;
  servicePrincipalCredentialKeyId?: string | null;
  status?: { errorCode?: number | null; failureReason?: string | null } | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const SIGN_IN_SELECT = 'id,createdDateTime,appId,resourceDisplayName,servicePrincipalCredentialKeyId,status';

/** "since T0 or within the last 24 hours": the earlier of the two starts the window. */
export function signInWindowStart(t0: Date, now: Date): Date {
  return new Date(Math.min(t0.getTime(), now.getTime() - DAY_MS));
}

/** createdDateTime supports eq, le and ge per the signIn resource (not lt): the older window ends with `le`. */
export function signInsPath(appId: string, since: Date, before?: Date): string {
  const filter =
    `appId eq '${appId}' and signInEventTypes/any(t: t eq 'servicePrincipal') ` +
    `and createdDateTime ge ${since.toISOString()}` +
    (before ? ` and createdDateTime le ${before.toISOString()}` : '');
  return `/auditLogs/signIns?$filter=${encodeURIComponent(filter)}&$select=${SIGN_IN_SELECT}&$top=1000`;
}

const badSecret = (code: number | null | undefined): boolean =>
  typeof code === 'number' && (BAD_SECRET_SIGNIN_CODES as readonly number[]).includes(code);

const brief = (record: SignInRecord) => ({
  createdDateTime: record.createdDateTime,
  errorCode: record.status?.errorCode ?? null,
  resource: record.resourceDisplayName ? shown(record.resourceDisplayName) : null,
  keyId: record.servicePrincipalCredentialKeyId ?? null,
});

/** The most recent sign-in that says something about the secret: a success or a bad-secret failure. */
export function decisiveSignIn(records: readonly SignInRecord[], appId: string, since: Date): SignInRecord | undefined {
  return relevantSignIns(records, appId, since).find((r) => r.status?.errorCode === 0 || badSecret(r.status?.errorCode));
}

function relevantSignIns(records: readonly SignInRecord[], appId: string, since: Date): SignInRecord[] {
  return records
    .filter((r) => (r.appId == null || sameId(r.appId, appId)) && Date.parse(r.createdDateTime) >= since.getTime())
    .sort((a, b) => Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime));
}

/**
 * The most recent sign-in that says something about the secret decides: a success → `pass`, an
 * AADSTS7000215/7000222 failure (bad or expired secret) with no success after it → `fail`.
 * Nothing yet → `pending` (the rules engine turns that into waiting/overdue with the windows).
 */
export function evaluatePolling(
  appLabel: string,
  appId: string,
  records: readonly SignInRecord[],
  window: { since: Date },
): Observation {
  const relevant = relevantSignIns(records, appId, window.since);
  const decisive = decisiveSignIn(relevant, appId, window.since);
  const evidence: Evidence = { appId, since: window.since.toISOString(), signIns: relevant.length };
  if (decisive && decisive.status?.errorCode === 0) {
    return pass(`${appLabel} signed in successfully on ${decisive.createdDateTime}`, {
      ...evidence,
      lastSuccess: brief(decisive),
    });
  }
  if (decisive) {
    const code = decisive.status?.errorCode;
    const what = code === 7000222 ? 'an expired client secret' : 'an invalid client secret';
    return fail(`The latest sign-in of ${appLabel} (${decisive.createdDateTime}) failed with ${what} (AADSTS${code})`, {
      ...evidence,
      lastFailure: brief(decisive),
    });
  }
  const latest = relevant[0];
  if (latest) evidence.lastFailure = brief(latest);
  return pending(`No successful sign-in by ${appLabel} since ${window.since.toISOString()}`, evidence);
}

/** Sign-in reports without Entra ID P1/P2 are refused with a licence message; say so. */
export function licenceAware(error: unknown): unknown {
  if (!(error instanceof AccessError) || error.reason === 'not_licensed') return error;
  const text = `${error.message} ${error.evidence.message ?? ''} ${error.evidence.code ?? ''}`;
  if (/premium license|not have premium|AadPremiumLicenseRequired|license/i.test(text) && error.evidence.status === 403) {
    return new AccessError('not_licensed', error.message, error.evidence);
  }
  return error;
}
