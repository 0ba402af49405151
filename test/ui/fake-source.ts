// An in-memory DashboardSource for screen tests: the test drives each re-check by hand
// (which tenant finishes when, with what result), so progress and cancellation are observable
// without timers. Everything else answers from plain data.
import type { TenantFields } from '../../src/roster/fields.js';
import type { DashboardSource, RecheckOptions, SaveResult, SignInEvent } from '../../src/ui/source.js';
import type { AttestInput } from '../../src/ui/state/attest-form.js';
import type { TenantRecheckResult } from '../../src/ui/state/reducer.js';
import type { RosterRow, StepHistoryEntry, TenantDetail } from '../../src/ui/state/types.js';

export interface RecheckCall {
  tenantIds: readonly string[];
  options: RecheckOptions;
  finish(): void;
  complete(result: TenantRecheckResult): void;
}

export class FakeSource implements DashboardSource {
  readonly rechecks: RecheckCall[] = [];
  readonly saved: Array<{ mode: 'add' | 'edit'; tenantId: string | null; fields: TenantFields }> = [];
  readonly attested: Array<{ tenantId: string; stepId: string; input: AttestInput }> = [];
  saveAnswer: SaveResult | null = null;
  private readonly listeners = new Set<(event: SignInEvent) => void>();

  constructor(
    public rows: RosterRow[],
    public details: Map<string, TenantDetail> = new Map(),
    public histories: Map<string, StepHistoryEntry[]> = new Map(),
    public lastFullCheckAt: string | null = null,
  ) {}

  async loadRoster() {
    return { rows: this.rows, lastFullCheckAt: this.lastFullCheckAt };
  }

  /** Rows the test wants filled in after the first frame (e.g. days in stage). */
  laterRows: RosterRow[] = [];

  async completeRows(_tenantIds: readonly string[], options: { signal: AbortSignal; onRows(rows: RosterRow[]): void }): Promise<void> {
    if (this.laterRows.length > 0 && !options.signal.aborted) options.onRows(this.laterRows);
  }

  async loadTenant(tenantId: string): Promise<TenantDetail> {
    const detail = this.details.get(tenantId);
    if (detail === undefined) throw new Error(`no detail for ${tenantId}`);
    return detail;
  }

  async loadStepHistory(tenantId: string, stepId: string): Promise<StepHistoryEntry[]> {
    return this.histories.get(`${tenantId}/${stepId}`) ?? [];
  }

  /** When set, re-checks fail as a whole (e.g. the access layer cannot be configured). */
  recheckError: Error | null = null;

  recheck(tenantIds: readonly string[], options: RecheckOptions): Promise<{ outcome: 'finished' | 'cancelled' }> {
    if (this.recheckError !== null) return Promise.reject(this.recheckError);
    return new Promise((resolve) => {
      const call: RecheckCall = {
        tenantIds,
        options,
        finish: () => resolve({ outcome: 'finished' }),
        complete: (result) => options.onTenantDone(result),
      };
      options.signal.addEventListener('abort', () => resolve({ outcome: 'cancelled' }), { once: true });
      this.rechecks.push(call);
    });
  }

  async tenantFields(tenantId: string): Promise<TenantFields> {
    const row = this.rows.find((candidate) => candidate.tenantId === tenantId);
    if (row === undefined) throw new Error('unknown tenant');
    return { tenant_id: row.tenantId, name: row.name, domain: row.domain ?? '', integrations: ['mde'], options: ['mde=custom'] };
  }

  async saveTenant(mode: 'add' | 'edit', tenantId: string | null, fields: TenantFields): Promise<SaveResult> {
    this.saved.push({ mode, tenantId, fields });
    return this.saveAnswer ?? { ok: true, row: null, message: `Saved ${fields.name ?? ''}.` };
  }

  async attest(tenantId: string, stepId: string, input: AttestInput): Promise<SaveResult> {
    this.attested.push({ tenantId, stepId, input });
    return { ok: true, row: null, message: 'Attestation recorded.' };
  }

  instructionTexts = new Map<string, string>();
  readonly written: string[] = [];
  exports = 0;

  async instructions(tenantId: string): Promise<string> {
    const text = this.instructionTexts.get(tenantId);
    if (text === undefined) throw new Error('no instructions for this tenant');
    return text;
  }

  async writeInstructions(tenantId: string): Promise<string> {
    this.written.push(tenantId);
    return `/exports/instructions-${tenantId}.md`;
  }

  async exportRoster(): Promise<{ file: string; rows: number }> {
    this.exports += 1;
    return { file: '/exports/expel-track-export.csv', rows: this.rows.length * 2 };
  }

  onSignIn(listener: (event: SignInEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emitSignIn(event: SignInEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
