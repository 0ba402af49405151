// Faults must turn into `error` (could not check), never into `fail`: a 403 on one endpoint,
// throttling that outlasts the retries, dropped connections. Faults the retries absorb change nothing.
import { afterEach, describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/core/status.js';
import { startHarness, type Harness } from './sim-harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const byId = (verdicts: readonly Verdict[]) => new Map(verdicts.map((v) => [v.id, v]));

async function onboarded(h: Harness) {
  const tenant = h.roster.find((t) => h.sim.tenants.find((s) => s.tenantId.toLowerCase() === t.tenantId)?.scenario === 'onboarded')!;
  return tenant;
}

/** Checks the onboarded tenant after taking Graph application permissions away from the tracker. */
async function withoutTrackerPermission(permission: string) {
  harness = await startHarness();
  const tenant = await onboarded(harness);
  harness.sim.updateTenant(tenant.tenantId, (t) => {
    t.ms.trackerMissing = [permission];
  });
  const [outcome] = (await harness.check([tenant])).outcomes;
  return { outcome: outcome!, verdicts: byId(outcome!.verdicts) };
}

describe('faults become errors', () => {
  it('a 403 on the cross-tenant policy endpoint is error insufficient_role; everything else is unaffected', async () => {
    const { outcome, verdicts } = await withoutTrackerPermission('Policy.Read.All');
    expect(verdicts.get('access.cross-tenant-trust')).toMatchObject({ status: 'error', reason: 'insufficient_role' });
    expect(verdicts.get('access.cross-tenant-trust')!.evidence).toMatchObject({ status: 403, code: 'Authorization_RequestDenied' });
    expect(verdicts.get('access.auto-redeem')).toMatchObject({ status: 'blocked', blockedBy: 'access.cross-tenant-trust' });
    const others = outcome.verdicts.filter((v) => !v.id.startsWith('access.cross-tenant') && v.id !== 'access.auto-redeem');
    expect(others.filter((v) => !['pass', 'warn', 'unverifiable', 'not_applicable'].includes(v.status))).toEqual([]);
  });

  it('a 403 on sign-in reports is an error on every polling step, not a fail', async () => {
    const { verdicts } = await withoutTrackerPermission('AuditLog.Read.All');
    for (const id of ['mde.polling', 'mdi.polling', 'm365.polling', 'azure.polling']) {
      expect(verdicts.get(id), id).toMatchObject({ status: 'error', reason: 'insufficient_role' });
    }
  });

  it('throttling that outlasts the retries is error throttled, never fail', async () => {
    harness = await startHarness({}, { maxRetries: 1 });
    const tenant = await onboarded(harness);
    harness.sim.setFaults({ throttleRate: 1, retryAfterSeconds: 0 });
    const [outcome] = (await harness.check([tenant])).outcomes;
    const verdicts = byId(outcome!.verdicts);
    expect(verdicts.get('access.tenant')!.status).toBe('pass'); // the login service is never faulted
    expect(verdicts.get('access.probe-access')).toMatchObject({ status: 'error', reason: 'throttled' });
    expect(outcome!.verdicts.some((v) => v.status === 'fail')).toBe(false);
    expect(outcome!.report.integrations[0]!.status).toBe('attention');
  });

  it('connections that always drop are error network; occasional drops are retried away', async () => {
    harness = await startHarness({}, { maxRetries: 1 });
    const tenant = await onboarded(harness);
    harness.sim.setFaults({ dropRate: 1 });
    const [dropped] = (await harness.check([tenant])).outcomes;
    expect(byId(dropped!.verdicts).get('access.probe-access')).toMatchObject({ status: 'error', reason: 'network' });
    expect(dropped!.verdicts.some((v) => v.status === 'fail')).toBe(false);
    await harness.close();

    harness = await startHarness({}, { maxRetries: 6 });
    const clean = (await harness.check([await onboarded(harness)])).outcomes[0]!.verdicts.map((v) => [v.id, v.status]);
    harness.sim.setFaults({ dropRate: 0.2, batchInnerThrottleRate: 0.2, retryAfterSeconds: 0 });
    const flaky = (await harness.check([await onboarded(harness)])).outcomes[0]!;
    expect(flaky.verdicts.map((v) => [v.id, v.status])).toEqual(clean);
    expect(flaky.stats.retries).toBeGreaterThan(0);
  });
});
