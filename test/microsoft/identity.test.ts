// Sign-in: one credential per tenant, tid-checked tokens (a token for another tenant is refused
// and never used), AADSTS failures as reasons, configuration errors, saved records.
import { chmodSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { createAccessLayer } from '../../src/microsoft/access.js';
import { FileAuthRecordStore } from '../../src/microsoft/records.js';
import { AccessError } from '../../src/microsoft/types.js';
import { authorityRoutes, type FakeAuthorityOptions } from './support/fake-authority.js';
import { fakeJwt, json, startTestServer, type TestServer } from './support/https-server.js';
import { closeLayers, layerFor, TENANT_A, TENANT_B } from './support/layer.js';

let server: TestServer;
let authority: Omit<FakeAuthorityOptions, 'origin'> = {};
beforeAll(async () => {
  server = await startTestServer();
  server.setHandler((req, res) => {
    if (authorityRoutes({ origin: server.origin, ...authority })(req, res)) return;
    json(res, 200, { value: [{ tid: 'read' }] });
  });
});
afterAll(async () => {
  closeLayers();
  await server.close();
});
const apiRequests = (from: number) => server.log.slice(from).filter((r) => r.path.startsWith('/v1.0') || r.path.startsWith('/subscriptions'));
const tokenRequests = (from: number, tenant: string) => server.log.slice(from).filter((r) => r.method === 'POST' && r.path.startsWith(`/${tenant}/oauth2`));
const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);

describe('tokens per tenant', () => {
  it('signs in to each tenant with its own credential and reports the claims', async () => {
    authority = {};
    const layer = layerFor(server);
    const before = server.log.length;
    const a = await layer.openTenantSession(TENANT_A).signIn();
    const b = await layer.openTenantSession(TENANT_B.toUpperCase()).signIn();
    expect(a).toMatchObject({ tenantId: TENANT_A, appId: 'app', objectId: 'sp-object', roles: ['Directory.Read.All'], username: null });
    expect(b.tenantId).toBe(TENANT_B);
    expect(Date.parse(a.expiresOn!)).toBeGreaterThan(Date.now());
    // A second session for the same tenant reuses the credential's cached token.
    await layer.openTenantSession(TENANT_A).graph.get({ path: '/organization' });
    expect(tokenRequests(before, TENANT_A)).toHaveLength(1);
    expect(tokenRequests(before, TENANT_B)).toHaveLength(1);
  });

  it('lets go of an app-only credential when the tenant\'s last session closes, not before', async () => {
    authority = {};
    const layer = layerFor(server);
    const before = server.log.length;
    const first = layer.openTenantSession(TENANT_A);
    const second = layer.openTenantSession(TENANT_A);
    await first.signIn();
    first.close?.();
    first.close?.(); // closing twice counts once
    await second.signIn();
    expect(tokenRequests(before, TENANT_A)).toHaveLength(1);
    second.close?.();
    // The next check of the tenant signs in again: one token request, nothing kept in between.
    await layer.openTenantSession(TENANT_A).signIn();
    expect(tokenRequests(before, TENANT_A)).toHaveLength(2);
  });

  it('asks for the Graph and the ARM scope of the configured cloud', async () => {
    authority = {};
    const before = server.log.length;
    const session = layerFor(server, { graphScope: 'https://graph.example.test/.default', armScope: 'https://arm.example.test/.default' }).openTenantSession(TENANT_A);
    await session.graph.get({ path: '/organization' });
    await session.arm.get('/subscriptions', '2022-12-01');
    const scopes = tokenRequests(before, TENANT_A).map((r) => new URLSearchParams(r.body).get('scope'));
    expect(scopes.sort()).toEqual(['https://arm.example.test/.default', 'https://graph.example.test/.default']);
  });

  it('refuses a token issued for another tenant and never sends it', async () => {
    authority = { issueTid: (tenant) => (tenant === TENANT_A ? TENANT_B : tenant) };
    const session = layerFor(server).openTenantSession(TENANT_A);
    const before = server.log.length;
    const signIn = await failure(session.signIn());
    expect(signIn).toBeInstanceOf(AccessError);
    expect(signIn).toMatchObject({ reason: 'wrong_tenant_token', evidence: { code: 'tid_mismatch' } });
    expect((signIn as AccessError).message).toContain(TENANT_B);
    await expect(session.graph.get({ path: '/users' })).rejects.toMatchObject({ reason: 'wrong_tenant_token' });
    await expect(session.graph.list({ path: '/users' })).rejects.toMatchObject({ reason: 'wrong_tenant_token' });
    await expect(session.arm.list('/subscriptions', '2022-12-01')).rejects.toMatchObject({ reason: 'wrong_tenant_token' });
    const batch = await session.graph.batch({ a: { path: '/users' } });
    expect(batch.a).toMatchObject({ ok: false, error: { reason: 'wrong_tenant_token' } });
    expect(apiRequests(before)).toHaveLength(0);
  });

  it('refuses a token whose tenant it cannot read', async () => {
    authority = { accessToken: () => 'opaque-access-token' };
    const session = layerFor(server).openTenantSession(TENANT_A);
    const error = await failure(session.signIn());
    expect(error).toMatchObject({ reason: 'wrong_tenant_token', evidence: { code: 'tid_missing' } });
    expect(JSON.stringify(error) + (error as Error).message).not.toContain('opaque-access-token');
    authority = { accessToken: () => fakeJwt({ aud: 'x' }) };
    await expect(layerFor(server).openTenantSession(TENANT_A).signIn()).rejects.toMatchObject({ reason: 'wrong_tenant_token' });
  });

  it.each([
    [500213, 'inbound_policy_blocked'],
    [700016, 'consent_missing'],
    [90002, 'tenant_not_found'],
    [53003, 'conditional_access_blocked'],
    [7000215, 'auth_failed'],
  ])('maps AADSTS%i from the token endpoint to %s', async (code, reason) => {
    authority = { failure: () => [400, code, 'the authority said no'] };
    const session = layerFor(server).openTenantSession(TENANT_A);
    const before = server.log.length;
    const error = await failure(session.graph.get({ path: '/users' }));
    expect(error).toBeInstanceOf(AccessError);
    expect(error).toMatchObject({ reason, evidence: { code: `AADSTS${code}` } });
    expect(apiRequests(before)).toHaveLength(0);
    expect(JSON.stringify((error as AccessError).evidence)).not.toContain('test-secret-value');
  });

  it('an unreachable authority is a network error', async () => {
    const layer = createAccessLayer({
      cloud: 'custom',
      auth: 'client-secret',
      endpoints: { authorityHost: 'https://127.0.0.1:1', graphUrl: server.origin, armUrl: server.origin },
      ca: server.ca,
      maxRetries: 0,
      env: { AZURE_CLIENT_ID: '33333333-3333-4333-8333-333333333333', AZURE_CLIENT_SECRET: 's' },
    });
    await expect(layer.openTenantSession(TENANT_A).signIn()).rejects.toMatchObject({ reason: 'network', evidence: { code: 'ECONNREFUSED' } });
    layer.close();
  });
});

describe('azure-cli', () => {
  /** A stand-in `az` on PATH that answers get-access-token with a token for `tid` (or the tenant asked). */
  function fakeAz(tid: string | null): () => void {
    const dir = mkdtempSync(path.join(tmpdir(), 'expel-az-'));
    for (const tenant of [TENANT_A, TENANT_B]) {
      const token = fakeJwt({ tid: tid ?? tenant, upn: 'analyst@expel.example' });
      writeFileSync(path.join(dir, `token-${tenant}.json`), JSON.stringify({ accessToken: token, expires_on: 4102444800, tenant }));
    }
    const script = ['#!/bin/sh', 'tenant=""', 'while [ $# -gt 0 ]; do [ "$1" = "--tenant" ] && tenant="$2"; shift; done', `cat "${dir}/token-$tenant.json"`];
    writeFileSync(path.join(dir, 'az'), `${script.join('\n')}\n`);
    chmodSync(path.join(dir, 'az'), 0o755);
    const saved = process.env.PATH;
    process.env.PATH = `${dir}${path.delimiter}${saved ?? ''}`;
    return () => {
      process.env.PATH = saved;
    };
  }

  it('uses the az token for the tenant asked, tid-checked, for Graph reads', async () => {
    authority = {};
    const restore = fakeAz(null);
    try {
      const session = layerFor(server, { auth: 'azure-cli', env: {} }).openTenantSession(TENANT_A);
      await expect(session.signIn()).resolves.toMatchObject({ tenantId: TENANT_A, username: 'analyst@expel.example' });
      await expect(session.graph.get({ path: '/organization' })).resolves.toEqual({ value: [{ tid: 'read' }] });
    } finally {
      restore();
    }
  });

  it('refuses an az token for another tenant (e.g. az logged in elsewhere)', async () => {
    const restore = fakeAz(TENANT_B);
    try {
      const session = layerFor(server, { auth: 'azure-cli', env: {} }).openTenantSession(TENANT_A);
      const before = server.log.length;
      await expect(session.graph.get({ path: '/organization' })).rejects.toMatchObject({ reason: 'wrong_tenant_token', evidence: { code: 'tid_mismatch' } });
      expect(apiRequests(before)).toHaveLength(0);
    } finally {
      restore();
    }
  });
});

describe('configuration', () => {
  const custom = { cloud: 'custom', endpoints: { authorityHost: 'https://login.test', graphUrl: 'https://graph.test', armUrl: 'https://arm.test' } } as const;

  it('app auth reads its credentials from the environment only, and says what is missing', () => {
    expect(() => createAccessLayer({ ...custom, auth: 'client-secret', env: {} })).toThrow(/AZURE_CLIENT_ID/);
    expect(() => createAccessLayer({ ...custom, auth: 'client-secret', env: { AZURE_CLIENT_ID: 'not-a-guid', AZURE_CLIENT_SECRET: 'x' } })).toThrow(/GUID/);
    expect(() => createAccessLayer({ ...custom, auth: 'client-secret', env: { AZURE_CLIENT_ID: TENANT_A } })).toThrow(/AZURE_CLIENT_SECRET/);
    expect(() => createAccessLayer({ ...custom, auth: 'client-certificate', env: { AZURE_CLIENT_ID: TENANT_A, AZURE_CLIENT_CERTIFICATE_PATH: '/nonexistent.pem' } })).toThrow(UserError);
    expect(() => createAccessLayer({ ...custom, auth: 'device-code', env: {} })).not.toThrow();
  });

  it('rejects out-of-range limits', () => {
    expect(() => createAccessLayer({ ...custom, env: {}, concurrency: 0 })).toThrow(/concurrency/);
    expect(() => createAccessLayer({ ...custom, env: {}, maxRetries: 99 })).toThrow(/maxRetries/);
    expect(() => createAccessLayer({ ...custom, env: {}, requestTimeoutSeconds: -1 })).toThrow(/requestTimeoutSeconds/);
  });

  it('device code without a place to show the code fails clearly, sending nothing', async () => {
    const layer = createAccessLayer({ ...custom, endpoints: { authorityHost: server.origin, graphUrl: server.origin, armUrl: server.origin }, ca: server.ca, env: {} });
    const before = server.log.length;
    await expect(layer.openTenantSession(TENANT_A).signIn()).rejects.toMatchObject({ reason: 'auth_failed', evidence: { code: 'no_device_code_prompt' } });
    expect(server.log.length).toBe(before);
    layer.close();
  });

  it('a session needs a tenant ID, not a name', () => {
    const layer = createAccessLayer({ ...custom, env: {} });
    expect(() => layer.openTenantSession('contoso.com')).toThrow(RangeError);
    layer.close();
  });
});

describe('saved authentication records', () => {
  it('keeps records in a private file and sets a damaged file aside', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'expel-records-'));
    const file = path.join(dir, 'nested', 'auth-records.json');
    const store = new FileAuthRecordStore(file);
    expect(store.load('k')).toBeUndefined();
    store.save('k1', '{"username":"a"}');
    store.save('k2', '{"username":"b"}');
    expect(new FileAuthRecordStore(file).load('k1')).toBe('{"username":"a"}');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, records: { k1: '{"username":"a"}', k2: '{"username":"b"}' } });
    writeFileSync(file, '{not json');
    expect(store.load('k1')).toBeUndefined();
    expect(readdirSync(path.dirname(file)).some((name) => name.startsWith('auth-records.json.damaged-'))).toBe(true);
  });
});
