// Pure evaluation of the identity probes on Microsoft's documented example bodies
// (microsoft-apis.md C-01, C-03, C-04, C-05) and nasty variants of them.
import { describe, expect, it } from 'vitest';
import { evaluateAutoRedeem, evaluateCrossTenantTrust, findPartner, type CrossTenantPolicy } from '../../src/probes/cross-tenant.js';
import {
  evaluateGuestInvited,
  evaluateGuestRedeemed,
  guestEmailFor,
  guestLookupPath,
  type GuestUser,
} from '../../src/probes/guest.js';
import { evaluateConsoleRoles, evaluateGuestRole } from '../../src/probes/roles.js';
import { evaluateProbeAccess, evaluateTenantDiscovery } from '../../src/probes/tenant-access.js';

const TENANT = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';
const EXPEL = '1cde81fd-b430-4035-b24d-709921922876';

describe('access.tenant', () => {
  const found = { found: true as const, tenantId: TENANT, issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`, cloudInstanceName: 'microsoftonline.com' };

  it('passes when the tenant exists and the domain resolves to it', () => {
    const result = evaluateTenantDiscovery(TENANT, found, { domain: 'contoso.com', result: found });
    expect(result.status).toBe('pass');
    expect(result.evidence).toMatchObject({ domain: 'contoso.com' });
  });

  it('fails on AADSTS90002 and when the domain belongs to another tenant', () => {
    expect(evaluateTenantDiscovery(TENANT, { found: false, code: 'AADSTS90002' }, null).status).toBe('fail');
    const other = { ...found, tenantId: 'aaaaaaaa-0000-4000-8000-000000000000' };
    const result = evaluateTenantDiscovery(TENANT, found, { domain: 'contoso.com', result: other });
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('aaaaaaaa-0000-4000-8000-000000000000');
  });

  it('reports a discovery answer that proves nothing (no AADSTS code) as an error, not a failure', () => {
    expect(evaluateTenantDiscovery(TENANT, { found: false, code: null }, null)).toMatchObject({
      status: 'error',
      reason: 'unexpected_response',
    });
    expect(evaluateTenantDiscovery(TENANT, found, { domain: 'contoso.com', result: { found: false, code: null } })).toMatchObject({
      status: 'error',
      reason: 'unexpected_response',
    });
    expect(
      evaluateTenantDiscovery(TENANT, found, { domain: 'contoso.com', result: { found: false, code: 'AADSTS90002' } }).status,
    ).toBe('fail');
  });

  it('reports another cloud as an error, not a failure', () => {
    const result = evaluateTenantDiscovery(TENANT, { found: false, code: 'AADSTS90038' }, null);
    expect(result).toMatchObject({ status: 'error', reason: 'wrong_cloud' });
  });
});

describe('access.probe-access', () => {
  it('passes on a directory read of this tenant and cleans the hostile organization name', () => {
    const result = evaluateProbeAccess(TENANT, { value: [{ id: TENANT, displayName: 'Contoso\u001b]0;pwned\u0007 Ltd\u001b[31m' }] });
    expect(result.status).toBe('pass');
    expect(JSON.stringify(result)).not.toMatch(/\u001b|\u0007/);
    expect(result.evidence.organizationName).toBe('Contoso Ltd');
  });

  it('refuses a directory that belongs to another tenant', () => {
    const result = evaluateProbeAccess(TENANT, { value: [{ id: EXPEL }] });
    expect(result).toMatchObject({ status: 'error', reason: 'wrong_tenant_token' });
  });
});

describe('guest email and lookup', () => {
  it('builds <org GUID>@domain, prefers the override, and is null with neither', () => {
    expect(guestEmailFor({ orgGuid: 'a123bc45-aa12-123b-8c9d-0123456789ab', guestEmail: null }, 'soc.expel.io')).toBe(
      'a123bc45-aa12-123b-8c9d-0123456789ab@soc.expel.io',
    );
    expect(guestEmailFor({ orgGuid: 'x', guestEmail: 'expel_analyst@expel.io' }, 'soc.expel.io')).toBe('expel_analyst@expel.io');
    expect(guestEmailFor({ orgGuid: null, guestEmail: '  ' }, 'soc.expel.io')).toBeNull();
  });

  it('filters by mail (never /me) and $selects the external-state fields, quotes escaped', () => {
    const path = guestLookupPath("o'brien@soc.expel.io");
    expect(path.startsWith('/users?$filter=')).toBe(true);
    expect(decodeURIComponent(path)).toContain("mail eq 'o''brien@soc.expel.io'");
    for (const field of ['externalUserState', 'externalUserStateChangeDateTime', 'accountEnabled', 'userType', 'creationType']) {
      expect(path).toContain(field);
    }
  });
});

// The documented example user (C-03).
const documentedGuest: GuestUser = {
  id: '3f1c2a9e-5b7d-4e0a-9c1f-2d6e8b4a7c10',
  displayName: 'Expel SOC',
  mail: 'a123bc45-aa12-123b@soc.expel.io',
  userPrincipalName: 'a123bc45-aa12-123b_soc.expel.io#EXT#@contoso.onmicrosoft.com',
  userType: 'Guest',
  creationType: 'Invitation',
  externalUserState: 'Accepted',
  externalUserStateChangeDateTime: '2025-03-02T15:04:05Z',
  accountEnabled: true,
};

describe('access.guest-invited / guest-redeemed', () => {
  const email = 'a123bc45-aa12-123b@soc.expel.io';

  it('passes on the documented user; redeemed cites the acceptance date', () => {
    expect(evaluateGuestInvited(email, [documentedGuest]).status).toBe('pass');
    const redeemed = evaluateGuestRedeemed(email, documentedGuest);
    expect(redeemed.status).toBe('pass');
    expect(redeemed.summary).toContain('2025-03-02');
    expect(redeemed.evidence).toMatchObject({ externalUserState: 'Accepted' });
  });

  it('fails with an empty list, and ignores objects a careless filter let through', () => {
    expect(evaluateGuestInvited(email, []).status).toBe('fail');
    expect(evaluateGuestInvited(email, [{ ...documentedGuest, mail: 'someone@else.example' }]).status).toBe('fail');
  });

  it('matches the email case-insensitively and warns when several users share it', () => {
    expect(evaluateGuestInvited(email.toUpperCase(), [documentedGuest]).status).toBe('pass');
    const twice = evaluateGuestInvited(email, [documentedGuest, { ...documentedGuest, id: 'other' }]);
    expect(twice.status).toBe('warn');
  });

  it('fails redemption when pending, disabled, or never invited (null state)', () => {
    expect(evaluateGuestRedeemed(email, { ...documentedGuest, externalUserState: 'PendingAcceptance' }).status).toBe('fail');
    expect(evaluateGuestRedeemed(email, { ...documentedGuest, accountEnabled: false }).status).toBe('fail');
    expect(evaluateGuestRedeemed(email, { ...documentedGuest, externalUserState: null }).status).toBe('fail');
  });
});

const GLOBAL_READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
const SECURITY_READER = '5d6b6bb7-de71-4623-b4af-96380a352509';
const SECURITY_OPERATOR = '5f2222b1-57c3-48ba-8ad5-d4759f1fde6f';
const SECURITY_ADMIN = '194ae4cb-b126-40b2-bd5b-6091b380977d';
const GUEST = documentedGuest.id;
const assignment = (roleDefinitionId: string, principalId = GUEST) => ({ id: `a-${roleDefinitionId}`, principalId, roleDefinitionId, directoryScopeId: '/' });

describe('access.guest-role', () => {
  it('passes on an active Global Reader (documented example)', () => {
    expect(evaluateGuestRole(GUEST, [assignment(GLOBAL_READER)], []).status).toBe('pass');
  });

  it('warns when Global Reader is only PIM-eligible, fails when absent', () => {
    expect(evaluateGuestRole(GUEST, [], [assignment(GLOBAL_READER)]).status).toBe('warn');
    expect(evaluateGuestRole(GUEST, [assignment(SECURITY_READER)], []).status).toBe('fail');
  });

  it('does not count an assignment of another principal', () => {
    expect(evaluateGuestRole(GUEST, [assignment(GLOBAL_READER, 'someone-else')], []).status).toBe('fail');
  });

  it('compares role IDs case-insensitively', () => {
    expect(evaluateGuestRole(GUEST, [assignment(GLOBAL_READER.toUpperCase())], []).status).toBe('pass');
  });
});

describe('mde.console-roles', () => {
  it('passes on Security Reader + Operator, on Security Administrator; warns on Reader alone; fails on none', () => {
    expect(evaluateConsoleRoles(GUEST, 'basic', [assignment(SECURITY_READER), assignment(SECURITY_OPERATOR)], []).status).toBe('pass');
    expect(evaluateConsoleRoles(GUEST, 'basic', [assignment(SECURITY_ADMIN)], []).status).toBe('pass');
    expect(evaluateConsoleRoles(GUEST, 'basic', [assignment(SECURITY_READER)], []).status).toBe('warn');
    expect(evaluateConsoleRoles(GUEST, 'basic', [assignment(GLOBAL_READER)], []).status).toBe('fail');
  });

  it('is unverifiable with MDE RBAC roles', () => {
    expect(evaluateConsoleRoles(GUEST, 'rbac', [], []).status).toBe('unverifiable');
  });

  it('warns when the full set is reached only through eligible roles', () => {
    const result = evaluateConsoleRoles(GUEST, 'basic', [assignment(SECURITY_READER)], [assignment(SECURITY_OPERATOR)]);
    expect(result.status).toBe('warn');
    expect(result.summary).toContain('PIM');
  });
});

// The documented partner example (C-05).
const documentedPartner: CrossTenantPolicy = {
  tenantId: EXPEL,
  inboundTrust: { isMfaAccepted: true, isCompliantDeviceAccepted: true, isHybridAzureADJoinedDeviceAccepted: true },
  automaticUserConsentSettings: { inboundAllowed: true, outboundAllowed: null },
};
const defaults = (inboundTrust: CrossTenantPolicy['inboundTrust']) => ({
  ok: true as const,
  policy: { inboundTrust, automaticUserConsentSettings: { inboundAllowed: false, outboundAllowed: false } },
});
const allFalse = { isMfaAccepted: false, isCompliantDeviceAccepted: false, isHybridAzureADJoinedDeviceAccepted: false };
const allTrue = { isMfaAccepted: true, isCompliantDeviceAccepted: true, isHybridAzureADJoinedDeviceAccepted: true };

describe('access.cross-tenant-trust / auto-redeem', () => {
  it('finds the partner case-insensitively among others', () => {
    expect(findPartner([{ tenantId: 'other' }, { ...documentedPartner, tenantId: EXPEL.toUpperCase() }], EXPEL)).not.toBeNull();
  });

  it('passes on the documented partner', () => {
    expect(evaluateCrossTenantTrust(EXPEL, documentedPartner, defaults(allFalse)).status).toBe('pass');
    expect(evaluateAutoRedeem(EXPEL, documentedPartner, defaults(allFalse)).status).toBe('pass');
  });

  it('fails without a partner entry, flagging that the partner does not exist', () => {
    const result = evaluateCrossTenantTrust(EXPEL, null, defaults(allTrue));
    expect(result.status).toBe('fail');
    expect(result.evidence.partnerExists).toBe(false);
  });

  it('inherits a null inboundTrust (or a null field) from the tenant default', () => {
    const nullTrust = { ...documentedPartner, inboundTrust: null };
    expect(evaluateCrossTenantTrust(EXPEL, nullTrust, defaults(allTrue)).status).toBe('pass');
    const failed = evaluateCrossTenantTrust(EXPEL, nullTrust, defaults(allFalse));
    expect(failed.status).toBe('fail');
    expect(failed.summary).toContain('MFA');
    const oneNull = { ...documentedPartner, inboundTrust: { ...allTrue, isCompliantDeviceAccepted: null } };
    const result = evaluateCrossTenantTrust(EXPEL, oneNull, defaults({ ...allTrue, isCompliantDeviceAccepted: false }));
    expect(result.status).toBe('fail');
    expect(result.evidence).toMatchObject({ isCompliantDeviceAccepted: false, isCompliantDeviceAcceptedInherited: true });
  });

  it('explicit partner values win over the default', () => {
    expect(evaluateCrossTenantTrust(EXPEL, documentedPartner, defaults(allFalse)).status).toBe('pass');
    const off = { ...documentedPartner, inboundTrust: { ...allTrue, isMfaAccepted: false } };
    expect(evaluateCrossTenantTrust(EXPEL, off, defaults(allTrue)).status).toBe('fail');
  });

  it('auto-redeem: null inherits the default (false), explicit true passes', () => {
    const inherited = { ...documentedPartner, automaticUserConsentSettings: { inboundAllowed: null, outboundAllowed: null } };
    expect(evaluateAutoRedeem(EXPEL, inherited, defaults(allTrue)).status).toBe('fail');
    expect(evaluateAutoRedeem(EXPEL, { ...documentedPartner, automaticUserConsentSettings: null }, defaults(allTrue)).status).toBe('fail');
  });

  it('needs the default only when a value is inherited; an unreadable default is an error then', () => {
    const failure = { status: 'error' as const, reason: 'insufficient_role' as const, summary: 'no', evidence: {} };
    expect(evaluateCrossTenantTrust(EXPEL, documentedPartner, { ok: false, failure }).status).toBe('pass');
    const inherited = { ...documentedPartner, inboundTrust: null };
    expect(evaluateCrossTenantTrust(EXPEL, inherited, { ok: false, failure })).toMatchObject({
      status: 'error',
      reason: 'insufficient_role',
    });
  });
});
