// The scenario data: well-formed, importable, and actually showing over HTTP the facts each
// scenario's expected verdicts rest on (so a probe disagreeing with `expect` points at the probe).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/cli.js';
import { ERROR_REASONS } from '../../src/core/status.js';
import { stepById } from '../../src/integrations/catalogue.js';
import { planImport } from '../../src/roster/import.js';
import { SIM_EXPEL_APP_IDS, rosterCsv, rosterOf, scenarioTenants, startSimCloud, syntheticTenants, type SimCloud, type SimTenant } from '../../sim/index.js';
import { HOSTILE } from '../../sim/scenarios.js';
import { buildDirectory } from '../../sim/directory.js';
import { ENTITY_PROPERTIES } from '../../sim/entities.js';
import { appToken, bearer, call } from './support.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STATUS = /^(pass|warn|fail|waiting|overdue|unverifiable|attested|not_applicable|blocked(:.+)?|error:.+)$/;
const NOW = new Date('2026-11-22T10:00:00Z');

describe('scenario data', () => {
  const tenants = scenarioTenants(NOW);

  it('has unique ids, lower-case GUID tenant IDs and unique domains', () => {
    expect(new Set(tenants.map((t) => t.scenario)).size).toBe(tenants.length);
    expect(new Set(tenants.map((t) => t.tenantId)).size).toBe(tenants.length);
    expect(new Set(tenants.map((t) => t.domain)).size).toBe(tenants.length);
    for (const t of tenants) expect(t.tenantId).toMatch(GUID);
  });

  it('expects only catalogue steps and steps.md vocabulary', () => {
    for (const t of tenants) {
      expect(Object.keys(t.expect).length, t.scenario).toBeGreaterThan(0);
      for (const [step, verdict] of Object.entries(t.expect)) {
        expect(stepById(step), `${t.scenario}: ${step}`).toBeDefined();
        expect(verdict, `${t.scenario}: ${step}`).toMatch(STATUS);
        if (verdict.startsWith('error:')) expect(ERROR_REASONS).toContain(verdict.slice(6));
        if (verdict.startsWith('blocked:')) expect(stepById(verdict.slice(8))).toBeDefined();
      }
    }
  });

  it('serves only properties its entity registry knows (so $select validation stays truthful)', () => {
    const check = (type: string, objects: Record<string, unknown>[]) => {
      const known = new Set(ENTITY_PROPERTIES[type]);
      for (const object of objects) for (const key of Object.keys(object)) if (key !== '@odata.type') expect(known.has(key), `${type}.${key}`).toBe(true);
    };
    for (const t of [...tenants, ...syntheticTenants(50, 2, NOW)]) {
      const d = buildDirectory(t);
      check('microsoft.graph.organization', [d.organization]);
      check('microsoft.graph.user', d.users);
      check('microsoft.graph.unifiedRoleAssignment', d.roleAssignments);
      check('microsoft.graph.unifiedRoleEligibilitySchedule', d.roleEligibilitySchedules);
      check('microsoft.graph.crossTenantAccessPolicyConfigurationPartner', d.partners);
      check('microsoft.graph.crossTenantAccessPolicyConfigurationDefault', [d.crossTenantDefault]);
      check('microsoft.graph.servicePrincipal', d.servicePrincipals);
      check('microsoft.graph.application', d.applications);
      check('microsoft.graph.appRoleAssignment', [...d.appRoleAssignments.values()].flat());
      check('microsoft.graph.oAuth2PermissionGrant', d.oauth2PermissionGrants);
      check('microsoft.graph.servicePrincipalSignInActivity', d.servicePrincipalSignInActivities);
      check('microsoft.graph.signIn', d.signIns);
      check('microsoft.graph.security.alert', d.alerts.map((a) => a.alert));
      check('microsoft.graph.security.incident', d.incidents);
    }
  });

  it('is the same for the same clock (dates relative to now)', () => {
    expect(JSON.stringify(scenarioTenants(NOW))).toBe(JSON.stringify(tenants));
    const later = scenarioTenants(new Date(NOW.getTime() + 86_400_000));
    expect(later[0]!.roster.startedOn).not.toBe(tenants[0]!.roster.startedOn);
  });

  it('are each listed in docs/sim.md with their tenant ID and expected verdicts', () => {
    const doc = readFileSync(path.join(projectRoot, 'docs/sim.md'), 'utf8');
    for (const t of tenants) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${t.scenario}\` |`));
      expect(row, t.scenario).toBeDefined();
      expect(row).toContain(t.tenantId);
      for (const [step, verdict] of Object.entries(t.expect)) expect(row, `${t.scenario} ${step}`).toContain(`${step} ${verdict}`);
    }
  });

  it('gives roster entries the roster import accepts, hostile names included', () => {
    const csv = rosterCsv(tenants);
    const plan = planImport(csv, () => undefined, { now: NOW });
    expect(plan.problems).toEqual([]);
    expect(plan.rows).toHaveLength(tenants.length);
    expect(csv).toContain('\u001b');
    expect(rosterOf(tenants).find((t) => t.notes === 'sim scenario: hostile-names')!.name).toBe(HOSTILE.roster);
    for (const entry of rosterOf(tenants)) {
      expect(entry.tenantId).toMatch(GUID);
      if (entry.orgGuid) expect(entry.orgGuid).toMatch(GUID);
      for (const s of entry.subscriptions) expect(s).toMatch(GUID);
    }
  });
});

describe('synthetic tenants', () => {
  it('are deterministic by seed, mixed across stages, and importable', () => {
    const a = syntheticTenants(300, 7, NOW);
    const b = syntheticTenants(300, 7, NOW);
    const c = syntheticTenants(300, 8, NOW);
    expect(a.map((t) => t.tenantId)).toEqual(b.map((t) => t.tenantId));
    expect(a.map((t) => t.scenario)).toEqual(b.map((t) => t.scenario));
    expect(c.map((t) => t.tenantId)).not.toEqual(a.map((t) => t.tenantId));
    expect(new Set(a.map((t) => t.scenario)).size).toBeGreaterThanOrEqual(10);
    expect(JSON.stringify(a[5]!.ms)).toBe(JSON.stringify(b[5]!.ms));
    const plan = planImport(rosterCsv(a), () => undefined, { now: NOW });
    expect(plan.problems).toEqual([]);
    expect(plan.rows).toHaveLength(300);
  });

  it('build ten thousand rosters without building their Microsoft-side state', () => {
    let built = 0;
    const tenants = syntheticTenants(10_000, 1, NOW);
    for (const t of tenants) {
      const descriptor = Object.getOwnPropertyDescriptor(t, 'ms')!;
      expect(typeof descriptor.get).toBe('function');
      if (t.scenario === 'synthetic:onboarded' && built < 3) {
        expect(t.ms.apps.length).toBeGreaterThan(0);
        built++;
      }
    }
    expect(new Set(tenants.map((t) => t.tenantId)).size).toBe(10_000);
  });
});

// ---- what each scenario shows over HTTP ------------------------------------------------------

let cloud: SimCloud;
const tokens = new Map<string, string>();
beforeAll(async () => {
  cloud = await startSimCloud();
});
afterAll(async () => {
  await cloud?.close();
});

const byScenario = (id: string): SimTenant => cloud.tenants.find((t) => t.scenario === id)!;
async function token(t: SimTenant, resource: 'graph' | 'arm' = 'graph'): Promise<string> {
  const key = `${t.tenantId}:${resource}`;
  if (!tokens.has(key)) tokens.set(key, await appToken(cloud, t.tenantId, resource));
  return tokens.get(key)!;
}
async function graph(id: string, path: string, headers: Record<string, string> = {}) {
  const t = byScenario(id);
  return call(cloud, `${cloud.graphUrl}${path}`, { headers: bearer(await token(t), headers) });
}
async function graphAll(id: string, path: string): Promise<any[]> {
  const t = byScenario(id);
  const out: any[] = [];
  let url: string | undefined = `${cloud.graphUrl}${path}`;
  while (url) {
    const reply = await call(cloud, url, { headers: bearer(await token(t), { Prefer: 'include-unknown-enum-members' }) });
    expect(reply.status, url).toBe(200);
    out.push(...reply.json.value);
    url = reply.json['@odata.nextLink'];
  }
  return out;
}
const guestMailOf = (t: SimTenant) => t.roster.guestEmail ?? `${t.roster.orgGuid}@soc.expel.io`;
async function guest(id: string) {
  const t = byScenario(id);
  const reply = await graph(id, `/v1.0/users?$filter=mail eq '${guestMailOf(t)}'&$select=id,mail,externalUserState,accountEnabled,userType`);
  return reply.json.value as any[];
}
async function grantedNames(id: string, appId: string, resourceAppId: string): Promise<string[]> {
  const sp = (await graph(id, `/v1.0/servicePrincipals(appId='${appId}')`)).json;
  const resource = (await graph(id, `/v1.0/servicePrincipals(appId='${resourceAppId}')?$select=id,appRoles`)).json;
  const assignments = await graphAll(id, `/v1.0/servicePrincipals/${sp.id}/appRoleAssignments`);
  return assignments.filter((a) => a.resourceId === resource.id).map((a) => resource.appRoles.find((r: any) => r.id === a.appRoleId).value).sort();
}
async function signInsSince(id: string, appId: string, since: string): Promise<any[]> {
  return graphAll(id, `/beta/auditLogs/signIns?$filter=appId eq '${appId}' and signInEventTypes/any(t: t eq 'servicePrincipal') and createdDateTime ge ${since}`);
}
async function alertsSince(id: string, source: string, since: string): Promise<any[]> {
  return graphAll(id, `/v1.0/security/alerts_v2?$filter=serviceSource eq '${source}' and createdDateTime ge ${since}`);
}
const appOf = (id: string, integration: string) => byScenario(id).ms.apps.find((a) => a.integration === integration)!;
const GRAPH = '00000003-0000-0000-c000-000000000000';
const ATP = 'fc780465-2017-40d4-a0c5-307022471b92';

describe('each scenario shows its facts over HTTP', () => {
  it('fresh: no guest, no partner, no Expel apps, no visible subscription', async () => {
    expect(await guest('fresh')).toEqual([]);
    expect((await graph('fresh', '/v1.0/policies/crossTenantAccessPolicy/partners')).json.value).toEqual([]);
    expect((await graph('fresh', `/v1.0/servicePrincipals(appId='${SIM_EXPEL_APP_IDS.mde}')`)).status).toBe(404);
    expect((await graph('fresh', "/v1.0/applications?$filter=displayName eq 'Expel Defender for Identity'")).json.value).toEqual([]);
    const arm = await call(cloud, `${cloud.armUrl}/subscriptions?api-version=2022-12-01`, { headers: bearer(await token(byScenario('fresh'), 'arm')) });
    expect(arm.json.value).toEqual([]);
  });

  it('guest-pending / guest-not-invited: the guest state', async () => {
    expect((await guest('guest-pending'))[0]).toMatchObject({ externalUserState: 'PendingAcceptance', userType: 'Guest' });
    expect(await guest('guest-not-invited')).toEqual([]);
    expect((await guest('onboarded'))[0]).toMatchObject({ externalUserState: 'Accepted', accountEnabled: true });
  });

  it('trust scenarios: partner entries and defaults', async () => {
    expect((await graph('trust-missing', '/v1.0/policies/crossTenantAccessPolicy/partners/1cde81fd-b430-4035-b24d-709921922876')).status).toBe(404);
    const partial = (await graph('trust-partial', '/v1.0/policies/crossTenantAccessPolicy/partners/1cde81fd-b430-4035-b24d-709921922876')).json;
    expect(partial.inboundTrust.isMfaAccepted).toBe(false);
    expect(partial.automaticUserConsentSettings.inboundAllowed).toBe(false);
    const inherited = (await graph('trust-inherited', '/v1.0/policies/crossTenantAccessPolicy/partners')).json.value[0];
    expect(inherited.inboundTrust).toBeNull();
    expect(inherited.automaticUserConsentSettings.inboundAllowed).toBeNull();
    const defaults = (await graph('trust-inherited', '/v1.0/policies/crossTenantAccessPolicy/default')).json;
    expect(defaults.inboundTrust).toEqual({ isMfaAccepted: true, isCompliantDeviceAccepted: true, isHybridAzureADJoinedDeviceAccepted: true });
    expect(defaults.automaticUserConsentSettings.inboundAllowed).toBe(false);
  });

  it('consent-partial: four permissions configured, three consented', async () => {
    const app = (await graph('consent-partial', "/v1.0/applications?$filter=displayName eq 'Expel Defender for Identity'")).json.value[0];
    expect(app.requiredResourceAccess[0].resourceAccess.filter((r: any) => r.type === 'Role')).toHaveLength(4);
    expect(await grantedNames('consent-partial', app.appId, GRAPH)).toEqual(['SecurityAlert.Read.All', 'SecurityEvents.Read.All', 'SecurityIncident.Read.All']);
  });

  it('MDE permission sets: older 13, current 16, enterprise some', async () => {
    expect(await grantedNames('mde-older-permissions', appOf('mde-older-permissions', 'mde').appId, ATP)).toHaveLength(13);
    expect(await grantedNames('mde-secret-expiring', appOf('mde-secret-expiring', 'mde').appId, ATP)).toHaveLength(16);
    expect((await grantedNames('polling-waiting', SIM_EXPEL_APP_IDS.mde, ATP)).length).toBeGreaterThan(0);
  });

  it('secrets: expiring in 10 days, expired, rotated', async () => {
    const now = Date.now();
    const secretOf = async (id: string, name: string) => (await graph(id, `/v1.0/applications?$filter=displayName eq '${name}'&$select=passwordCredentials`)).json.value[0].passwordCredentials;
    const [expiring] = await secretOf('mde-secret-expiring', 'Expel Defender for Endpoint Integration');
    expect(Math.round((Date.parse(expiring.endDateTime) - now) / 86_400_000)).toBe(10);
    const [expired] = await secretOf('mde-secret-expired', 'Expel Defender for Endpoint Integration');
    expect(Date.parse(expired.endDateTime)).toBeLessThan(now);
    const rotated = await secretOf('mdi-secret-failed', 'Expel Defender for Identity');
    expect(rotated.filter((s: any) => Date.parse(s.endDateTime) > now)).toHaveLength(1);
  });

  it('polling: sign-ins since T0 by scenario', async () => {
    const t0 = (id: string, i: 'mde' | 'mdi') => byScenario(id).roster.deviceAdded[i]!;
    expect(await signInsSince('polling-waiting', SIM_EXPEL_APP_IDS.mde, t0('polling-waiting', 'mde'))).toEqual([]);
    expect(await signInsSince('polling-overdue', SIM_EXPEL_APP_IDS.mde, t0('polling-overdue', 'mde'))).toEqual([]);
    const ok = await signInsSince('polling-no-alerts-yet', SIM_EXPEL_APP_IDS.mde, t0('polling-no-alerts-yet', 'mde'));
    expect(ok.length).toBeGreaterThan(0);
    expect(ok.every((s) => s.status.errorCode === 0)).toBe(true);
    const failing = await signInsSince('mdi-secret-failed', appOf('mdi-secret-failed', 'mdi').appId, t0('mdi-secret-failed', 'mdi'));
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.every((s) => s.status.errorCode === 7000222)).toBe(true);
    const recovered = await signInsSince('mde-secret-expiring', appOf('mde-secret-expiring', 'mde').appId, t0('mde-secret-expiring', 'mde'));
    expect(recovered.map((s) => s.status.errorCode)).toContain(7000215);
    expect(recovered[0].status.errorCode).toBe(0);
    const expired = await signInsSince('mde-secret-expired', appOf('mde-secret-expired', 'mde').appId, t0('mde-secret-expired', 'mde'));
    expect(expired[0].status.errorCode).toBe(7000222);
  });

  it('alerts: none since T0 where alerts are awaited, one where they are done', async () => {
    for (const id of ['polling-no-alerts-yet', 'alerts-due', 'alerts-overdue']) {
      expect(await alertsSince(id, 'microsoftDefenderForEndpoint', byScenario(id).roster.deviceAdded.mde!), id).toEqual([]);
    }
    const contoso = byScenario('onboarded').roster.deviceAdded;
    for (const [source, since] of [
      ['microsoftDefenderForEndpoint', contoso.mde],
      ['microsoftDefenderForIdentity', contoso.mdi],
      ['microsoftDefenderForOffice365', contoso.m365],
      ['microsoftSentinel', contoso.azure],
      ['microsoftDefenderForCloud', contoso.azure],
    ] as const) {
      expect((await alertsSince('onboarded', source, since!)).length, source).toBeGreaterThan(0);
    }
  });

  it('console roles: Security Reader only; nothing in the RBAC tenant', async () => {
    const roles = async (id: string) => {
      const [g] = await guest(id);
      return (await graph(id, `/v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '${g.id}'`)).json.value.map((a: any) => a.roleDefinitionId);
    };
    expect(await roles('mde-console-reader-only')).toEqual(['5d6b6bb7-de71-4623-b4af-96380a352509']);
    expect(await roles('mde-rbac-console')).toEqual([]);
    expect(await roles('onboarded')).toContain('f2ef992c-3afb-46b9-b7cf-a126ee74c451');
  });

  it('license-missing: sign-in reports refused; hostile-names: escapes served verbatim', async () => {
    expect((await graph('license-missing', `/beta/reports/servicePrincipalSignInActivities?$filter=appId eq '${SIM_EXPEL_APP_IDS.mde}'`)).status).toBe(403);
    const org = (await graph('hostile-names', '/v1.0/organization')).json.value[0];
    expect(org.displayName).toBe(HOSTILE.organization);
    const users = await graphAll('hostile-names', '/v1.0/users?$select=displayName');
    expect(users.map((u) => u.displayName)).toEqual(expect.arrayContaining([...HOSTILE.users]));
  });

  it('domain-mismatch: the roster domain resolves to another tenant', async () => {
    const t = byScenario('domain-mismatch');
    const reply = await call(cloud, `${cloud.authorityHost}/${t.roster.domain}/v2.0/.well-known/openid-configuration`);
    expect(reply.json.issuer).not.toContain(t.tenantId);
  });

  it('throttling-heavy: each distinct request is throttled twice, then answered', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await graph('throttling-heavy', '/v1.0/organization')).status);
    expect(statuses).toEqual([429, 429, 200]);
    const throttled = cloud.log.filter((e) => e.tenantId === byScenario('throttling-heavy').tenantId && e.status === 429);
    expect(throttled[0]!.retryAfter).toBe('1');
  });
});
