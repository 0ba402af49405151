// What a run holds on to: with keepOutcomes false the runner hands each tenant to onTenantDone and
// keeps nothing of it; every session it opens is closed, also when the run is aborted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/runner.js';
import type { TenantSession } from '../../src/microsoft/types.js';
import { SIM_SETTINGS, startHarness, type Harness } from './sim-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

function counting(): { open: (tenantId: string, signal: AbortSignal) => TenantSession; opened: string[]; closed: string[] } {
  const opened: string[] = [];
  const closed: string[] = [];
  return {
    opened,
    closed,
    open: (tenantId, signal) => {
      const session = h.access.openTenantSession(tenantId, signal);
      opened.push(tenantId);
      return {
        ...session,
        close: () => {
          closed.push(tenantId);
          session.close?.();
        },
      };
    },
  };
}

describe('what a run keeps', () => {
  it('streams every tenant to onTenantDone and returns no outcomes when told not to keep them', async () => {
    const tenants = h.roster.slice(0, 5);
    const seen: string[] = [];
    const sessions = counting();
    const result = await runCheck({
      tenants,
      filter: null,
      openSession: sessions.open,
      history: h.history,
      settings: SIM_SETTINGS,
      keepOutcomes: false,
      onTenantDone: (outcome, done, total) => {
        expect(outcome.verdicts.length).toBeGreaterThan(0);
        expect(total).toBe(tenants.length);
        seen.push(`${done}:${outcome.tenant.tenantId}`);
      },
    });
    expect(result.outcomes).toEqual([]);
    expect(result.stored).toBe(tenants.length);
    expect(seen.map((entry) => entry.split(':')[0])).toEqual(['1', '2', '3', '4', '5']);
    expect(new Set(seen.map((entry) => entry.split(':')[1]))).toEqual(new Set(tenants.map((t) => t.tenantId)));
    expect(h.history.runs(1)[0]).toMatchObject({ id: result.runId, state: 'complete', tenantCount: tenants.length });
    expect(sessions.closed.sort()).toEqual(sessions.opened.sort());
  });

  it('keeps the outcomes by default (check --json prints them at the end)', async () => {
    const tenants = h.roster.slice(0, 2);
    const result = await h.check(tenants);
    expect(result.stored).toBe(2);
    expect(result.outcomes.map((o) => o.tenant.tenantId)).toEqual(tenants.map((t) => t.tenantId));
  });

  it('closes the sessions of tenants cut off by an abort', async () => {
    const controller = new AbortController();
    const sessions = counting();
    h.sim.setLatency(20);
    const running = runCheck({
      tenants: h.roster.slice(0, 6),
      filter: null,
      openSession: sessions.open,
      history: h.history,
      settings: { ...SIM_SETTINGS, concurrency: 2 },
      signal: controller.signal,
      keepOutcomes: false,
      onTenantDone: () => controller.abort(),
    });
    const result = await running.finally(() => h.sim.setLatency(0));
    expect(result.interrupted).toBe(true);
    expect(sessions.opened.length).toBeGreaterThan(result.stored);
    expect(sessions.closed.sort()).toEqual(sessions.opened.sort());
  });
});
