import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { STEPS } from '../../src/integrations/catalogue.js';
import { buildInstructions, renderInstructions, type InstructionsInput } from '../../src/instructions/index.js';
import { STEP_TEXT } from '../../src/instructions/steps.js';
import { EXPEL_TENANT, SETTINGS, TRACKER_CLIENT_ID, tenant, verdict, verdictsFor } from './fixtures.js';

const SUB_A = '20ff7fc3-e762-44dd-bd96-b71116dcdc23';
const SUB_B = '7d3c1a90-52b4-4f3e-9a0e-1b2c3d4e5f60';
const GUEST = 'a123bc45-aa12-123b-8c9d-0123456789ab@soc.expel.io';
const STEP_ID = /\b(?:access|mde|mdi|m365|azure)\.[a-z]+(?:-[a-z]+)*\b/;

const render = (input: InstructionsInput, format: 'md' | 'text' = 'md') => renderInstructions({ ...input, format });

/** Text each format must never contain: analyst wording, notes, step IDs, secret hints. */
function expectCustomerSafe(text: string): void {
  expect(text).not.toMatch(STEP_ID);
  expect(text).not.toContain('ANALYST SUMMARY');
  expect(text).not.toContain('INTERNAL');
  expect(text).not.toContain('not_applicable');
  expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
}

/** Numbered to-do headings of the Markdown form. */
const todoHeadings = (md: string): string[] => md.split('\n').filter((line) => /^### \d+\. /.test(line));

describe('catalogue coverage', () => {
  it('has customer wording for every catalogue step', () => {
    expect(STEPS.map((step) => step.id).filter((id) => !(id in STEP_TEXT))).toEqual([]);
  });
});

describe('a tenant with work left in every integration (custom MDE app)', () => {
  const t = tenant({ options: { mde: 'custom', mdeConsole: 'basic', azure: 'enterprise' } });
  const verdicts = verdictsFor(t, {
    'access.guest-role': { status: 'fail', evidence: { guestId: 'g1', activeRoles: ['Security Reader'], eligibleRoles: [] } },
    'access.cross-tenant-trust': {
      status: 'fail',
      evidence: { expelTenantId: EXPEL_TENANT, partnerFound: true, isMfaAccepted: true, isCompliantDeviceAccepted: false, isHybridAzureADJoinedDeviceAccepted: null },
    },
    'mde.api-access': {
      status: 'fail',
      evidence: {
        appId: 'a',
        servicePrincipalId: 'sp',
        required: 19,
        missing: ['Machine.Isolate', 'User.Read.All'],
        missingByResource: { WindowsDefenderATP: ['Machine.Isolate'], 'Microsoft Graph': ['User.Read.All'] },
      },
    },
    'mde.app-secret': {
      status: 'fail',
      evidence: { appId: 'a', secrets: 1, latest: { keyId: '9f1c2d3e-0000-4000-8000-00000000beef', hint: 'Zq~', endDateTime: '2026-11-01T08:00:00Z' } },
    },
    'mde.polling': { status: 'blocked', blockedBy: 'mde.api-access' },
    'mde.alerts': { status: 'blocked', blockedBy: 'mde.api-access' },
    'mdi.app-registered': { status: 'fail', evidence: { displayName: 'Expel Defender for Identity' } },
    'mdi.api-permissions': { status: 'blocked', blockedBy: 'mdi.app-registered' },
    'mdi.app-secret': { status: 'blocked', blockedBy: 'mdi.app-registered' },
    'mdi.polling': { status: 'blocked', blockedBy: 'mdi.api-permissions' },
    'mdi.alerts': { status: 'blocked', blockedBy: 'mdi.api-permissions' },
    'm365.audit-log': { status: 'unverifiable', evidence: {} },
    'm365.polling': { status: 'waiting', expectedBy: '2026-11-22T11:00:00.000Z' },
    'm365.alerts': { status: 'waiting', expectedBy: '2026-11-25T10:00:00.000Z' },
    'azure.reader-roles': {
      status: 'fail',
      evidence: {
        subscriptions: 2,
        gaps: [
          { principal: 'the Expel app', principalId: 'p1', subscriptionId: SUB_A, found: 'reader-only' },
          { principal: 'the guest', principalId: 'g1', subscriptionId: SUB_A, found: 'none' },
        ],
      },
    },
    'azure.storage-diagnostics': {
      status: 'fail',
      evidence: { logStorageAccount: 'expellogs', accounts: 3, missing: ['appdata/blob', 'appdata/queue', 'web01/table'] },
    },
  });
  const input: InstructionsInput = { tenant: t, verdicts, settings: SETTINGS };
  const md = render(input);
  const text = render(input, 'text');

  it('lists exactly the open to-dos, in guide order, and nothing that is done', () => {
    expect(todoHeadings(md)).toEqual([
      "### 1. Give Expel's guest account the Global Reader role",
      "### 2. Trust Expel's sign-ins in your cross-tenant access settings",
      '### 3. Grant the **Expel Defender for Endpoint Integration** app its API permissions',
      '### 4. Replace the expired secret of **Expel Defender for Endpoint Integration**',
      '### 5. Create the **Expel Defender for Identity** app registration',
      '### 6. Confirm that Microsoft 365 audit logging is on',
      '### 7. Assign Log Analytics Reader on your Azure subscriptions',
      '### 8. Send storage account logs to `expellogs`',
    ]);
    // Done steps leave no trace: no invitation, no automatic redemption, no console roles, no log storage setup.
    for (const absent of ['Invite external user', 'Automatic redemption', 'Security Operator', 'Storage Blob Data Reader', 'Defender for Cloud']) {
      expect(md).not.toContain(absent);
    }
    expect(md.split('\n').filter((line) => line.startsWith('## '))).toEqual([
      "## Expel's access to your tenant",
      '## Microsoft Defender for Endpoint',
      '## Microsoft Defender for Identity',
      '## Microsoft 365',
      '## Azure',
    ]);
  });

  it('names the exact missing permissions, not the whole list', () => {
    expect(md).toContain('- WindowsDefenderATP (application): `Machine.Isolate`');
    expect(md).toContain('- Microsoft Graph (application): `User.Read.All`');
    const mdeItem = md.slice(md.indexOf('### 3.'), md.indexOf('### 4.'));
    for (const granted of ['Alert.Read.All', 'Ti.ReadWrite', 'AdvancedQuery.Read.All', 'User.ReadWrite.All']) {
      expect(mdeItem).not.toContain(granted);
    }
  });

  it('names only the trust settings that are off', () => {
    const item = md.slice(md.indexOf('### 2.'), md.indexOf('## Microsoft Defender for Endpoint'));
    expect(item).toContain('**Trust compliant devices** and **Trust Microsoft Entra hybrid joined devices**');
    expect(item).not.toContain('Trust multifactor authentication');
  });

  it('says which secret expired and when, never any part of its value', () => {
    expect(md).toContain('expired on 1 November 2026 (secret ID `9f1c2d3e-0000-4000-8000-00000000beef`)');
    expect(md).not.toContain('Zq~');
    expect(text).not.toContain('Zq~');
  });

  it('fills in the guest email, the subscriptions still lacking the role and who lacks it', () => {
    expect(md).toContain(`\`${GUEST}\``);
    expect(md).toContain(
      `- \`${SUB_A}\`: the **ExpelAzure Integration** app and the guest \`${GUEST}\` (the Reader role alone cannot query logs)`,
    );
    expect(md).not.toContain(SUB_B);
  });

  it('lists each storage account with the services still missing diagnostic settings', () => {
    expect(md).toContain('- `appdata`: Blob and Queue');
    expect(md).toContain('- `web01`: Table');
    expect(md).toContain('**StorageRead**, **StorageWrite** and **StorageDelete**');
  });

  it('gives the audit-log command to run and the answer to send back', () => {
    expect(md).toContain('```powershell\nGet-AdminAuditLogConfig | Format-List UnifiedAuditLogIngestionEnabled\n```');
    expect(md).toContain('`UnifiedAuditLogIngestionEnabled : True`');
    expect(text).toContain('    Get-AdminAuditLogConfig | Format-List UnifiedAuditLogIngestionEnabled');
  });

  it('puts blocked steps under the step that blocks them, not as to-dos', () => {
    const mdi = md.slice(md.indexOf('### 5.'), md.indexOf('### 6.'));
    expect(mdi).toContain('#### After that: Grant the **Expel Defender for Identity** app its API permissions');
    expect(mdi).toContain('`SecurityAlert.Read.All`, `SecurityEvents.Read.All`, `ThreatHunting.Read.All` and `SecurityIncident.Read.All`');
    expect(mdi).toContain('#### After that: Create a client secret for **Expel Defender for Identity**');
    expect(mdi).toContain('730 days');
    expect(mdi).toContain('- Expel then starts collecting Microsoft Defender for Identity data; nothing more is needed from you for that.');
  });

  it('shows waiting steps as in progress with their dates', () => {
    const m365 = md.slice(md.indexOf('## Microsoft 365'), md.indexOf('## Azure'));
    expect(m365).toContain('**In progress, nothing for you to do:**');
    expect(m365).toContain('start reading data by 22 November 2026, 11:00 UTC');
    expect(m365).toContain('we expect the first by 25 November 2026, 10:00 UTC');
  });

  it('reads like an email and leaks nothing internal', () => {
    expect(md.startsWith('Hello Contoso team,\n\n')).toBe(true);
    expect(md).toContain('8 items were still open on your side');
    expect(md.trimEnd().endsWith('Kind regards,\\\nSam Ortiz\\\nExpel')).toBe(true);
    expectCustomerSafe(md);
    expectCustomerSafe(text);
  });

  it('has a plain-text form without Markdown syntax', () => {
    expect(text).not.toMatch(/\*\*|^#+ |`/m);
    expect(text).toContain("Expel's access to your tenant\n-----------------------------");
    expect(text).toContain(`   The account ${GUEST} does not hold the Global Reader role.`);
    expect(text).toContain('   After that: Grant the Expel Defender for Identity app its API permissions');
    expect(text.trimEnd().endsWith('Kind regards,\nSam Ortiz\nExpel')).toBe(true);
  });
});

describe('a tenant with nothing left', () => {
  it('gets a short "all set" message', () => {
    const t = tenant();
    const md = render({ tenant: t, verdicts: verdictsFor(t), settings: SETTINGS });
    expect(buildInstructions({ tenant: t, verdicts: verdictsFor(t), settings: SETTINGS }).kind).toBe('all-set');
    expect(md).toContain("You're all set; there is nothing more for you to do.");
    expect(md).not.toMatch(/^#/m);
    expect(md.split('\n').length).toBeLessThan(12);
    expectCustomerSafe(md);
  });

  it('counts attested and warn steps as done', () => {
    const t = tenant();
    const verdicts = verdictsFor(t, {
      'm365.audit-log': { status: 'attested' },
      'azure.defender-plans': { status: 'warn', evidence: { missing: [{ subscriptionId: SUB_A, plans: ['KeyVaults'] }] } },
      'mde.app-secret': { status: 'not_applicable' },
    });
    expect(buildInstructions({ tenant: t, verdicts, settings: SETTINGS }).kind).toBe('all-set');
  });

  it('is not told "all set" while steps are only waiting, and learns what is under way', () => {
    const t = tenant({ integrations: ['mdi'] });
    const verdicts = verdictsFor(t, {
      'mdi.polling': { status: 'waiting', expectedBy: '2026-11-22T11:00:00.000Z' },
      'mdi.alerts': { status: 'waiting', expectedBy: '2026-11-25T10:00:00.000Z' },
    });
    const doc = buildInstructions({ tenant: t, verdicts, settings: SETTINGS });
    expect(doc.kind).toBe('nothing-to-do');
    const md = render({ tenant: t, verdicts, settings: SETTINGS });
    expect(md).toContain('there is nothing for you to do right now');
    expect(md).toContain('Alerts from Microsoft Defender for Identity usually reach Expel 36 to 72 hours after setup');
    expect(todoHeadings(md)).toEqual([]);
  });

  it('is not told "all set" when something could not be checked on our side', () => {
    const t = tenant({ integrations: ['m365'] });
    const verdicts = verdictsFor(t, {
      'm365.api-consent': { status: 'error', reason: 'throttled' },
      'm365.polling': { status: 'blocked', blockedBy: 'm365.api-consent' },
      'm365.alerts': { status: 'blocked', blockedBy: 'm365.api-consent' },
    });
    const md = render({ tenant: t, verdicts, settings: SETTINGS });
    expect(buildInstructions({ tenant: t, verdicts, settings: SETTINGS }).kind).toBe('nothing-to-do');
    expect(md).toContain('A few items could not be checked from our side yet');
    expect(md).not.toContain("You're all set");
    expect(md).not.toContain('throttl');
  });

  it('refuses a tenant that was never checked', () => {
    const t = tenant();
    expect(() => render({ tenant: t, verdicts: [], settings: SETTINGS })).toThrow(UserError);
    expect(() => render({ tenant: t, verdicts: [], settings: SETTINGS })).toThrow(/has not been checked yet/);
  });
});

describe('errors', () => {
  it('asks for admin consent to the tracker app with a link for the tenant and cloud, and holds everything else back', () => {
    const t = tenant({ integrations: ['mde'] });
    const verdicts = verdictsFor(t, {});
    for (const v of verdicts) {
      if (v.status !== 'not_applicable' && v.id !== 'access.tenant') Object.assign(v, { status: 'blocked', blockedBy: 'access.probe-access' });
    }
    Object.assign(verdicts.find((v) => v.id === 'access.probe-access')!, { status: 'error', reason: 'consent_missing', blockedBy: null });
    const usGov = { ...SETTINGS, authorityHost: 'https://login.microsoftonline.us' };
    const md = render({ tenant: t, verdicts, settings: usGov });
    expect(todoHeadings(md)).toEqual(['### 1. Approve the app Expel uses to check your setup']);
    expect(md).toContain(
      `<https://login.microsoftonline.us/${t.tenantId}/adminconsent?client_id=${TRACKER_CLIENT_ID}>`,
    );
    expect(md).toContain('- Once this is done, we can check the rest of your setup');
    expect(md).not.toContain('Invite external user');
    const text = render({ tenant: t, verdicts, settings: usGov }, 'text');
    expect(text).toContain(`https://login.microsoftonline.us/${t.tenantId}/adminconsent?client_id=${TRACKER_CLIENT_ID}`);
  });

  it('keeps our own errors out of the to-dos', () => {
    const t = tenant({ integrations: ['azure'] });
    const verdicts = verdictsFor(t, {
      'azure.reader-roles': { status: 'error', reason: 'insufficient_role' },
      'azure.log-storage': { status: 'error', reason: 'network' },
      'azure.storage-diagnostics': { status: 'blocked', blockedBy: 'azure.log-storage' },
      'azure.polling': { status: 'error', reason: 'not_licensed' },
    });
    const md = render({ tenant: t, verdicts, settings: SETTINGS });
    expect(todoHeadings(md)).toEqual([]);
    expect(md).toContain('A few items could not be checked from our side yet');
  });

  it('asks to invite the guest when the sign-in says it was never invited, with the override address', () => {
    const t = tenant({ integrations: ['mde'], guestEmail: 'expel_analyst@expel.io' });
    const verdicts = verdictsFor(t, { 'access.probe-access': { status: 'error', reason: 'guest_not_invited' } });
    const md = render({ tenant: t, verdicts, settings: SETTINGS });
    expect(todoHeadings(md)).toEqual(["### 1. Invite Expel's guest account"]);
    expect(md).toContain('`expel_analyst@expel.io`');
    expect(md).not.toContain('soc.expel.io');
    // MDE-only tenants are not asked for Global Reader.
    expect(md).not.toContain('Global Reader');
  });
});

describe('access steps', () => {
  it('asks to invite the guest and shows the roles to give it afterwards', () => {
    const t = tenant({ integrations: ['mde', 'azure'] });
    const verdicts = verdictsFor(t, {
      'access.guest-invited': { status: 'fail', evidence: { email: GUEST, found: 0 } },
      'access.guest-redeemed': { status: 'blocked', blockedBy: 'access.guest-invited' },
      'access.guest-role': { status: 'blocked', blockedBy: 'access.guest-invited' },
      'mde.console-roles': { status: 'blocked', blockedBy: 'access.guest-invited' },
      'azure.reader-roles': { status: 'blocked', blockedBy: 'access.guest-invited' },
    });
    const md = render({ tenant: t, verdicts, settings: SETTINGS });
    expect(todoHeadings(md)).toEqual(["### 1. Invite Expel's guest account"]);
    expect(md).toContain(`We could not find a user with the email \`${GUEST}\` in your directory.`);
    expect(md).toContain('choose **Global Reader**');
    expect(md).toContain("#### After that: Give Expel's guest account the Global Reader role");
    expect(md).toContain("#### After that: Give Expel's guest account the Defender security roles");
    expect(md).toContain('#### After that: Assign Log Analytics Reader on your Azure subscriptions');
    // With nothing checked yet, every listed subscription is named for both accounts.
    expect(md).toContain(`- \`${SUB_A}\`: the **ExpelAzure Integration** app and the guest \`${GUEST}\``);
    expect(md).toContain(`- \`${SUB_B}\`: the **ExpelAzure Integration** app and the guest \`${GUEST}\``);
    expect(md).toContain('- Expel then accepts the invitation from its side.');
  });

  it('adds Expel as a cross-tenant partner with its tenant ID, automatic redemption after it', () => {
    const t = tenant({ integrations: ['m365'] });
    const verdicts = verdictsFor(t, {
      'access.cross-tenant-trust': { status: 'fail', evidence: { expelTenantId: EXPEL_TENANT, partnerFound: false } },
      'access.auto-redeem': { status: 'blocked', blockedBy: 'access.cross-tenant-trust' },
    });
    const md = render({ tenant: t, verdicts, settings: SETTINGS });
    expect(todoHeadings(md)).toEqual(['### 1. Add Expel to your cross-tenant access settings']);
    expect(md).toContain(`enter Expel's tenant ID \`${EXPEL_TENANT}\``);
    expect(md).toContain('#### After that: Turn on automatic redemption for Expel');
    expect(md).toContain('**Automatically redeem invitations with the tenant Expel**');
  });

  it('re-enables a disabled guest, and waits quietly for an invitation Expel has to accept', () => {
    const t = tenant({ integrations: ['mdi'] });
    const disabled = verdictsFor(t, {
      'access.guest-redeemed': { status: 'fail', evidence: { externalUserState: 'Accepted', accountEnabled: false } },
    });
    expect(todoHeadings(render({ tenant: t, verdicts: disabled, settings: SETTINGS }))).toEqual([
      "### 1. Re-enable Expel's guest account",
    ]);
    const pending = verdictsFor(t, {
      'access.guest-redeemed': { status: 'fail', evidence: { externalUserState: 'PendingAcceptance', accountEnabled: true } },
    });
    const md = render({ tenant: t, verdicts: pending, settings: SETTINGS });
    expect(todoHeadings(md)).toEqual([]);
    expect(md).toContain('waiting to be accepted from Expel');
  });

  it('asks to confirm the tenant ID when the domain points elsewhere', () => {
    const t = tenant({ integrations: ['mde'] });
    const verdicts = verdictsFor(t, {
      'access.tenant': { status: 'fail', evidence: { domain: 'contoso.com', domainTenantId: 'ffffffff-0000-4000-8000-000000000001' } },
    });
    const md = render({ tenant: t, verdicts, settings: SETTINGS });
    expect(md).toContain('`ffffffff-0000-4000-8000-000000000001`');
    expect(md).toContain(`(\`${t.tenantId}\`)`);
  });
});

describe('integration steps', () => {
  it('sends the admin-consent link of a configured Expel enterprise app, the guide page otherwise', () => {
    const t = tenant({ integrations: ['mde', 'm365'] });
    const verdicts = verdictsFor(t, {
      'mde.api-access': { status: 'fail', evidence: { appId: SETTINGS.expelAppIds.mde } },
      'm365.api-consent': { status: 'fail', evidence: { appId: null } },
    });
    const md = render({ tenant: t, verdicts, settings: SETTINGS });
    expect(md).toContain(`<https://login.microsoftonline.com/${t.tenantId}/adminconsent?client_id=${SETTINGS.expelAppIds.mde}>`);
    expect(md).toContain('### 2. Approve the **Expel Microsoft 365 Integration** app');
    expect(md).toContain('open the Expel admin consent page linked from the Microsoft 365 setup guide');
  });

  it('tells apart a disabled enterprise app and one without consented permissions', () => {
    const t = tenant({ integrations: ['azure'] });
    const disabled = verdictsFor(t, {
      'azure.api-access': { status: 'fail', evidence: { appId: 'x', servicePrincipalId: 'sp', displayName: 'ExpelAzure Integration', matchedBy: 'appId' } },
    });
    expect(render({ tenant: t, verdicts: disabled, settings: SETTINGS })).toContain('### 1. Enable the **ExpelAzure Integration** app');
    const unconsented = verdictsFor(t, {
      'azure.api-access': { status: 'fail', evidence: { appId: 'x', servicePrincipalId: 'sp', granted: [] } },
    });
    expect(render({ tenant: t, verdicts: unconsented, settings: SETTINGS })).toContain(
      '### 1. Grant admin consent to the **ExpelAzure Integration** app',
    );
  });

  it('lists every permission for a custom app that was never consented', () => {
    const t = tenant({ integrations: ['azure'], options: { mde: 'enterprise', mdeConsole: 'basic', azure: 'custom' }, appNames: { azure: 'Contoso Expel Reader' } });
    const verdicts = verdictsFor(t, {
      'azure.api-access': { status: 'fail', evidence: { appId: 'x', missing: ['Data.Read', 'SecurityEvents.Read.All', 'User.ReadWrite.All', 'User.Read.All', 'User.Read'] } },
      'azure.app-secret': { status: 'fail', evidence: { appId: 'x', secrets: 0 } },
    });
    const md = render({ tenant: t, verdicts, settings: SETTINGS });
    expect(md).toContain('### 1. Grant the **Contoso Expel Reader** app its API permissions');
    expect(md).toContain('has not been given admin consent yet');
    expect(md).toContain('- Log Analytics API (application): `Data.Read`');
    expect(md).toContain('choose **APIs my organization uses › Log Analytics API**');
    expect(md).toContain('### 2. Create a client secret for **Contoso Expel Reader**');
    expect(md).toContain('has no client secret yet');
  });

  it('asks to create a missing custom app with every permission, its secret after it', () => {
    const t = tenant({ integrations: ['mde'], options: { mde: 'custom', mdeConsole: 'basic', azure: 'enterprise' } });
    const verdicts = verdictsFor(t, {
      'mde.api-access': { status: 'fail', evidence: { displayName: 'Expel Defender for Endpoint Integration', appExists: false } },
      'mde.app-secret': { status: 'blocked', blockedBy: 'mde.api-access' },
      'mde.polling': { status: 'blocked', blockedBy: 'mde.api-access' },
      'mde.alerts': { status: 'blocked', blockedBy: 'mde.api-access' },
    });
    const md = render({ tenant: t, verdicts, settings: SETTINGS });
    expect(todoHeadings(md)).toEqual(['### 1. Create the **Expel Defender for Endpoint Integration** app registration']);
    // All 16 WindowsDefenderATP application permissions in one step, then the Graph ones by type.
    expect(md).toMatch(/WindowsDefenderATP\*\*, then \*\*Application permissions\*\*, tick (`[A-Za-z.]+`, ){14}`[A-Za-z.]+` and `[A-Za-z.]+` and select/);
    expect(md).toContain('then **Delegated permissions**, tick `User.Read` and select');
    expect(md).toContain('then **Application permissions**, tick `User.ReadWrite.All` and `User.Read.All` and select');
    expect(md).toContain('#### After that: Create a client secret for **Expel Defender for Endpoint Integration**');
  });

  it('confirms an MDE RBAC role with the permissions the role needs', () => {
    const t = tenant({ integrations: ['mde'], options: { mde: 'enterprise', mdeConsole: 'rbac', azure: 'enterprise' } });
    const verdicts = verdictsFor(t, { 'mde.console-roles': { status: 'unverifiable', evidence: { option: 'rbac' } } });
    const md = render({ tenant: t, verdicts, settings: SETTINGS });
    expect(todoHeadings(md)).toEqual(["### 1. Confirm Expel's role in Microsoft Defender for Endpoint"]);
    for (const permission of ['View data', 'Security operations', 'Threat and vulnerability management', 'Alerts investigation']) {
      expect(md).toContain(`**${permission}**`);
    }
  });

  it('asks to check the Workbench device when polling is overdue, and a new secret when it was refused', () => {
    const t = tenant({ integrations: ['mdi'] });
    const overdue = verdictsFor(t, { 'mdi.polling': { status: 'overdue', expectedBy: '2026-11-21T10:00:00.000Z' } });
    const md = render({ tenant: t, verdicts: overdue, settings: SETTINGS });
    expect(md).toContain('### 1. Check the Microsoft Defender for Identity security device in Workbench');
    expect(md).toContain('we expected it by 21 November 2026, 10:00 UTC');
    expect(md).toContain(`Directory (tenant) ID is \`${t.tenantId}\``);
    const refused = verdictsFor(t, {
      'mdi.polling': { status: 'fail', evidence: { lastFailure: { createdDateTime: '2026-11-22T09:10:00Z', errorCode: 7000222, keyId: 'k' } } },
    });
    const refusedMd = render({ tenant: t, verdicts: refused, settings: SETTINGS });
    expect(refusedMd).toContain('### 1. Replace the client secret Expel uses for Microsoft Defender for Identity');
    expect(refusedMd).toContain('the secret Expel has is expired (last attempt 22 November 2026, 09:10 UTC)');
  });

  it('names the subscriptions Expel cannot see', () => {
    const t = tenant({ integrations: ['azure'] });
    const verdicts = verdictsFor(t, {
      'azure.subscriptions': { status: 'fail', evidence: { listed: 2, visible: 1, invisible: [SUB_B] } },
      'azure.reader-roles': { status: 'blocked', blockedBy: 'azure.subscriptions' },
    });
    const md = render({ tenant: t, verdicts, settings: SETTINGS });
    const item = md.slice(md.indexOf('### 1.'), md.indexOf('#### After that'));
    expect(item).toContain(`- \`${SUB_B}\``);
    expect(item).not.toContain(SUB_A);
  });

  it('explains each log storage problem', () => {
    const t = tenant({ integrations: ['azure'] });
    const firewall = verdictsFor(t, {
      'azure.log-storage': { status: 'fail', evidence: { name: 'expellogs', kind: 'StorageV2', defaultAction: 'Deny', bypass: 'AzureServices' } },
    });
    expect(render({ tenant: t, verdicts: firewall, settings: SETTINGS })).toContain(
      '**Allow read access to storage logging from any network**',
    );
    const kind = verdictsFor(t, { 'azure.log-storage': { status: 'fail', evidence: { name: 'oldlogs', kind: 'Storage' } } });
    expect(render({ tenant: t, verdicts: kind, settings: SETTINGS })).toContain('is of kind `Storage`');
    const none = verdictsFor(t, { 'azure.log-storage': { status: 'fail', evidence: { storageAccounts: 4, appPrincipalId: 'p' } } });
    expect(render({ tenant: t, verdicts: none, settings: SETTINGS })).toContain('### 1. Set up the storage account Expel reads logs from');
  });
});

describe('hostile values', () => {
  const hostile = '[click](https://evil.example) <img src=x onerror=alert(1)> **bold** _it_ `tick` \u001b[31mred\u001b[0m\nline';
  const t = tenant({
    name: hostile,
    engineer: '<script>alert(1)</script>',
    integrations: ['mdi', 'azure'],
    appNames: { mdi: '# Heading [x](javascript:alert(1))' },
  });
  const verdicts = verdictsFor(t, {
    'mdi.app-registered': { status: 'fail', evidence: {} },
    'mdi.api-permissions': { status: 'blocked', blockedBy: 'mdi.app-registered' },
    'azure.storage-diagnostics': {
      status: 'fail',
      evidence: { logStorageAccount: 'logs`](https://evil.example)', missing: ['acct**x**/blob', '<b>y</b>/file'] },
    },
    'access.guest-role': { status: 'fail', evidence: { activeRoles: ['![img](https://evil.example/x.png)'] } },
  });
  const md = render({ tenant: t, verdicts, settings: SETTINGS });
  const text = render({ tenant: t, verdicts, settings: SETTINGS }, 'text');

  /** The Markdown with code spans and fenced blocks removed: what a renderer would interpret. */
  function outsideCode(markdown: string): string {
    return markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, '').replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, '');
  }

  it('cannot add links, images, HTML or formatting to the Markdown', () => {
    const live = outsideCode(md);
    // Every bracket and angle bracket a renderer would see is escaped: no link, image, autolink or HTML.
    expect(live).not.toMatch(/(^|[^\\])[[\]<>]/);
    // Only our own headings.
    for (const line of md.split('\n').filter((l) => l.startsWith('#'))) {
      expect(line).toMatch(/^(## [A-Z]|### \d+\. |#### After that: )/);
    }
    expect(live).not.toContain('**bold**');
    expect(live).not.toMatch(/(^|[^\\])_it_/);
    expect(md).toContain('Hello ``[click](https://evil.example) <img src=x onerror=alert(1)> **bold** _it_ `tick` red line`` team,');
    expect(md).toContain('**\\# Heading \\[x\\](javascript\\:alert(1))**');
    expect(md).toContain('\\<script\\>alert(1)\\</script\\>');
  });

  it('keeps values that look like links in code spans that their backticks cannot close', () => {
    expect(md).toContain('``logs`](https://evil.example)``');
    expect(md).toContain('- `acct**x**`: Blob');
  });

  it('strips terminal escapes and newlines from both forms', () => {
    expectCustomerSafe(md);
    expectCustomerSafe(text);
    expect(text).toContain('Hello [click](https://evil.example) <img src=x onerror=alert(1)> **bold** _it_ `tick` red line team,');
  });
});
