// The simulated login service over real HTTPS: discovery, token grants, AADSTS refusals.
import { createHash, generateKeyPairSync, createSign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimCloud, type SimCloud } from '../../sim/index.js';
import { decodeJwtPayload } from '../../sim/tokens.js';
import { call } from './support.js';

const CONTOSO = 'f9559371-efe4-444a-9b7d-8a5793227fd4';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let cloud: SimCloud;
beforeAll(async () => {
  cloud = await startSimCloud({ deviceCodeAutoApproveMs: 150 });
});
afterAll(async () => {
  await cloud?.close();
});

function token(tenant: string, fields: Record<string, string>) {
  return call(cloud, `${cloud.authorityHost}/${tenant}/oauth2/v2.0/token`, { method: 'POST', headers: FORM, body: new URLSearchParams(fields).toString() });
}

const secretGrant = (scope = 'https://graph.microsoft.com/.default') => ({
  grant_type: 'client_credentials',
  client_id: cloud.trackerApp.clientId,
  client_secret: cloud.trackerApp.clientSecret,
  scope,
});

describe('OpenID configuration discovery', () => {
  it('resolves a tenant ID and a domain to the same issuer, with the endpoints MSAL needs', async () => {
    const byId = await call(cloud, `${cloud.authorityHost}/${CONTOSO}/v2.0/.well-known/openid-configuration`);
    const byDomain = await call(cloud, `${cloud.authorityHost}/contoso.example/v2.0/.well-known/openid-configuration`);
    expect(byId.status).toBe(200);
    expect(byDomain.status).toBe(200);
    expect(byDomain.json.issuer).toBe(`${cloud.authorityHost}/${CONTOSO}/v2.0`);
    expect(byId.json.issuer).toBe(byDomain.json.issuer);
    for (const key of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'device_authorization_endpoint']) {
      expect(byDomain.json[key]).toMatch(new RegExp(`^${cloud.authorityHost}/${CONTOSO}/`));
    }
    expect(byId.json.cloud_instance_name).toBe('microsoftonline.com');
    expect(byId.json.msgraph_host).toBe(new URL(cloud.graphUrl).host);
  });

  it('resolves the initial onmicrosoft.com domain too', async () => {
    const org = await call(cloud, `${cloud.authorityHost}/contoso.example/v2.0/.well-known/openid-configuration`);
    expect(org.status).toBe(200);
    const reply = await call(cloud, `${cloud.authorityHost}/contosof955.onmicrosoft.com/v2.0/.well-known/openid-configuration`);
    expect(reply.json.issuer).toBe(`${cloud.authorityHost}/${CONTOSO}/v2.0`);
  });

  it('answers 400 AADSTS90002 for an unknown tenant ID or domain', async () => {
    for (const tenant of ['00000000-1111-4222-8333-444444444444', 'nobody-here.example']) {
      const reply = await call(cloud, `${cloud.authorityHost}/${tenant}/v2.0/.well-known/openid-configuration`);
      expect(reply.status).toBe(400);
      expect(reply.json.error).toBe('invalid_tenant');
      expect(reply.json.error_codes).toEqual([90002]);
      expect(reply.json.error_description).toMatch(/^AADSTS90002: Tenant '.*' not found/);
      for (const key of ['timestamp', 'trace_id', 'correlation_id']) expect(typeof reply.json[key]).toBe('string');
    }
  });

  it('answers AADSTS900023 for something that is neither a GUID nor a domain', async () => {
    const reply = await call(cloud, `${cloud.authorityHost}/not_a_tenant/v2.0/.well-known/openid-configuration`);
    expect(reply.status).toBe(400);
    expect(reply.json.error_codes).toEqual([900023]);
  });

  it('answers instance discovery minimally for clients that do not disable it', async () => {
    const reply = await call(cloud, `${cloud.authorityHost}/common/discovery/instance?api-version=1.1&authorization_endpoint=x`);
    expect(reply.status).toBe(200);
    expect(reply.json.metadata[0].aliases).toEqual([new URL(cloud.authorityHost).host]);
  });
});

describe('client credentials', () => {
  it('issues a Graph token with tid, aud, appid, roles and lifetimes', async () => {
    const reply = await token(CONTOSO, secretGrant());
    expect(reply.status).toBe(200);
    expect(reply.json.token_type).toBe('Bearer');
    expect(reply.json.expires_in).toBeGreaterThan(3000);
    const claims = decodeJwtPayload(reply.json.access_token)!;
    expect(claims.tid).toBe(CONTOSO);
    expect(claims.aud).toBe('https://graph.microsoft.com');
    expect(claims.appid).toBe(cloud.trackerApp.clientId);
    expect(claims.roles).toContain('SecurityAlert.Read.All');
    expect(Number(claims.exp)).toBeGreaterThan(Number(claims.iat));
    expect(cloud.issuedSecrets()).toContain(reply.json.access_token);
    expect(cloud.issuedSecrets()).toContain(cloud.trackerApp.clientSecret);
  });

  it('issues an ARM token whose audience is management.azure.com, by domain as well', async () => {
    const reply = await token('contoso.example', secretGrant('https://management.azure.com/.default'));
    expect(reply.status).toBe(200);
    const claims = decodeJwtPayload(reply.json.access_token)!;
    expect(claims.aud).toBe('https://management.azure.com');
    expect(claims.tid).toBe(CONTOSO);
    expect(claims.roles).toBeUndefined();
  });

  it('refuses a wrong secret (401 AADSTS7000215), an unknown app (700016), a scope without /.default (1002012)', async () => {
    const wrong = await token(CONTOSO, { ...secretGrant(), client_secret: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    const unknown = await token(CONTOSO, { ...secretGrant(), client_id: '11111111-2222-4333-8444-555555555555' });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
    const scope = await token(CONTOSO, secretGrant('https://graph.microsoft.com/User.Read'));
    expect(scope.json.error_codes).toEqual([1002012]);
    const resource = await token(CONTOSO, secretGrant('https://vault.azure.net/.default'));
    expect(resource.json.error_codes).toEqual([500011]);
  });

  it('accepts a well-formed client assertion (certificate auth) and refuses one for another audience', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const assertion = (aud: string) => {
      const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5t: createHash('sha1').update('cert').digest('base64url') })).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      const payload = Buffer.from(JSON.stringify({ aud, iss: cloud.trackerApp.clientId, sub: cloud.trackerApp.clientId, jti: 'x', nbf: now, exp: now + 600 })).toString('base64url');
      const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(privateKey).toString('base64url');
      return `${header}.${payload}.${signature}`;
    };
    const fields = (aud: string) => ({
      grant_type: 'client_credentials',
      client_id: cloud.trackerApp.clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion(aud),
      scope: 'https://graph.microsoft.com/.default',
    });
    const ok = await token(CONTOSO, fields(`${cloud.authorityHost}/${CONTOSO}/oauth2/v2.0/token`));
    expect(ok.status).toBe(200);
    expect(decodeJwtPayload(ok.json.access_token)!.appidacr).toBe('2');
    const bad = await token(CONTOSO, fields('https://login.microsoftonline.com/other/oauth2/v2.0/token'));
    expect(bad.status).toBe(401);
    expect(bad.json.error).toBe('invalid_client');
  });
});

describe('per-tenant sign-in refusals (any grant type)', () => {
  const cases: [string, number, string][] = [
    ['dc348e95-aaaf-40bf-a207-f001da399b13', 500213, 'invalid_grant'],
    ['90229af6-6966-4b98-984c-f621cc2a53a1', 50020, 'invalid_grant'],
    ['712232ce-9f31-48c0-92bc-a29fbad24a6d', 50014, 'invalid_grant'],
    ['0a51b031-1bd2-4cd4-8a8c-eced891169a7', 53003, 'invalid_grant'],
    ['6f38f82f-ed2c-4618-84c7-f00d4fd0cd17', 50076, 'invalid_grant'],
    ['f1d07d2b-8810-447e-beb3-4cabdda69cc2', 700016, 'unauthorized_client'],
  ];
  for (const [tenant, code, error] of cases) {
    it(`answers AADSTS${code} with the standard OAuth error body`, async () => {
      const reply = await token(tenant, secretGrant());
      expect(reply.status).toBe(400);
      expect(reply.json.error).toBe(error);
      expect(reply.json.error_codes).toEqual([code]);
      expect(reply.json.error_description).toMatch(new RegExp(`^AADSTS${code}: `));
      for (const key of ['timestamp', 'trace_id', 'correlation_id']) expect(reply.json[key]).toBeTruthy();
      expect(cloud.log.at(-1)).toMatchObject({ service: 'login', tenantId: tenant, status: 400, error: `AADSTS${code}`, grantType: 'client_credentials' });
    });
  }

  it('gives delegated sign-ins AADSTS65001 where the tracker app is not consented', async () => {
    const start = await call(cloud, `${cloud.authorityHost}/f1d07d2b-8810-447e-beb3-4cabdda69cc2/oauth2/v2.0/devicecode`, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ client_id: cloud.trackerApp.clientId, scope: 'https://graph.microsoft.com/.default offline_access' }).toString(),
    });
    expect(start.status).toBe(200);
    const reply = await pollDeviceCode('f1d07d2b-8810-447e-beb3-4cabdda69cc2', start.json.device_code);
    expect(reply.json.error_codes).toEqual([65001]);
  });
});

async function pollDeviceCode(tenant: string, deviceCode: string) {
  for (;;) {
    const reply = await token(tenant, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: cloud.trackerApp.clientId, device_code: deviceCode });
    if (reply.json?.error !== 'authorization_pending') return reply;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('device code and refresh token', () => {
  it('is pending first, then signs the guest in with id_token, client_info and a refresh token', async () => {
    const start = await call(cloud, `${cloud.authorityHost}/${CONTOSO}/oauth2/v2.0/devicecode`, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ client_id: cloud.trackerApp.clientId, scope: 'https://graph.microsoft.com/.default openid profile offline_access' }).toString(),
    });
    expect(start.json).toMatchObject({ interval: 1, expires_in: 900 });
    expect(start.json.message).toContain(start.json.user_code);
    const first = await token(CONTOSO, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: cloud.trackerApp.clientId, device_code: start.json.device_code });
    expect(first.json.error).toBe('authorization_pending');
    const done = await pollDeviceCode(CONTOSO, start.json.device_code);
    expect(done.status).toBe(200);
    const access = decodeJwtPayload(done.json.access_token)!;
    expect(access.tid).toBe(CONTOSO);
    expect(String(access.scp)).toContain('SecurityAlert.Read.All');
    expect(decodeJwtPayload(done.json.id_token)!.tid).toBe(CONTOSO);
    const clientInfo = JSON.parse(Buffer.from(done.json.client_info, 'base64url').toString('utf8'));
    expect(clientInfo).toEqual({ uid: expect.any(String), utid: '1cde81fd-b430-4035-b24d-709921922876' });

    const refreshed = await token(CONTOSO, { grant_type: 'refresh_token', client_id: cloud.trackerApp.clientId, refresh_token: done.json.refresh_token, scope: 'https://management.azure.com/.default offline_access' });
    expect(refreshed.status).toBe(200);
    expect(decodeJwtPayload(refreshed.json.access_token)!.aud).toBe('https://management.azure.com');
    // The Contoso guest is not a guest in Tailspin Toys: its refresh token does not work there.
    const elsewhere = await token('754bed5b-cc48-4e55-92bf-8cc54384614e', { grant_type: 'refresh_token', client_id: cloud.trackerApp.clientId, refresh_token: done.json.refresh_token, scope: 'https://graph.microsoft.com/.default' });
    expect(elsewhere.json.error_codes).toEqual([50020]);
    expect(cloud.issuedSecrets()).toEqual(expect.arrayContaining([done.json.refresh_token, done.json.access_token, refreshed.json.access_token]));
  });

  it('refuses a pending guest with AADSTS50014 and a missing guest with AADSTS50020', async () => {
    for (const [tenant, code] of [
      ['d9169611-733c-4052-b696-6394809499a9', 50014],
      ['3adcbb7f-fbfb-4b51-ae0f-423fed4e120f', 50020],
    ] as const) {
      const start = await call(cloud, `${cloud.authorityHost}/${tenant}/oauth2/v2.0/devicecode`, {
        method: 'POST',
        headers: FORM,
        body: new URLSearchParams({ client_id: cloud.trackerApp.clientId, scope: 'https://graph.microsoft.com/.default' }).toString(),
      });
      const reply = await pollDeviceCode(tenant, start.json.device_code);
      expect(reply.json.error_codes).toEqual([code]);
    }
    // …while the tracker app itself still signs in there (app-only).
    expect((await token('d9169611-733c-4052-b696-6394809499a9', secretGrant())).status).toBe(200);
  });

  it('answers GET on the token endpoint 405, and logs a PUT elsewhere as a refused write', async () => {
    const get = await call(cloud, `${cloud.authorityHost}/${CONTOSO}/oauth2/v2.0/token`);
    expect(get.status).toBe(405);
    expect(cloud.log.at(-1)!.refused).toBeUndefined();
    const put = await call(cloud, `${cloud.authorityHost}/${CONTOSO}/v2.0/.well-known/openid-configuration`, { method: 'PUT', body: '{}' });
    expect(put.status).toBe(405);
    expect(cloud.log.at(-1)).toMatchObject({ refused: 'write', status: 405, method: 'PUT' });
  });
});
