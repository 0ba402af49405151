// SIGKILL in the middle of a 500-tenant `check --all`: the database must pass integrity_check,
// every stored tenant of the killed run must be whole (all of its verdicts or none), the run must
// read as incomplete once the database is opened again, and the verdicts stored before the kill
// must be exactly as they were.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { HistoryStore } from '../../src/db/history.js';
import { STEPS } from '../../src/integrations/catalogue.js';
import { syntheticTenants } from '../../sim/index.js';
import { integrityOf, rawDatabase, simWorkspace, type SimWorkspace } from './support.js';

const TENANTS = 500;
/** Tenants the killed run must have stored before the kill. */
const STORED_BEFORE_KILL = 25;

let sim: SimWorkspace;

beforeAll(async () => {
  // 20 ms per request keeps the run going long after the first tenants are stored.
  sim = await simWorkspace('kill', syntheticTenants(TENANTS, 3), { latencyMs: 20 });
});

afterAll(async () => {
  await sim?.close();
});

interface RunRow {
  id: number;
  state: string;
}

/** Resolves once the running run has stored `count` tenants; returns its id. */
async function storedTenants(file: string, count: number, isDone: () => boolean): Promise<number> {
  for (;;) {
    if (isDone()) throw new Error('check --all finished before it could be killed');
    const db = rawDatabase(file);
    try {
      const run = db.prepare<[], RunRow>(`SELECT id, state FROM check_runs WHERE state = 'running' ORDER BY id DESC`).get();
      if (run) {
        const { n } = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM check_run_tenants WHERE run_id = ?').get(run.id)!;
        if (n >= count) return run.id;
      }
    } finally {
      db.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('SIGKILL during check --all', () => {
  it('leaves a sound database: whole tenants only, the run incomplete on reopen, earlier verdicts untouched', { timeout: 180_000 }, async () => {
    // An earlier, complete run over a few tenants.
    const earlierIds = sim.tenants.slice(0, 8).map((t) => t.tenantId.toLowerCase());
    const earlier = await sim.cli(['check', ...earlierIds]);
    expect([0, 3], earlier.stderr).toContain(earlier.code);
    const before = rawDatabase(sim.ws.db);
    const earlierVerdicts = before.prepare('SELECT * FROM verdicts ORDER BY id').all();
    const earlierRuns = before.prepare('SELECT * FROM check_runs ORDER BY id').all();
    before.close();
    expect(earlierVerdicts.length).toBe(earlierIds.length * STEPS.length);

    // The run to kill.
    let finished = false;
    let killedRunId = 0;
    const killed = sim.cli(['check', '--all'], {
      onSpawn: (child) => {
        child.on('exit', () => (finished = true));
        void storedTenants(sim.ws.db, STORED_BEFORE_KILL, () => finished).then(
          (runId) => {
            killedRunId = runId;
            child.kill('SIGKILL');
          },
          () => undefined,
        );
      },
    });
    const result = await killed;
    expect(result.signal, `the run ended on its own (exit ${result.code}): ${result.stderr}`).toBe('SIGKILL');
    expect(killedRunId).toBeGreaterThan(0);

    // Straight after the kill, before expel-track opens the file again.
    expect(integrityOf(sim.ws.db)).toEqual(['ok']);
    const raw = rawDatabase(sim.ws.db);
    try {
      expect(raw.pragma('foreign_key_check')).toEqual([]);
      expect(raw.prepare('SELECT state FROM check_runs WHERE id = ?').get(killedRunId)).toEqual({ state: 'running' });
      // Whole tenants only: every tenant with verdicts in a run is a finished tenant of that run,
      // with one verdict per catalogue step.
      const perTenant = raw
        .prepare<[], { run_id: number; tenant_id: string; n: number; finished: number }>(
          `SELECT v.run_id, v.tenant_id, count(*) AS n,
             EXISTS (SELECT 1 FROM check_run_tenants c WHERE c.run_id = v.run_id AND c.tenant_id = v.tenant_id) AS finished
           FROM verdicts v GROUP BY v.run_id, v.tenant_id`,
        )
        .all();
      const ofKilled = perTenant.filter((row) => row.run_id === killedRunId);
      expect(ofKilled.length).toBeGreaterThanOrEqual(STORED_BEFORE_KILL);
      expect(ofKilled.length).toBeLessThan(TENANTS);
      for (const row of perTenant) expect(row, `run ${row.run_id} tenant ${row.tenant_id}`).toMatchObject({ n: STEPS.length, finished: 1 });
      const finishedWithoutVerdicts = raw
        .prepare(`SELECT c.run_id, c.tenant_id FROM check_run_tenants c WHERE NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.run_id = c.run_id AND v.tenant_id = c.tenant_id)`)
        .all();
      expect(finishedWithoutVerdicts).toEqual([]);

      // The earlier run, byte for byte.
      expect(raw.prepare('SELECT * FROM verdicts WHERE run_id <> ? ORDER BY id').all(killedRunId)).toEqual(earlierVerdicts);
      expect(raw.prepare('SELECT * FROM check_runs WHERE id <> ? ORDER BY id').all(killedRunId)).toEqual(earlierRuns);
    } finally {
      raw.close();
    }

    // Opened by expel-track again: the dead run is closed as incomplete, nothing else changes.
    const db = openDatabase(sim.ws.db);
    try {
      const runs = new HistoryStore(db).runs();
      expect(runs.find((run) => run.id === killedRunId)).toMatchObject({ state: 'incomplete' });
      expect(runs.filter((run) => run.id !== killedRunId).map((run) => run.state)).toEqual(['complete']);
      expect(runs.every((run) => run.state !== 'running')).toBe(true);
    } finally {
      db.close();
    }

    // And it keeps working: a fresh check stores and the file stays sound.
    const again = await sim.cli(['check', earlierIds[0]!]);
    expect([0, 3], again.stderr).toContain(again.code);
    expect(integrityOf(sim.ws.db)).toEqual(['ok']);
  });
});
