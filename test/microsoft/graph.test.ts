// Graph reads through the real Graph client: paging, nextLink host checks, the Prefer header on
// security reads, v1.0 and beta, and $batch (chunks of 20, one version each, ids, inner retries).
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccessError } from '../../src/microsoft/types.js';
import { startFakeCloud, type FakeCloud } from './support/fake-authority.js';
import { json, type LoggedRequest, type TestServer } from './support/https-server.js';
import { closeLayers, layerFor, recordingClock, TENANT_A } from './support/layer.js';

let server: TestServer;
let route: FakeCloud['route'];
beforeAll(async () => {
  ({ server, route } = await startFakeCloud());
});
beforeEach(() => {
  route((_, res) => json(res, 404, { error: { code: 'Request_ResourceNotFound', message: 'no route' } }));
});
afterAll(async () => {
  closeLayers();
  await server.close();
});
const since = (count: number) => server.log.slice(count).filter((r) => !r.path.includes('oauth2') && !r.path.includes('openid'));

describe('get and list', () => {
  it('follows @odata.nextLink to the end, keeping the query intact', async () => {
    route((req, res) => {
      const url = new URL(req.path, server.origin);
      const page = Number(url.searchParams.get('$skiptoken') ?? '0');
      const next = page < 2 ? `${server.origin}/v1.0/users?$skiptoken=${page + 1}` : undefined;
      json(res, 200, { value: [`u${page}a`, `u${page}b`], ...(next ? { '@odata.nextLink': next } : {}) });
    });
    const before = server.log.length;
    const session = layerFor(server).openTenantSession(TENANT_A);
    const users = await session.graph.list({ path: "/users?$filter=mail eq 'a123@soc.expel.io'&$select=id,mail" });
    expect(users).toEqual(['u0a', 'u0b', 'u1a', 'u1b', 'u2a', 'u2b']);
    const paths = since(before).map((r) => decodeURIComponent(r.path));
    expect(paths[0]).toContain("$filter=mail eq 'a123@soc.expel.io'");
    expect(paths[0]).toContain('$select=id,mail');
    expect(paths.slice(1)).toEqual(['/v1.0/users?$skiptoken=1', '/v1.0/users?$skiptoken=2']);
    expect(since(before).every((r) => String(r.headers.authorization).startsWith('Bearer '))).toBe(true);
    await expect(session.graph.get({ path: '/users', all: true })).resolves.toEqual({ value: ['u0a', 'u0b', 'u1a', 'u1b', 'u2a', 'u2b'] });
  });

  it.each([
    ['another host', 'https://evil.example.test/v1.0/users?$skiptoken=1'],
    ['another port', 'https://127.0.0.1:1/v1.0/users?$skiptoken=1'],
    ['plain http', 'http://127.0.0.1/v1.0/users'],
    ['a non-URL', 'not a url'],
  ])('refuses a nextLink to %s, sending nothing there', async (_, link) => {
    route((_, res) => json(res, 200, { value: [1], '@odata.nextLink': link }));
    const before = server.log.length;
    const session = layerFor(server).openTenantSession(TENANT_A);
    const error = await session.graph.list({ path: '/users' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessError);
    expect(error).toMatchObject({ reason: 'unexpected_response' });
    expect(since(before)).toHaveLength(1);
  });

  it('refuses a nextLink loop', async () => {
    route((_, res) => json(res, 200, { value: [1], '@odata.nextLink': `${server.origin}/v1.0/users?$skiptoken=same` }));
    const session = layerFor(server).openTenantSession(TENANT_A);
    await expect(session.graph.list({ path: '/users' })).rejects.toMatchObject({ reason: 'unexpected_response', message: expect.stringContaining('same next-page link') });
  });

  it('adds Prefer: include-unknown-enum-members to security reads and their next pages only', async () => {
    route((req, res) => {
      if (req.path.includes('skiptoken')) return json(res, 200, { value: [2] });
      if (req.path.startsWith('/v1.0/security/')) return json(res, 200, { value: [1], '@odata.nextLink': `${server.origin}/v1.0/security/alerts_v2?$skiptoken=x` });
      json(res, 200, { value: [] });
    });
    const before = server.log.length;
    const session = layerFor(server).openTenantSession(TENANT_A);
    await session.graph.list({ path: "/security/alerts_v2?$filter=serviceSource eq 'microsoftSentinel'" });
    await session.graph.list({ path: '/users' });
    await session.graph.list({ path: '/security/incidents', headers: { Prefer: 'odata.maxpagesize=10' } });
    const sent = since(before);
    expect(sent.map((r) => r.headers.prefer)).toEqual([
      'include-unknown-enum-members',
      'include-unknown-enum-members',
      undefined,
      'odata.maxpagesize=10, include-unknown-enum-members',
      'odata.maxpagesize=10, include-unknown-enum-members',
    ]);
  });

  it('reads beta, and rejects paths that would leave the version root', async () => {
    route((req, res) => json(res, 200, { path: req.path }));
    const session = layerFor(server).openTenantSession(TENANT_A);
    await expect(session.graph.get({ path: '/reports/servicePrincipalSignInActivities', version: 'beta' })).resolves.toEqual({
      path: '/beta/reports/servicePrincipalSignInActivities',
    });
    for (const path of ['users', '//evil/x', '/v1.0/users', 'https://evil/x']) {
      await expect(session.graph.get({ path })).rejects.toThrow(RangeError);
    }
  });

  it('never lets a caller header replace the bearer token', async () => {
    route((req, res) => json(res, 200, { auth: req.headers.authorization }));
    const session = layerFor(server).openTenantSession(TENANT_A);
    const body = await session.graph.get<{ auth: string }>({ path: '/me', headers: { Authorization: 'Bearer forged' } });
    expect(body.auth).not.toBe('Bearer forged');
    expect(body.auth).toMatch(/^Bearer eyJ/);
  });
});

interface Inner {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
}

describe('$batch', () => {
  const batches: Array<{ version: string; requests: Inner[] }> = [];
  beforeEach(() => {
    batches.length = 0;
  });
  /** Answers each inner request with `answer(url, attempt)`; replies in reverse order to prove id matching. */
  type InnerAnswer = { status: number; body?: unknown; headers?: Record<string, string> };
  function batchRoute(answer: (inner: Inner, attempt: number) => InnerAnswer) {
    const attempts = new Map<string, number>();
    return (req: LoggedRequest, res: ServerResponse) => {
      if (!req.path.endsWith('/$batch')) return json(res, 200, { value: ['page2'] });
      const { requests } = JSON.parse(req.body) as { requests: Inner[] };
      batches.push({ version: req.path.split('/')[1]!, requests });
      const responses = requests.map((inner) => {
        const attempt = (attempts.get(inner.url) ?? 0) + 1;
        attempts.set(inner.url, attempt);
        return { id: inner.id, ...answer(inner, attempt) };
      });
      json(res, 200, { responses: responses.reverse() });
    };
  }

  it('sends at most 20 per batch, one version per batch, and matches replies by id', async () => {
    route(batchRoute((inner) => ({ status: 200, body: { url: inner.url } })));
    const requests: Record<string, { path: string; version?: 'v1.0' | 'beta' }> = {};
    for (let i = 0; i < 45; i++) requests[`v${i}`] = { path: `/users/${i}` };
    for (let i = 0; i < 3; i++) requests[`b${i}`] = { path: `/reports/x${i}`, version: 'beta' };
    const session = layerFor(server).openTenantSession(TENANT_A);
    const results = await session.graph.batch(requests);
    for (let i = 0; i < 45; i++) expect(results[`v${i}`]).toEqual({ ok: true, body: { url: `/users/${i}` } });
    for (let i = 0; i < 3; i++) expect(results[`b${i}`]).toEqual({ ok: true, body: { url: `/reports/x${i}` } });
    expect(batches.map((b) => [b.version, b.requests.length]).sort()).toEqual([['beta', 3], ['v1.0', 20], ['v1.0', 20], ['v1.0', 5]]);
    expect(batches.every((b) => b.requests.every((r) => r.method === 'GET'))).toBe(true);
  });

  it('retries only the throttled inner requests, each after its own Retry-After', async () => {
    route(batchRoute((inner, attempt): InnerAnswer => {
      if (inner.url === '/a' && attempt === 1) return { status: 429, headers: { 'Retry-After': '3' }, body: { error: { code: 'TooManyRequests' } } };
      if (inner.url === '/b' && attempt <= 2) return { status: 503, headers: { 'retry-after': '1' }, body: { error: { code: 'ServiceUnavailable' } } };
      return { status: 200, body: { url: inner.url, attempt } };
    }));
    const clock = recordingClock();
    const session = layerFor(server, { clock }).openTenantSession(TENANT_A);
    const results = await session.graph.batch({ a: { path: '/a' }, b: { path: '/b' }, c: { path: '/c' } });
    expect(results).toEqual({
      a: { ok: true, body: { url: '/a', attempt: 2 } },
      b: { ok: true, body: { url: '/b', attempt: 3 } },
      c: { ok: true, body: { url: '/c', attempt: 1 } },
    });
    // b is resent after 1 s and again after 1 s more; a only once its own 3 s have passed.
    expect(batches.map((b) => b.requests.map((r) => r.url))).toEqual([['/a', '/b', '/c'], ['/b'], ['/b'], ['/a']]);
    expect(clock.waits).toEqual([1000, 1000, 1000]);
    expect(session.stats).toMatchObject({ throttled: 3, retries: 3 });
  });

  it('settles each request on its own: errors, exhausted throttling, missing replies', async () => {
    route((req, res) => {
      const { requests } = JSON.parse(req.body) as { requests: Inner[] };
      const responses = requests
        .filter((inner) => inner.url !== '/missing')
        .map((inner) => {
          if (inner.url === '/denied') return { id: inner.id, status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges' } } };
          if (inner.url === '/busy') return { id: inner.id, status: 429, headers: { 'Retry-After': '1' }, body: { error: { code: 'TooManyRequests', message: 'x' } } };
          if (inner.url === '/gone') return { id: inner.id, status: 404, body: { error: { code: 'Request_ResourceNotFound', message: 'nope' } } };
          return { id: inner.id, status: 200, body: { fine: true } };
        });
      json(res, 200, { responses });
    });
    const session = layerFor(server, { clock: recordingClock(), maxRetries: 2 }).openTenantSession(TENANT_A);
    const results = await session.graph.batch({ ok: { path: '/fine' }, denied: { path: '/denied' }, busy: { path: '/busy' }, gone: { path: '/gone' }, missing: { path: '/missing' } });
    expect(results.ok).toEqual({ ok: true, body: { fine: true } });
    const reason = (key: keyof typeof results) => (results[key].ok ? null : [results[key].error.reason, results[key].error.evidence.code, results[key].error.evidence.status]);
    expect(reason('denied')).toEqual(['insufficient_role', 'Authorization_RequestDenied', 403]);
    expect(reason('busy')).toEqual(['throttled', 'TooManyRequests', 429]);
    expect(reason('gone')).toEqual(['unexpected_response', 'Request_ResourceNotFound', 404]);
    expect(reason('missing')).toEqual(['unexpected_response', undefined, undefined]);
  });

  it('follows inner nextLinks for `all` requests and sends Prefer on inner security requests', async () => {
    route(batchRoute((inner) =>
      inner.url.startsWith('/security/')
        ? { status: 200, body: { value: ['alert1'], '@odata.nextLink': `${server.origin}/v1.0/security/alerts_v2?$skiptoken=2` } }
        : { status: 200, body: { value: ['user1'] } },
    ));
    const before = server.log.length;
    const session = layerFor(server).openTenantSession(TENANT_A);
    const results = await session.graph.batch({ alerts: { path: '/security/alerts_v2', all: true }, users: { path: '/users' } });
    expect(results.alerts).toEqual({ ok: true, body: { value: ['alert1', 'page2'] } });
    expect(results.users).toEqual({ ok: true, body: { value: ['user1'] } });
    const inner = batches[0]!.requests.find((r) => r.url === '/security/alerts_v2');
    expect(inner?.headers).toEqual({ Prefer: 'include-unknown-enum-members' });
    const page2 = since(before).find((r) => r.path.includes('skiptoken=2'));
    expect(page2?.headers.prefer).toBe('include-unknown-enum-members');
  });

  it('gives every request of a failed batch the batch error', async () => {
    route((_, res) => json(res, 403, { error: { code: 'UnknownError', message: JSON.stringify({ errorCode: 'PermissionScopeNotGranted', message: 'missing scope' }) } }));
    const session = layerFor(server).openTenantSession(TENANT_A);
    const results = await session.graph.batch({ a: { path: '/a' }, b: { path: '/b' } });
    for (const result of Object.values(results)) {
      expect(result).toMatchObject({ ok: false, error: { reason: 'insufficient_role', evidence: { code: 'PermissionScopeNotGranted', status: 403 } } });
    }
  });
});
