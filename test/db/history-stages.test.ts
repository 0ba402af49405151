// Integration stages kept by HistoryStore.recordTenant (migration 3): each write advances them
// with the rule of verdicts/derived.ts, and they always equal a replay of the whole history.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Status, Verdict } from '../../src/core/status.js';
import { INTEGRATION_ORDER, type IntegrationId, type Tenant } from '../../src/core/tenant.js';
import { applyMigrations, openDatabase, type Database } from '../../src/db/database.js';
import { HistoryStore, rebuildIntegrationStages } from '../../src/db/history.js';
import { MIGRATIONS } from '../../src/db/migrations.js';
import { RosterStore } from '../../src/db/roster.js';
import { STEPS } from '../../src/integrations/catalogue.js';
import { stageOf, type IntegrationStage } from '../../src/verdicts/derived.js';
import { checkOf, guidFor, makeTenant, verdictAt } from './helpers.js';
import { writeVersion2History } from './history-v2.js';

const T1 = '2026-11-01T10:00:00.000Z';
const T2 = '2026-11-05T10:00:00.000Z';
const T3 = '2026-11-09T10:00:00.000Z';
const T4 = '2026-11-12T10:00:00.000Z';


/** Every tenant's stages replayed from its whole history (the rule derived.ts defines). */
function replayed(history: HistoryStore, tenantIds: readonly string[]): Map<string, Map<IntegrationId, IntegrationStage>> {
  const result = new Map<string, Map<IntegrationId, IntegrationStage>>();
  for (const tenantId of tenantIds) {
    const checks = history.checksOf(tenantId);
    const stages = new Map<IntegrationId, IntegrationStage>();
    for (const integration of INTEGRATION_ORDER) {
      const stage = stageOf(checks, integration);
      if (stage) stages.set(integration, stage);
    }
    if (stages.size > 0) result.set(tenantId, stages);
  }
  return result;
}

describe('integration stages kept as checks are stored', () => {
  let db: Database;
  let history: HistoryStore;
  let now: string;
  const tenant = makeTenant({ integrations: ['mde', 'mdi'] });
  const record = (verdicts: Verdict[], at: string) => {
    now = at;
    const runId = history.startRun({});
    history.recordTenant(runId, tenant.tenantId, verdicts);
    history.finishRun(runId, 'complete');
  };
  const stage = (integration: IntegrationId) => history.integrationStages(tenant.tenantId).get(tenant.tenantId)?.get(integration);

  beforeEach(() => {
    db = openDatabase(':memory:');
    new RosterStore(db).add(tenant);
    now = T1;
    history = new HistoryStore(db, () => new Date(now));
  });
  afterEach(() => db.close());

  it('starts a stage at the check that changes the status and keeps its start while the status holds', () => {
    record(checkOf(tenant, T1, { 'mde.api-access': 'fail' }), T1);
    expect(stage('mde')).toEqual({ status: 'action_needed', since: T1, firstCompletedAt: null, lastCheckedAt: T1 });
    record(checkOf(tenant, T2, { 'mde.api-access': 'fail' }), T2);
    expect(stage('mde')).toEqual({ status: 'action_needed', since: T1, firstCompletedAt: null, lastCheckedAt: T2 });
    record(checkOf(tenant, T3), T3);
    expect(stage('mde')).toEqual({ status: 'complete', since: T3, firstCompletedAt: T3, lastCheckedAt: T3 });
    // The stage starts when the tenant's check was stored (its finished_at), as the replay says.
    expect(history.lastChecked(tenant.tenantId).get(tenant.tenantId)).toBe(T3);
    expect(stage('access')).toEqual({ status: 'complete', since: T1, firstCompletedAt: T1, lastCheckedAt: T3 });
  });

  it('treats an error as the step’s last real status: a check that could not see changes no stage', () => {
    record(checkOf(tenant, T1, { 'mdi.polling': 'waiting' }), T1);
    expect(stage('mdi')).toMatchObject({ status: 'in_progress', since: T1 });
    record(checkOf(tenant, T2, { 'mdi.polling': 'error', 'mde.alerts': 'error' }), T2);
    expect(stage('mdi')).toEqual({ status: 'in_progress', since: T1, firstCompletedAt: null, lastCheckedAt: T2 });
    // mde.alerts passed at T1: its error keeps mde complete, completed at T1.
    expect(stage('mde')).toEqual({ status: 'complete', since: T1, firstCompletedAt: T1, lastCheckedAt: T2 });
    record(checkOf(tenant, T3, { 'mdi.polling': 'error' }), T3);
    expect(stage('mdi')).toMatchObject({ status: 'in_progress', since: T1 });
    record(checkOf(tenant, T4), T4);
    expect(stage('mdi')).toEqual({ status: 'complete', since: T4, firstCompletedAt: T4, lastCheckedAt: T4 });
  });

  it('counts an error with no real status before it as attention', () => {
    record(checkOf(tenant, T1, { 'mdi.app-secret': 'error' }), T1);
    expect(stage('mdi')).toMatchObject({ status: 'attention', since: T1 });
    record(checkOf(tenant, T2, { 'mdi.app-secret': 'error' }), T2);
    expect(stage('mdi')).toMatchObject({ status: 'attention', since: T1, lastCheckedAt: T2 });
  });

  it('records the first completion once, through later setbacks', () => {
    record(checkOf(tenant, T1), T1);
    record(checkOf(tenant, T2, { 'mde.console-roles': 'fail' }), T2);
    expect(stage('mde')).toEqual({ status: 'action_needed', since: T2, firstCompletedAt: T1, lastCheckedAt: T2 });
    record(checkOf(tenant, T3), T3);
    expect(stage('mde')).toEqual({ status: 'complete', since: T3, firstCompletedAt: T1, lastCheckedAt: T3 });
  });

  it('leaves an integration a check did not look at as it was, and keeps none for one never in scope', () => {
    record(checkOf(tenant, T1, { 'mdi.alerts': 'waiting' }), T1);
    // check --integration mde: mdi's verdicts are not stored at all.
    record(checkOf(tenant, T2, { 'mde.alerts': 'waiting' }, ['mdi']), T2);
    expect(stage('mdi')).toEqual({ status: 'in_progress', since: T1, firstCompletedAt: null, lastCheckedAt: T1 });
    expect(stage('mde')).toEqual({ status: 'in_progress', since: T2, firstCompletedAt: T1, lastCheckedAt: T2 });
    // m365 and azure are stored as not_applicable: nothing was looked at.
    expect(stage('m365')).toBeUndefined();
    expect(stage('azure')).toBeUndefined();
  });

  it('stores stages with the verdicts or not at all', () => {
    record(checkOf(tenant, T1), T1);
    const runId = history.startRun({});
    now = T2;
    const broken = [...checkOf(tenant, T2, { 'mde.api-access': 'fail' }), { ...verdictAt('mde.polling', 'fail', T2), status: 'nope' as Status }];
    expect(() => history.recordTenant(runId, tenant.tenantId, broken)).toThrow("unknown status 'nope'");
    expect(stage('mde')).toEqual({ status: 'complete', since: T1, firstCompletedAt: T1, lastCheckedAt: T1 });
  });

  it('always equals the stages replayed from the whole history, and a rebuild changes nothing', () => {
    // A seeded pseudo-random history: statuses with errors, scope changes, partial checks.
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const roster = new RosterStore(db);
    const tenants = [0, 1, 2, 3].map((n) => makeTenant({ tenantId: guidFor(n + 1), name: `Tenant ${n}`, integrations: ['mde', 'm365'] }));
    for (const t of tenants) roster.add(t);
    const statuses: Status[] = ['pass', 'pass', 'pass', 'warn', 'fail', 'waiting', 'overdue', 'blocked', 'unverifiable', 'error', 'error', 'attested'];
    for (let day = 1; day <= 24; day += 1) {
      now = new Date(Date.UTC(2026, 10, day, 9)).toISOString();
      const runId = history.startRun({});
      for (const t of tenants) {
        if (random() < 0.15) continue; // not checked in this run
        // Scope changes over time: with mdi in scope some days, its steps apply.
        const scoped: Tenant = { ...t, integrations: random() < 0.5 ? ['mde', 'm365', 'mdi'] : ['mde', 'm365'] };
        const overrides = Object.fromEntries(STEPS.map((step) => [step.id, random() < 0.3 ? pick(statuses) : 'pass']));
        const leaveOut: IntegrationId[] = random() < 0.2 ? [pick(['mde', 'mdi', 'm365'] as const)] : [];
        history.recordTenant(runId, t.tenantId, checkOf(scoped, now, overrides, leaveOut));
      }
      history.finishRun(runId, 'complete');
    }
    const ids = tenants.map((t) => t.tenantId);
    const kept = history.integrationStages();
    expect(kept).toEqual(replayed(history, ids));
    // The history is rich enough to exercise the rule.
    const all = [...kept.values()].flatMap((stages) => [...stages.values()]);
    expect(new Set(all.map((s) => s.status)).size).toBeGreaterThan(2);
    expect(all.some((s) => s.since !== s.lastCheckedAt)).toBe(true);
    expect(all.some((s) => s.firstCompletedAt !== null && s.status !== 'complete')).toBe(true);

    rebuildIntegrationStages(db);
    expect(history.integrationStages()).toEqual(kept);
    expect(history.integrationStages(ids[0])).toEqual(new Map([[ids[0], kept.get(ids[0]!)]]));
  });
});

describe('migration 3 on a database written before stages were kept', () => {
  it('backfills every stage from the history, and later checks carry on from there', () => {
    const db = openDatabase(':memory:', { migrations: MIGRATIONS.slice(0, 2) });
    const tenant = makeTenant({ integrations: ['mde'] });
    db.prepare("INSERT INTO tenants (tenant_id, name, created_at, updated_at) VALUES (?, 'Contoso', 't', 't')").run(tenant.tenantId);
    db.prepare("INSERT INTO tenant_integrations (tenant_id, integration, option) VALUES (?, 'mde', 'enterprise')").run(tenant.tenantId);
    writeVersion2History(db, tenant.tenantId, [
      { at: T1, verdicts: checkOf(tenant, T1, { 'mde.api-access': 'fail' }) },
      { at: T2, verdicts: checkOf(tenant, T2) },
      { at: T3, verdicts: checkOf(tenant, T3, { 'mde.alerts': 'error', 'mde.polling': 'fail' }) },
    ]);

    applyMigrations(db, MIGRATIONS);
    const history = new HistoryStore(db, () => new Date(T4));
    const backfilled = history.integrationStages();
    expect(backfilled).toEqual(replayed(history, [tenant.tenantId]));
    expect(backfilled.get(tenant.tenantId)?.get('mde')).toEqual({ status: 'action_needed', since: T3, firstCompletedAt: T2, lastCheckedAt: T3 });

    const runId = history.startRun({});
    history.recordTenant(runId, tenant.tenantId, checkOf(tenant, T4, { 'mde.polling': 'error' }));
    history.finishRun(runId, 'complete');
    expect(history.integrationStages()).toEqual(replayed(history, [tenant.tenantId]));
    // mde.polling's last real status (fail) carries over the error: still action needed since T3.
    expect(history.integrationStages().get(tenant.tenantId)?.get('mde')).toMatchObject({ status: 'action_needed', since: T3 });
    db.close();
  });
});
