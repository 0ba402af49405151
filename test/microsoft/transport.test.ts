// The transport and the sender under failure: timeouts, cancellation, dropped connections,
// oversized or malformed responses, certificate trust; plus anonymous discovery.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { generate } from 'selfsigned';
import { AccessError } from '../../src/microsoft/types.js';
import { isAbortError } from '../../src/microsoft/transport.js';
import { startFakeCloud, type FakeCloud } from './support/fake-authority.js';
import { json, startTestServer, type LoggedRequest, type TestServer } from './support/https-server.js';
import { closeLayers, layerFor, recordingClock, TENANT_A } from './support/layer.js';

let server: TestServer;
let route: FakeCloud['route'];
const stalled: ServerResponse[] = [];
beforeAll(async () => {
  ({ server, route } = await startFakeCloud());
});
beforeEach(() => {
  route((_, res) => json(res, 200, { value: [] }));
});
afterAll(async () => {
  for (const res of stalled) res.destroy();
  closeLayers();
  await server.close();
});
const apiRequests = () => server.log.filter((r) => r.path.startsWith('/v1.0/'));
const stall = (_: LoggedRequest, res: ServerResponse) => void stalled.push(res);
const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);

describe('timeouts', () => {
  it('a stalled request times out, is retried, then ends as timeout', async () => {
    route(stall);
    const before = apiRequests().length;
    const clock = recordingClock();
    const session = layerFor(server, { requestTimeoutSeconds: 0.2, maxRetries: 1, clock }).openTenantSession(TENANT_A);
    const error = await failure(session.graph.get({ path: '/users' }));
    expect(error).toBeInstanceOf(AccessError);
    expect(error).toMatchObject({ reason: 'timeout', evidence: { code: 'ETIMEDOUT', request: 'GET v1.0 /users', attempts: 2 } });
    expect(apiRequests().length - before).toBe(2);
  });

  it('a body that stops half-way also times out', async () => {
    route((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"value":[');
      stalled.push(res);
    });
    const session = layerFor(server, { requestTimeoutSeconds: 0.2, maxRetries: 0 }).openTenantSession(TENANT_A);
    await expect(session.graph.get({ path: '/users' })).rejects.toMatchObject({ reason: 'timeout' });
  });
});

describe('cancellation', () => {
  it('abort stops an in-flight request with an AbortError (not an AccessError)', async () => {
    route(stall);
    const controller = new AbortController();
    const session = layerFor(server).openTenantSession(TENANT_A, controller.signal);
    const before = apiRequests().length;
    const pending = failure(session.graph.get({ path: '/users' }));
    while (apiRequests().length === before) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const error = await pending;
    expect(isAbortError(error)).toBe(true);
    expect(error).not.toBeInstanceOf(AccessError);
  });

  it('abort ends a Retry-After wait at once (a 60 s wait would exceed the test timeout)', async () => {
    route((_, res) => json(res, 429, { error: { code: 'TooManyRequests', message: 'wait' } }, { 'retry-after': '60' }));
    const controller = new AbortController();
    const session = layerFor(server).openTenantSession(TENANT_A, controller.signal);
    const pending = failure(session.arm.get('/subscriptions', '2022-12-01'));
    while (server.log.filter((r) => r.path.startsWith('/subscriptions')).length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    expect(isAbortError(await pending)).toBe(true);
    expect(server.log.filter((r) => r.path.startsWith('/subscriptions'))).toHaveLength(1);
  });

  it('abort releases a request that is waiting for a concurrency slot', async () => {
    route(stall);
    const layer = layerFor(server, { perTenantConcurrency: 1 });
    const first = layer.openTenantSession(TENANT_A);
    await first.signIn();
    const before = apiRequests().length;
    void failure(first.graph.get({ path: '/users' }));
    while (apiRequests().length === before) await new Promise((r) => setTimeout(r, 5));
    const controller = new AbortController();
    const second = layer.openTenantSession(TENANT_A, controller.signal);
    const pending = failure(second.graph.get({ path: '/groups' }));
    await new Promise((r) => setTimeout(r, 30));
    controller.abort();
    expect(isAbortError(await pending)).toBe(true);
    expect(apiRequests().slice(before).map((r) => r.path)).toEqual(['/v1.0/users']);
  });

  it('a session whose signal is already aborted sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const before = server.log.length;
    const session = layerFor(server).openTenantSession(TENANT_A, controller.signal);
    expect(isAbortError(await failure(session.graph.get({ path: '/users' })))).toBe(true);
    expect(isAbortError(await failure(session.arm.list('/subscriptions', '2022-12-01')))).toBe(true);
    expect(server.log.length).toBe(before);
  });
});

describe('broken connections and bodies', () => {
  it('retries a dropped connection, then succeeds', async () => {
    let drops = 2;
    route((_, res) => {
      if (drops-- > 0) res.socket?.destroy();
      else json(res, 200, { value: [1] });
    });
    const clock = recordingClock();
    const session = layerFor(server, { clock }).openTenantSession(TENANT_A);
    await expect(session.graph.list({ path: '/users' })).resolves.toEqual([1]);
    expect(session.stats.retries).toBe(2);
    expect(clock.waits).toHaveLength(2);
  });

  it('keeps dropping: network, with the Node error code', async () => {
    route((_, res) => res.socket?.destroy());
    const session = layerFor(server, { clock: recordingClock(), maxRetries: 2 }).openTenantSession(TENANT_A);
    const error = await failure(session.graph.get({ path: '/users' }));
    expect(error).toMatchObject({ reason: 'network', evidence: { code: 'ECONNRESET', attempts: 3 } });
  });

  it('refuses an oversized response without retrying it', async () => {
    route((_, res) => json(res, 200, { value: ['x'.repeat(5000)] }));
    const session = layerFor(server, { maxResponseBytes: 1000 }).openTenantSession(TENANT_A);
    const before = apiRequests().length;
    await expect(session.graph.get({ path: '/users' })).rejects.toMatchObject({ reason: 'unexpected_response', message: expect.stringContaining('too large') });
    expect(apiRequests().length - before).toBe(1);
  });

  it('caps a streamed body that announces no length', async () => {
    route((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < 10; i++) res.write('x'.repeat(500));
      res.end();
    });
    const session = layerFor(server, { maxResponseBytes: 1000 }).openTenantSession(TENANT_A);
    await expect(session.graph.get({ path: '/users' })).rejects.toMatchObject({ reason: 'unexpected_response' });
  });

  it.each([
    ['malformed JSON', 'application/json', '{"value": [1,'],
    ['an HTML page', 'text/html', '<html>sign in to the wifi</html>'],
    ['an empty body', 'application/json', ''],
  ])('maps %s to unexpected_response', async (_, type, body) => {
    route((_, res) => {
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    });
    const session = layerFor(server).openTenantSession(TENANT_A);
    await expect(session.graph.get({ path: '/organization' })).rejects.toMatchObject({ reason: 'unexpected_response', evidence: { status: 200 } });
  });

  it('maps a collection without a value array to unexpected_response', async () => {
    route((_, res) => json(res, 200, { items: [] }));
    const session = layerFor(server).openTenantSession(TENANT_A);
    await expect(session.graph.list({ path: '/users' })).rejects.toMatchObject({ reason: 'unexpected_response' });
    await expect(session.arm.list('/subscriptions', '2022-12-01')).rejects.toMatchObject({ reason: 'unexpected_response' });
  });
});

describe('certificate trust', () => {
  it('does not trust the test server without its certificate', async () => {
    const layer = layerFor(server, { ca: undefined });
    const error = await failure(layer.discover(TENANT_A));
    expect(error).toMatchObject({ reason: 'network' });
    expect((error as AccessError).evidence.code).toMatch(/CERT|SELF_SIGNED/);
    expect((error as AccessError).message).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('keeps NODE_EXTRA_CA_CERTS when an extra CA is also given', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'expel-ca-'));
    const file = path.join(dir, 'extra.pem');
    writeFileSync(file, server.ca);
    const unrelated = await generate([{ name: 'commonName', value: 'unrelated' }], { keySize: 2048 });
    const layer = layerFor(server, {
      ca: unrelated.cert,
      env: { NODE_EXTRA_CA_CERTS: file, AZURE_CLIENT_ID: '33333333-3333-4333-8333-333333333333', AZURE_CLIENT_SECRET: 's' },
    });
    await expect(layer.discover(TENANT_A)).resolves.toMatchObject({ found: true, tenantId: TENANT_A });
  });
});

describe('discovery', () => {
  it('finds a tenant and reads its ID from the issuer', async () => {
    const layer = layerFor(server);
    await expect(layer.discover(TENANT_A.toUpperCase())).resolves.toEqual({
      found: true,
      tenantId: TENANT_A,
      issuer: `${server.origin}/${TENANT_A.toUpperCase()}/v2.0`,
      cloudInstanceName: null,
    });
  });

  it('reports AADSTS90002 as not found', async () => {
    const authority = await startTestServer((req, res) => {
      if (req.path.startsWith('/nosuch.example')) {
        return json(res, 400, { error: 'invalid_tenant', error_description: "AADSTS90002: Tenant 'nosuch.example' not found.", error_codes: [90002] });
      }
      if (req.path.startsWith('/plain.example')) return json(res, 400, { error: 'invalid_request', error_description: 'bad' });
      json(res, 502, { error: { code: 'BadGateway' } });
    });
    const layer = layerFor(authority, { maxRetries: 0 });
    await expect(layer.discover('nosuch.example')).resolves.toEqual({ found: false, code: 'AADSTS90002' });
    await expect(layer.discover('plain.example')).resolves.toEqual({ found: false, code: 'invalid_request' });
    await expect(layer.discover('other.example')).rejects.toMatchObject({ reason: 'unexpected_response', evidence: { status: 502 } });
    await expect(layer.discover('../../etc')).rejects.toThrow(RangeError);
    layer.close();
    await authority.close();
  });
});
