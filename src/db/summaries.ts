// Lean reads of the latest verdicts, and the per-tenant-per-integration summary cache built from
// them (migration 4). The summary is what an export row or a roster cell needs that depends only
// on stored verdicts (verdicts/derived.ts summarizeIntegrations); it is computed at write time, in
// the transaction that stores a tenant's verdicts, by the same function a read-time caller uses,
// and can be rebuilt from the history at any time: a derived cache, not a second source of truth.
import type { ErrorReason, IntegrationStatus, Owner, Status, Verdict } from '../core/status.js';
import type { IntegrationId } from '../core/tenant.js';
import { summarizeIntegrations, tenantProblem, type IntegrationSummary, type StepHead } from '../verdicts/derived.js';
import type { Database } from './database.js';

type Cell = string | number | null;

// observed_at and evidence are left out on purpose: observed_at is stored after the evidence
// column, so reading it walks past the evidence of every verdict, and no summary needs either.
export const LEAN_VERDICT_FIELDS = ['status', 'summary', 'reason', 'expected_by', 'blocked_by'] as const;
export const leanVerdictColumns = (alias: string): string => LEAN_VERDICT_FIELDS.map((field) => `${alias}.${field}`).join(', ');

/** A verdict from LEAN_VERDICT_FIELDS cells starting at `offset`; null when its status is NULL (no such verdict). */
export function verdictAt(stepId: string, row: readonly Cell[], offset: number): Verdict | null {
  const status = row[offset] as Status | null;
  if (status === null) return null;
  return {
    id: stepId,
    status,
    summary: (row[offset + 1] as string | null) ?? '',
    reason: (row[offset + 2] as ErrorReason | null) ?? null,
    expectedBy: (row[offset + 3] as string | null) ?? null,
    blockedBy: (row[offset + 4] as string | null) ?? null,
    // Not read (see LEAN_VERDICT_FIELDS).
    observedAt: '',
    evidence: {},
  };
}

// tenant_id, step_id, first_done_at, the latest verdict, then the last real one only when it is
// not the latest (the latest is an error): that skips most second lookups.
const LEAN_HEADS = `SELECT h.tenant_id, h.step_id, h.first_done_at, ${leanVerdictColumns('l')}, ${leanVerdictColumns('r')}
  FROM verdict_heads h JOIN verdicts l ON l.id = h.latest_id
  LEFT JOIN verdicts r ON r.id = h.latest_real_id AND h.latest_real_id <> h.latest_id`;

/** A StepHead from a LEAN_HEADS row. */
export function headFromRow(row: readonly Cell[]): StepHead {
  const stepId = row[1] as string;
  const latest = verdictAt(stepId, row, 3)!;
  return {
    stepId,
    firstDoneAt: (row[2] as string | null) ?? null,
    latest,
    latestReal: verdictAt(stepId, row, 3 + LEAN_VERDICT_FIELDS.length) ?? (latest.status === 'error' ? null : latest),
  };
}

/** Lean step heads of one tenant (all its steps, or only `stepIds`): prepared once, one indexed query a call. */
export function tenantHeadsReader(db: Database): (tenantId: string, stepIds?: string) => StepHead[] {
  const all = db.prepare<[string], Cell[]>(`${LEAN_HEADS} WHERE h.tenant_id = ?`).raw(true);
  const some = db
    .prepare<[string, string], Cell[]>(`${LEAN_HEADS} WHERE h.tenant_id = ? AND h.step_id IN (SELECT value FROM json_each(?))`)
    .raw(true);
  return (tenantId, stepIds) => (stepIds === undefined ? all.all(tenantId) : some.all(tenantId, stepIds)).map(headFromRow);
}

/** Every tenant's lean step heads in one query. */
export function allStepHeads(db: Database): Map<string, StepHead[]> {
  const result = new Map<string, StepHead[]>();
  for (const row of db.prepare<[], Cell[]>(LEAN_HEADS).raw(true).iterate()) {
    const tenant = row[0] as string;
    const list = result.get(tenant);
    if (list) list.push(headFromRow(row));
    else result.set(tenant, [headFromRow(row)]);
  }
  return result;
}

export const INTEGRATION_SUMMARIES = `
CREATE TABLE integration_summaries (
  tenant_id TEXT NOT NULL,
  integration TEXT NOT NULL CHECK (integration IN ('access', 'mde', 'mdi', 'm365', 'azure')),
  status TEXT,                   -- of the analyst view; NULL: no applicable step stored
  shows_older INTEGER NOT NULL,  -- 1: a step shows its last real verdict (the latest is an error)
  done INTEGER NOT NULL,
  applicable INTEGER NOT NULL,
  next_step TEXT,
  next_title TEXT,
  next_status TEXT,
  next_owner TEXT,
  next_reason TEXT,
  api_access_done_at TEXT,
  first_alert_at TEXT,
  problem TEXT,                  -- access row only: why the tenant cannot be read
  PRIMARY KEY (tenant_id, integration)
) WITHOUT ROWID;
`;

const SUMMARY_COLUMNS =
  'integration, status, shows_older, done, applicable, next_step, next_title, next_status, next_owner, next_reason, api_access_done_at, first_alert_at, problem';

const UPSERT_SUMMARY = `INSERT OR REPLACE INTO integration_summaries (tenant_id, ${SUMMARY_COLUMNS})
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * A summary that says nothing (no applicable step stored, nothing shown as older, no milestone,
 * no problem) is not stored: readers treat a missing row exactly like it, and most tenants have
 * integrations out of scope, so this keeps the table (and the export's read) to the rows that matter.
 */
export function isEmptySummary(summary: IntegrationSummary, problem: string | null = null): boolean {
  return (
    summary.status === null &&
    !summary.showsOlder &&
    summary.done === 0 &&
    summary.applicable === 0 &&
    summary.next === null &&
    summary.apiAccessDoneAt === null &&
    summary.firstAlertAt === null &&
    problem === null
  );
}

/** One tenant's cached summaries, as read back. */
export interface TenantSummaries {
  integrations: Map<IntegrationId, IntegrationSummary>;
  /** tenantProblem of the tenant's heads. */
  problem: string | null;
}

function summaryCells(tenantId: string, integration: IntegrationId, summary: IntegrationSummary, problem: string | null): Cell[] {
  const next = summary.next;
  return [
    tenantId,
    integration,
    summary.status,
    summary.showsOlder ? 1 : 0,
    summary.done,
    summary.applicable,
    next?.stepId ?? null,
    next?.title ?? null,
    next?.status ?? null,
    next?.owner ?? null,
    next?.reason ?? null,
    summary.apiAccessDoneAt,
    summary.firstAlertAt,
    integration === 'access' ? problem : null,
  ];
}

/** Reads cells starting at the `integration` column. */
function summaryFromCells(cells: readonly Cell[], offset: number): IntegrationSummary {
  const nextStep = cells[offset + 5] as string | null;
  return {
    status: cells[offset + 1] as IntegrationStatus | null,
    showsOlder: cells[offset + 2] === 1,
    done: cells[offset + 3] as number,
    applicable: cells[offset + 4] as number,
    next:
      nextStep === null
        ? null
        : {
            stepId: nextStep,
            title: cells[offset + 6] as string,
            status: cells[offset + 7] as Status,
            owner: cells[offset + 8] as Owner,
            reason: cells[offset + 9] as string,
          },
    apiAccessDoneAt: cells[offset + 10] as string | null,
    firstAlertAt: cells[offset + 11] as string | null,
  };
}

/** Writes a tenant's summaries computed from its heads (summarizeIntegrations: the one derivation). */
export function summaryWriter(db: Database): (tenantId: string, heads?: readonly StepHead[]) => void {
  const upsert = db.prepare(UPSERT_SUMMARY);
  const remove = db.prepare('DELETE FROM integration_summaries WHERE tenant_id = ? AND integration = ?');
  const readHeads = tenantHeadsReader(db);
  return (tenantId, heads = readHeads(tenantId)) => {
    if (heads.length === 0) return;
    const problem = tenantProblem(heads);
    for (const [integration, summary] of summarizeIntegrations(heads)) {
      const own = integration === 'access' ? problem : null;
      if (isEmptySummary(summary, own)) remove.run(tenantId, integration);
      else upsert.run(...summaryCells(tenantId, integration, summary, problem));
    }
  };
}

/**
 * Recomputes every tenant's summaries from the stored verdicts (migration 4 runs it; safe to run
 * again at any time, e.g. from a later migration when the derivation changes).
 */
export function rebuildIntegrationSummaries(db: Database): void {
  const write = summaryWriter(db);
  db.transaction(() => {
    db.prepare('DELETE FROM integration_summaries').run();
    for (const [tenantId, heads] of allStepHeads(db)) write(tenantId, heads);
  })();
}

/** One tenant's cached summaries; none when it was never checked. */
export function tenantSummaryReader(db: Database): (tenantId: string) => TenantSummaries {
  const statement = db.prepare<[string], Cell[]>(`SELECT ${SUMMARY_COLUMNS} FROM integration_summaries WHERE tenant_id = ?`).raw(true);
  return (tenantId) => collect(statement.all(tenantId), 0);
}

/** Every tenant's cached summaries in one query (tenants never checked are absent). */
export function allTenantSummaries(db: Database): Map<string, TenantSummaries> {
  const result = new Map<string, TenantSummaries>();
  for (const cells of db.prepare<[], Cell[]>(`SELECT tenant_id, ${SUMMARY_COLUMNS} FROM integration_summaries`).raw(true).iterate()) {
    const tenantId = cells[0] as string;
    let summaries = result.get(tenantId);
    if (!summaries) result.set(tenantId, (summaries = { integrations: new Map(), problem: null }));
    add(summaries, cells, 1);
  }
  return result;
}

function collect(rows: readonly Cell[][], offset: number): TenantSummaries {
  const summaries: TenantSummaries = { integrations: new Map(), problem: null };
  for (const cells of rows) add(summaries, cells, offset);
  return summaries;
}

/** Readers look integrations up by ID, so the order rows arrive in does not matter. */
function add(summaries: TenantSummaries, cells: readonly Cell[], offset: number): void {
  const integration = cells[offset] as IntegrationId;
  summaries.integrations.set(integration, summaryFromCells(cells, offset));
  if (integration === 'access') summaries.problem = (cells[offset + 12] as string | null) ?? null;
}
