// Status vocabulary of ../shared/spec/steps.md. These names are a public contract
// (check --json, CSV, database): extend, never rename.

export const STATUSES = [
  'pass',
  'warn',
  'fail',
  'waiting',
  'overdue',
  'blocked',
  'unverifiable',
  'attested',
  'error',
  'not_applicable',
] as const;
export type Status = (typeof STATUSES)[number];

/** Statuses that count as done (steps.md: "Done" means pass, warn or attested). */
export const DONE_STATUSES: ReadonlySet<Status> = new Set<Status>(['pass', 'warn', 'attested']);
export const isDone = (status: Status): boolean => DONE_STATUSES.has(status);

export const ERROR_REASONS = [
  'guest_not_invited',
  'guest_not_redeemed',
  'inbound_policy_blocked',
  'conditional_access_blocked',
  'mfa_required',
  'consent_missing',
  'insufficient_role',
  'not_licensed',
  'wrong_cloud',
  'tenant_not_found',
  'throttled',
  'timeout',
  'network',
  'unexpected_response',
  'auth_failed',
  'wrong_tenant_token',
  'roster_incomplete',
] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

export const INTEGRATION_STATUSES = ['complete', 'in_progress', 'action_needed', 'attention', 'not_started'] as const;
export type IntegrationStatus = (typeof INTEGRATION_STATUSES)[number];

/** Whose move it is next. `microsoft` = a propagation or delivery window is running. */
export const OWNERS = ['customer', 'expel', 'microsoft', 'none'] as const;
export type Owner = (typeof OWNERS)[number];

/** One step's verdict, exactly the shape of a step in `check --json`. */
export interface Verdict {
  id: string;
  status: Status;
  summary: string;
  observedAt: string;
  reason: ErrorReason | null;
  expectedBy: string | null;
  blockedBy: string | null;
  evidence: Record<string, unknown>;
}
