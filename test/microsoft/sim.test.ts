// End to end against the simulated cloud: the real @azure/identity and Graph client code, over
// HTTPS, through the access layer. Tokens for several tenants with the client-secret method,
// Graph and ARM reads with faults switched on, batching with inner 429s, paging, device code,
// sign-in refusals as reasons, and nothing but reads on the wire.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generate } from 'selfsigned';
import { startSimCloud, type SimCloud, type SimTenant } from '../../sim/index.js';
import { createAccessLayer, type AccessLayer, type AccessOptions } from '../../src/microsoft/access.js';
import type { DeviceCodePrompt } from '../../src/microsoft/identity.js';
import { isAbortError } from '../../src/microsoft/transport.js';
import { AccessError } from '../../src/microsoft/types.js';

let sim: SimCloud;
const layers: AccessLayer[] = [];
const errors: AccessError[] = [];

beforeAll(async () => {
  sim = await startSimCloud();
});
beforeEach(() => {
  sim.setFaults({});
});
afterAll(async () => {
  for (const layer of layers) layer.close();
  await sim?.close();
});

function layer(options: AccessOptions = {}): AccessLayer {
  const made = createAccessLayer({
    cloud: 'custom',
    endpoints: { authorityHost: sim.authorityHost, graphUrl: sim.graphUrl, armUrl: sim.armUrl },
    ca: sim.ca,
    auth: 'client-secret',
    env: { AZURE_CLIENT_ID: sim.trackerApp.clientId, AZURE_CLIENT_SECRET: sim.trackerApp.clientSecret },
    ...options,
  });
  layers.push(made);
  return made;
}
const tenant = (scenario: string): SimTenant => {
  const found = sim.tenants.find((t) => t.scenario === scenario);
  if (!found) throw new Error(`no sim scenario ${scenario}`);
  return found;
};
/** Settles a read to its value or its AccessError (kept, to check for secrets at the end). */
async function settle<T>(read: Promise<T>): Promise<T | AccessError> {
  try {
    return await read;
  } catch (error) {
    if (!(error instanceof AccessError)) throw error;
    errors.push(error);
    return error;
  }
}
const reason = (value: unknown) => (value instanceof AccessError ? `error:${value.reason}:${value.evidence.code ?? ''}` : 'ok');

describe('client secret, several tenants, faults on', () => {
  it('gets a token per tenant and reads Graph and ARM, with the expected results and reasons', async () => {
    sim.setFaults({ throttleRate: 0.2, unavailableRate: 0.05, dropRate: 0.05, retryAfterSeconds: 1 });
    const access = layer({ maxRetries: 6, retryBaseDelayMs: 200, retryMaxDelayMs: 1000 });
    const scenarios = ['onboarded', 'fresh', 'azure-roles-one-subscription', 'throttling-heavy', 'signin-inbound-blocked', 'tracker-not-consented', 'signin-conditional-access'];
    const rows = await Promise.all(
      scenarios.map(async (scenario) => {
        const t = tenant(scenario);
        const session = access.openTenantSession(t.tenantId);
        const claims = await settle(session.signIn());
        const [org, subscriptions] = await Promise.all([
          settle(session.graph.get<{ value: Array<{ id: string; displayName: string }> }>({ path: '/organization?$select=id,displayName' })),
          settle(session.arm.list<{ subscriptionId: string }>('/subscriptions', '2022-12-01')),
        ]);
        return { scenario, t, claims, org, subscriptions, stats: session.stats };
      }),
    );
    const byScenario = Object.fromEntries(rows.map((row) => [row.scenario, row]));
    for (const scenario of ['onboarded', 'fresh', 'azure-roles-one-subscription', 'throttling-heavy']) {
      const row = byScenario[scenario]!;
      expect(row.claims).toMatchObject({ tenantId: row.t.tenantId, appId: sim.trackerApp.clientId, username: null });
      expect(row.org).toMatchObject({ value: [{ id: row.t.tenantId, displayName: row.t.displayName }] });
    }
    const visible = (scenario: string) => (byScenario[scenario]!.subscriptions as Array<{ subscriptionId: string }>).map((s) => s.subscriptionId).sort();
    for (const scenario of ['onboarded', 'throttling-heavy']) expect(visible(scenario)).toEqual([...tenant(scenario).roster.subscriptions].sort());
    expect(visible('fresh')).toEqual([]);
    expect(visible('azure-roles-one-subscription').length).toBeGreaterThan(0);
    expect(reason(byScenario['signin-inbound-blocked']!.org)).toBe('error:inbound_policy_blocked:AADSTS500213');
    expect(reason(byScenario['signin-inbound-blocked']!.subscriptions)).toBe('error:inbound_policy_blocked:AADSTS500213');
    expect(reason(byScenario['tracker-not-consented']!.claims)).toBe('error:consent_missing:AADSTS700016');
    expect(reason(byScenario['signin-conditional-access']!.claims)).toBe('error:conditional_access_blocked:AADSTS53003');
    // The faults did happen, were retried, and every Retry-After was honoured.
    const faulted = sim.log.filter((entry) => entry.fault);
    expect(faulted.length).toBeGreaterThan(0);
    expect(rows.reduce((sum, row) => sum + row.stats.retries, 0)).toBeGreaterThan(0);
    const timings = sim.retryTimings().filter((timing) => timing.honoured !== null);
    expect(timings.length).toBeGreaterThan(0);
    expect(timings.filter((timing) => !timing.honoured)).toEqual([]);
  }, 60_000);

  it('pages through Graph and ARM collections', async () => {
    const t = tenant('onboarded');
    const session = layer().openTenantSession(t.tenantId);
    const all = await session.graph.list<{ id: string }>({ path: '/users?$select=id' });
    sim.clearLog();
    const paged = await session.graph.list<{ id: string }>({ path: '/users?$select=id&$top=2' });
    expect(paged.map((u) => u.id)).toEqual(all.map((u) => u.id));
    const pages = sim.log.filter((entry) => entry.service === 'graph' && entry.path.startsWith('/v1.0/users'));
    expect(pages.length).toBe(Math.ceil(all.length / 2));
    expect(all.length).toBeGreaterThan(2);
    const [subscription] = t.roster.subscriptions;
    const assignments = await session.arm.list(`/subscriptions/${subscription}/providers/Microsoft.Authorization/roleAssignments`, '2022-04-01');
    expect(assignments.length).toBeGreaterThan(0);
  });

  it('batches with inner 429s: each retried on its own, after its own Retry-After, results matched by id', async () => {
    const t = tenant('onboarded');
    const session = layer({ maxRetries: 8 }).openTenantSession(t.tenantId);
    const requests: Record<string, { path: string; all?: boolean }> = {
      organization: { path: '/organization?$select=id,displayName' },
      users: { path: '/users?$select=id&$top=2', all: true },
      graphSp: { path: "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')?$select=id,appId,displayName" },
      partners: { path: '/policies/crossTenantAccessPolicy/partners' },
    };
    const expected = await session.graph.batch(requests);
    for (const result of Object.values(expected)) expect(result.ok).toBe(true);
    for (let i = 0; i < 22; i++) requests[`org${i}`] = { path: `/organization?$select=id,displayName&i=${i}` };
    sim.clearLog();
    sim.setFaults({ batchInnerThrottleRate: 0.5, retryAfterSeconds: 1 });
    const results = await session.graph.batch(requests);
    for (const key of Object.keys(expected)) expect(results[key]).toEqual(expected[key]);
    for (let i = 0; i < 22; i++) expect(results[`org${i}`]).toEqual(expected.organization);
    const inner = sim.log.filter((entry) => entry.batchSeq !== undefined);
    const outer = sim.log.filter((entry) => entry.batchInnerCount !== undefined);
    expect(outer.every((entry) => entry.batchInnerCount! <= 20)).toBe(true);
    expect(inner.filter((entry) => entry.status === 429).length).toBeGreaterThan(0);
    const timings = sim.retryTimings().filter((timing) => timing.honoured !== null);
    expect(timings.length).toBeGreaterThan(0);
    expect(timings.every((timing) => timing.honoured)).toBe(true);
    expect(session.stats.throttled).toBe(inner.filter((entry) => entry.status === 429).length);
  }, 60_000);

  it('ends a read as timeout when the service stalls, and stops at once on abort', async () => {
    sim.setFaults({ stallRate: 1, stallMs: 10_000 });
    const t = tenant('onboarded');
    const access = layer({ requestTimeoutSeconds: 0.3, maxRetries: 1, retryBaseDelayMs: 10 });
    const session = access.openTenantSession(t.tenantId);
    expect(reason(await settle(session.graph.get({ path: '/organization' })))).toBe('error:timeout:ETIMEDOUT');
    const controller = new AbortController();
    const aborted = access.openTenantSession(t.tenantId, controller.signal).arm.list('/subscriptions', '2022-12-01');
    setTimeout(() => controller.abort(), 50);
    await expect(aborted).rejects.toSatisfy(isAbortError);
  });

  it('discovers tenants by ID and domain, and says when one does not exist', async () => {
    const access = layer();
    const t = tenant('onboarded');
    await expect(access.discover(t.domain)).resolves.toMatchObject({ found: true, tenantId: t.tenantId });
    await expect(access.discover(t.tenantId)).resolves.toMatchObject({ found: true, tenantId: t.tenantId });
    await expect(access.discover('no-such-tenant.example')).resolves.toEqual({ found: false, code: 'AADSTS90002' });
  });
});

describe('client certificate', () => {
  it('signs in with a certificate from AZURE_CLIENT_CERTIFICATE_PATH (a signed client assertion)', async () => {
    const pems = await generate([{ name: 'commonName', value: 'expel-track test app' }], { keySize: 2048, algorithm: 'sha256' });
    const dir = mkdtempSync(path.join(tmpdir(), 'expel-sim-cert-'));
    const certificatePath = path.join(dir, 'app.pem');
    writeFileSync(certificatePath, `${pems.private}\n${pems.cert}`, { mode: 0o600 });
    const t = tenant('onboarded');
    sim.clearLog();
    const access = layer({ auth: 'client-certificate', env: { AZURE_CLIENT_ID: sim.trackerApp.clientId, AZURE_CLIENT_CERTIFICATE_PATH: certificatePath } });
    const session = access.openTenantSession(t.tenantId);
    await expect(session.signIn()).resolves.toMatchObject({ tenantId: t.tenantId, appId: sim.trackerApp.clientId });
    await expect(session.graph.get({ path: '/organization?$select=id' })).resolves.toMatchObject({ value: [{ id: t.tenantId }] });
    const tokenRequest = sim.log.find((entry) => entry.service === 'login' && entry.method === 'POST');
    expect(tokenRequest?.grantType).toBe('client_credentials');
  });
});

describe('device code (the analyst guest sign-in)', () => {
  it('shows the code through the callback, signs in as the guest, and saves a record without secrets', async () => {
    const prompts: DeviceCodePrompt[] = [];
    const dir = mkdtempSync(path.join(tmpdir(), 'expel-sim-records-'));
    const authRecordFile = path.join(dir, 'auth-records.json');
    const access = layer({ auth: 'device-code', clientId: sim.trackerApp.clientId, env: {}, authRecordFile, onDeviceCode: (prompt) => prompts.push(prompt) });
    const t = tenant('onboarded');
    const session = access.openTenantSession(t.tenantId);
    const claims = await session.signIn();
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toMatchObject({ tenantId: t.tenantId, verificationUri: `${sim.authorityHost}/devicelogin` });
    expect(prompts[0]!.message).toContain(prompts[0]!.userCode);
    expect(claims.tenantId).toBe(t.tenantId);
    expect(claims.username).toMatch(/@/);
    // Graph and ARM in the same tenant reuse the sign-in: no second prompt.
    await session.graph.get({ path: '/organization?$select=id' });
    await session.arm.list('/subscriptions', '2022-12-01');
    expect(prompts).toHaveLength(1);
    const saved = readFileSync(authRecordFile, 'utf8');
    expect(saved).toContain(t.tenantId);
    for (const secret of sim.issuedSecrets()) expect(saved).not.toContain(secret);
  });

  it('maps the guest sign-in refusals to reasons', async () => {
    const access = layer({ auth: 'device-code', clientId: sim.trackerApp.clientId, env: {}, onDeviceCode: () => undefined });
    const pending = await settle(access.openTenantSession(tenant('signin-guest-pending').tenantId).signIn());
    expect(reason(pending)).toBe('error:guest_not_redeemed:AADSTS50014');
    const mfa = await settle(access.openTenantSession(tenant('signin-mfa-required').tenantId).signIn());
    expect(reason(mfa)).toBe('error:mfa_required:AADSTS50076');
  });
});

describe('on the wire', () => {
  it('sent nothing but reads, and no error evidence holds a token or secret', () => {
    const writes = sim.log.filter((entry) => entry.refused || (entry.method !== 'GET' && entry.batchSeq === undefined && !/\/oauth2\/v2\.0\/(token|devicecode)/.test(entry.path) && !entry.path.endsWith('/$batch')));
    expect(writes).toEqual([]);
    expect(sim.log.filter((entry) => entry.batchSeq !== undefined && entry.method !== 'GET')).toEqual([]);
    expect(errors.length).toBeGreaterThan(0);
    const evidence = JSON.stringify(errors.map((error) => ({ message: error.message, evidence: error.evidence })));
    for (const secret of [...sim.issuedSecrets(), sim.trackerApp.clientSecret]) expect(evidence).not.toContain(secret);
  });
});
