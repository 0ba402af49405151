// Bounded concurrency: across tenants and per tenant, as observed by the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestLimits, Semaphore } from '../../src/microsoft/limiter.js';
import { decodeTokenClaims } from '../../src/microsoft/identity.js';
import { isAbortError } from '../../src/microsoft/transport.js';
import { authorityRoutes } from './support/fake-authority.js';
import { json, startTestServer, type TestServer } from './support/https-server.js';
import { closeLayers, layerFor } from './support/layer.js';

describe('Semaphore', () => {
  it('grants up to its limit, then in arrival order', async () => {
    const semaphore = new Semaphore(2);
    const order: string[] = [];
    const a = await semaphore.acquire();
    const b = await semaphore.acquire();
    const c = semaphore.acquire().then((release) => (order.push('c'), release));
    const d = semaphore.acquire().then((release) => (order.push('d'), release));
    expect(semaphore.inFlight).toBe(2);
    a();
    a(); // releasing twice frees one slot only
    const releaseC = await c;
    expect(order).toEqual(['c']);
    expect(semaphore.inFlight).toBe(2);
    b();
    (await d)();
    releaseC();
    expect(order).toEqual(['c', 'd']);
    expect(semaphore.inFlight).toBe(0);
  });

  it('drops a waiter whose signal aborts', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    const controller = new AbortController();
    const waiting = semaphore.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toSatisfy(isAbortError);
    release();
    expect(semaphore.inFlight).toBe(0);
    (await semaphore.acquire())();
  });

  it('rejects a nonsensical limit', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });

  it('RequestLimits frees the tenant slot when the global wait is aborted', async () => {
    const limits = new RequestLimits(1, 1);
    const holdGlobal = await limits.acquire('t1');
    const controller = new AbortController();
    const waiting = limits.acquire('t2', controller.signal);
    controller.abort();
    await expect(waiting).rejects.toSatisfy(isAbortError);
    holdGlobal();
    (await limits.acquire('t2'))();
  });
});

describe('limits observed by the server', () => {
  let server: TestServer;
  const inFlightByTenant = new Map<string, number>();
  const maxByTenant = new Map<string, number>();
  beforeAll(async () => {
    server = await startTestServer();
    const auth = authorityRoutes({ origin: server.origin });
    server.setHandler(async (req, res) => {
      if (auth(req, res)) return;
      const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      const tid = String(decodeTokenClaims(token)?.tid);
      const now = (inFlightByTenant.get(tid) ?? 0) + 1;
      inFlightByTenant.set(tid, now);
      maxByTenant.set(tid, Math.max(maxByTenant.get(tid) ?? 0, now));
      await new Promise((r) => setTimeout(r, 40));
      inFlightByTenant.set(tid, (inFlightByTenant.get(tid) ?? 1) - 1);
      json(res, 200, { value: [tid] });
    });
  });
  afterAll(async () => {
    closeLayers();
    await server.close();
  });

  it('never exceeds the global or the per-tenant limit', async () => {
    const tenants = Array.from({ length: 4 }, (_, i) => `${String(i + 1).repeat(8)}-aaaa-4aaa-8aaa-aaaaaaaaaaaa`);
    const layer = layerFor(server, { concurrency: 3, perTenantConcurrency: 2 });
    const sessions = tenants.map((tenant) => layer.openTenantSession(tenant));
    await Promise.all(sessions.map((session) => session.signIn()));
    const reads = sessions.flatMap((session) =>
      Array.from({ length: 5 }, (_, i) => (i % 2 === 0 ? session.graph.list({ path: `/users?i=${i}` }) : session.arm.list(`/subscriptions/${i}`, '2022-12-01'))),
    );
    const results = await Promise.all(reads);
    expect(results.flat().sort()).toEqual(tenants.flatMap((t) => Array(5).fill(t)).sort());
    expect(server.maxInFlight()).toBeLessThanOrEqual(3);
    expect(server.maxInFlight()).toBeGreaterThanOrEqual(2);
    for (const tenant of tenants) expect(maxByTenant.get(tenant)).toBeLessThanOrEqual(2);
  });
});
