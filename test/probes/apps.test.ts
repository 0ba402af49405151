// Pure evaluation of the app probes (microsoft-apis.md C-06..C-09): permission names resolved per
// tenant from each resource service principal, editions, enterprise apps, secrets.
import { describe, expect, it } from 'vitest';
import {
  AZURE_APP_PERMISSIONS,
  MDE_CUSTOM_APP_PERMISSIONS,
  MDI_APP_PERMISSIONS,
  RESOURCES,
  type PermissionRequirement,
} from '../../src/integrations/reference.js';
import {
  evaluateCustomAppConsent,
  evaluateEnterpriseApp,
  missingPermissions,
  type ConsentSnapshot,
  type ResourcePrincipals,
  type ServicePrincipal,
} from '../../src/probes/app-consent.js';
import { evaluateAppRegistered, evaluateSecret, type Application } from '../../src/probes/app-registration.js';

/** A resource SP whose permission IDs are generated per "tenant" (as they differ between clouds). */
function resourceSp(key: keyof typeof RESOURCES, objectId: string, names: { roles: string[]; scopes?: string[] }, salt: string): ServicePrincipal {
  return {
    id: objectId,
    appId: RESOURCES[key].appId,
    displayName: RESOURCES[key].displayName,
    appRoles: names.roles.map((value, i) => ({ id: `${salt}-${key}-role-${i}`, value, allowedMemberTypes: ['Application'], isEnabled: true })),
    oauth2PermissionScopes: (names.scopes ?? []).map((value, i) => ({ id: `${salt}-${key}-scope-${i}`, value, isEnabled: true })),
  };
}

const namesOf = (list: readonly PermissionRequirement[], resource: string, type: string) =>
  list.filter((p) => p.resource === resource && p.type === type).map((p) => p.name);

function tenantResources(salt: string): ResourcePrincipals {
  const atpNames = namesOf(MDE_CUSTOM_APP_PERMISSIONS.current, 'defenderAtp', 'Application');
  return {
    graph: resourceSp('graph', `graph-sp-${salt}`, {
      roles: ['SecurityAlert.Read.All', 'SecurityEvents.Read.All', 'ThreatHunting.Read.All', 'SecurityIncident.Read.All', 'User.Read.All', 'User.ReadWrite.All'],
      scopes: ['User.Read', 'User.Read.All', 'User.ReadWrite.All'],
    }, salt),
    defenderAtp: resourceSp('defenderAtp', `atp-sp-${salt}`, { roles: atpNames }, salt),
    logAnalytics: resourceSp('logAnalytics', `la-sp-${salt}`, { roles: ['Data.Read'] }, salt),
    office365Management: resourceSp('office365Management', `o365-sp-${salt}`, { roles: ['ActivityFeed.Read', 'ServiceHealth.Read'] }, salt),
  };
}

const CLIENT = 'client-sp';

/** Grants exactly the listed permissions, resolving names to IDs through `resources`. */
function grant(resources: ResourcePrincipals, permissions: readonly PermissionRequirement[]): ConsentSnapshot {
  const snapshot: ConsentSnapshot = { clientId: CLIENT, appRoleAssignments: [], grants: [] };
  const scopes = new Map<string, string[]>();
  for (const p of permissions) {
    const sp = resources[p.resource]!;
    if (p.type === 'Application') {
      const role = sp.appRoles!.find((r) => r.value === p.name)!;
      (snapshot.appRoleAssignments as unknown[]).push({ appRoleId: role.id, resourceId: sp.id, principalId: CLIENT });
    } else {
      scopes.set(sp.id, [...(scopes.get(sp.id) ?? []), p.name]);
    }
  }
  for (const [resourceId, names] of scopes) {
    (snapshot.grants as unknown[]).push({ clientId: CLIENT, consentType: 'AllPrincipals', resourceId, principalId: null, scope: names.join(' ') });
  }
  return snapshot;
}

const app = { appId: '2f0c8e4a-9b1d-4c7e-8a6f-3d5b1c9e7a20', id: '5a8b6c0d-1e2f-4a3b-9c8d-7e6f5a4b3c2d' };
const client: ServicePrincipal = { id: CLIENT, appId: app.appId, displayName: 'Expel Defender for Identity', accountEnabled: true };

describe('custom app consent', () => {
  it('passes when every MDI permission is granted, whatever the tenant-specific IDs', () => {
    for (const salt of ['commercial', 'gcchigh']) {
      const resources = tenantResources(salt);
      const result = evaluateCustomAppConsent({
        appName: 'Expel Defender for Identity', app, servicePrincipal: client, current: MDI_APP_PERMISSIONS, resources, snapshot: grant(resources, MDI_APP_PERMISSIONS),
      });
      expect(result.status).toBe('pass');
    }
  });

  it('does not accept IDs resolved in another tenant (IDs are never hard-coded)', () => {
    const here = tenantResources('commercial');
    const elsewhere = tenantResources('gcchigh');
    const snapshot = grant(elsewhere, MDI_APP_PERMISSIONS);
    // Same resource object IDs, but role IDs from the other cloud.
    const rewired: ConsentSnapshot = {
      ...snapshot,
      appRoleAssignments: snapshot.appRoleAssignments.map((a) => ({ ...a, resourceId: here.graph!.id })),
      grants: snapshot.grants.map((g) => ({ ...g, resourceId: here.graph!.id })),
    };
    const missing = missingPermissions(MDI_APP_PERMISSIONS, here, rewired).map((p) => p.name);
    expect(missing).toEqual(['SecurityAlert.Read.All', 'SecurityEvents.Read.All', 'ThreatHunting.Read.All', 'SecurityIncident.Read.All']);
  });

  it('names the missing permissions and only counts AllPrincipals delegated grants', () => {
    const resources = tenantResources('t');
    const granted = MDI_APP_PERMISSIONS.filter((p) => p.name !== 'ThreatHunting.Read.All');
    const snapshot = grant(resources, granted);
    const userConsent: ConsentSnapshot = { ...snapshot, grants: snapshot.grants.map((g) => ({ ...g, consentType: 'Principal' })) };
    const result = evaluateCustomAppConsent({ appName: 'x', app, servicePrincipal: client, current: MDI_APP_PERMISSIONS, resources, snapshot: userConsent });
    expect(result.status).toBe('fail');
    expect(result.evidence.missing).toEqual(['ThreatHunting.Read.All', 'User.Read']);
  });

  it('keeps the same permission name apart on two resources (User.Read.All on WindowsDefenderATP ≠ on Graph)', () => {
    const resources = tenantResources('t');
    const current = MDE_CUSTOM_APP_PERMISSIONS.current;
    // Everything except Graph's User.Read.All; WindowsDefenderATP's User.Read.All is granted.
    const granted = current.filter((p) => !(p.resource === 'graph' && p.name === 'User.Read.All'));
    const result = evaluateCustomAppConsent({
      appName: 'Expel Defender for Endpoint Integration', app, servicePrincipal: client, current, older: MDE_CUSTOM_APP_PERMISSIONS.older, resources, snapshot: grant(resources, granted),
    });
    expect(result.status).toBe('warn');
    expect(result.evidence.missingByResource).toEqual({ 'Microsoft Graph': ['User.Read.All'] });
  });

  it('older MDE edition complete but current missing → warn naming what the current edition adds', () => {
    const resources = tenantResources('t');
    const result = evaluateCustomAppConsent({
      appName: 'Expel Defender for Endpoint Integration', app, servicePrincipal: client,
      current: MDE_CUSTOM_APP_PERMISSIONS.current, older: MDE_CUSTOM_APP_PERMISSIONS.older, resources,
      snapshot: grant(resources, MDE_CUSTOM_APP_PERMISSIONS.older),
    });
    expect(result.status).toBe('warn');
    expect(result.evidence.edition).toBe('older');
    expect(result.evidence.missing).toEqual(
      expect.arrayContaining(['Machine.Isolate', 'Ti.ReadWrite', 'Ti.ReadWrite.All', 'User.ReadWrite.All', 'User.Read.All']),
    );
    expect(result.summary).toContain('Machine.Isolate');
  });

  it('older edition incomplete → fail; current complete → pass', () => {
    const resources = tenantResources('t');
    const input = { appName: 'x', app, servicePrincipal: client, current: MDE_CUSTOM_APP_PERMISSIONS.current, older: MDE_CUSTOM_APP_PERMISSIONS.older, resources };
    const olderMinusOne = MDE_CUSTOM_APP_PERMISSIONS.older.filter((p) => p.name !== 'Alert.Read.All');
    expect(evaluateCustomAppConsent({ ...input, snapshot: grant(resources, olderMinusOne) }).status).toBe('fail');
    expect(evaluateCustomAppConsent({ ...input, snapshot: grant(resources, MDE_CUSTOM_APP_PERMISSIONS.current) }).status).toBe('pass');
  });

  it('accepts the alternative type where the guide does not say one (User.Read.All delegated)', () => {
    const resources = tenantResources('t');
    const current = MDE_CUSTOM_APP_PERMISSIONS.current;
    const granted = current.map((p) => (p.resource === 'graph' && p.name === 'User.Read.All' ? { ...p, type: 'Delegated' as const } : p));
    const result = evaluateCustomAppConsent({ appName: 'x', app, servicePrincipal: client, current, resources, snapshot: grant(resources, granted) });
    expect(result.status).toBe('pass');
  });

  it('fails naming resources missing from the tenant (WindowsDefenderATP never provisioned)', () => {
    const resources = { ...tenantResources('t'), defenderAtp: null };
    const result = evaluateCustomAppConsent({
      appName: 'x', app, servicePrincipal: client, current: MDE_CUSTOM_APP_PERMISSIONS.current, resources, snapshot: { clientId: CLIENT, appRoleAssignments: [], grants: [] },
    });
    expect(result.status).toBe('fail');
    expect(result.evidence.resourcesNotInTenant).toEqual(['WindowsDefenderATP']);
  });

  it('fails when the app has no service principal (never consented)', () => {
    const result = evaluateCustomAppConsent({ appName: 'x', app, servicePrincipal: null, current: AZURE_APP_PERMISSIONS, resources: tenantResources('t'), snapshot: null });
    expect(result.status).toBe('fail');
  });
});

describe('enterprise app consent (no published permission list)', () => {
  const resources = tenantResources('t');
  const sp: ServicePrincipal = { id: CLIENT, appId: 'expel-mde-app', displayName: 'Expel Defender for Endpoint Integration', accountEnabled: true };
  const base = {
    label: 'Expel Defender for Endpoint', servicePrincipal: sp, matchedBy: 'appId' as const,
    searched: { appId: 'expel-mde-app', displayNames: ['Expel Defender for Endpoint Integration'] }, expectedResource: 'defenderAtp' as const, resources,
  };
  const oneAtp = grant(resources, [{ resource: 'defenderAtp', name: 'Alert.Read.All', type: 'Application' }]);

  it('passes with ≥1 admin-consented application permission on the expected resource, listing it', () => {
    const result = evaluateEnterpriseApp({ ...base, snapshot: oneAtp });
    expect(result.status).toBe('pass');
    expect(result.evidence.granted).toEqual(['Alert.Read.All']);
  });

  it('fails when the permissions are on another resource only, or the SP is disabled, or missing', () => {
    const graphOnly = grant(resources, [{ resource: 'graph', name: 'User.Read.All', type: 'Application' }]);
    expect(evaluateEnterpriseApp({ ...base, snapshot: graphOnly }).status).toBe('fail');
    expect(evaluateEnterpriseApp({ ...base, servicePrincipal: { ...sp, accountEnabled: false }, snapshot: oneAtp }).status).toBe('fail');
    expect(evaluateEnterpriseApp({ ...base, servicePrincipal: null, matchedBy: null, snapshot: null }).status).toBe('fail');
  });

  it('does not count assignments that name no enabled application role of the resource', () => {
    const atp = resources.defenderAtp!;
    const snapshot = {
      clientId: CLIENT,
      grants: [],
      appRoleAssignments: [
        // the default-access assignment (all zeros) and a role ID the resource does not define
        { appRoleId: '00000000-0000-0000-0000-000000000000', resourceId: atp.id, principalId: CLIENT },
        { appRoleId: '11111111-2222-4333-8444-555555555555', resourceId: atp.id, principalId: CLIENT },
      ],
    };
    const result = evaluateEnterpriseApp({ ...base, snapshot });
    expect(result.status).toBe('fail');
    expect(result.evidence.granted).toEqual([]);
    expect(result.evidence.unrecognisedRoleIds).toHaveLength(2);
  });

  it('caps at warn when found by display name only', () => {
    const result = evaluateEnterpriseApp({ ...base, matchedBy: 'displayName', snapshot: oneAtp });
    expect(result.status).toBe('warn');
    expect(result.evidence.matchedBy).toBe('displayName');
  });

  it('cleans a hostile display name in evidence', () => {
    const hostile = { ...sp, displayName: 'Expel\u001b[2J\u001b]8;;http://evil\u0007 app' };
    const result = evaluateEnterpriseApp({ ...base, servicePrincipal: hostile, snapshot: oneAtp });
    expect(JSON.stringify(result)).not.toMatch(/[\u0000-\u001f]/);
  });
});

const NOW = new Date('2026-11-22T10:00:00Z');
const documentedApp: Application = {
  id: '5a8b6c0d-1e2f-4a3b-9c8d-7e6f5a4b3c2d',
  appId: '2f0c8e4a-9b1d-4c7e-8a6f-3d5b1c9e7a20',
  displayName: 'Expel Defender for Identity',
  createdDateTime: '2025-03-01T11:58:00Z',
  signInAudience: 'AzureADMyOrg',
  passwordCredentials: [
    { displayName: 'Expel API', endDateTime: '2027-03-01T12:00:00Z', hint: 'Xk8', keyId: 'c1a5e9f2-7b3d-4e8a-9f01-2b3c4d5e6f70', startDateTime: '2025-03-01T12:00:00Z', secretText: null } as never,
  ],
};

describe('app registration and secrets', () => {
  it('finds the documented app; warns when two share the name; fails when none', () => {
    expect(evaluateAppRegistered('Expel Defender for Identity', [documentedApp]).status).toBe('pass');
    const twin = { ...documentedApp, id: 'twin', createdDateTime: '2026-01-01T00:00:00Z', appId: 'twin-app' };
    const two = evaluateAppRegistered('Expel Defender for Identity', [documentedApp, twin]);
    expect(two.status).toBe('warn');
    expect(two.evidence.appId).toBe('twin-app');
    expect(evaluateAppRegistered('Expel Defender for Identity', []).status).toBe('fail');
  });

  it('passes a valid secret and keeps only keyId, hint and endDateTime', () => {
    const result = evaluateSecret(documentedApp, NOW, 30);
    expect(result.status).toBe('pass');
    expect(result.evidence.current).toEqual({ keyId: 'c1a5e9f2-7b3d-4e8a-9f01-2b3c4d5e6f70', hint: 'Xk8', endDateTime: '2027-03-01T12:00:00Z' });
    expect(JSON.stringify(result)).not.toContain('secretText');
  });

  it('warns inside the warning window, fails when expired or absent', () => {
    const soon = { ...documentedApp, passwordCredentials: [{ keyId: 'k', hint: 'abc', endDateTime: '2026-12-10T00:00:00Z' }] };
    expect(evaluateSecret(soon, NOW, 30).status).toBe('warn');
    const expired = { ...documentedApp, passwordCredentials: [{ keyId: 'k', hint: 'abc', endDateTime: '2026-11-01T00:00:00Z' }] };
    expect(evaluateSecret(expired, NOW, 30).status).toBe('fail');
    expect(evaluateSecret({ ...documentedApp, passwordCredentials: [] }, NOW, 30).status).toBe('fail');
    expect(evaluateSecret({ ...documentedApp, passwordCredentials: null }, NOW, 30).status).toBe('fail');
  });

  it('with several secrets the newest unexpired one counts', () => {
    const mixed = {
      ...documentedApp,
      passwordCredentials: [
        { keyId: 'old', hint: 'o', endDateTime: '2026-01-01T00:00:00Z' },
        { keyId: 'soon', hint: 's', endDateTime: '2026-12-01T00:00:00Z' },
        { keyId: 'long', hint: 'l', endDateTime: '2028-11-22T00:00:00Z' },
      ],
    };
    const result = evaluateSecret(mixed, NOW, 30);
    expect(result.status).toBe('pass');
    expect(result.evidence.current).toMatchObject({ keyId: 'long' });
    const expiringOnly = { ...mixed, passwordCredentials: mixed.passwordCredentials.slice(0, 2) };
    expect(evaluateSecret(expiringOnly, NOW, 30)).toMatchObject({ status: 'warn', evidence: { current: { keyId: 'soon' } } });
  });
});
