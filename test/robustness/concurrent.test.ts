// Two writers on one roster database at the same time: a `check --all` from cron while another
// `check --all` runs, and while the dashboard's re-check path (LiveSource.recheck, in this process)
// runs. Both must finish with every tenant stored and no "database is locked".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { HistoryStore } from '../../src/db/history.js';
import { RosterStore } from '../../src/db/roster.js';
import { createAccessLayer } from '../../src/microsoft/index.js';
import { openSettings } from '../../src/settings/settings.js';
import { createSignInHub, LiveSource } from '../../src/ui/live-source.js';
import type { TenantRecheckResult } from '../../src/ui/state/reducer.js';
import { syntheticTenants } from '../../sim/index.js';
import { integrityOf, simWorkspace, type CliRun, type SimWorkspace } from './support.js';

const TENANTS = 60;
const LOCKED = /database is locked|SQLITE_BUSY|SQLITE_LOCKED/i;

let sim: SimWorkspace;

beforeAll(async () => {
  sim = await simWorkspace('concurrent', syntheticTenants(TENANTS, 9), { latencyMs: 5 });
});

afterAll(async () => {
  await sim?.close();
});

function runsOfDatabase(): { state: string; tenantCount: number }[] {
  const db = openDatabase(sim.ws.db);
  try {
    return new HistoryStore(db).runs().map((run) => ({ state: run.state, tenantCount: run.tenantCount }));
  } finally {
    db.close();
  }
}

function expectFinished(run: CliRun): void {
  expect(run.stderr).not.toMatch(LOCKED);
  expect([0, 3], `exit ${run.code} ${run.signal ?? ''}: ${run.stderr}`).toContain(run.code);
}

/** Both writers' runs were stored whole, on top of the `before` runs, and the file is sound. */
function expectTwoCompleteRuns(before: number): void {
  const runs = runsOfDatabase();
  expect(runs.length - before).toBe(2);
  expect(runs.slice(0, 2)).toEqual([
    { state: 'complete', tenantCount: TENANTS },
    { state: 'complete', tenantCount: TENANTS },
  ]);
  expect(integrityOf(sim.ws.db)).toEqual(['ok']);
}

describe('two processes on one database', () => {
  it('two check --all at once both finish and store every tenant', { timeout: 180_000 }, async () => {
    const before = runsOfDatabase().length;
    const [first, second] = await Promise.all([sim.cli(['check', '--all']), sim.cli(['check', '--all'])]);
    expectFinished(first);
    expectFinished(second);
    expectTwoCompleteRuns(before);
  });

  it('a check --all from cron while the dashboard re-checks every tenant', { timeout: 180_000 }, async () => {
    const db = openDatabase(sim.ws.db);
    const settings = openSettings({ configDir: sim.ws.configDir }).all();
    const source = new LiveSource({
      db,
      roster: new RosterStore(db),
      history: new HistoryStore(db),
      settings,
      access: async () =>
        createAccessLayer({
          cloud: settings.cloud,
          auth: settings.auth,
          concurrency: Math.min(64, settings.concurrency * settings.perTenantConcurrency),
          perTenantConcurrency: settings.perTenantConcurrency,
          env: sim.env,
          ca: sim.cloud.ca,
        }),
      signIn: createSignInHub(),
    });
    const before = runsOfDatabase().length;
    const results: TenantRecheckResult[] = [];
    try {
      const ids = new RosterStore(db).list().map((tenant) => tenant.tenantId);
      const [dashboard, cron] = await Promise.all([
        source.recheck(ids, { signal: new AbortController().signal, onTenantDone: (result) => results.push(result) }),
        sim.cli(['check', '--all']),
      ]);
      expect(dashboard).toEqual({ outcome: 'finished' });
      expectFinished(cron);
    } finally {
      await source.shutdown();
      db.close();
    }
    expect(results).toHaveLength(TENANTS);
    expect(results.filter((result) => result.failure !== null)).toEqual([]);
    expect(results.every((result) => result.row !== null)).toBe(true);
    expectTwoCompleteRuns(before);
  });
});
