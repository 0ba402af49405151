// A lean, read-only view of the check history for the export. HistoryStore.stepStates() loads
// every tenant's verdicts with their evidence at once; for 10,000 tenants that is hundreds of
// thousands of parsed JSON objects before the first row is written. The export needs neither
// the evidence nor everything at once, so it reads each tenant's heads and timeline as its rows
// are produced: two indexed queries per tenant, rows as arrays, nothing kept afterwards.
import type { ErrorReason, Status, Verdict } from '../core/status.js';
import type { Database } from '../db/database.js';
import type { StepState } from '../db/history.js';
import type { TenantCheck } from '../verdicts/derived.js';
import type { Tenant } from '../core/tenant.js';
import { STEPS, integrationsOf } from '../integrations/catalogue.js';
import type { TenantHistory } from './rows.js';

function stepIdsOf(tenant: Tenant): string[] {
  const integrations = integrationsOf(tenant);
  return STEPS.filter((step) => integrations.includes(step.integration)).map((step) => step.id);
}

const VERDICT_FIELDS = ['status', 'summary', 'reason', 'expected_by', 'blocked_by', 'observed_at'] as const;
const select = (alias: string) => VERDICT_FIELDS.map((field) => `${alias}.${field}`).join(', ');

type Cell = string | number | null;

function verdictAt(stepId: string, row: readonly Cell[], offset: number): Verdict | null {
  const status = row[offset] as Status | null;
  if (status === null) return null;
  return {
    id: stepId,
    status,
    summary: (row[offset + 1] as string | null) ?? '',
    reason: (row[offset + 2] as ErrorReason | null) ?? null,
    expectedBy: (row[offset + 3] as string | null) ?? null,
    blockedBy: (row[offset + 4] as string | null) ?? null,
    observedAt: row[offset + 5] as string,
    // Not read: the export never shows evidence.
    evidence: {},
  };
}

export class ExportHistoryReader {
  private readonly heads;
  private readonly timeline;
  private readonly lastChecked;

  constructor(db: Database) {
    this.heads = db
      .prepare<[string, string], Cell[]>(
        `SELECT h.step_id, h.first_done_at, ${select('l')}, ${select('r')}
         FROM verdict_heads h
         JOIN verdicts l ON l.id = h.latest_id
         LEFT JOIN verdicts r ON r.id = h.latest_real_id
         WHERE h.tenant_id = ? AND h.step_id IN (SELECT value FROM json_each(?))`,
      )
      .raw(true);
    this.timeline = db
      .prepare<[string, string], Cell[]>(
        `SELECT c.finished_at, c.run_id, v.step_id, v.status
         FROM check_run_tenants c
         JOIN verdicts v ON v.run_id = c.run_id AND v.tenant_id = c.tenant_id
         WHERE v.tenant_id = ? AND v.step_id IN (SELECT value FROM json_each(?))
         ORDER BY c.finished_at, c.run_id, v.id`,
      )
      .raw(true);
    this.lastChecked = db
      .prepare<[string], Cell[]>(`SELECT last_checked_at FROM tenant_check_heads WHERE tenant_id = ?`)
      .raw(true);
  }

  /**
   * One tenant's history as the export rows need it: only the steps of its integrations (the
   * others are stored as not_applicable and never shown), evidence left out.
   */
  historyOf(tenant: Tenant): TenantHistory {
    const tenantId = tenant.tenantId;
    const steps = JSON.stringify(stepIdsOf(tenant));
    const states: StepState[] = this.heads.all(tenantId, steps).map((row) => {
      const stepId = row[0] as string;
      return {
        stepId,
        firstDoneAt: (row[1] as string | null) ?? null,
        latest: verdictAt(stepId, row, 2)!,
        latestReal: verdictAt(stepId, row, 2 + VERDICT_FIELDS.length),
      };
    });
    const last = this.lastChecked.get(tenantId);
    return {
      states,
      lastChecked: last ? ((last[0] as string | null) ?? null) : null,
      checks: () => this.checksOf(tenantId, steps),
    };
  }

  private checksOf(tenantId: string, stepIds: string): TenantCheck[] {
    const checks: TenantCheck[] = [];
    let runId: Cell = null;
    let steps: { id: string; status: Status }[] = [];
    for (const row of this.timeline.all(tenantId, stepIds)) {
      if (row[1] !== runId) {
        runId = row[1] ?? null;
        steps = [];
        checks.push({ at: row[0] as string, steps });
      }
      steps.push({ id: row[2] as string, status: row[3] as Status });
    }
    return checks;
  }
}
