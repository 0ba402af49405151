// Check history and attestations in SQLite. Everything here is appended, never changed: a run is
// opened, each tenant's verdicts land in one transaction, the run is closed complete or
// incomplete. Reads go through trigger-maintained pointers (migration 2) so loading the latest
// verdicts of every tenant costs one query, whatever the length of the history. In the same
// transaction as a tenant's verdicts, each integration's stage (migration 3: since when it has
// had its status, when it first completed) is advanced with the rule of verdicts/derived.ts, so
// days in stage and completion dates are one small record each instead of a replay of history.
// The same transaction rewrites the tenant's integration summaries (migration 4, summaries.ts):
// what its rows show that depends only on the stored verdicts, so readers need not derive it.
import { ERROR_REASONS, STATUSES, type ErrorReason, type IntegrationStatus, type Status, type Verdict } from '../core/status.js';
import { INTEGRATION_ORDER, type IntegrationId } from '../core/tenant.js';
import { STEPS } from '../integrations/catalogue.js';
import { checkedStatus, nextStage, stageOf, type IntegrationStage, type StepHead, type TenantCheck } from '../verdicts/derived.js';
import type { Attestation } from '../verdicts/types.js';
import { isAttestationActive, latestAttestation } from '../verdicts/evaluate.js';
import type { Database } from './database.js';
import { summaryWriter } from './summaries.js';

export type RunState = 'running' | 'complete' | 'incomplete';

export interface CheckRun {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  state: RunState;
  scope: unknown;
  pid: number | null;
  /** Tenants whose verdicts were stored in this run. */
  tenantCount: number;
}

/**
 * One step's stored state for a tenant: the latest verdict, the last real one (steps.md: an error
 * never overwrites it in the analyst's view), and when it was first done (T0 material).
 */
export type StepState = StepHead;

export interface Transition {
  runId: number;
  at: string;
  from: Status | null;
  to: Status;
  summary: string;
  reason: ErrorReason | null;
}

/** An attestation before it is stored (the store assigns the id). */
export type NewAttestation = Omit<Attestation, 'id'>;

interface VerdictRow {
  tenant_id: string;
  step_id: string;
  run_id: number;
  status: string;
  summary: string;
  reason: string | null;
  expected_by: string | null;
  blocked_by: string | null;
  evidence: string;
  observed_at: string;
}

interface RunRow {
  id: number;
  started_at: string;
  finished_at: string | null;
  state: RunState;
  scope: string;
  pid: number | null;
  tenant_count: number;
}

interface AttestationRow {
  id: number;
  tenant_id: string;
  step_id: string;
  attested_by: string;
  note: string;
  attested_at: string;
  expires_at: string | null;
  forced_reason: string | null;
}

/**
 * Run IDs opened by this process, per database (file path, or the connection for in-memory ones),
 * so a PID reused after a restart (common in containers) never passes for a live run.
 */
const RUNS_OF_THIS_PROCESS = new Map<unknown, Set<number>>();
const ownRuns = (db: Database): Set<number> => {
  const key = db.memory ? db : db.name;
  let runs = RUNS_OF_THIS_PROCESS.get(key);
  if (!runs) RUNS_OF_THIS_PROCESS.set(key, (runs = new Set()));
  return runs;
};

const CATALOGUE_POSITION = new Map(STEPS.map((step, index) => [step.id, index]));
const byCatalogueOrder = (a: string, b: string): number =>
  (CATALOGUE_POSITION.get(a) ?? Number.MAX_SAFE_INTEGER) - (CATALOGUE_POSITION.get(b) ?? Number.MAX_SAFE_INTEGER) ||
  a.localeCompare(b);

const VERDICT_COLUMNS = 'tenant_id, step_id, run_id, status, summary, reason, expected_by, blocked_by, evidence, observed_at';

// One tenant's checks, one row per run it finished, oldest first: the run's finished_at for this
// tenant (the time a stage starts at) and its steps' statuses concatenated (half the rows a
// row-per-verdict read would materialise). Control characters separate the fields: no step ID or
// status contains them.
const CHECKS_OF_TENANT = `
  SELECT c.finished_at, group_concat(v.step_id || char(31) || v.status, char(30) ORDER BY v.id)
  FROM verdicts v JOIN check_run_tenants c ON c.run_id = v.run_id AND c.tenant_id = v.tenant_id
  WHERE v.tenant_id = ?
  GROUP BY v.run_id
  ORDER BY c.finished_at, v.run_id`;

type Cell = string | number | null;

function checksFrom(rows: readonly Cell[][]): TenantCheck[] {
  return rows.map((row) => ({
    at: row[0] as string,
    steps: String(row[1] ?? '')
      .split('\u001e')
      .map((pair) => {
        const [id = '', status = ''] = pair.split('\u001f');
        return { id, status: status as Status };
      }),
  }));
}

const STAGE_COLUMNS = 'integration, status, since, first_completed_at, last_checked';
const UPSERT_STAGE = `
  INSERT INTO integration_stages (tenant_id, integration, status, since, first_completed_at, last_checked)
  VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (tenant_id, integration) DO UPDATE SET status = excluded.status, since = excluded.since,
    first_completed_at = excluded.first_completed_at, last_checked = excluded.last_checked`;

function stageFromCells(cells: readonly Cell[], offset: number): IntegrationStage {
  return {
    status: cells[offset + 1] as IntegrationStatus,
    since: cells[offset + 2] as string,
    firstCompletedAt: (cells[offset + 3] as string | null) ?? null,
    lastCheckedAt: cells[offset + 4] as string,
  };
}

/** What the history store keeps about one tenant's checks, beyond its verdicts. */
export interface TenantCheckRecord {
  /** When the tenant was last checked; null when never. */
  lastChecked: string | null;
  /** Each integration's stage; integrations no check has looked at are absent. */
  stages: Map<IntegrationId, IntegrationStage>;
}

/** Reads one tenant's TenantCheckRecord: prepared once, one indexed query a call. */
export function tenantCheckReader(db: Database): (tenantId: string) => TenantCheckRecord {
  const statement = db
    .prepare<[string], Cell[]>(
      `SELECT c.last_checked_at, ${STAGE_COLUMNS.split(', ').map((column) => `s.${column}`).join(', ')}
       FROM tenant_check_heads c LEFT JOIN integration_stages s ON s.tenant_id = c.tenant_id
       WHERE c.tenant_id = ?`,
    )
    .raw(true);
  return (tenantId) => {
    const rows = statement.all(tenantId);
    const stages = new Map<IntegrationId, IntegrationStage>();
    for (const cells of rows) if (cells[1] !== null) stages.set(cells[1] as IntegrationId, stageFromCells(cells, 1));
    return { lastChecked: (rows[0]?.[0] as string | undefined) ?? null, stages };
  };
}

/** Every checked tenant's TenantCheckRecord in one query. */
export function allCheckRecords(db: Database): Map<string, TenantCheckRecord> {
  const rows = db
    .prepare<[], Cell[]>(
      `SELECT c.tenant_id, c.last_checked_at, ${STAGE_COLUMNS.split(', ').map((column) => `s.${column}`).join(', ')}
       FROM tenant_check_heads c LEFT JOIN integration_stages s ON s.tenant_id = c.tenant_id`,
    )
    .raw(true)
    .all();
  const result = new Map<string, TenantCheckRecord>();
  for (const cells of rows) {
    const tenantId = cells[0] as string;
    let record = result.get(tenantId);
    if (!record) result.set(tenantId, (record = { lastChecked: cells[1] as string, stages: new Map() }));
    if (cells[2] !== null) record.stages.set(cells[2] as IntegrationId, stageFromCells(cells, 2));
  }
  return result;
}

const stageCells = (tenantId: string, integration: IntegrationId, stage: IntegrationStage): Cell[] => [
  tenantId,
  integration,
  stage.status,
  stage.since,
  stage.firstCompletedAt,
  stage.lastCheckedAt,
];

/**
 * Recomputes every tenant's integration stages from the whole check history (migration 3 runs
 * it on databases written before stages were kept; safe to run again at any time).
 */
export function rebuildIntegrationStages(db: Database): void {
  const tenants = db.prepare<[], string>('SELECT DISTINCT tenant_id FROM check_run_tenants').pluck();
  const checks = db.prepare<[string], Cell[]>(CHECKS_OF_TENANT).raw(true);
  const upsert = db.prepare(UPSERT_STAGE);
  db.transaction(() => {
    db.prepare('DELETE FROM integration_stages').run();
    for (const tenantId of tenants.all()) {
      const history = checksFrom(checks.all(tenantId));
      for (const integration of INTEGRATION_ORDER) {
        const stage = stageOf(history, integration);
        if (stage) upsert.run(...stageCells(tenantId, integration, stage));
      }
    }
  })();
}

const prefixed = (alias: string): string =>
  VERDICT_COLUMNS.split(', ')
    .map((column) => `${alias}.${column} AS ${alias}_${column}`)
    .join(', ');

const HEADS_WITH_VERDICTS = `SELECT h.tenant_id, h.step_id, h.first_done_at, ${prefixed('l')}, ${prefixed('r')}
  FROM verdict_heads h
  JOIN verdicts l ON l.id = h.latest_id
  LEFT JOIN verdicts r ON r.id = h.latest_real_id`;

export class HistoryStore {
  private readonly statements;

  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
    /** Whether a process is alive; injectable for tests. */
    private readonly isProcessAlive: (pid: number) => boolean = processIsAlive,
  ) {
    const prepare = <R = unknown>(sql: string) => db.prepare<unknown[], R>(sql);
    this.statements = {
      insertRun: prepare(`INSERT INTO check_runs (started_at, state, scope, pid) VALUES (?, 'running', ?, ?)`),
      finishRun: prepare(
        `UPDATE check_runs SET state = ?, finished_at = ? WHERE id = ? AND state = 'running'`,
      ),
      runningRuns: prepare<{ id: number; pid: number | null }>(`SELECT id, pid FROM check_runs WHERE state = 'running'`),
      insertVerdict: prepare(
        `INSERT INTO verdicts (run_id, tenant_id, step_id, status, summary, reason, expected_by, blocked_by, evidence, observed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertRunTenant: prepare(`INSERT INTO check_run_tenants (run_id, tenant_id, finished_at) VALUES (?, ?, ?)`),
      runState: prepare<{ state: RunState }>(`SELECT state FROM check_runs WHERE id = ?`),
      // Two statements, not `(? IS NULL OR tenant_id = ?)`: that form cannot use the primary key
      // and scans every tenant's heads to find one tenant's.
      allHeads: prepare<Record<string, unknown>>(`${HEADS_WITH_VERDICTS}`),
      tenantHeads: prepare<Record<string, unknown>>(`${HEADS_WITH_VERDICTS} WHERE h.tenant_id = ?`),
      firstDone: prepare<{ first_done_at: string | null }>(
        `SELECT first_done_at FROM verdict_heads WHERE tenant_id = ? AND step_id = ?`,
      ),
      firstDoneOfTenant: prepare<{ step_id: string; first_done_at: string | null }>(
        `SELECT step_id, first_done_at FROM verdict_heads WHERE tenant_id = ?`,
      ),
      stepHistory: prepare<VerdictRow>(
        `SELECT ${VERDICT_COLUMNS} FROM verdicts WHERE tenant_id = ? AND step_id = ? ORDER BY id`,
      ),
      checksOfTenant: db.prepare<[string], Cell[]>(CHECKS_OF_TENANT).raw(true),
      lastRealStatus: prepare<{ status: Status }>(
        `SELECT r.status FROM verdict_heads h JOIN verdicts r ON r.id = h.latest_real_id
         WHERE h.tenant_id = ? AND h.step_id = ?`,
      ),
      checkRecord: tenantCheckReader(db),
      allStages: db
        .prepare<[], Cell[]>(`SELECT tenant_id, ${STAGE_COLUMNS} FROM integration_stages`)
        .raw(true),
      upsertStage: prepare(UPSERT_STAGE),
      allLastChecked: prepare<{ tenant_id: string; last_checked_at: string }>(
        `SELECT tenant_id, last_checked_at FROM tenant_check_heads`,
      ),
      tenantLastChecked: prepare<{ tenant_id: string; last_checked_at: string }>(
        `SELECT tenant_id, last_checked_at FROM tenant_check_heads WHERE tenant_id = ?`,
      ),
      writeSummaries: summaryWriter(db),
      runs: prepare<RunRow>(
        `SELECT r.id, r.started_at, r.finished_at, r.state, r.scope, r.pid,
           (SELECT count(*) FROM check_run_tenants t WHERE t.run_id = r.id) AS tenant_count
         FROM check_runs r ORDER BY r.id DESC LIMIT ?`,
      ),
      insertAttestation: prepare(
        `INSERT INTO attestations (tenant_id, step_id, attested_by, note, attested_at, expires_at, forced_reason)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      attestationById: prepare<AttestationRow>(`SELECT * FROM attestations WHERE id = ?`),
      attestations: prepare<AttestationRow>(
        `SELECT * FROM attestations WHERE (? IS NULL OR tenant_id = ?) ORDER BY tenant_id, attested_at, id`,
      ),
    };
    this.markInterruptedRuns();
  }

  /**
   * Runs left 'running' by a process that is gone (killed, crashed, machine restarted) become
   * 'incomplete'; the tenants they finished stay stored. Called on open; safe to call again.
   */
  markInterruptedRuns(): number[] {
    const stamp = this.now().toISOString();
    const interrupted = this.statements.runningRuns
      .all()
      .filter((run) => !this.isRunLive(run.id, run.pid))
      .map((run) => run.id);
    this.db.transaction(() => {
      for (const id of interrupted) this.statements.finishRun.run('incomplete', stamp, id);
    })();
    return interrupted;
  }

  private isRunLive(runId: number, pid: number | null): boolean {
    if (pid === null) return false;
    if (pid === process.pid) return ownRuns(this.db).has(runId);
    return this.isProcessAlive(pid);
  }

  /** Opens a run; its scope (what was asked for) is stored as JSON. */
  startRun(scope: unknown): number {
    const result = this.statements.insertRun.run(this.now().toISOString(), JSON.stringify(scope ?? null), process.pid);
    const id = Number(result.lastInsertRowid);
    ownRuns(this.db).add(id);
    return id;
  }

  /**
   * Stores one tenant's verdicts of a run: all of them, the tenant's completion and its
   * integrations' new stages, or nothing. The transaction takes the write lock before its first
   * read (IMMEDIATE), so a second writer waits its turn (busy timeout) instead of failing when
   * it upgrades, the stages it reads cannot change before it writes them, and the check's time
   * is taken in commit order.
   */
  recordTenant(runId: number, tenantId: string, verdicts: readonly Verdict[]): void {
    this.db
      .transaction(() => {
        const finishedAt = this.now().toISOString();
        const run = this.statements.runState.get(runId);
        if (!run) throw new Error(`check run ${runId} does not exist`);
        if (run.state !== 'running') throw new Error(`check run ${runId} is already ${run.state}`);
        verdicts.forEach(assertVerdict);
        // An error carries the step's last real status forward: read it before this check lands.
        const lastReal = new Map(
          verdicts
            .filter((verdict) => verdict.status === 'error')
            .map((verdict) => [verdict.id, this.statements.lastRealStatus.get(tenantId, verdict.id)?.status ?? null]),
        );
        this.insertVerdicts(runId, tenantId, verdicts);
        this.statements.insertRunTenant.run(runId, tenantId, finishedAt);
        this.advanceStages(tenantId, verdicts, (stepId) => lastReal.get(stepId), finishedAt);
        this.statements.writeSummaries(tenantId);
      })
      .immediate();
  }

  private insertVerdicts(runId: number, tenantId: string, verdicts: readonly Verdict[]): void {
    for (const verdict of verdicts) {
      this.statements.insertVerdict.run(
        runId,
        tenantId,
        verdict.id,
        verdict.status,
        verdict.summary,
        verdict.reason,
        verdict.expectedBy,
        verdict.blockedBy,
        JSON.stringify(verdict.evidence ?? {}),
        verdict.observedAt,
      );
    }
  }

  /** Each integration this check looked at moves to its next stage (verdicts/derived.ts nextStage). */
  private advanceStages(
    tenantId: string,
    verdicts: readonly Verdict[],
    lastReal: (stepId: string) => Status | null | undefined,
    at: string,
  ): void {
    const previous = this.statements.checkRecord(tenantId).stages;
    for (const integration of INTEGRATION_ORDER) {
      const before = previous.get(integration) ?? null;
      const after = nextStage(before, checkedStatus(verdicts, integration, lastReal), at);
      if (after && after !== before) this.statements.upsertStage.run(...stageCells(tenantId, integration, after));
    }
  }

  /** Closes a run: 'complete' when every tenant asked for was stored, else 'incomplete'. */
  finishRun(runId: number, state: 'complete' | 'incomplete'): void {
    const changed = this.statements.finishRun.run(state, this.now().toISOString(), runId).changes;
    ownRuns(this.db).delete(runId);
    if (changed === 0) {
      const run = this.statements.runState.get(runId);
      throw new Error(run ? `check run ${runId} is already ${run.state}` : `check run ${runId} does not exist`);
    }
  }

  /**
   * The stored state of every step, per tenant (one query; all tenants when no ID is given).
   * Steps are in catalogue order.
   */
  stepStates(tenantId?: string): Map<string, StepState[]> {
    const result = new Map<string, StepState[]>();
    const rows = tenantId === undefined ? this.statements.allHeads.all() : this.statements.tenantHeads.all(tenantId);
    for (const row of rows) {
      const tenant = row.tenant_id as string;
      const state: StepState = {
        stepId: row.step_id as string,
        latest: verdictFrom(row, 'l')!,
        latestReal: verdictFrom(row, 'r'),
        firstDoneAt: (row.first_done_at as string | null) ?? null,
      };
      const list = result.get(tenant);
      if (list) list.push(state);
      else result.set(tenant, [state]);
    }
    for (const list of result.values()) list.sort((a, b) => byCatalogueOrder(a.stepId, b.stepId));
    return result;
  }

  /** The latest verdict of every step, per tenant, in catalogue order (errors included). */
  latestVerdicts(tenantId?: string): Map<string, Verdict[]> {
    return mapValues(this.stepStates(tenantId), (states) => states.map((state) => state.latest));
  }

  /** The latest verdict that is not an error, per tenant and step. */
  latestRealVerdicts(tenantId?: string): Map<string, Verdict[]> {
    return mapValues(this.stepStates(tenantId), (states) =>
      states.flatMap((state) => (state.latestReal ? [state.latestReal] : [])),
    );
  }

  /** First time a step was done (pass, warn or attested) for a tenant, or null. */
  firstDone(tenantId: string, stepId: string): string | null {
    return this.statements.firstDone.get(tenantId, stepId)?.first_done_at ?? null;
  }

  /** A lookup over one tenant's first-done times (one query), shaped for the EvaluationContext. */
  firstDoneLookup(tenantId: string): (stepId: string) => string | null {
    const times = new Map(
      this.statements.firstDoneOfTenant.all(tenantId).map((row) => [row.step_id, row.first_done_at]),
    );
    return (stepId) => times.get(stepId) ?? null;
  }

  /** Each change of a step's status over time, oldest first (the first verdict counts as one). */
  transitions(tenantId: string, stepId: string): Transition[] {
    const changes: Transition[] = [];
    let previous: Status | null = null;
    for (const row of this.statements.stepHistory.all(tenantId, stepId)) {
      const status = row.status as Status;
      if (status === previous) continue;
      changes.push({
        runId: row.run_id,
        at: row.observed_at,
        from: previous,
        to: status,
        summary: row.summary,
        reason: (row.reason as ErrorReason | null) ?? null,
      });
      previous = status;
    }
    return changes;
  }

  /**
   * Every stored check of one tenant, oldest first, each step's status in the order stored
   * (the whole history: integrationStages() gives what is derived from it without the replay).
   */
  checksOf(tenantId: string): TenantCheck[] {
    return checksFrom(this.statements.checksOfTenant.all(tenantId));
  }

  /**
   * Each integration's stage per tenant (one query; all tenants when no ID is given): its status,
   * since when, when it first completed. Integrations no check has looked at are absent.
   */
  integrationStages(tenantId?: string): Map<string, Map<IntegrationId, IntegrationStage>> {
    if (tenantId !== undefined) {
      const { stages } = this.statements.checkRecord(tenantId);
      return stages.size > 0 ? new Map([[tenantId, stages]]) : new Map();
    }
    const result = new Map<string, Map<IntegrationId, IntegrationStage>>();
    for (const cells of this.statements.allStages.all()) {
      const tenant = cells[0] as string;
      let stages = result.get(tenant);
      if (!stages) result.set(tenant, (stages = new Map()));
      stages.set(cells[1] as IntegrationId, stageFromCells(cells, 1));
    }
    return result;
  }

  /** When each tenant was last checked (one query; all tenants when no ID is given). */
  lastChecked(tenantId?: string): Map<string, string> {
    const rows = tenantId === undefined ? this.statements.allLastChecked.all() : this.statements.tenantLastChecked.all(tenantId);
    return new Map(rows.map((row) => [row.tenant_id, row.last_checked_at]));
  }

  /** The newest runs first. */
  runs(limit = 50): CheckRun[] {
    return this.statements.runs.all(limit).map((row) => ({
      id: row.id,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      state: row.state,
      scope: parseJson(row.scope, null),
      pid: row.pid,
      tenantCount: row.tenant_count,
    }));
  }

  /**
   * Appends an attestation and returns it as stored. The tenant's summaries are recomputed in the
   * same transaction, so a derivation that reads attestations stays current without waiting for
   * the next check (today's takes them into account through the `attested` verdicts a check stores).
   */
  addAttestation(attestation: NewAttestation): Attestation {
    return this.db
      .transaction(() => {
        const result = this.statements.insertAttestation.run(
          attestation.tenantId,
          attestation.stepId,
          attestation.attestedBy,
          attestation.note,
          attestation.attestedAt,
          attestation.expiresAt,
          attestation.forcedReason,
        );
        this.statements.writeSummaries(attestation.tenantId);
        return attestationFrom(this.statements.attestationById.get(Number(result.lastInsertRowid))!);
      })
      .immediate();
  }

  /** Every attestation (one tenant's, or all), oldest first: the rules pick the newest per step. */
  attestations(tenantId?: string): Attestation[] {
    const id = tenantId ?? null;
    return this.statements.attestations.all(id, id).map(attestationFrom);
  }

  /** The attestation in force per step for a tenant: the newest per step, when it has not expired. */
  activeAttestations(tenantId: string, now: Date = this.now()): Attestation[] {
    const all = this.attestations(tenantId);
    return [...new Set(all.map((attestation) => attestation.stepId))]
      .map((stepId) => latestAttestation(all, stepId))
      .filter((attestation): attestation is Attestation => attestation !== null && isAttestationActive(attestation, now));
  }
}

function verdictFrom(row: Record<string, unknown>, alias: string): Verdict | null {
  const field = (name: string) => row[`${alias}_${name}`];
  if (field('step_id') === null || field('step_id') === undefined) return null;
  return {
    id: field('step_id') as string,
    status: field('status') as Status,
    summary: field('summary') as string,
    observedAt: field('observed_at') as string,
    reason: (field('reason') as ErrorReason | null) ?? null,
    expectedBy: (field('expected_by') as string | null) ?? null,
    blockedBy: (field('blocked_by') as string | null) ?? null,
    evidence: parseJson(field('evidence') as string, {}) as Record<string, unknown>,
  };
}

function attestationFrom(row: AttestationRow): Attestation {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    stepId: row.step_id,
    attestedBy: row.attested_by,
    note: row.note,
    attestedAt: row.attested_at,
    expiresAt: row.expires_at,
    forcedReason: row.forced_reason,
  };
}

/** The store refuses verdicts that would break the contract's vocabulary. */
function assertVerdict(verdict: Verdict): void {
  if (!(STATUSES as readonly string[]).includes(verdict.status)) {
    throw new Error(`verdict for ${verdict.id} has an unknown status '${verdict.status}'`);
  }
  if (verdict.status === 'error' && !(ERROR_REASONS as readonly string[]).includes(verdict.reason ?? '')) {
    throw new Error(`error verdict for ${verdict.id} lacks a known reason`);
  }
  if (Number.isNaN(Date.parse(verdict.observedAt))) {
    throw new Error(`verdict for ${verdict.id} has an unreadable observedAt '${verdict.observedAt}'`);
  }
}

function parseJson(text: string, fallback: unknown): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

function mapValues<K, V, W>(map: Map<K, V>, transform: (value: V) => W): Map<K, W> {
  return new Map([...map].map(([key, value]) => [key, transform(value)]));
}

/** Signal 0 tests for existence; EPERM means it exists but belongs to someone else. */
function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
