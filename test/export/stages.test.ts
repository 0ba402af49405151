// The export reads days in stage and completion dates from the stages the history store keeps,
// never replaying the history: its rows must equal the rows replayed from the whole history,
// both for a database the stages were kept in from the start and for one upgraded to them.
import { afterEach, describe, expect, it } from 'vitest';
import type { Status, Verdict } from '../../src/core/status.js';
import type { IntegrationId, Tenant } from '../../src/core/tenant.js';
import { openDatabase } from '../../src/db/database.js';
import { HistoryStore } from '../../src/db/history.js';
import { MIGRATIONS } from '../../src/db/migrations.js';
import { RosterStore } from '../../src/db/roster.js';
import { rosterExportRows } from '../../src/export/export.js';
import { ExportHistoryReader } from '../../src/export/history-reader.js';
import { exportRowsFor } from '../../src/export/rows.js';
import { STEPS } from '../../src/integrations/catalogue.js';
import { tempDir } from '../db/helpers.js';
import { writeVersion2History } from '../db/history-v2.js';
import { tenant as makeTenant } from '../instructions/fixtures.js';
import { seedDatabase } from './seed.js';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const DAYS = ['2026-11-02T09:00:00.000Z', '2026-11-06T09:00:00.000Z', '2026-11-10T09:00:00.000Z', '2026-11-15T09:00:00.000Z'];

function verdict(id: string, status: Status, at: string): Verdict {
  return {
    id,
    status,
    summary: `${id} is ${status}`,
    observedAt: at,
    reason: status === 'error' ? 'timeout' : null,
    expectedBy: status === 'waiting' ? '2026-11-25T00:00:00.000Z' : null,
    blockedBy: null,
    evidence: {},
  };
}

/** A check as `check` stores it: the tenant's scope at the time decides what applies. */
function checkOf(scope: Tenant, at: string, statuses: Record<string, Status> = {}, leaveOut: IntegrationId[] = []): Verdict[] {
  return STEPS.filter((step) => !leaveOut.includes(step.integration)).map((step) =>
    verdict(step.id, step.applies(scope) ? (statuses[step.id] ?? 'pass') : 'not_applicable', at),
  );
}

const alpha = makeTenant({ tenantId: '0a5e1c2d-0000-4000-8000-000000000001', name: 'Alpha', integrations: ['mde', 'mdi'] });
// Bravo's roster gained m365 after its last check: its stored m365 verdicts are all not_applicable.
const bravo = makeTenant({ tenantId: '0a5e1c2d-0000-4000-8000-000000000002', name: 'Bravo', integrations: ['mde', 'm365'] });
const bravoThen: Tenant = { ...bravo, integrations: ['mde'] };
const charlie = makeTenant({ tenantId: '0a5e1c2d-0000-4000-8000-000000000003', name: 'Charlie', integrations: ['azure'] });
const delta = makeTenant({ tenantId: '0a5e1c2d-0000-4000-8000-000000000004', name: 'Delta', integrations: ['m365'] });
const ROSTER = [alpha, bravo, charlie, delta];

/** Every stored check, day by day (Delta is never checked). */
const CHECKS: { tenant: Tenant; at: string; verdicts: Verdict[] }[] = [
  { tenant: alpha, at: DAYS[0]!, verdicts: checkOf(alpha, DAYS[0]!, { 'mde.api-access': 'fail', 'mdi.app-registered': 'fail' }) },
  { tenant: alpha, at: DAYS[1]!, verdicts: checkOf(alpha, DAYS[1]!, { 'mdi.alerts': 'waiting' }) },
  { tenant: alpha, at: DAYS[2]!, verdicts: checkOf(alpha, DAYS[2]!, { 'mde.alerts': 'error', 'mdi.alerts': 'waiting' }) },
  // check --integration mde: mdi's verdicts are not stored.
  { tenant: alpha, at: DAYS[3]!, verdicts: checkOf(alpha, DAYS[3]!, { 'mde.console-roles': 'fail' }, ['mdi']) },
  { tenant: bravo, at: DAYS[0]!, verdicts: checkOf(bravoThen, DAYS[0]!, { 'mde.alerts': 'waiting' }) },
  { tenant: bravo, at: DAYS[2]!, verdicts: checkOf(bravoThen, DAYS[2]!) },
  { tenant: charlie, at: DAYS[1]!, verdicts: checkOf(charlie, DAYS[1]!, { 'azure.subscriptions': 'error' }) },
  { tenant: charlie, at: DAYS[2]!, verdicts: checkOf(charlie, DAYS[2]!, { 'azure.subscriptions': 'error' }) },
  { tenant: charlie, at: DAYS[3]!, verdicts: checkOf(charlie, DAYS[3]!) },
];

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

/** The export's rows, and the rows replayed from the whole history on the same database. */
function exportAndReplay(file: string) {
  const db = openDatabase(file);
  try {
    const store = new HistoryStore(db);
    const reader = new ExportHistoryReader(db);
    const exported = [...rosterExportRows(db, { now: NOW })];
    const replayed = new RosterStore(db).list().flatMap((tenant) => {
      const { states, lastChecked } = reader.historyOf(tenant);
      return exportRowsFor(tenant, { states, lastChecked, checks: () => store.checksOf(tenant.tenantId) }, { now: NOW });
    });
    return { exported, replayed };
  } finally {
    db.close();
  }
}

describe('export rows from the kept integration stages', () => {
  it('equal the rows replayed from the whole history, whether the stages were kept from the start or backfilled', () => {
    const { dir, cleanup: done } = tempDir();
    cleanup = done;

    const kept = `${dir}/kept.db`;
    const runs = DAYS.map((at) => ({ at, verdicts: new Map(CHECKS.filter((c) => c.at === at).map((c) => [c.tenant.tenantId, c.verdicts])) }));
    seedDatabase(kept, ROSTER, runs);

    const upgraded = `${dir}/upgraded.db`;
    const old = openDatabase(upgraded, { migrations: MIGRATIONS.slice(0, 2) });
    new RosterStore(old).importTenants(ROSTER);
    for (const tenant of ROSTER) writeVersion2History(old, tenant.tenantId, CHECKS.filter((c) => c.tenant === tenant));
    old.close();

    const fromStart = exportAndReplay(kept);
    const afterUpgrade = exportAndReplay(upgraded);
    expect(fromStart.exported).toEqual(fromStart.replayed);
    expect(afterUpgrade.exported).toEqual(afterUpgrade.replayed);
    expect(afterUpgrade.exported).toEqual(fromStart.exported);

    const row = (tenant: Tenant, integration: IntegrationId) =>
      fromStart.exported.find((r) => r.tenant_id === tenant.tenantId && r.integration === integration)!;
    // Alpha's mde: complete on day 2, the day-3 error changed nothing, a failure on day 4.
    expect(row(alpha, 'mde')).toMatchObject({ status: 'action_needed', completed_on: '2026-11-06', days_in_stage: 7 });
    // Alpha's mdi: in progress since day 2; the day-4 check did not look at it.
    expect(row(alpha, 'mdi')).toMatchObject({ status: 'in_progress', completed_on: null, days_in_stage: 16 });
    // Bravo's m365 came into scope after its last check: not started, not "complete since day 1".
    expect(row(bravo, 'm365')).toMatchObject({ status: 'not_started', completed_on: null, days_in_stage: null, blocking_reason: 'Not checked yet', owner: 'expel' });
    expect(row(bravo, 'mde')).toMatchObject({ status: 'complete', completed_on: '2026-11-10', days_in_stage: 12 });
    // Charlie's azure: could not check at first (attention), complete on day 4.
    expect(row(charlie, 'azure')).toMatchObject({ status: 'complete', completed_on: '2026-11-15', days_in_stage: 7 });
    expect(row(delta, 'm365')).toMatchObject({ status: 'not_started', days_in_stage: null, last_checked: null });
  });
});
