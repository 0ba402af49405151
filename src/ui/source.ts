// Everything the dashboard needs from the rest of expel-track, behind one interface: the app
// talks only to a DashboardSource, so screens are tested against a small in-memory source at
// this boundary, while `expel-track` and `expel-track demo` plug in the real one
// (src/ui/live-source.ts: SQLite roster and history, the verdict rules, the check runner and
// the Microsoft access layer).
import type { TenantFields } from '../roster/fields.js';
import type { AttestInput } from './state/attest-form.js';
import type { TenantRecheckResult } from './state/reducer.js';
import type { RosterRow, SignInPrompt, StepHistoryEntry, TenantDetail } from './state/types.js';

export interface RosterSnapshot {
  rows: RosterRow[];
  /** When every active tenant was last re-checked in one run, or null. */
  lastFullCheckAt: string | null;
}

export interface RecheckOptions {
  /** Aborted when the analyst cancels or quits: stop starting tenants, abandon requests. */
  signal: AbortSignal;
  /** Called once per tenant as soon as it is done (the app coalesces these before drawing). */
  onTenantDone(result: TenantRecheckResult): void;
}

export type SaveResult =
  | { ok: true; row: RosterRow | null; message: string }
  /** Problems keyed by form field name ('' for problems not tied to one field). */
  | { ok: false; errors: Record<string, string[]> };

export type SignInEvent =
  | { kind: 'prompt'; prompt: SignInPrompt }
  /** The sign-in finished, failed or expired: the prompt goes away (a failure shows on the tenant). */
  | { kind: 'resolved'; tenantId: string };

export interface DashboardSource {
  /** Every active tenant's row; one pass over the database whatever the roster size. */
  loadRoster(): Promise<RosterSnapshot>;
  /**
   * Fills in what loadRoster left out, reporting rows a slice at a time; stops when the signal
   * aborts. The live source's rows are complete from the start (days in stage come from the
   * stages the history store keeps), so it reports nothing.
   */
  completeRows(tenantIds: readonly string[], options: { signal: AbortSignal; onRows(rows: RosterRow[]): void }): Promise<void>;
  loadTenant(tenantId: string): Promise<TenantDetail>;
  /** Newest first. */
  loadStepHistory(tenantId: string, stepId: string): Promise<StepHistoryEntry[]>;
  /** Resolves when every tenant is done or the signal aborted; per-tenant failures are results, not rejections. */
  recheck(tenantIds: readonly string[], options: RecheckOptions): Promise<{ outcome: 'finished' | 'cancelled' }>;
  /** The stored tenant as roster fields, for the edit form. */
  tenantFields(tenantId: string): Promise<TenantFields>;
  saveTenant(mode: 'add' | 'edit', tenantId: string | null, fields: TenantFields): Promise<SaveResult>;
  attest(tenantId: string, stepId: string, input: AttestInput): Promise<SaveResult>;
  /** The customer instructions for the steps left, as plain text for the preview. */
  instructions(tenantId: string): Promise<string>;
  /** Writes the instructions as a Markdown file; resolves with its path. */
  writeInstructions(tenantId: string): Promise<string>;
  /** Writes the engagement-manager CSV of every tenant to the export folder. */
  exportRoster(): Promise<{ file: string; rows: number }>;
  /** Device-code prompts from sign-ins started by re-checks. Returns the unsubscribe function. */
  onSignIn(listener: (event: SignInEvent) => void): () => void;
}
