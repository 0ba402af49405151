// `expel-track check` through the BUILT CLI (`node scripts/build.mjs` first) against the simulated
// cloud started in this process: custom endpoints, client-secret auth, NODE_EXTRA_CA_CERTS.
// The CLI runs as an asynchronous child so this process keeps serving the sim meanwhile.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STATUSES } from '../../src/core/status.js';
import { openDatabase } from '../../src/db/database.js';
import { HistoryStore } from '../../src/db/history.js';
import { RosterStore } from '../../src/db/roster.js';
import { STEPS } from '../../src/integrations/catalogue.js';
import { openSettings } from '../../src/settings/settings.js';
import { SIM_EXPEL_APP_IDS, rosterOf, startSimCloud, type SimCloud } from '../../sim/index.js';
import { binPath, makeSandbox, type Sandbox } from '../support/cli.js';
import { simEnv } from '../check/sim-harness.js';

let sim: SimCloud;
let sandbox: Sandbox;

beforeAll(async () => {
  sim = await startSimCloud();
}, 60_000);
afterAll(async () => {
  await sim?.close();
});
afterEach(() => sandbox?.cleanup());

/** A sandbox whose roster is the sim's scenario tenants and whose settings carry the sim's Expel app IDs. */
function prepare(): Sandbox {
  sandbox = makeSandbox();
  const db = openDatabase(sandbox.db);
  new RosterStore(db).importTenants(rosterOf(sim.tenants));
  db.close();
  const settings = openSettings({ configDir: sandbox.configDir });
  for (const [integration, appId] of Object.entries(SIM_EXPEL_APP_IDS)) settings.set(`expelAppIds.${integration}`, appId);
  settings.set('concurrency', '4');
  return sandbox;
}

const env = () => simEnv(sim);

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function start(args: string[], extraEnv: NodeJS.ProcessEnv = env()): Run {
  const child = spawn(process.execPath, [binPath, ...args], {
    env: {
      ...process.env,
      HOME: sandbox.dir,
      XDG_DATA_HOME: path.join(sandbox.dir, 'data'),
      XDG_CONFIG_HOME: path.join(sandbox.dir, 'xdg-config'),
      EXPEL_TRACK_DB: sandbox.db,
      EXPEL_TRACK_CONFIG_DIR: sandbox.configDir,
      NO_COLOR: '1',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

const run = (args: string[], extraEnv?: NodeJS.ProcessEnv) => start(args, extraEnv).done;

function counts(): { runs: number; verdicts: number; runTenants: number } {
  const db = new BetterSqlite3(sandbox.db, { readonly: true });
  try {
    const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      runs: one('SELECT count(*) AS n FROM check_runs'),
      verdicts: one('SELECT count(*) AS n FROM verdicts'),
      runTenants: one('SELECT count(*) AS n FROM check_run_tenants'),
    };
  } finally {
    db.close();
  }
}

const byScenario = (scenario: string) => sim.tenants.find((t) => t.scenario === scenario)!;

describe('expel-track check', () => {
  it('check --all --json prints exactly the contract document, stores the run, exits 3 when a step is error', async () => {
    prepare();
    const result = await run(['check', '--all', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(3);
    const doc = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['schema', 'startedAt', 'finishedAt', 'tenants']);
    expect(doc.schema).toBe('expel-track/check@1');
    expect(Date.parse(doc.startedAt as string)).toBeLessThanOrEqual(Date.parse(doc.finishedAt as string));
    const tenants = doc.tenants as Array<{ tenantId: string; name: string; integrations: Array<Record<string, unknown>> }>;
    expect(tenants).toHaveLength(sim.tenants.length);
    for (const tenant of tenants) {
      const sim_ = sim.tenants.find((t) => t.tenantId.toLowerCase() === tenant.tenantId)!;
      const order = ['access', 'mde', 'mdi', 'm365', 'azure'].filter((id) => id === 'access' || sim_.roster.integrations.includes(id as never));
      expect(tenant.integrations.map((i) => i.id)).toEqual(order);
      for (const integration of tenant.integrations) {
        expect(Object.keys(integration)).toEqual(['id', 'status', 'progress', 'steps']);
        const steps = integration.steps as Array<Record<string, unknown>>;
        expect(steps.map((s) => s.id)).toEqual(STEPS.filter((s) => s.integration === integration.id).map((s) => s.id));
        for (const step of steps) {
          expect(Object.keys(step)).toEqual(['id', 'status', 'summary', 'observedAt', 'reason', 'expectedBy', 'blockedBy', 'evidence']);
          expect(STATUSES).toContain(step.status);
          expect(step.reason === null).toBe(step.status !== 'error');
          expect(step.blockedBy === null).toBe(step.status !== 'blocked');
        }
      }
    }
    const licence = tenants.find((t) => t.tenantId === byScenario('license-missing').tenantId.toLowerCase())!;
    const polling = (licence.integrations.find((i) => i.id === 'mde')!.steps as Array<Record<string, unknown>>).find((s) => s.id === 'mde.polling');
    expect(polling).toMatchObject({ status: 'error', reason: 'not_licensed' });
    expect(result.stdout).not.toContain(sim.trackerApp.clientSecret);

    const db = openDatabase(sandbox.db);
    try {
      const [latest] = new HistoryStore(db).runs(1);
      expect(latest).toMatchObject({ state: 'complete', tenantCount: sim.tenants.length });
    } finally {
      db.close();
    }
  }, 120_000);

  it('exits 0 with a summary table when every step got a verdict; --integration narrows it', async () => {
    prepare();
    const onboarded = byScenario('onboarded');
    const result = await run(['check', onboarded.roster.name]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^TENANT\s+INTEGRATION\s+STATUS\s+DONE\s+NEXT STEP\n/);
    expect(result.stdout).toMatch(/access\s+complete\s+7\/7/);
    expect(result.stdout).toContain('m365.audit-log unverifiable');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('1 tenant checked');

    const narrowed = await run(['check', onboarded.tenantId, '--integration', 'azure', '--json']);
    expect(narrowed.code).toBe(0);
    const doc = JSON.parse(narrowed.stdout) as { tenants: Array<{ integrations: Array<{ id: string }> }> };
    expect(doc.tenants[0]!.integrations.map((i) => i.id)).toEqual(['access', 'azure']);
  }, 60_000);

  it('a bad tenant reference or bad configuration exits 1 and writes nothing', async () => {
    prepare();
    const before = counts();
    const unknown = await run(['check', byScenario('onboarded').tenantId, 'no-such-tenant']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no tenant named 'no-such-tenant'");
    expect(unknown.stdout).toBe('');
    const noSecret = await run(['check', '--all'], { ...env(), AZURE_CLIENT_SECRET: '' });
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr).toContain('AZURE_CLIENT_SECRET');
    const badIntegration = await run(['check', '--all', '--integration', 'sentinel']);
    expect(badIntegration.code).toBe(1);
    const neither = await run(['check']);
    expect(neither.code).toBe(1);
    expect(counts()).toEqual(before);
  }, 60_000);

  /** Starts `check --all --json` on a slowed sim and sends `signal` once `stored` tenants are in the database. */
  async function interruptAfter(stored: number, signal: NodeJS.Signals) {
    prepare();
    sim.setLatency(40);
    try {
      const { child, done } = start(['check', '--all', '--json']);
      await until(() => counts().runTenants >= stored);
      child.kill(signal);
      return await done;
    } finally {
      sim.setLatency(0);
    }
  }

  it('SIGINT stops the run: exit 130, unfinished tenants not stored, run incomplete', async () => {
    const result = await interruptAfter(1, 'SIGINT');
    expect(result.code).toBe(130);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('interrupted');
    const db = openDatabase(sandbox.db);
    try {
      const [latest] = new HistoryStore(db).runs(1);
      expect(latest!.state).toBe('incomplete');
      expect(latest!.tenantCount).toBeLessThan(sim.tenants.length);
      expect(counts().verdicts).toBe(latest!.tenantCount * STEPS.length);
    } finally {
      db.close();
    }
  }, 60_000);

  it('a run killed halfway (SIGKILL) leaves a sound database: finished tenants stored, run incomplete after reopening', async () => {
    const result = await interruptAfter(2, 'SIGKILL');
    expect(result.signal).toBe('SIGKILL');
    const db = openDatabase(sandbox.db);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const history = new HistoryStore(db);
      const [latest] = history.runs(1);
      expect(latest!.state).toBe('incomplete');
      expect(latest!.tenantCount).toBeGreaterThanOrEqual(2);
      expect(latest!.tenantCount).toBeLessThan(sim.tenants.length);
      // Every stored tenant has the whole catalogue: no partial tenant.
      const stored = history.latestVerdicts();
      expect(stored.size).toBe(latest!.tenantCount);
      for (const verdicts of stored.values()) expect(verdicts).toHaveLength(STEPS.length);
    } finally {
      db.close();
    }
  }, 60_000);
});

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
