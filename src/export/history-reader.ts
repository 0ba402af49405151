// A lean, read-only view of the check history for the export. HistoryStore.stepStates() loads
// every tenant's verdicts with their evidence at once; for 10,000 tenants that is hundreds of
// thousands of parsed JSON objects before the first row is written. The export needs neither
// the evidence nor everything at once, so it reads each tenant's step heads, integration stages
// and last check as its rows are produced: two indexed queries per tenant, rows as arrays,
// nothing kept afterwards. No query replays the history: days in stage and completion dates come
// from the stages the history store keeps as each check is written.
import type { ErrorReason, Status, Verdict } from '../core/status.js';
import type { Tenant } from '../core/tenant.js';
import type { Database } from '../db/database.js';
import { tenantCheckReader, type StepState } from '../db/history.js';
import { STEPS, integrationsOf } from '../integrations/catalogue.js';
import type { TenantHistory } from './rows.js';

/** The steps of the tenant's integrations as the JSON array the heads query takes (one per scope). */
const stepListByScope = new Map<string, string>();
function stepListOf(tenant: Tenant): string {
  const integrations = integrationsOf(tenant);
  const scope = integrations.join(',');
  let list = stepListByScope.get(scope);
  if (list === undefined) {
    list = JSON.stringify(STEPS.filter((step) => integrations.includes(step.integration)).map((step) => step.id));
    stepListByScope.set(scope, list);
  }
  return list;
}

// observed_at is left out on purpose: it is stored after the evidence column, so reading it
// walks past the evidence of every verdict, and no export column needs it.
const VERDICT_FIELDS = ['status', 'summary', 'reason', 'expected_by', 'blocked_by'] as const;
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
    // Not read (see VERDICT_FIELDS): the export shows neither.
    observedAt: '',
    evidence: {},
  };
}

export class ExportHistoryReader {
  private readonly heads;
  private readonly checkRecord;

  constructor(db: Database) {
    // The last real verdict is looked up only when it is not the latest one (the latest is an error).
    this.heads = db
      .prepare<[string, string], Cell[]>(
        `SELECT h.step_id, h.first_done_at, ${select('l')}, ${select('r')}
         FROM verdict_heads h
         JOIN verdicts l ON l.id = h.latest_id
         LEFT JOIN verdicts r ON r.id = h.latest_real_id AND h.latest_real_id <> h.latest_id
         WHERE h.tenant_id = ? AND h.step_id IN (SELECT value FROM json_each(?))`,
      )
      .raw(true);
    this.checkRecord = tenantCheckReader(db);
  }

  /**
   * One tenant's history as the export rows need it: only the steps of its integrations (the
   * others are stored as not_applicable and never shown), evidence left out, and the stage of
   * each integration a check has looked at.
   */
  historyOf(tenant: Tenant): TenantHistory {
    const tenantId = tenant.tenantId;
    const states: StepState[] = this.heads.all(tenantId, stepListOf(tenant)).map((row) => {
      const stepId = row[0] as string;
      const latest = verdictAt(stepId, row, 2)!;
      return {
        stepId,
        firstDoneAt: (row[1] as string | null) ?? null,
        latest,
        latestReal: verdictAt(stepId, row, 2 + VERDICT_FIELDS.length) ?? (latest.status === 'error' ? null : latest),
      };
    });
    return { states, ...this.checkRecord(tenantId) };
  }
}
