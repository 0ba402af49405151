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
    // One row per check (not per verdict): the steps' statuses come concatenated, which halves
    // the rows SQLite and better-sqlite3 materialise. The check's time is the tenant's finished_at
    // in that run, as HistoryStore.checksOf uses, so days in stage match the dashboard.
    this.timeline = db
      .prepare<[string, string], Cell[]>(
        `SELECT (SELECT c.finished_at FROM check_run_tenants c WHERE c.run_id = v.run_id AND c.tenant_id = v.tenant_id) AS at,
                v.run_id, group_concat(v.step_id || ' ' || v.status, ',')
         FROM verdicts v
         WHERE v.tenant_id = ? AND v.step_id IN (SELECT value FROM json_each(?))
         GROUP BY v.run_id
         ORDER BY at, v.run_id`,
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
    return this.timeline.all(tenantId, stepIds).flatMap((row) => {
      if (row[0] === null) return []; // a run that never finished this tenant is not a check
      const steps = String(row[2] ?? '')
        .split(',')
        .map((pair) => {
          const space = pair.indexOf(' ');
          return { id: pair.slice(0, space), status: pair.slice(space + 1) as Status };
        });
      return [{ at: row[0] as string, steps }];
    });
  }
}
