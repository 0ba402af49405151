// The check runner against the simulated cloud: what a run stores, how it stops, how little it
// asks of Microsoft, and what never leaves Microsoft (secrets) or reaches the terminal (escapes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../src/core/tenant.js';
import { SIM_SETTINGS, startHarness, type Harness } from './sim-harness.js';

let h: Harness;
const scenarioOf = (tenant: Tenant) => h.sim.tenants.find((s) => s.tenantId.toLowerCase() === tenant.tenantId)!.scenario;
const tenant = (scenario: string) => h.roster.find((t) => scenarioOf(t) === scenario)!;

beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('runCheck', () => {
  it('stores every tenant in a completed run; the whole catalogue per tenant', async () => {
    const tenants = ['onboarded', 'fresh', 'm365-only'].map(tenant);
    const result = await h.check(tenants);
    expect(result.interrupted).toBe(false);
    const [run] = h.history.runs(1);
    expect(run).toMatchObject({ id: result.runId, state: 'complete', tenantCount: 3 });
    const latest = h.history.latestVerdicts();
    for (const t of tenants) expect(latest.get(t.tenantId)).toHaveLength(30);
    expect(result.outcomes.map((o) => o.tenant.tenantId)).toEqual(tenants.map((t) => t.tenantId));
  });

  it('with --integration probes and stores only access and those integrations', async () => {
    h.sim.clearLog();
    const t = tenant('onboarded');
    const result = await h.check([t], { filter: new Set(['mde']) as never });
    const [outcome] = result.outcomes;
    expect(outcome!.report.integrations.map((i) => i.id)).toEqual(['access', 'mde']);
    expect(outcome!.verdicts.some((v) => v.id.startsWith('mdi.') || v.id.startsWith('azure.'))).toBe(false);
    // Nothing of the other integrations was read: no MDI app lookup, no ARM at all.
    const paths = h.sim.log.filter((e) => e.tenantId === t.tenantId).map((e) => decodeURIComponent(e.path));
    expect(paths.some((p) => p.includes('Expel Defender for Identity'))).toBe(false);
    expect(h.sim.log.some((e) => e.tenantId === t.tenantId && e.service === 'arm')).toBe(false);
  });

  it('reads a fully onboarded tenant in at most four Graph round trips, with documented requests', async () => {
    h.sim.clearLog();
    const t = tenant('onboarded');
    const [outcome] = (await h.check([t])).outcomes;
    expect(outcome!.stats.graphRounds).toBeLessThanOrEqual(4);
    const graph = h.sim.log.filter((e) => e.tenantId === t.tenantId && e.service === 'graph');
    // Round trips other than following a nextLink (the sim pages at 10 items to exercise paging).
    const rounds = graph.filter((e) => e.batchSeq === undefined && !e.path.includes('$skiptoken'));
    expect(rounds.length).toBeLessThanOrEqual(4);
    const inner = graph.map((e) => decodeURIComponent(e.path));
    // Guest by email with the external-state fields selected; never /me.
    expect(inner.some((p) => /\/users\?\$filter=mail eq '.+'&\$select=.*externalUserState/.test(p))).toBe(true);
    expect(inner.some((p) => /\/me\b/.test(p))).toBe(false);
    // Alerts filtered by source and T0; beta sign-ins of service principals.
    expect(inner.some((p) => /alerts_v2\?\$filter=serviceSource eq 'microsoftSentinel' and createdDateTime ge /.test(p))).toBe(true);
    expect(inner.some((p) => p.startsWith('/beta/auditLogs/signIns') && p.includes("signInEventTypes/any(t: t eq 'servicePrincipal')"))).toBe(true);
    // Only reads.
    expect(h.sim.log.some((e) => e.refused === 'write')).toBe(false);
  });

  it('asks for Microsoft Sentinel / Defender for Cloud alerts with the Prefer header (they are hidden without it)', async () => {
    const t = tenant('onboarded');
    const [outcome] = (await h.check([t])).outcomes;
    const alerts = outcome!.verdicts.find((v) => v.id === 'azure.alerts')!;
    expect(alerts.status).toBe('pass');
    expect(['microsoftSentinel', 'microsoftDefenderForCloud']).toContain(alerts.evidence.serviceSource);
  });

  it('a second run takes T0 from history and keeps the first-done time', async () => {
    const t = tenant('onboarded');
    const first = h.history.firstDone(t.tenantId, 'mde.api-access');
    expect(first).not.toBeNull();
    await h.check([t]);
    expect(h.history.firstDone(t.tenantId, 'mde.api-access')).toBe(first);
  });

  it('reads sign-ins older than 24 hours only when the last 24 hours decide nothing', async () => {
    const t = tenant('onboarded');
    const threeDaysAgo = new Date(Date.now() - 3 * 24 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    h.sim.updateTenant(t.tenantId, (sim) => {
      const mdi = sim.ms.apps.find((a) => a.integration === 'mdi')!;
      mdi.signIns = [{ at: threeDaysAgo, errorCode: 0, resource: 'graph' }];
    });
    h.sim.clearLog();
    const [outcome] = (await h.check([t])).outcomes;
    const mdi = outcome!.verdicts.find((v) => v.id === 'mdi.polling')!;
    expect(mdi).toMatchObject({ status: 'pass', evidence: { lastSuccess: { createdDateTime: threeDaysAgo } } });
    const signInReads = h.sim.log.map((e) => decodeURIComponent(e.path)).filter((p) => p.includes('/auditLogs/signIns'));
    expect(signInReads.filter((p) => p.includes(' and createdDateTime le ')).length).toBe(1); // only the MDI app needed it
  });

  it('alerts: early before 36 h, due between 36 and 72 h, overdue after 72 h', async () => {
    const result = await h.check(['polling-no-alerts-yet', 'alerts-due', 'alerts-overdue'].map(tenant));
    const phase = result.outcomes.map((o) => {
      const v = o.verdicts.find((x) => x.id === 'mde.alerts')!;
      return [v.status, v.evidence.alertPhase, v.expectedBy !== null];
    });
    expect(phase).toEqual([
      ['waiting', 'early', true],
      ['waiting', 'due', true],
      ['overdue', 'overdue', true],
    ]);
  });

  it('keeps hostile names out of summaries and evidence, and no secret or token anywhere', async () => {
    const result = await h.check(h.roster);
    const stored = JSON.stringify([...h.history.latestVerdicts().values()]);
    const printed = JSON.stringify(result.outcomes.map((o) => o.report));
    for (const text of [stored, printed]) {
      expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      for (const secret of h.sim.issuedSecrets()) expect(text).not.toContain(secret);
    }
    const hostile = result.outcomes.find((o) => scenarioOf(o.tenant) === 'hostile-names')!;
    expect(hostile.verdicts.find((v) => v.id === 'access.probe-access')!.summary).toContain('Woodgrove Bank');
  });

  it('an aborted run stores the finished tenants only and is marked incomplete', async () => {
    const controller = new AbortController();
    const tenants = h.roster.slice(0, 6);
    const before = new Map([...h.history.latestVerdicts()].map(([id, v]) => [id, v[0]!.observedAt]));
    h.sim.setLatency(20);
    const running = h.check(tenants, { concurrency: 1, signal: controller.signal });
    // Abort as soon as the first tenant is stored.
    const poll = setInterval(() => {
      if ((h.history.runs(1)[0]?.tenantCount ?? 0) >= 1) controller.abort();
    }, 5);
    const result = await running.finally(() => clearInterval(poll));
    h.sim.setLatency(0);
    expect(result.interrupted).toBe(true);
    expect(result.outcomes.length).toBeGreaterThanOrEqual(1);
    expect(result.outcomes.length).toBeLessThan(tenants.length);
    expect(h.history.runs(1)[0]).toMatchObject({ id: result.runId, state: 'incomplete', tenantCount: result.outcomes.length });
    // Tenants not finished keep their earlier verdicts untouched.
    const stored = new Set(result.outcomes.map((o) => o.tenant.tenantId));
    for (const t of tenants.filter((x) => !stored.has(x.tenantId))) {
      expect(h.history.latestVerdicts(t.tenantId).get(t.tenantId)?.[0]?.observedAt).toBe(before.get(t.tenantId));
    }
  });
});

describe('attestations', () => {
  it('a forced attestation of an API-access step starts T0 in this run, so alerts are read', async () => {
    const t = tenant('fresh');
    h.history.addAttestation({
      tenantId: t.tenantId,
      stepId: 'mde.api-access',
      attestedBy: 'Ana Analyst',
      note: 'customer consented through the admin consent page',
      attestedAt: new Date().toISOString(),
      expiresAt: null,
      forcedReason: 'app ID not configured yet',
    });
    h.sim.clearLog();
    const [outcome] = (await h.check([t])).outcomes;
    const verdicts = new Map(outcome!.verdicts.map((v) => [v.id, v]));
    expect(verdicts.get('mde.api-access')!.status).toBe('attested');
    expect(verdicts.get('mde.alerts')).toMatchObject({ status: 'waiting', evidence: { t0Source: 'this-run' } });
    expect(verdicts.get('mde.alerts')!.summary).toMatch(/^No Defender for Endpoint alert since/);
    expect(h.sim.log.some((e) => e.tenantId === t.tenantId && e.path.includes('alerts_v2'))).toBe(true);
  });
});

describe('settings', () => {
  it('finds the Expel enterprise apps by display name when no app ID is configured: at most warn', async () => {
    const t = tenant('onboarded');
    const result = await h.check([t], { probe: { ...SIM_SETTINGS.probe, expelAppIds: {} } });
    const verdicts = new Map(result.outcomes[0]!.verdicts.map((v) => [v.id, v]));
    expect(verdicts.get('m365.api-consent')).toMatchObject({ status: 'warn', evidence: { matchedBy: 'displayName' } });
    expect(verdicts.get('azure.api-access')!.status).toBe('warn');
  });
});
