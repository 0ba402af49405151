// Views derived from verdicts: integration status, progress, the next step and whose move it is,
// plain-words blocking reasons, time in stage and staleness. Pure functions; the history store
// applies nextStage as each check is written so readers need not replay the whole history.
import { isDone, type ErrorReason, type IntegrationStatus, type Owner, type Status, type Verdict } from '../core/status.js';
import { INTEGRATION_ORDER, type IntegrationId, type Tenant } from '../core/tenant.js';
import { API_ACCESS_STEP, STEPS, isInherentlyUnverifiable, stepById, type StepDefinition } from '../integrations/catalogue.js';

type StepStatus = Pick<Verdict, 'id' | 'status'>;

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

/** steps.md: complete, action_needed (fail/overdue), attention (error/unverifiable), in_progress, not_started. */
export function integrationStatus(verdicts: readonly StepStatus[], checkedEver: boolean): IntegrationStatus {
  if (!checkedEver || verdicts.length === 0) return 'not_started';
  const applicable = verdicts.filter((verdict) => verdict.status !== 'not_applicable');
  if (applicable.every((verdict) => isDone(verdict.status))) return 'complete';
  if (applicable.some((verdict) => verdict.status === 'fail' || verdict.status === 'overdue')) return 'action_needed';
  if (applicable.some((verdict) => verdict.status === 'error' || verdict.status === 'unverifiable')) return 'attention';
  return 'in_progress';
}

export interface Progress {
  done: number;
  applicable: number;
}

/** Done steps / applicable steps (not_applicable excluded). */
export function progress(verdicts: readonly StepStatus[]): Progress {
  const applicable = verdicts.filter((verdict) => verdict.status !== 'not_applicable');
  return { done: applicable.filter((verdict) => isDone(verdict.status)).length, applicable: applicable.length };
}

export function percent({ done, applicable }: Progress): number {
  return applicable === 0 ? 0 : Math.round((done / applicable) * 100);
}

type Lookup = (stepId: string) => Verdict | undefined;

function lookupOf(verdicts: readonly Verdict[]): Lookup {
  const byId = new Map(verdicts.map((verdict) => [verdict.id, verdict]));
  return (id) => byId.get(id);
}

/**
 * The verdict that actually holds a step back: itself, or for a blocked step the end of its
 * blockedBy chain (bounded, in case stored data is inconsistent).
 */
export function rootCause(verdict: Verdict, lookup: Lookup): Verdict {
  let current = verdict;
  for (let hops = 0; current.status === 'blocked' && current.blockedBy && hops < 16; hops += 1) {
    const blocker = lookup(current.blockedBy);
    if (!blocker) break;
    current = blocker;
  }
  return current;
}

/**
 * Whose move it is for a step that is not done: a running window is Microsoft's (propagation or
 * delivery), a failed check is ours to fix, an unverifiable step waits for the customer's
 * confirmation, a blocked step belongs to whoever owns its blocker; otherwise the catalogue owner.
 */
export function ownerOf(verdict: Verdict, lookup: Lookup = () => undefined): Owner {
  if (verdict.status === 'not_applicable' || isDone(verdict.status)) return 'none';
  const cause = rootCause(verdict, lookup);
  switch (cause.status) {
    case 'waiting':
      return 'microsoft';
    case 'error':
      return 'expel';
    case 'unverifiable':
      return 'customer';
    case 'blocked': {
      const blocker = cause.blockedBy ? stepById(cause.blockedBy) : undefined;
      return blocker?.owner ?? stepById(cause.id)?.owner ?? 'expel';
    }
    default:
      return stepById(cause.id)?.owner ?? 'expel';
  }
}

export interface NextStep {
  stepId: string;
  title: string;
  status: Status;
  owner: Owner;
  /** Plain words: why it is not done. */
  reason: string;
}

/**
 * The first applicable step not done, in guide (catalogue) order. `verdicts` may be one
 * integration's; pass the tenant's full list as `context` so cross-integration blockers resolve.
 */
export function nextStep(verdicts: readonly Verdict[], context: readonly Verdict[] = verdicts): NextStep | null {
  const next = verdicts.find((verdict) => verdict.status !== 'not_applicable' && !isDone(verdict.status));
  if (!next) return null;
  const lookup = lookupOf(context);
  return {
    stepId: next.id,
    title: stepById(next.id)?.title ?? next.id,
    status: next.status,
    owner: ownerOf(next, lookup),
    reason: blockingReason(next, lookup),
  };
}

export const ERROR_REASON_TEXT: Readonly<Record<ErrorReason, string>> = {
  guest_not_invited: 'the Expel guest is not invited in this tenant',
  guest_not_redeemed: 'the Expel guest has not accepted the invitation',
  inbound_policy_blocked: "the tenant's cross-tenant inbound policy blocks the Expel guest",
  conditional_access_blocked: 'a Conditional Access policy blocks the sign-in',
  mfa_required: 'the sign-in needs multi-factor authentication',
  consent_missing: "the tracker's app is not admin-consented in this tenant",
  insufficient_role: 'the probing identity lacks the role to read this',
  not_licensed: 'the tenant lacks the licence this report needs (Entra ID P1/P2)',
  wrong_cloud: 'the tenant is in a different Microsoft cloud',
  tenant_not_found: 'the tenant was not found',
  throttled: 'Microsoft throttled the requests',
  timeout: 'the request timed out',
  network: 'Microsoft could not be reached',
  unexpected_response: 'Microsoft sent an unexpected response',
  auth_failed: 'sign-in failed',
  wrong_tenant_token: 'a token for another tenant was refused',
  roster_incomplete: 'the roster lacks what this step needs',
};

/** Why a step is not done, in plain words (CSV `blocking_reason`, screens). Empty when done. */
export function blockingReason(verdict: Verdict, lookup: Lookup = () => undefined): string {
  if (verdict.status === 'not_applicable' || isDone(verdict.status)) return '';
  if (verdict.status === 'blocked') {
    const cause = rootCause(verdict, lookup);
    const title = stepById(cause.id)?.title ?? cause.id;
    if (cause === verdict || cause.status === 'blocked') return `Waiting on "${stepById(verdict.blockedBy ?? '')?.title ?? verdict.blockedBy}"`;
    return `Waiting on "${title}": ${blockingReason(cause, lookup)}`;
  }
  switch (verdict.status) {
    case 'error':
      return `Could not check: ${verdict.reason ? ERROR_REASON_TEXT[verdict.reason] : 'unknown problem'}`;
    case 'unverifiable':
      return "Needs the customer's confirmation";
    case 'waiting':
      return verdict.expectedBy ? `Inside the guide's window until ${verdict.expectedBy}` : 'Waiting for the window to start';
    case 'overdue':
      return verdict.expectedBy ? `Overdue: expected by ${verdict.expectedBy}` : 'Overdue';
    default:
      return verdict.summary;
  }
}

/** The analyst's view of one step: an `error` never hides the last real verdict (steps.md). */
export interface AnalystVerdict {
  /** The verdict to show: the latest, or the last real one when the latest is an error. */
  verdict: Verdict;
  /** True when `verdict` is older than the latest check (the latest could not check). */
  stale: boolean;
  /** The latest error, shown beside a stale verdict. */
  error: Verdict | null;
}

export function analystView(latest: Verdict, latestReal: Verdict | null): AnalystVerdict {
  if (latest.status !== 'error' || !latestReal || latestReal.status === 'error') {
    return { verdict: latest, stale: false, error: latest.status === 'error' ? latest : null };
  }
  return { verdict: latestReal, stale: true, error: latest };
}

/** One stored check of one tenant: when, and each step's status. */
export interface TenantCheck {
  at: string;
  steps: readonly StepStatus[];
}

/**
 * How one check saw one integration: the status of its steps in that check, where a step's
 * `error` carries its last real status forward (`lastReal`, from earlier checks), so a check that
 * could not see does not count as a change of stage. Null when the check did not look at the
 * integration: none of its steps stored (left out by `check --integration`) or none applicable
 * (the integration was not in scope then).
 */
export function checkedStatus(
  steps: readonly StepStatus[],
  integration: IntegrationId,
  lastReal: (stepId: string) => Status | null | undefined,
): IntegrationStatus | null {
  const own = steps
    .filter((step) => stepById(step.id)?.integration === integration)
    .map((step) => ({ id: step.id, status: step.status === 'error' ? (lastReal(step.id) ?? 'error') : step.status }));
  return observedStatus(own);
}

/** integrationStatus of steps that were looked at; null when none of them applies. */
export function observedStatus(steps: readonly StepStatus[]): IntegrationStatus | null {
  return steps.some((step) => step.status !== 'not_applicable') ? integrationStatus(steps, true) : null;
}

/** The integration's status after each check that looked at it, oldest first. */
export function statusTimeline(
  checks: readonly TenantCheck[],
  integration: IntegrationId,
): { at: string; status: IntegrationStatus }[] {
  const lastReal = new Map<string, Status>();
  return checks.flatMap((check) => {
    const status = checkedStatus(check.steps, integration, (id) => lastReal.get(id));
    for (const step of check.steps) if (step.status !== 'error') lastReal.set(step.id, step.status);
    return status === null ? [] : [{ at: check.at, status }];
  });
}

/**
 * Where an integration stands, as its checks say. Kept up to date at write time by the history
 * store (one record per tenant and integration) and derivable from the whole history with
 * stageOf; nextStage is the one rule both follow.
 */
export interface IntegrationStage {
  /** The integration's status in the latest check that looked at it, errors carried forward. */
  status: IntegrationStatus;
  /** When this stage began: the first check of the latest unbroken run of `status`. */
  since: string;
  /** The first check that found the integration complete; null when none has. */
  firstCompletedAt: string | null;
  /** The latest check that looked at the integration. */
  lastCheckedAt: string;
}

/** The stage after one more check, which saw `status` at `at` (null: it did not look, nothing changes). */
export function nextStage(previous: IntegrationStage | null, status: IntegrationStatus | null, at: string): IntegrationStage | null {
  if (status === null) return previous;
  return {
    status,
    since: previous?.status === status ? previous.since : at,
    firstCompletedAt: previous?.firstCompletedAt ?? (status === 'complete' ? at : null),
    lastCheckedAt: at,
  };
}

/** The stage a timeline ends in; null when no check looked at the integration. */
export function stageAfter(timeline: readonly { at: string; status: IntegrationStatus }[]): IntegrationStage | null {
  return timeline.reduce<IntegrationStage | null>((stage, entry) => nextStage(stage, entry.status, entry.at), null);
}

/** The integration's stage from every stored check of the tenant (oldest first). */
export function stageOf(checks: readonly TenantCheck[], integration: IntegrationId): IntegrationStage | null {
  return stageAfter(statusTimeline(checks, integration));
}

/** When the current stage began: the first check of the latest unbroken run of the same status. */
export function stageSince(timeline: readonly { at: string; status: IntegrationStatus }[]): string | null {
  return stageAfter(timeline)?.since ?? null;
}

/** Whole days since an instant (0 on the first day); null when unknown. */
export function daysSince(since: string | null, now: Date): number | null {
  if (!since) return null;
  const ms = Date.parse(since);
  return Number.isNaN(ms) ? null : Math.max(0, Math.floor((now.getTime() - ms) / DAY));
}

export function daysInStage(timeline: readonly { at: string; status: IntegrationStatus }[], now: Date): number | null {
  return daysSince(stageSince(timeline), now);
}

export const DEFAULT_STALE_AFTER_HOURS = 24;

/** Never checked, or last checked longer ago than the threshold. */
export function isStale(lastChecked: string | null, now: Date, staleAfterHours = DEFAULT_STALE_AFTER_HOURS): boolean {
  if (!lastChecked) return true;
  const ms = Date.parse(lastChecked);
  return Number.isNaN(ms) || now.getTime() - ms > staleAfterHours * HOUR;
}

/** One step's stored state as the derivations read it (db/history.ts StepState has this shape). */
export interface StepHead {
  stepId: string;
  latest: Verdict;
  /** Newest verdict that is not an error; null when none. */
  latestReal: Verdict | null;
  /** First time the step was pass, warn or attested. */
  firstDoneAt: string | null;
}

/**
 * What an integration's stored verdicts say, independent of the clock and of the roster: the
 * facts behind an export row and a roster cell. Derived, never stored on its own authority: the
 * history store keeps one per tenant and integration as a cache written in the same transaction
 * as the verdicts, by this same function, and rebuildable from the history at any time
 * (migration 4, rebuildIntegrationSummaries), so steps.md's "status is derived from the steps"
 * still holds. Now-dependent facts (days in stage, staleness) are computed at read time.
 */
export interface IntegrationSummary {
  /** Status of the analyst's view of its steps; null when none of them applies (not looked at in scope). */
  status: IntegrationStatus | null;
  /** Some step shows its last real verdict because the latest check of it was an error. */
  showsOlder: boolean;
  done: number;
  applicable: number;
  /** The first step not done, when `status` is known. */
  next: NextStep | null;
  /** First pass of the integration's API-access step (null for access and when never done). */
  apiAccessDoneAt: string | null;
  /** First pass of the integration's alerts step (null for access and when never done). */
  firstAlertAt: string | null;
}

const CATALOGUE_POSITION = new Map(STEPS.map((step, index) => [step.id, index]));
const catalogueOrder = (a: StepHead, b: StepHead): number =>
  (CATALOGUE_POSITION.get(a.stepId) ?? Number.MAX_SAFE_INTEGER) - (CATALOGUE_POSITION.get(b.stepId) ?? Number.MAX_SAFE_INTEGER);

/**
 * Every integration's summary from a tenant's step heads (any order; empty: never checked). The
 * analyst's view is used throughout: an error never hides the last real verdict. Blockers resolve
 * across the given heads (prerequisites stay within an integration or point to access steps).
 */
export function summarizeIntegrations(heads: readonly StepHead[]): Map<IntegrationId, IntegrationSummary> {
  const context: Verdict[] = [];
  const firstDone = new Map<string, string | null>();
  const byIntegration = new Map<IntegrationId, { verdicts: Verdict[]; stale: boolean }>();
  for (const head of [...heads].sort(catalogueOrder)) {
    const view = analystView(head.latest, head.latestReal);
    context.push(view.verdict);
    firstDone.set(head.stepId, head.firstDoneAt);
    const integration = stepById(head.stepId)?.integration;
    if (integration === undefined) continue;
    const group = byIntegration.get(integration);
    if (group) {
      group.verdicts.push(view.verdict);
      group.stale ||= view.stale;
    } else byIntegration.set(integration, { verdicts: [view.verdict], stale: view.stale });
  }
  const summaries = new Map<IntegrationId, IntegrationSummary>();
  for (const integration of INTEGRATION_ORDER) {
    const { verdicts, stale } = byIntegration.get(integration) ?? { verdicts: [], stale: false };
    const status = observedStatus(verdicts);
    const counts = progress(verdicts);
    summaries.set(integration, {
      status,
      showsOlder: stale,
      done: counts.done,
      applicable: counts.applicable,
      next: status === null ? null : nextStep(verdicts, context),
      apiAccessDoneAt: integration === 'access' ? null : (firstDone.get(API_ACCESS_STEP[integration]) ?? null),
      firstAlertAt: integration === 'access' ? null : (firstDone.get(`${integration}.alerts`) ?? null),
    });
  }
  return summaries;
}

/** When the tracker could not sign in to or read the tenant (its latest probe failed), in words; else null. */
export function tenantProblem(heads: readonly StepHead[]): string | null {
  const latest = heads.find((head) => head.stepId === 'access.probe-access')?.latest;
  if (latest?.status !== 'error') return null;
  const reason = latest.reason === null ? 'unknown problem' : ERROR_REASON_TEXT[latest.reason];
  return `Cannot read the tenant: ${reason}`;
}

/**
 * Attestations are for what outsiders cannot see: a step takes one without --force when it
 * applies and its latest verdict is unverifiable (or attested over an unverifiable observation,
 * to renew it), or when it can never be checked for this tenant. The attest command and the
 * dashboard's `t` key both ask this.
 */
export function isAttestable(step: StepDefinition, tenant: Tenant, latest: Verdict | undefined): boolean {
  if (!step.applies(tenant)) return false;
  return (
    isInherentlyUnverifiable(step, tenant) ||
    latest?.status === 'unverifiable' ||
    (latest?.status === 'attested' && latest.evidence.observedStatus === 'unverifiable')
  );
}
