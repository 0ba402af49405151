// Read-only by construction: writes are refused in the transport before a connection opens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertReadOnly, WriteRefusedError } from '../../src/microsoft/guard.js';
import { createGraphClient } from '../../src/microsoft/graph.js';
import { RequestLimits } from '../../src/microsoft/limiter.js';
import { systemClock } from '../../src/microsoft/retry.js';
import { sendWithRetries, type SenderContext } from '../../src/microsoft/sender.js';
import { Transport } from '../../src/microsoft/transport.js';
import { authorityRoutes } from './support/fake-authority.js';
import { fakeJwt, json, startTestServer, type TestServer } from './support/https-server.js';
import { closeLayers, layerFor, TENANT_A } from './support/layer.js';

const rules = { authorityOrigins: ['https://login.example.test'], graphOrigin: 'https://graph.example.test' };
const batch = (requests: unknown[]) => JSON.stringify({ requests });

describe('assertReadOnly', () => {
  it('allows GET anywhere and the two kinds of POST', () => {
    expect(() => assertReadOnly('GET', 'https://anything.example/x?y=1', undefined, rules)).not.toThrow();
    expect(() => assertReadOnly('post', 'https://login.example.test/t1/oauth2/v2.0/token?client-request-id=1', 'grant_type=x', rules)).not.toThrow();
    expect(() => assertReadOnly('POST', 'https://login.example.test/organizations/oauth2/v2.0/devicecode', 'x', rules)).not.toThrow();
    expect(() => assertReadOnly('POST', 'https://graph.example.test/v1.0/$batch', batch([{ id: '1', method: 'GET', url: '/users' }]), rules)).not.toThrow();
    expect(() => assertReadOnly('POST', 'https://graph.example.test/beta/$batch', batch([{ id: '1', method: 'get', url: 'me' }]), rules)).not.toThrow();
  });

  it.each([
    ['PATCH', 'https://graph.example.test/v1.0/users/1', '{}'],
    ['DELETE', 'https://graph.example.test/v1.0/users/1', undefined],
    ['PUT', 'https://management.example.test/subscriptions/s?api-version=1', '{}'],
    ['HEAD', 'https://graph.example.test/v1.0/users', undefined],
    ['POST', 'https://graph.example.test/v1.0/users', '{}'],
    ['POST', 'https://graph.example.test/v1.0/invitations', '{}'],
    ['POST', 'https://management.example.test/subscriptions/s/providers/Microsoft.Storage/storageAccounts/a/listKeys', ''],
    ['POST', 'https://login.example.test/t1/oauth2/v2.0/logout', ''],
    ['POST', 'https://evil.example.test/t1/oauth2/v2.0/token', 'grant_type=x'],
    ['POST', 'https://login.example.test/v1.0/$batch', batch([{ id: '1', method: 'GET', url: '/users' }])],
  ])('refuses %s %s', (method, url, body) => {
    expect(() => assertReadOnly(method, url, body, rules)).toThrow(WriteRefusedError);
  });

  it.each([
    ['a PATCH inside', batch([{ id: '1', method: 'GET', url: '/users' }, { id: '2', method: 'PATCH', url: '/users/1', body: {} }])],
    ['a POST inside', batch([{ id: '1', method: 'POST', url: '/invitations' }])],
    ['a body on an inner GET', batch([{ id: '1', method: 'GET', url: '/users', body: { a: 1 } }])],
    ['an absolute inner URL', batch([{ id: '1', method: 'GET', url: 'https://evil.example/x' }])],
    ['a network-path inner URL', batch([{ id: '1', method: 'GET', url: '//evil.example/x' }])],
    ['more than 20 requests', batch(Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/me' })))],
    ['no requests', batch([])],
    ['a body that is not JSON', '{"requests": ['],
    ['a missing method', batch([{ id: '1', url: '/users' }])],
  ])('refuses a $batch with %s', (_, body) => {
    expect(() => assertReadOnly('POST', 'https://graph.example.test/v1.0/$batch', body, rules)).toThrow(WriteRefusedError);
  });

  it('refuses a GET that carries a body', () => {
    expect(() => assertReadOnly('GET', 'https://graph.example.test/v1.0/users', '{"a":1}', rules)).toThrow(WriteRefusedError);
  });
});

describe('a probe-like caller cannot write', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    const auth = authorityRoutes({ origin: server.origin });
    server.setHandler((req, res) => {
      if (auth(req, res)) return;
      json(res, 200, { ok: true, responses: [] });
    });
  });
  afterAll(async () => {
    closeLayers();
    await server.close();
  });

  function graphAndTransport() {
    const transport = new Transport({
      guard: { authorityOrigins: [server.origin], graphOrigin: server.origin },
      ca: server.ca,
      timeoutMs: 5000,
      maxResponseBytes: 1 << 20,
    });
    const sender: SenderContext = {
      transport,
      policy: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1, random: Math.random, clock: systemClock },
      limits: new RequestLimits(4, 2),
      tenantKey: TENANT_A,
      stats: { requests: 0, retries: 0, throttled: 0 },
    };
    const token = fakeJwt({ tid: TENANT_A });
    const graph = createGraphClient(
      { getToken: async () => ({ token, claims: { tenantId: TENANT_A } as never }), graphOrigin: server.origin, sender },
      'https://graph.microsoft.com/.default',
    );
    return { transport, sender, graph };
  }

  it('refuses PATCH, DELETE, PUT and POST through the Graph client without sending a byte', async () => {
    const { graph, transport } = graphAndTransport();
    const before = { connections: server.connections(), requests: server.log.length };
    await expect(graph.api('/users/1').patch({ accountEnabled: false })).rejects.toThrow();
    await expect(graph.api('/users/1').delete()).rejects.toThrow();
    await expect(graph.api('/users/1').put({})).rejects.toThrow();
    await expect(graph.api('/invitations').post({ invitedUserEmailAddress: 'x@y.z' })).rejects.toThrow();
    await expect(
      graph.api('/$batch').post({ requests: [{ id: '1', method: 'GET', url: '/me' }, { id: '2', method: 'PATCH', url: '/users/1', body: {} }] }),
    ).rejects.toThrow();
    expect(server.connections()).toBe(before.connections);
    expect(server.log.length).toBe(before.requests);
    // …while a read through the same client does reach the server.
    await graph.api('/$batch').post({ requests: [{ id: '1', method: 'GET', url: '/me' }] });
    expect(server.log.at(-1)?.path).toBe('/v1.0/$batch');
    transport.close();
  });

  it('refuses a write to ARM or the authority through the shared sender', async () => {
    const { sender, transport } = graphAndTransport();
    const before = server.log.length;
    const attempt = (method: string, path: string) =>
      sendWithRetries(sender, { method: method as 'POST', url: `${server.origin}${path}`, headers: {}, body: '{}', label: path });
    await expect(attempt('POST', '/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/a/listKeys?api-version=2023-05-01')).rejects.toBeInstanceOf(WriteRefusedError);
    await expect(attempt('PUT', '/subscriptions/s/providers/Microsoft.Security/pricings/Arm?api-version=2024-01-01')).rejects.toBeInstanceOf(WriteRefusedError);
    await expect(attempt('DELETE', '/subscriptions/s/providers/Microsoft.Authorization/roleAssignments/x?api-version=2022-04-01')).rejects.toBeInstanceOf(WriteRefusedError);
    await expect(attempt('POST', `/${TENANT_A}/oauth2/v2.0/authorize`)).rejects.toBeInstanceOf(WriteRefusedError);
    expect(server.log.length).toBe(before);
    expect(sender.stats.requests).toBe(0);
    transport.close();
  });

  it('the session surface only reads: its batch sends GETs', async () => {
    const layer = layerFor(server);
    const session = layer.openTenantSession(TENANT_A);
    server.setHandler((req, res) => {
      if (authorityRoutes({ origin: server.origin })(req, res)) return;
      const requests = (JSON.parse(req.body || '{}') as { requests?: Array<{ id: string }> }).requests ?? [];
      json(res, 200, { responses: requests.map((r) => ({ id: r.id, status: 200, body: { value: [] } })) });
    });
    await session.graph.batch({ a: { path: '/users' }, b: { path: '/groups' } });
    const sent = server.log.filter((r) => r.path.endsWith('$batch')).at(-1);
    const inner = (JSON.parse(sent!.body) as { requests: Array<{ method: string }> }).requests;
    expect(inner.map((r) => r.method)).toEqual(['GET', 'GET']);
    layer.close();
  });
});
