// The dashboard's view model: what screens show, already derived and sanitised. The data source
// (src/ui/source.ts) produces these from the roster, the check history and the verdict rules;
// the reducer cleans every string on arrival, so no screen can render a hostile one.
import type { ErrorReason, IntegrationStatus, Owner, Status } from '../../core/status.js';
import type { IntegrationId } from '../../core/tenant.js';
import type { NextStep } from '../../verdicts/derived.js';
import type { Attestation as StoredAttestation } from '../../verdicts/types.js';

export type { NextStep };

export interface IntegrationCell {
  id: IntegrationId;
  status: IntegrationStatus;
  done: number;
  applicable: number;
}

export interface RosterRow {
  tenantId: string;
  name: string;
  domain: string | null;
  engineer: string | null;
  engagementManager: string | null;
  /** `access` first, then each integration in scope, in catalogue order. */
  integrations: IntegrationCell[];
  next: NextStep | null;
  /** Whole days the tenant has spent in its current stage; null when never checked. */
  daysInStage: number | null;
  /** When the tenant was last checked (ISO), null when never. */
  lastCheckedAt: string | null;
  /** The last check is older than the freshness limit: shown dimmed and marked "stale". */
  stale: boolean;
  /** A tenant-level problem to show instead of hiding it: a failed sign-in, a re-check that broke. */
  problem: string | null;
}

/** The attestation behind an `attested` step, as the detail screen shows it. */
export type Attestation = Pick<StoredAttestation, 'attestedBy' | 'note' | 'attestedAt' | 'expiresAt'>;

/** The latest check of a step could not be made; shown beside the last real verdict, never instead. */
export interface CheckError {
  reason: ErrorReason | null;
  summary: string;
  observedAt: string;
}

export interface StepView {
  id: string;
  title: string;
  /** The last real verdict's status; `error` only when no real verdict was ever recorded. */
  status: Status;
  summary: string;
  observedAt: string | null;
  reason: ErrorReason | null;
  expectedBy: string | null;
  blockedBy: string | null;
  owner: Owner;
  /** Evidence flattened to display pairs (strings already cleaned). */
  evidence: Array<[string, string]>;
  /** Set when the latest check was an `error`: the verdict above is then stale. */
  latestError: CheckError | null;
  attestation: Attestation | null;
  /** The analyst may record the customer's confirmation (the step cannot be checked from outside). */
  attestable: boolean;
}

export interface IntegrationDetail extends IntegrationCell {
  /** The chosen option in words ("custom app", "enterprise app"), null when the guide has one path. */
  option: string | null;
  steps: StepView[];
}

export interface TenantDetail {
  tenantId: string;
  name: string;
  domain: string | null;
  engineer: string | null;
  engagementManager: string | null;
  lastCheckedAt: string | null;
  problem: string | null;
  integrations: IntegrationDetail[];
}

export interface StepHistoryEntry {
  observedAt: string;
  status: Status;
  summary: string;
  reason: ErrorReason | null;
}

/** A device-code sign-in the analyst must complete in a browser. */
export interface SignInPrompt {
  tenantId: string;
  userCode: string;
  verificationUri: string;
  /** Microsoft's own sentence, cleaned. */
  message: string;
  expiresOn: string | null;
}
