// The simulated Graph over real HTTPS: token checks, $select, $filter, paging, $batch, the
// Prefer header, write refusal, error envelopes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimCloud, type SimCloud } from '../../sim/index.js';
import { appToken, bearer, call } from './support.js';

const CONTOSO = 'f9559371-efe4-444a-9b7d-8a5793227fd4';
const GCC = '15643d1e-1165-4a4c-9290-66791abe6668';
const NO_LICENSE = '03f1f073-efa1-46a6-aa34-c843b2c2effc';
const FRESH = '1804f569-6f44-45d2-ad20-984662a74939';
const PENDING = 'd9169611-733c-4052-b696-6394809499a9';

let cloud: SimCloud;
let clock = Date.now();
let contoso: string;
beforeAll(async () => {
  cloud = await startSimCloud({ now: () => new Date(clock) });
  contoso = await appToken(cloud, CONTOSO);
});
afterAll(async () => {
  await cloud?.close();
});

const get = (path: string, token = contoso, headers: Record<string, string> = {}) => call(cloud, `${cloud.graphUrl}${path}`, { headers: bearer(token, headers) });

function expectEnvelope(json: any, code: string) {
  expect(json.error.code).toBe(code);
  expect(typeof json.error.message).toBe('string');
  expect(json.error.innerError).toMatchObject({ date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/), 'request-id': expect.any(String), 'client-request-id': expect.any(String) });
}

describe('token checks', () => {
  it('refuses a missing token, an ARM token, a token from another sim, and an expired token with 401 InvalidAuthenticationToken', async () => {
    const none = await call(cloud, `${cloud.graphUrl}/v1.0/organization`);
    expect(none.status).toBe(401);
    expectEnvelope(none.json, 'InvalidAuthenticationToken');

    const arm = await appToken(cloud, CONTOSO, 'arm');
    const wrongAudience = await get('/v1.0/organization', arm);
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.json.error.message).toMatch(/Invalid audience/);

    const other = await startSimCloud({ scenarios: cloud.tenants.slice(0, 1) });
    try {
      const foreign = await appToken(other, cloud.tenants[0]!.tenantId);
      expect((await get('/v1.0/organization', foreign)).status).toBe(401);
    } finally {
      await other.close();
    }

    const early = await appToken(cloud, CONTOSO);
    clock += 2 * 3600_000;
    try {
      const expired = await get('/v1.0/organization', early);
      expect(expired.status).toBe(401);
      expect(expired.json.error.message).toMatch(/expired/);
    } finally {
      clock -= 2 * 3600_000;
    }
  });

  it('serves the directory of the tenant named by the token', async () => {
    const fresh = await appToken(cloud, FRESH);
    const a = await get('/v1.0/organization');
    const b = await get('/v1.0/organization', fresh);
    expect(a.json.value[0].id).toBe(CONTOSO);
    expect(b.json.value[0].id).toBe(FRESH);
    expect(cloud.log.at(-1)).toMatchObject({ service: 'graph', tenantId: FRESH, status: 200, path: '/v1.0/organization' });
  });
});

describe('users, $select and $filter', () => {
  it('returns the default properties only, and the external-state fields only when selected', async () => {
    const guestMail = cloud.tenants.find((t) => t.tenantId === PENDING)!.roster.orgGuid + '@soc.expel.io';
    const token = await appToken(cloud, PENDING);
    const plain = await get(`/v1.0/users?$filter=mail eq '${guestMail}'`, token);
    expect(plain.status).toBe(200);
    expect(plain.json.value).toHaveLength(1);
    expect(plain.json.value[0].mail).toBe(guestMail);
    expect(plain.json.value[0]).not.toHaveProperty('externalUserState');
    expect(plain.json.value[0]).not.toHaveProperty('userType');

    const selected = await get(`/v1.0/users?$filter=mail eq '${guestMail}'&$select=mail,externalUserState,externalUserStateChangeDateTime,creationType,userType,accountEnabled`, token);
    expect(Object.keys(selected.json.value[0]).sort()).toEqual(['accountEnabled', 'creationType', 'externalUserState', 'externalUserStateChangeDateTime', 'id', 'mail', 'userType']);
    expect(selected.json.value[0]).toMatchObject({ userType: 'Guest', creationType: 'Invitation', externalUserState: 'PendingAcceptance' });
    expect(selected.json['@odata.context']).toContain('users(mail,externalUserState');
  });

  it('refuses unknown $select properties and unsupported filters instead of ignoring them', async () => {
    const select = await get('/v1.0/users?$select=mail,favouriteColour');
    expect(select.status).toBe(400);
    expectEnvelope(select.json, 'BadRequest');
    const filter = await get("/v1.0/users?$filter=jobTitle eq 'x'");
    expect(filter.status).toBe(400);
    expectEnvelope(filter.json, 'Request_UnsupportedQuery');
    const endsWith = await get("/v1.0/users?$filter=endswith(mail,'@soc.expel.io')");
    expect(endsWith.json.error.code).toBe('Request_UnsupportedQuery');
    const advanced = await get("/v1.0/users?$filter=endswith(mail,'@soc.expel.io')&$count=true", contoso, { ConsistencyLevel: 'eventual' });
    expect(advanced.status).toBe(200);
    expect(advanced.json['@odata.count']).toBe(1);
    const syntax = await get("/v1.0/users?$filter=mail eq 'unterminated");
    expect(syntax.status).toBe(400);
  });

  it('checks $select against the entity type, even on an empty collection', async () => {
    const fresh = await appToken(cloud, FRESH);
    const empty = await get("/v1.0/applications?$filter=startswith(displayName,'Expel')&$select=id,appId,displayName,passwordCredentials,requiredResourceAccess", fresh);
    expect(empty.status).toBe(200);
    expect(empty.json.value).toEqual([]);
    expect((await get('/v1.0/applications?$select=id,secretValue', fresh)).status).toBe(400);
  });

  it('pages with @odata.nextLink, honouring $top as the page size', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${cloud.graphUrl}/v1.0/users?$top=2&$select=id,displayName`;
    let pages = 0;
    while (url) {
      const reply = await call(cloud, url, { headers: bearer(contoso) });
      expect(reply.status).toBe(200);
      expect(reply.json.value.length).toBeLessThanOrEqual(2);
      seen.push(...reply.json.value.map((u: any) => u.id));
      for (const user of reply.json.value) expect(Object.keys(user).sort()).toEqual(['displayName', 'id']);
      url = reply.json['@odata.nextLink'];
      pages++;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
    expect((await get('/v1.0/users?$top=0')).status).toBe(400);
    expect((await get('/v1.0/users?$skiptoken=garbage')).status).toBe(400);
  });

  it('answers 404 Request_ResourceNotFound for an absent object, and 400 for an unknown segment', async () => {
    const missing = await get('/v1.0/users/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expectEnvelope(missing.json, 'Request_ResourceNotFound');
    const segment = await get('/v1.0/nothingHere');
    expect(segment.status).toBe(400);
    expect(segment.json.error.message).toBe("Resource not found for the segment 'nothingHere'.");
  });
});

describe('service principals and permission IDs', () => {
  const graphSp = "/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')?$select=id,appRoles,oauth2PermissionScopes";
  it('serves resource service principals whose appRole IDs differ in a GCC-High-like tenant', async () => {
    const commercial = await get(graphSp);
    const gcc = await get(graphSp, await appToken(cloud, GCC));
    const idOf = (json: any, name: string) => json.appRoles.find((r: any) => r.value === name)?.id;
    expect(idOf(commercial.json, 'SecurityAlert.Read.All')).toBe('472e4a4d-bb4a-4026-98d1-0b0d74cb74a5');
    expect(idOf(gcc.json, 'SecurityAlert.Read.All')).toBe('64c33fcb-e6aa-490d-bed5-6016a9ef8f6d');
    expect(idOf(gcc.json, 'SecurityIncident.Read.All')).not.toBe(idOf(commercial.json, 'SecurityIncident.Read.All'));
    expect(commercial.json.id).not.toBe(gcc.json.id);
  });

  it('lists the 16 current WindowsDefenderATP permissions and resolves grants by appRoleId', async () => {
    const mde = await get("/v1.0/servicePrincipals?$filter=appId eq 'fc780465-2017-40d4-a0c5-307022471b92'&$select=id,appRoles");
    const names = mde.json.value[0].appRoles.map((r: any) => r.value);
    for (const name of ['Machine.Isolate', 'Ti.ReadWrite', 'Ti.ReadWrite.All', 'AdvancedQuery.Read.All', 'Vulnerability.Read.All']) expect(names).toContain(name);
    const app = await get("/v1.0/applications?$filter=displayName eq 'Expel Defender for Endpoint Integration'");
    expect(app.json.value).toHaveLength(1);
    expect(app.json.value[0].passwordCredentials[0]).toMatchObject({ secretText: null, hint: expect.any(String), keyId: expect.any(String), endDateTime: expect.any(String) });
    const sp = await get(`/v1.0/servicePrincipals(appId='${app.json.value[0].appId}')`);
    const assignments = await get(`/v1.0/servicePrincipals/${sp.json.id}/appRoleAssignments?$top=10`);
    const granted = new Set(assignments.json.value.map((a: any) => a.appRoleId));
    const all: any[] = [];
    let url: string | undefined = `${cloud.graphUrl}/v1.0/servicePrincipals/${sp.json.id}/appRoleAssignments`;
    while (url) {
      const reply = await call(cloud, url, { headers: bearer(contoso) });
      all.push(...reply.json.value);
      url = reply.json['@odata.nextLink'];
    }
    expect(all.length).toBeGreaterThan(10);
    const mdeRoles = mde.json.value[0].appRoles.filter((r: any) => all.some((a) => a.appRoleId === r.id)).map((r: any) => r.value);
    expect(mdeRoles).toHaveLength(16);
    expect(granted.size).toBeGreaterThan(0);
    const grants = await get(`/v1.0/oauth2PermissionGrants?$filter=clientId eq '${sp.json.id}'`);
    expect(grants.json.value[0]).toMatchObject({ consentType: 'AllPrincipals', scope: 'User.Read' });
    const absent = await get("/v1.0/servicePrincipals(appId='11111111-2222-4333-8444-555555555555')");
    expect(absent.status).toBe(404);
  });
});

describe('sign-in reports', () => {
  it('answers 403 without Entra ID P1 with the documented message', async () => {
    const token = await appToken(cloud, NO_LICENSE);
    for (const path of ["/beta/reports/servicePrincipalSignInActivities?$filter=appId eq 'x'", "/beta/auditLogs/signIns?$filter=signInEventTypes/any(t: t eq 'servicePrincipal')"]) {
      const reply = await get(path, token);
      expect(reply.status).toBe(403);
      expectEnvelope(reply.json, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant');
      expect(reply.json.error.message).toBe("Neither tenant is B2C or tenant doesn't have premium license");
    }
  });

  it('returns service-principal sign-ins only when asked for with signInEventTypes (beta)', async () => {
    const appId = cloud.tenants.find((t) => t.tenantId === CONTOSO)!.ms.apps.find((a) => a.integration === 'mdi')!.appId;
    const interactive = await get(`/beta/auditLogs/signIns?$filter=appId eq '${appId}'`);
    expect(interactive.json.value).toEqual([]);
    const sp = await get(`/beta/auditLogs/signIns?$filter=appId eq '${appId}' and signInEventTypes/any(t: t eq 'servicePrincipal') and createdDateTime ge 2020-01-01T00:00:00Z&$top=3`);
    expect(sp.status).toBe(200);
    expect(sp.json.value).toHaveLength(3);
    expect(sp.json.value[0].status.errorCode).toBe(0);
    expect(Date.parse(sp.json.value[0].createdDateTime)).toBeGreaterThanOrEqual(Date.parse(sp.json.value[1].createdDateTime));
    expect(sp.json['@odata.nextLink']).toBeTruthy();
    const v1 = await get(`/v1.0/auditLogs/signIns?$filter=signInEventTypes/any(t: t eq 'servicePrincipal')`);
    expect(v1.status).toBe(400);
    const activity = await get(`/beta/reports/servicePrincipalSignInActivities?$filter=appId eq '${appId}'`);
    expect(activity.json.value[0].appId).toBe(appId);
    expect(activity.json.value[0].lastSignInActivity.lastSignInDateTime).toEqual(expect.any(String));
    expect((await get(`/v1.0/reports/servicePrincipalSignInActivities`)).status).toBe(400);
    const stringDate = await get(`/beta/auditLogs/signIns?$filter=createdDateTime ge '2020-01-01'`);
    expect(stringDate.status).toBe(400);
  });
});

describe('security alerts and the Prefer header', () => {
  it('shows evolvable serviceSource values as unknownFutureValue unless the client opts in', async () => {
    const plain = await get('/v1.0/security/alerts_v2?$top=10');
    const sources = plain.json.value.map((a: any) => a.serviceSource);
    expect(sources).toContain('unknownFutureValue');
    expect(sources).not.toContain('microsoftSentinel');
    const opted = await get('/v1.0/security/alerts_v2?$top=10', contoso, { Prefer: 'include-unknown-enum-members' });
    const optedSources = opted.json.value.map((a: any) => a.serviceSource);
    expect(optedSources).toEqual(expect.arrayContaining(['microsoftSentinel', 'microsoftDefenderForCloud']));
    const created = opted.json.value.map((a: any) => Date.parse(a.createdDateTime));
    expect([...created].sort((a, b) => b - a)).toEqual(created);
  });

  it('refuses a filter on an evolvable member without the header, accepts it with', async () => {
    const refused = await get("/v1.0/security/alerts_v2?$filter=serviceSource eq 'microsoftSentinel'");
    expect(refused.status).toBe(400);
    expectEnvelope(refused.json, 'BadRequest');
    const accepted = await get("/v1.0/security/alerts_v2?$filter=serviceSource eq 'microsoftSentinel' and createdDateTime ge 2020-01-01T00:00:00Z&$top=1", contoso, { Prefer: 'include-unknown-enum-members' });
    expect(accepted.status).toBe(200);
    expect(accepted.json.value).toHaveLength(1);
    expect(accepted.json.value[0].serviceSource).toBe('microsoftSentinel');
    const mde = await get("/v1.0/security/alerts_v2?$filter=serviceSource eq 'microsoftDefenderForEndpoint'&$top=1");
    expect(mde.json.value[0].serviceSource).toBe('microsoftDefenderForEndpoint');
    const undocumented = await get("/v1.0/security/alerts_v2?$filter=detectionSource eq 'antivirus'");
    expect(undocumented.status).toBe(400);
    const incidents = await get('/v1.0/security/incidents?$top=1');
    expect(incidents.status).toBe(200);
    expect(incidents.json.value).toHaveLength(1);
  });
});

describe('$batch', () => {
  const batch = (body: unknown, version = 'v1.0') =>
    call(cloud, `${cloud.graphUrl}/${version}/$batch`, { method: 'POST', headers: bearer(contoso, { 'content-type': 'application/json' }), body: JSON.stringify(body) });

  it('answers each inner request, matched by id, in a different order than requested', async () => {
    const requests = ['/organization', '/users?$top=1', '/policies/crossTenantAccessPolicy/default', '/security/incidents?$top=1'].map((url, i) => ({ id: String(i + 1), method: 'GET', url }));
    const reply = await batch({ requests });
    expect(reply.status).toBe(200);
    const ids = reply.json.responses.map((r: any) => r.id);
    expect(ids.sort()).toEqual(['1', '2', '3', '4']);
    expect(reply.json.responses.map((r: any) => r.id)).not.toEqual(['1', '2', '3', '4']);
    const byId = Object.fromEntries(reply.json.responses.map((r: any) => [r.id, r]));
    expect(byId['1'].body.value[0].id).toBe(CONTOSO);
    expect(byId['2'].body['@odata.nextLink']).toBeTruthy();
    const entry = cloud.log.find((e) => e.path === '/v1.0/$batch' && e.batchInnerCount === 4)!;
    expect(cloud.log.filter((e) => e.batchSeq === entry.seq)).toHaveLength(4);
  });

  it('refuses more than 20 requests, requests without id/method/url, and non-GET requests', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/organization' }));
    const tooMany = await batch({ requests: many });
    expect(tooMany.status).toBe(400);
    expectEnvelope(tooMany.json, 'BadRequest');
    expect((await batch({ requests: many.slice(0, 20) })).status).toBe(200);
    expect((await batch({ requests: [{ id: '1', url: '/organization' }] })).status).toBe(400);
    expect((await batch({ requests: [{ method: 'GET', url: '/organization' }] })).status).toBe(400);
    expect((await batch({ requests: [{ id: '1', method: 'GET' }] })).status).toBe(400);
    const before = cloud.log.length;
    const write = await batch({ requests: [{ id: '1', method: 'GET', url: '/organization' }, { id: '2', method: 'PATCH', url: '/organization/x', headers: { 'content-type': 'application/json' }, body: {} }] });
    expect(write.status).toBe(400);
    const logged = cloud.log.slice(before);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ refused: 'write', status: 400 });
  });

  it('does not mix versions and honours dependsOn', async () => {
    const mixed = await batch({ requests: [{ id: '1', method: 'GET', url: '/beta/organization' }] });
    expect(mixed.json.responses[0].status).toBe(400);
    const dependent = await batch({
      requests: [
        { id: 'a', method: 'GET', url: '/users/00000000-0000-4000-8000-000000000000' },
        { id: 'b', method: 'GET', url: '/organization', dependsOn: ['a'] },
      ],
    });
    const byId = Object.fromEntries(dependent.json.responses.map((r: any) => [r.id, r]));
    expect(byId.a.status).toBe(404);
    expect(byId.b.status).toBe(424);
    const beta = await batch({ requests: [{ id: '1', method: 'GET', url: "/reports/servicePrincipalSignInActivities?$filter=appId eq 'x'" }] }, 'beta');
    expect(beta.json.responses[0].status).toBe(200);
  });

  it('honours the Prefer header per inner request', async () => {
    const reply = await batch({
      requests: [
        { id: 'plain', method: 'GET', url: "/security/alerts_v2?$filter=serviceSource eq 'microsoftSentinel'" },
        { id: 'opted', method: 'GET', url: "/security/alerts_v2?$filter=serviceSource eq 'microsoftSentinel'", headers: { Prefer: 'include-unknown-enum-members' } },
      ],
    });
    const byId = Object.fromEntries(reply.json.responses.map((r: any) => [r.id, r]));
    expect(byId.plain.status).toBe(400);
    expect(byId.opted.status).toBe(200);
  });
});

describe('read-only', () => {
  it('refuses every write method with 405 and logs it', async () => {
    for (const method of ['POST', 'PATCH', 'PUT', 'DELETE']) {
      const reply = await call(cloud, `${cloud.graphUrl}/v1.0/users`, { method, headers: bearer(contoso, { 'content-type': 'application/json' }), body: '{}' });
      expect(reply.status).toBe(405);
      expect(cloud.log.at(-1)).toMatchObject({ method, refused: 'write', status: 405 });
    }
    expect((await call(cloud, `${cloud.graphUrl}/v1.0/$batch`, { headers: bearer(contoso) })).status).toBe(405);
  });
});
