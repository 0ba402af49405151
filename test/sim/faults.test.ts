// Faults, latency and the request log: deterministic by seed, visible on the wire as Microsoft
// would show them, and recorded so tests can check what a client did about them.
import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimCloud, type SimCloud } from '../../sim/index.js';
import { appToken, bearer, call } from './support.js';

const CONTOSO = 'f9559371-efe4-444a-9b7d-8a5793227fd4';

let cloud: SimCloud;
let graphToken: string;
let armToken: string;
beforeAll(async () => {
  cloud = await startSimCloud({ seed: 42 });
  graphToken = await appToken(cloud, CONTOSO);
  armToken = await appToken(cloud, CONTOSO, 'arm');
});
afterAll(async () => {
  await cloud?.close();
});

const graph = (path: string) => call(cloud, `${cloud.graphUrl}${path}`, { headers: bearer(graphToken) });

/** Resolves to the status, or to the error code when the connection ended without an answer. */
function attempt(url: string, token: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = httpsRequest(url, { headers: bearer(token), ca: cloud.ca }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

describe('faults', () => {
  it('are the same sequence for the same seed and differ for another seed', async () => {
    const run = async (seed: number) => {
      const sim = await startSimCloud({ seed, faults: { throttleRate: 0.5 } });
      try {
        const token = await appToken(sim, CONTOSO);
        const statuses: number[] = [];
        for (const path of ['/v1.0/organization', '/v1.0/users', '/v1.0/organization', '/v1.0/applications', '/v1.0/users', '/v1.0/organization']) {
          for (let i = 0; i < 2; i++) statuses.push((await call(sim, `${sim.graphUrl}${path}`, { headers: bearer(token) })).status);
        }
        return statuses;
      } finally {
        await sim.close();
      }
    };
    const first = await run(3);
    expect(await run(3)).toEqual(first);
    expect(first).toContain(429);
    expect(first).toContain(200);
    const others = await Promise.all([run(4), run(5), run(6)]);
    expect(others.some((o) => JSON.stringify(o) !== JSON.stringify(first))).toBe(true);
  });

  it('throttles with Retry-After in seconds or as an HTTP date, on Graph and ARM', async () => {
    cloud.setFaults({ throttleRate: 1 });
    try {
      const reply = await graph('/v1.0/organization');
      expect(reply.status).toBe(429);
      expect(reply.headers['retry-after']).toBe('1');
      expect(reply.json.error.code).toBe('TooManyRequests');
      const arm = await call(cloud, `${cloud.armUrl}/subscriptions?api-version=2022-12-01`, { headers: bearer(armToken) });
      expect(arm.status).toBe(429);
      expect(arm.headers['retry-after']).toBe('1');
      expect(arm.json.error.code).toBe('SubscriptionRequestsThrottled');
      cloud.setFaults({ throttleRate: 1, retryAfterSeconds: 'http-date' });
      const dated = await graph('/v1.0/organization');
      const header = String(dated.headers['retry-after']);
      expect(header).toMatch(/^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/);
      expect(Date.parse(header)).toBeGreaterThan(cloud.log.at(-1)!.time);
      expect(cloud.log.at(-1)).toMatchObject({ status: 429, fault: 'throttle', retryAfter: header, retryAt: Date.parse(header) });
    } finally {
      cloud.setFaults({});
    }
  });

  it('answers 503, drops connections and stalls as configured; login is never faulted', async () => {
    try {
      cloud.setFaults({ unavailableRate: 1 });
      const unavailable = await graph('/v1.0/organization');
      expect(unavailable.status).toBe(503);
      expect(unavailable.headers['retry-after']).toBeUndefined();
      expect((await appToken(cloud, CONTOSO)).length).toBeGreaterThan(0);

      cloud.setFaults({ dropRate: 1 });
      const dropped = await attempt(`${cloud.graphUrl}/v1.0/organization`, graphToken);
      expect(typeof dropped).toBe('string');
      expect(cloud.log.at(-1)).toMatchObject({ fault: 'drop', status: 0 });

      cloud.setFaults({ stallRate: 1, stallMs: 150 });
      const stalled = await attempt(`${cloud.armUrl}/subscriptions?api-version=2022-12-01`, armToken);
      expect(typeof stalled).toBe('string');
      expect(cloud.log.at(-1)).toMatchObject({ service: 'arm', fault: 'stall', status: 0 });
    } finally {
      cloud.setFaults({});
    }
  });

  it('throttles inner $batch requests individually, each with its own Retry-After', async () => {
    cloud.setFaults({ batchInnerThrottleRate: 1, retryAfterSeconds: 2 });
    try {
      const reply = await call(cloud, `${cloud.graphUrl}/v1.0/$batch`, {
        method: 'POST',
        headers: bearer(graphToken, { 'content-type': 'application/json' }),
        body: JSON.stringify({ requests: [{ id: 'a', method: 'GET', url: '/organization' }, { id: 'b', method: 'GET', url: '/users' }] }),
      });
      expect(reply.status).toBe(200);
      for (const inner of reply.json.responses) {
        expect(inner.status).toBe(429);
        expect(inner.headers['Retry-After']).toBe('2');
        expect(inner.body.error.code).toBe('TooManyRequests');
      }
      const batchEntry = cloud.log.filter((e) => e.batchInnerCount === 2).at(-1)!;
      expect(batchEntry.status).toBe(200);
      expect(cloud.log.filter((e) => e.batchSeq === batchEntry.seq).map((e) => e.fault)).toEqual(['throttle', 'throttle']);
    } finally {
      cloud.setFaults({});
    }
  });
});

describe('latency and the request log', () => {
  it('delays every answer by the configured latency', async () => {
    cloud.setLatency(120);
    try {
      const started = performance.now();
      expect((await graph('/v1.0/organization')).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    } finally {
      cloud.setLatency(0);
    }
  });

  it('records each request with its tenant, status and path, and can be cleared', async () => {
    cloud.clearLog();
    await graph('/v1.0/organization');
    await graph('/v1.0/organization');
    await graph('/v1.0/users?$top=1');
    expect(cloud.log.map((e) => e.seq)).toEqual([...cloud.log.map((e) => e.seq)].sort((a, b) => a - b));
    const counts = cloud.log.reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.path]: (acc[e.path] ?? 0) + 1 }), {});
    expect(counts).toEqual({ '/v1.0/organization': 2, '/v1.0/users?$top=1': 1 });
    expect(cloud.log.every((e) => e.service === 'graph' && e.tenantId === CONTOSO && e.status === 200 && e.method === 'GET')).toBe(true);
    expect(cloud.log[0]!.clientKey).toBe(`${CONTOSO}|GET|/v1.0/organization`);
  });

  it('tells whether a retry waited for the Retry-After it was given', async () => {
    cloud.clearLog();
    cloud.setFaults({ throttleRate: 1 });
    await graph('/v1.0/organization');
    cloud.setFaults({});
    await graph('/v1.0/organization'); // too early
    cloud.setFaults({ throttleRate: 1 });
    await graph('/v1.0/users');
    cloud.setFaults({});
    await new Promise((r) => setTimeout(r, Number(cloud.log.at(-1)!.retryAt) - Date.now() + 20));
    await graph('/v1.0/users'); // after the Retry-After
    const timings = cloud.retryTimings();
    expect(timings.map((t) => [t.clientKey.split('|')[2], t.honoured])).toEqual([
      ['/v1.0/organization', false],
      ['/v1.0/users', true],
    ]);
    expect(timings[0]!.retryAfterMs).toBeGreaterThan(0);
  });
});
