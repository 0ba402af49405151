import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Status, Verdict } from '../../src/core/status.js';
import { applyMigrations, openDatabase, type Database } from '../../src/db/database.js';
import { HistoryStore } from '../../src/db/history.js';
import { MIGRATIONS } from '../../src/db/migrations.js';
import { RosterStore } from '../../src/db/roster.js';
import { STEPS } from '../../src/integrations/catalogue.js';
import { guidFor, makeTenant, tempDir } from './helpers.js';

const CONTOSO = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';

function verdict(id: string, status: Status, observedAt: string, extra: Partial<Verdict> = {}): Verdict {
  return {
    id,
    status,
    summary: `${id} ${status}`,
    observedAt,
    reason: status === 'error' ? 'throttled' : null,
    expectedBy: null,
    blockedBy: null,
    evidence: { seen: status },
    ...extra,
  };
}

/** A full catalogue of verdicts, every step at one status unless overridden. */
function allSteps(status: Status, at: string, overrides: Record<string, Status> = {}): Verdict[] {
  return STEPS.map((step) => verdict(step.id, overrides[step.id] ?? status, at));
}

describe('HistoryStore', () => {
  let db: Database;
  let history: HistoryStore;
  let clock: number;
  const tick = () => new Date((clock += 60_000));

  beforeEach(() => {
    db = openDatabase(':memory:');
    clock = Date.parse('2026-11-22T10:00:00.000Z');
    new RosterStore(db).add(makeTenant({ tenantId: CONTOSO }));
    history = new HistoryStore(db, tick);
  });
  afterEach(() => db.close());

  it('opens a run as running with its scope and this process id, then finishes it once', () => {
    const runId = history.startRun({ tenants: [CONTOSO], integrations: ['mde'] });
    expect(history.runs()[0]).toMatchObject({
      id: runId,
      state: 'running',
      finishedAt: null,
      scope: { tenants: [CONTOSO], integrations: ['mde'] },
      pid: process.pid,
      tenantCount: 0,
    });
    history.recordTenant(runId, CONTOSO, allSteps('pass', '2026-11-22T10:00:30.000Z'));
    history.finishRun(runId, 'complete');
    expect(history.runs()[0]).toMatchObject({ state: 'complete', tenantCount: 1 });
    expect(history.runs()[0]!.finishedAt).not.toBeNull();
    expect(() => history.finishRun(runId, 'incomplete')).toThrow('already complete');
    expect(() => history.recordTenant(runId, CONTOSO, [])).toThrow('already complete');
  });

  it('stores a tenant all or nothing', () => {
    const runId = history.startRun({});
    const bad = [...allSteps('pass', '2026-11-22T10:00:30.000Z'), verdict('mde.polling', 'maybe' as Status, '2026-11-22T10:00:30.000Z')];
    expect(() => history.recordTenant(runId, CONTOSO, bad)).toThrow("unknown status 'maybe'");
    const noReason = [verdict('mde.polling', 'error', '2026-11-22T10:00:30.000Z', { reason: null })];
    expect(() => history.recordTenant(runId, CONTOSO, noReason)).toThrow('lacks a known reason');
    expect(db.prepare('SELECT count(*) FROM verdicts').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM check_run_tenants').pluck().get()).toBe(0);
    expect(history.lastChecked().size).toBe(0);
  });

  it('keeps history append-only', () => {
    const runId = history.startRun({});
    history.recordTenant(runId, CONTOSO, allSteps('pass', '2026-11-22T10:00:30.000Z'));
    expect(() => db.exec("UPDATE verdicts SET status = 'fail'")).toThrow('append-only');
    expect(() => db.exec('DELETE FROM verdicts')).toThrow('append-only');
  });

  it('returns the latest verdict and the latest real one, in catalogue order, with evidence', () => {
    const first = history.startRun({});
    history.recordTenant(first, CONTOSO, allSteps('pass', '2026-11-20T10:00:00.000Z', { 'mde.polling': 'waiting' }));
    history.finishRun(first, 'complete');
    const second = history.startRun({});
    history.recordTenant(second, CONTOSO, [...allSteps('error', '2026-11-21T10:00:00.000Z')].reverse());
    history.finishRun(second, 'complete');

    const latest = history.latestVerdicts(CONTOSO).get(CONTOSO)!;
    expect(latest.map((v) => v.id)).toEqual(STEPS.map((step) => step.id));
    expect(latest.every((v) => v.status === 'error' && v.reason === 'throttled')).toBe(true);
    const real = history.latestRealVerdicts().get(CONTOSO)!;
    expect(real.find((v) => v.id === 'mde.polling')).toEqual(
      verdict('mde.polling', 'waiting', '2026-11-20T10:00:00.000Z'),
    );
    const state = history.stepStates(CONTOSO).get(CONTOSO)!.find((s) => s.stepId === 'mde.polling')!;
    expect(state.latest.status).toBe('error');
    expect(state.latestReal?.status).toBe('waiting');
    expect(state.firstDoneAt).toBeNull();
  });

  it('remembers the first time each step was done, whatever came after', () => {
    const statuses: Status[] = ['fail', 'warn', 'fail', 'pass', 'error'];
    statuses.forEach((status, index) => {
      const runId = history.startRun({});
      history.recordTenant(runId, CONTOSO, [verdict('mde.api-access', status, `2026-11-1${index}T00:00:00.000Z`)]);
      history.finishRun(runId, 'complete');
    });
    expect(history.firstDone(CONTOSO, 'mde.api-access')).toBe('2026-11-11T00:00:00.000Z');
    expect(history.firstDone(CONTOSO, 'mde.polling')).toBeNull();
    expect(history.firstDoneLookup(CONTOSO)('mde.api-access')).toBe('2026-11-11T00:00:00.000Z');
    expect(history.transitions(CONTOSO, 'mde.api-access').map((t) => [t.from, t.to])).toEqual([
      [null, 'fail'],
      ['fail', 'warn'],
      ['warn', 'fail'],
      ['fail', 'pass'],
      ['pass', 'error'],
    ]);
  });

  it('records transitions only when the status changes', () => {
    for (const [index, status] of (['waiting', 'waiting', 'overdue', 'overdue', 'pass'] as Status[]).entries()) {
      const runId = history.startRun({});
      history.recordTenant(runId, CONTOSO, [verdict('mdi.alerts', status, `2026-11-1${index}T00:00:00.000Z`)]);
    }
    const transitions = history.transitions(CONTOSO, 'mdi.alerts');
    expect(transitions.map((t) => `${t.at.slice(0, 10)} ${t.to}`)).toEqual([
      '2026-11-10 waiting',
      '2026-11-12 overdue',
      '2026-11-14 pass',
    ]);
  });

  it('loads the latest verdicts and last-checked times of many tenants in one call', () => {
    const roster = new RosterStore(db);
    const ids = Array.from({ length: 150 }, (_, n) => guidFor(n + 1));
    roster.importTenants(ids.map((tenantId, n) => makeTenant({ tenantId, name: `Tenant ${n}` })));
    for (let round = 0; round < 3; round += 1) {
      const runId = history.startRun({ all: true });
      for (const [n, tenantId] of ids.entries()) {
        if (round === 2 && n % 2 === 1) continue; // odd tenants were not reached in the last run
        history.recordTenant(runId, tenantId, allSteps(round === 2 ? 'pass' : 'fail', `2026-11-2${round}T00:00:00.000Z`));
      }
      history.finishRun(runId, round === 2 ? 'incomplete' : 'complete');
    }
    const latest = history.latestVerdicts();
    expect(latest.size).toBe(150);
    expect(latest.has(CONTOSO)).toBe(false);
    for (const [n, tenantId] of ids.entries()) {
      const verdicts = latest.get(tenantId)!;
      expect(verdicts).toHaveLength(STEPS.length);
      expect(new Set(verdicts.map((v) => v.status))).toEqual(new Set([n % 2 === 0 ? 'pass' : 'fail']));
    }
    const lastChecked = history.lastChecked();
    const runs = history.runs();
    expect(runs.map((run) => run.tenantCount)).toEqual([75, 150, 150]);
    const lastRunTenant = db.prepare('SELECT finished_at FROM check_run_tenants WHERE run_id = ? AND tenant_id = ?');
    expect(lastChecked.get(ids[0]!)).toBe(lastRunTenant.pluck().get(runs[0]!.id, ids[0]!));
    expect(lastChecked.get(ids[1]!)).toBe(lastRunTenant.pluck().get(runs[1]!.id, ids[1]!));
  });

  it('gives one tenant its checks in order, grouped by run', () => {
    for (const status of ['fail', 'pass'] as Status[]) {
      const runId = history.startRun({});
      history.recordTenant(runId, CONTOSO, [verdict('mde.api-access', status, '2026-11-22T00:00:00.000Z'), verdict('mde.polling', 'waiting', '2026-11-22T00:00:00.000Z')]);
    }
    const checks = history.checksOf(CONTOSO);
    expect(checks).toHaveLength(2);
    expect(checks.map((check) => check.steps.map((step) => step.status))).toEqual([
      ['fail', 'waiting'],
      ['pass', 'waiting'],
    ]);
    expect(checks[0]!.at < checks[1]!.at).toBe(true);
  });

  it('appends attestations and reports the one in force per step', () => {
    const base = { tenantId: CONTOSO, attestedBy: 'Ana', note: 'confirmed', forcedReason: null };
    const first = history.addAttestation({ ...base, stepId: 'm365.audit-log', attestedAt: '2026-11-01T00:00:00.000Z', expiresAt: null });
    expect(first).toMatchObject({ id: expect.any(Number), stepId: 'm365.audit-log', expiresAt: null, forcedReason: null });
    history.addAttestation({ ...base, stepId: 'm365.audit-log', attestedAt: '2026-11-10T00:00:00.000Z', expiresAt: '2026-11-15T00:00:00.000Z' });
    history.addAttestation({ ...base, stepId: 'mde.console-roles', attestedAt: '2026-11-10T00:00:00.000Z', expiresAt: '2027-01-01T00:00:00.000Z' });
    expect(history.attestations(CONTOSO)).toHaveLength(3);
    expect(history.attestations()).toHaveLength(3);
    // The newer audit-log attestation expired, and it supersedes the older open-ended one.
    expect(history.activeAttestations(CONTOSO, new Date('2026-11-22T00:00:00.000Z')).map((a) => a.stepId)).toEqual([
      'mde.console-roles',
    ]);
    expect(history.activeAttestations(CONTOSO, new Date('2026-11-12T00:00:00.000Z')).map((a) => a.stepId).sort()).toEqual([
      'm365.audit-log',
      'mde.console-roles',
    ]);
    expect(() => db.exec("UPDATE attestations SET note = 'changed'")).toThrow('append-only');
  });
});

describe('HistoryStore: interrupted runs', () => {
  let temp: ReturnType<typeof tempDir>;
  afterEach(() => temp?.cleanup());

  it('marks a run whose process was killed incomplete on reopen and keeps the tenants it finished', async () => {
    temp = tempDir();
    const file = path.join(temp.dir, 'roster.db');
    const setup = openDatabase(file);
    new RosterStore(setup).add(makeTenant({ tenantId: CONTOSO }));
    setup.close();

    // A real process stands in for a check run that dies halfway: the run carries its pid.
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const db = openDatabase(file);
    db.prepare("INSERT INTO check_runs (started_at, state, scope, pid) VALUES ('2026-11-22T10:00:00.000Z', 'running', '{}', ?)").run(child.pid);
    const runId = Number(db.prepare('SELECT max(id) FROM check_runs').pluck().get());
    new HistoryStore(db).recordTenant(runId, CONTOSO, allSteps('pass', '2026-11-22T10:00:01.000Z'));
    db.close();

    const whileAlive = openDatabase(file);
    new HistoryStore(whileAlive);
    expect(new HistoryStore(whileAlive).runs()[0]!.state).toBe('running');
    whileAlive.close();

    child.kill('SIGKILL');
    await exited;

    const reopened = openDatabase(file);
    const history = new HistoryStore(reopened, () => new Date('2026-11-22T11:00:00.000Z'));
    expect(history.runs()[0]).toMatchObject({ id: runId, state: 'incomplete', finishedAt: '2026-11-22T11:00:00.000Z', tenantCount: 1 });
    expect(history.latestVerdicts().get(CONTOSO)).toHaveLength(STEPS.length);
    reopened.close();
  });

  it('does not mistake a reused pid (this process) for a live run', () => {
    const db = openDatabase(':memory:');
    db.prepare("INSERT INTO check_runs (started_at, state, scope, pid) VALUES ('t', 'running', '{}', ?)").run(process.pid);
    const history = new HistoryStore(db);
    expect(history.runs()[0]!.state).toBe('incomplete');
    const own = history.startRun({});
    expect(history.markInterruptedRuns()).toEqual([]);
    expect(new HistoryStore(db).runs()[0]).toMatchObject({ id: own, state: 'running' });
    db.close();
  });
});

describe('migration 2 backfill', () => {
  it('builds the latest-verdict pointers from history written before it', () => {
    const db = openDatabase(':memory:', { migrations: MIGRATIONS.slice(0, 1) });
    db.prepare("INSERT INTO tenants (tenant_id, name, created_at, updated_at) VALUES (?, 'Contoso', 't', 't')").run(CONTOSO);
    db.prepare("INSERT INTO check_runs (started_at, state, scope, pid) VALUES ('t', 'complete', '{}', 1)").run();
    const insert = db.prepare(
      `INSERT INTO verdicts (run_id, tenant_id, step_id, status, summary, evidence, observed_at, reason) VALUES (1, ?, 'mde.polling', ?, 's', '{}', ?, ?)`,
    );
    insert.run(CONTOSO, 'waiting', '2026-11-01T00:00:00.000Z', null);
    insert.run(CONTOSO, 'pass', '2026-11-02T00:00:00.000Z', null);
    insert.run(CONTOSO, 'error', '2026-11-03T00:00:00.000Z', 'throttled');
    db.prepare("INSERT INTO check_run_tenants (run_id, tenant_id, finished_at) VALUES (1, ?, '2026-11-03T00:00:05.000Z')").run(CONTOSO);
    applyMigrations(db, MIGRATIONS);
    const history = new HistoryStore(db);
    const state = history.stepStates().get(CONTOSO)![0]!;
    expect(state).toMatchObject({ stepId: 'mde.polling', firstDoneAt: '2026-11-02T00:00:00.000Z' });
    expect(state.latest.status).toBe('error');
    expect(state.latestReal?.status).toBe('pass');
    expect(history.lastChecked().get(CONTOSO)).toBe('2026-11-03T00:00:05.000Z');
    db.close();
  });
});
