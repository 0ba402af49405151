// Retry-After (seconds and HTTP date), backoff with jitter where it is absent, exhausted retries.
// Waits are asserted as requested delays (a recording clock) or as minimum gaps in the server's
// log, never as upper bounds on wall time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessError } from '../../src/microsoft/types.js';
import { backoffDelay, decideRetry, parseRetryAfter, systemClock, type RetryPolicy } from '../../src/microsoft/retry.js';
import { authorityRoutes } from './support/fake-authority.js';
import { json, startTestServer, type LoggedRequest, type TestServer } from './support/https-server.js';
import { closeLayers, layerFor, recordingClock, TENANT_A } from './support/layer.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-22T10:00:00Z');
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });
  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:59:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    for (const value of [undefined, null, '', 'soon', '-3', '12abc!', 'Mon, 99 Foo 2026']) expect(parseRetryAfter(value, now)).toBeNull();
  });
});

describe('backoff', () => {
  const policy = { baseDelayMs: 1000, maxDelayMs: 8000 };
  it('doubles per retry, jittered within [d/2, d], capped', () => {
    expect(backoffDelay(0, { ...policy, random: () => 0 })).toBe(500);
    expect(backoffDelay(0, { ...policy, random: () => 1 })).toBe(1000);
    expect(backoffDelay(2, { ...policy, random: () => 0 })).toBe(2000);
    expect(backoffDelay(2, { ...policy, random: () => 1 })).toBe(4000);
    expect(backoffDelay(10, { ...policy, random: () => 1 })).toBe(8000);
  });
  it('stops after maxRetries and refuses an overlong Retry-After', () => {
    const base: RetryPolicy = { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 60_000, random: () => 0.5, clock: systemClock };
    expect(decideRetry(0, '3', base)).toEqual({ retry: true, delayMs: 3000, fromHeader: true });
    expect(decideRetry(2, '3', base)).toEqual({ retry: false, why: 'exhausted', retryAfterMs: 3000 });
    expect(decideRetry(0, '3600', base)).toEqual({ retry: false, why: 'retry_after_too_long', retryAfterMs: 3_600_000 });
    expect(decideRetry(1, undefined, base)).toEqual({ retry: true, delayMs: 150, fromHeader: false });
  });
});

describe('retries against a server', () => {
  let server: TestServer;
  let script: Array<(req: LoggedRequest) => [number, unknown, Record<string, string>?]> = [];
  beforeAll(async () => {
    server = await startTestServer();
    const auth = authorityRoutes({ origin: server.origin });
    server.setHandler((req, res) => {
      if (auth(req, res)) return;
      const step = script.shift();
      if (!step) return json(res, 200, { value: ['done'] });
      const [status, body, headers] = step(req);
      json(res, status, body, headers);
    });
  });
  afterAll(async () => {
    closeLayers();
    await server.close();
  });
  const throttle = (headers: Record<string, string> = {}) => () =>
    [429, { error: { code: 'TooManyRequests', message: 'slow down' } }, headers] as [number, unknown, Record<string, string>];
  const apiRequests = () => server.log.filter((r) => r.path.startsWith('/v1.0/') || r.path.startsWith('/subscriptions'));

  it('waits the seconds a 429 asks for, then succeeds', async () => {
    const clock = recordingClock();
    script = [throttle({ 'retry-after': '2' }), throttle({ 'retry-after': '5' })];
    const session = layerFor(server, { clock }).openTenantSession(TENANT_A);
    await expect(session.graph.get({ path: '/organization' })).resolves.toEqual({ value: ['done'] });
    expect(clock.waits).toEqual([2000, 5000]);
    expect(session.stats).toMatchObject({ retries: 2, throttled: 2 });
  });

  it('waits until an HTTP-date Retry-After', async () => {
    const clock = recordingClock();
    const at = new Date(clock.now() + 4000);
    at.setUTCMilliseconds(0);
    script = [throttle({ 'retry-after': at.toUTCString() })];
    const session = layerFor(server, { clock }).openTenantSession(TENANT_A);
    await session.graph.get({ path: '/organization' });
    expect(clock.waits).toHaveLength(1);
    expect(clock.waits[0]).toBeGreaterThan(2900);
    expect(clock.waits[0]).toBeLessThanOrEqual(4000);
  });

  it('honours Retry-After for ARM and for 503/504 too', async () => {
    const clock = recordingClock();
    script = [
      () => [503, { error: { code: 'ServerBusy', message: 'busy' } }, { 'retry-after': '1' }],
      () => [504, { error: { code: 'GatewayTimeout', message: 'slow' } }, { 'retry-after': '3' }],
    ];
    const session = layerFor(server, { clock }).openTenantSession(TENANT_A);
    await expect(session.arm.list('/subscriptions', '2022-12-01')).resolves.toEqual(['done']);
    expect(clock.waits).toEqual([1000, 3000]);
  });

  it('backs off exponentially with jitter when there is no Retry-After', async () => {
    const clock = recordingClock();
    script = [throttle(), throttle(), throttle()];
    const layer = layerFor(server, { clock, retryBaseDelayMs: 1000, retryMaxDelayMs: 60_000, random: () => 0.25 });
    await layer.openTenantSession(TENANT_A).graph.get({ path: '/organization' });
    // d = base·2^n, waited d/2 + d/2·0.25
    expect(clock.waits).toEqual([625, 1250, 2500]);
  });

  it('gives up as throttled after maxRetries, with the code and wait in evidence', async () => {
    const clock = recordingClock();
    script = Array.from({ length: 3 }, () => throttle({ 'retry-after': '1' }));
    const session = layerFor(server, { clock, maxRetries: 2 }).openTenantSession(TENANT_A);
    const error = await session.graph.get({ path: '/users' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessError);
    expect(error).toMatchObject({ reason: 'throttled', evidence: { status: 429, code: 'TooManyRequests', request: 'GET v1.0 /users', retryAfterSeconds: 1 } });
    expect(session.stats).toMatchObject({ requests: 3, retries: 2, throttled: 3 });
  });

  it('does not wait for a Retry-After beyond the configured maximum', async () => {
    const clock = recordingClock();
    script = [throttle({ 'retry-after': '900' })];
    const session = layerFor(server, { clock, maxRetryAfterSeconds: 60 }).openTenantSession(TENANT_A);
    await expect(session.graph.get({ path: '/users' })).rejects.toMatchObject({ reason: 'throttled', evidence: { retryAfterSeconds: 900 } });
    expect(clock.waits).toEqual([]);
  });

  it('really waits: the retry arrives at least Retry-After after the 429 (server log)', async () => {
    script = [throttle({ 'retry-after': '1' })];
    const before = apiRequests().length;
    await layerFor(server).openTenantSession(TENANT_A).graph.get({ path: '/organization' });
    const [first, second] = apiRequests().slice(before);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
  });
});
