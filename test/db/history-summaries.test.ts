// Integration summaries cached by the history store (migration 4): written with each tenant's
// verdicts and on every attestation, backfilled on upgrade, and always equal to what
// verdicts/derived.ts summarizeIntegrations derives from the stored step states at read time.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/core/status.js';
import type { Tenant } from '../../src/core/tenant.js';
import { applyMigrations, openDatabase, type Database } from '../../src/db/database.js';
import { HistoryStore } from '../../src/db/history.js';
import { MIGRATIONS } from '../../src/db/migrations.js';
import { RosterStore } from '../../src/db/roster.js';
import { STEPS } from '../../src/integrations/catalogue.js';
import { allTenantSummaries, isEmptySummary, rebuildIntegrationSummaries, tenantSummaryReader, type TenantSummaries } from '../../src/db/summaries.js';
import { summarizeIntegrations, tenantProblem } from '../../src/verdicts/derived.js';
import { checkOf, guidFor, makeTenant } from './helpers.js';
import { writeVersion2History } from './history-v2.js';

const T1 = '2026-11-01T10:00:00.000Z';
const T2 = '2026-11-05T10:00:00.000Z';
const T3 = '2026-11-09T10:00:00.000Z';


const alpha = makeTenant({ tenantId: guidFor(1), integrations: ['mde', 'mdi'] });
const bravo = makeTenant({ tenantId: guidFor(2), integrations: ['m365', 'azure'] });
// Charlie had mdi in scope, never got far, then dropped it: its mdi summary comes to say nothing.
const charlie = makeTenant({ tenantId: guidFor(3), integrations: ['mde', 'mdi'] });
const charlieLater: Tenant = { ...charlie, integrations: ['mde'] };
const mdiFailing = Object.fromEntries(STEPS.filter((step) => step.integration === 'mdi').map((step) => [step.id, 'fail' as const]));
const HISTORY: { tenant: Tenant; at: string; verdicts: Verdict[] }[] = [
  { tenant: charlie, at: T1, verdicts: checkOf(charlie, T1, mdiFailing) },
  { tenant: charlie, at: T2, verdicts: checkOf(charlieLater, T2) },
  { tenant: alpha, at: T1, verdicts: checkOf(alpha, T1, { 'mde.api-access': 'fail', 'mdi.polling': 'waiting' }) },
  // The latest could not check: the analyst view keeps the last real verdicts (shown as older).
  { tenant: alpha, at: T2, verdicts: checkOf(alpha, T2, { 'mde.api-access': 'error', 'mdi.polling': 'error', 'access.probe-access': 'error' }) },
  // check --integration mde: mdi's verdicts are not stored.
  { tenant: alpha, at: T3, verdicts: checkOf(alpha, T3, { 'mde.alerts': 'waiting' }, ['mdi']) },
  { tenant: bravo, at: T1, verdicts: checkOf(bravo, T1, { 'access.guest-redeemed': 'fail', 'azure.subscriptions': 'blocked', 'm365.audit-log': 'unverifiable' }) },
  { tenant: bravo, at: T2, verdicts: checkOf(bravo, T2, { 'azure.subscriptions': 'error', 'm365.audit-log': 'unverifiable' }) },
];

/** What the read-time path derives from the stored step states (the rule the cache must equal); nothing when never checked. */
function derivedNow(history: HistoryStore, tenantId: string): TenantSummaries {
  const states = history.stepStates(tenantId).get(tenantId) ?? [];
  if (states.length === 0) return { integrations: new Map(), problem: null };
  const problem = tenantProblem(states);
  // Summaries that say nothing are not stored (a missing row reads the same).
  const kept = [...summarizeIntegrations(states)].filter(([id, summary]) => !isEmptySummary(summary, id === 'access' ? problem : null));
  return { integrations: new Map(kept), problem };
}

describe('integration summaries cached with the verdicts', () => {
  let db: Database;
  let history: HistoryStore;
  let now: string;
  const cached = (tenantId: string) => tenantSummaryReader(db)(tenantId);
  const record = (tenant: Tenant, verdicts: Verdict[], at: string) => {
    now = at;
    const runId = history.startRun({});
    history.recordTenant(runId, tenant.tenantId, verdicts);
    history.finishRun(runId, 'complete');
  };

  beforeEach(() => {
    db = openDatabase(':memory:');
    new RosterStore(db).importTenants([alpha, bravo, charlie]);
    now = T1;
    history = new HistoryStore(db, () => new Date(now));
  });
  afterEach(() => db.close());

  it('equal the read-time derivation after every stored check', () => {
    for (const check of HISTORY) {
      record(check.tenant, check.verdicts, check.at);
      for (const tenant of [alpha, bravo, charlie]) expect(cached(tenant.tenantId)).toEqual(derivedNow(history, tenant.tenantId));
    }
    const mde = cached(alpha.tenantId).integrations.get('mde')!;
    // mde.api-access's error hides nothing: the earlier fail shows, marked as older; the T3 check saw it pass.
    expect(mde).toMatchObject({ status: 'in_progress', showsOlder: false, apiAccessDoneAt: T3 });
    expect(mde.next).toMatchObject({ stepId: 'mde.alerts', status: 'waiting', owner: 'microsoft' });
    const mdi = cached(alpha.tenantId).integrations.get('mdi')!;
    expect(mdi).toMatchObject({ status: 'in_progress', showsOlder: true });
    expect(cached(alpha.tenantId).problem).toBeNull();
    expect(cached(charlie.tenantId).integrations.has('mdi')).toBe(false);
    expect(cached(bravo.tenantId).integrations.get('azure')).toMatchObject({ showsOlder: true });
    expect(cached(bravo.tenantId).integrations.get('m365')?.next).toMatchObject({ stepId: 'm365.audit-log', owner: 'customer' });
  });

  it('says when the tenant cannot be read', () => {
    record(alpha, checkOf(alpha, T1, { 'access.probe-access': 'error' }), T1);
    expect(cached(alpha.tenantId).problem).toBe('Cannot read the tenant: Microsoft throttled the requests');
  });

  it('are recomputed in the transaction that stores an attestation, and rebuilt on demand', () => {
    for (const check of HISTORY) record(check.tenant, check.verdicts, check.at);
    const expected = allTenantSummaries(db);
    db.prepare('UPDATE integration_summaries SET done = 99, next_reason = ? WHERE tenant_id = ?').run('tampered', bravo.tenantId);
    history.addAttestation({
      tenantId: bravo.tenantId,
      stepId: 'm365.audit-log',
      attestedBy: 'Ana',
      note: 'confirmed on a call',
      attestedAt: T3,
      expiresAt: null,
      forcedReason: null,
    });
    expect(cached(bravo.tenantId)).toEqual(expected.get(bravo.tenantId));
    db.prepare('UPDATE integration_summaries SET done = 99').run();
    rebuildIntegrationSummaries(db);
    expect(allTenantSummaries(db)).toEqual(expected);
  });

  it('are backfilled by migration 4 from a history written before they were kept', () => {
    for (const check of HISTORY) record(check.tenant, check.verdicts, check.at);
    const kept = allTenantSummaries(db);

    const old = openDatabase(':memory:', { migrations: MIGRATIONS.slice(0, 2) });
    try {
      new RosterStore(old).importTenants([alpha, bravo, charlie]);
      for (const tenant of [alpha, bravo, charlie]) writeVersion2History(old, tenant.tenantId, HISTORY.filter((check) => check.tenant === tenant));
      expect(() => old.prepare('SELECT 1 FROM integration_summaries').get()).toThrow();
      // Upgrading in place runs migrations 3 and 4 on the same connection.
      applyMigrations(old, MIGRATIONS);
      expect(allTenantSummaries(old)).toEqual(kept);
    } finally {
      old.close();
    }
  });
});
