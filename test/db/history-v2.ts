// Writes check history the way schema version 2 stored it (before integration stages were kept),
// straight through SQL, so tests can upgrade a database that HistoryStore never wrote to.
import type { Verdict } from '../../src/core/status.js';
import type { Database } from '../../src/db/database.js';

export interface Version2Check {
  /** The run's and the tenant's finished_at. */
  at: string;
  verdicts: readonly Verdict[];
}

export function writeVersion2History(db: Database, tenantId: string, checks: readonly Version2Check[]): void {
  const insertRun = db.prepare("INSERT INTO check_runs (started_at, finished_at, state, scope, pid) VALUES (?, ?, 'complete', '{}', 1)");
  const insertVerdict = db.prepare(
    `INSERT INTO verdicts (run_id, tenant_id, step_id, status, summary, reason, expected_by, blocked_by, evidence, observed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{}', ?)`,
  );
  const insertDone = db.prepare('INSERT INTO check_run_tenants (run_id, tenant_id, finished_at) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const { at, verdicts } of checks) {
      const runId = Number(insertRun.run(at, at).lastInsertRowid);
      for (const v of verdicts) {
        insertVerdict.run(runId, tenantId, v.id, v.status, v.summary, v.reason, v.expectedBy, v.blockedBy, v.observedAt);
      }
      insertDone.run(runId, tenantId, at);
    }
  })();
}
