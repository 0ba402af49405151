// The named scenarios: one tenant per interesting onboarding situation, with the verdicts a
// correct client reaches for the steps the scenario is about. Each starts from a tenant that did
// everything (or nothing) and changes a few things; `expect` uses the client-secret (app-only)
// identity: a status, `error:<reason>` or `blocked:<step id>` (steps.md vocabulary).
import type { ScopedIntegrationId, TenantOptions } from '../src/core/tenant.js';
import { MDE_PERMISSIONS_OLDER } from './catalog.js';
import { stableGuid } from './ids.js';
import type { SimApp, SimMicrosoftState, SimTenant } from './model.js';
import { DAY, freshState, hoursAgo, iso, onboardedState, optionsWith, secret, subscriptionId, type StateInput } from './states.js';

interface ScenarioDef {
  id: string;
  tenantId: string;
  name: string;
  domain: string;
  summary: string;
  integrations: ScopedIntegrationId[];
  options?: Partial<TenantOptions>;
  guestEmail?: string;
  /** The roster's domain when it differs from the tenant's (a mistyped roster). */
  rosterDomain?: string;
  /** The roster's name when it differs from the organization's display name. */
  rosterName?: string;
  /** Hours before `now` when the Expel device was added, per integration (T0). */
  deviceAddedHoursAgo?: Partial<Record<ScopedIntegrationId, number>>;
  start?: 'onboarded' | 'fresh';
  change?: (ms: SimMicrosoftState, h: Helpers) => void;
  expect: Record<string, string>;
}

interface Helpers {
  now: Date;
  input: StateInput;
  app(integration: ScopedIntegrationId): SimApp;
  hoursAgo(hours: number): string;
}

const ALL: ScopedIntegrationId[] = ['mde', 'mdi', 'm365', 'azure'];
const TEN_DAYS = 240;
const everywhere = (hours: number, integrations: ScopedIntegrationId[]) => Object.fromEntries(integrations.map((i) => [i, hours]));

const ESC = '\u001b';
const BEL = '\u0007';
/** Names that try to retitle the terminal, recolour it, reverse text or run as spreadsheet formulas. */
export const HOSTILE = {
  organization: `${ESC}]0;pwned${BEL}Woodgrove ${ESC}[31mBank${ESC}[0m \u202Ekcab\u202C =HYPERLINK("http://evil.example","x"),"quoted"`,
  roster: `=cmd|' /C calc'!A0 ${ESC}[2J Woodgrove, "Bank"`,
  guest: `Expel SOC${ESC}[8m hidden`,
  users: [
    `+SUM(1+1)*cmd|' /C calc'!A0`,
    `@evil ${ESC}]8;;http://evil.example${BEL}link${ESC}]8;;${BEL}`,
    `-2+3 \u2066isolated\u2069 \r\nsecond line`,
    `${'Long name '.repeat(40)}end`,
  ],
  app: `Expel Microsoft 365 Integration ${ESC}[1A${ESC}[2K\u202Eerased`,
  alert: `Ransomware ${ESC}[5mblink${ESC}[0m, "quoted", =1+1`,
} as const;

const SCENARIOS: ScenarioDef[] = [
  {
    id: 'fresh',
    tenantId: '1804f569-6f44-45d2-ad20-984662a74939',
    name: 'Alpine Ski House',
    domain: 'alpineskihouse.example',
    summary: 'Nothing of the guides done yet (only the tracker app is consented); all four integrations in scope',
    integrations: ALL,
    start: 'fresh',
    expect: {
      'access.tenant': 'pass',
      'access.probe-access': 'pass',
      'access.guest-invited': 'fail',
      'access.guest-redeemed': 'blocked:access.guest-invited',
      'access.cross-tenant-trust': 'fail',
      'access.auto-redeem': 'blocked:access.cross-tenant-trust',
      'mde.api-access': 'fail',
      'mde.alerts': 'blocked:mde.api-access',
      'mdi.app-registered': 'fail',
      'mdi.api-permissions': 'blocked:mdi.app-registered',
      'm365.audit-log': 'unverifiable',
      'm365.api-consent': 'fail',
      'azure.api-access': 'fail',
      'azure.subscriptions': 'fail',
    },
  },
  {
    id: 'guest-pending',
    tenantId: 'd9169611-733c-4052-b696-6394809499a9',
    name: 'Fabrikam',
    domain: 'fabrikam.example',
    summary: 'Guest invited (with Global Reader) but has not accepted the invitation; MDI otherwise done',
    integrations: ['mdi'],
    deviceAddedHoursAgo: { mdi: TEN_DAYS },
    change: (ms, h) => {
      ms.guest = { state: 'PendingAcceptance', accountEnabled: true, displayName: 'Expel SOC', invitedAt: h.hoursAgo(72) };
      ms.signIn = { code: 50014, appliesTo: 'delegated' };
    },
    expect: { 'access.guest-invited': 'pass', 'access.guest-redeemed': 'fail', 'access.guest-role': 'pass', 'mdi.api-permissions': 'pass' },
  },
  {
    id: 'guest-not-invited',
    tenantId: '3adcbb7f-fbfb-4b51-ae0f-423fed4e120f',
    name: 'Northwind Traders',
    domain: 'northwindtraders.example',
    summary: 'No guest account for Expel (the MDI app and cross-tenant access are done)',
    integrations: ['mdi'],
    deviceAddedHoursAgo: { mdi: TEN_DAYS },
    change: (ms) => {
      ms.guest = null;
      ms.signIn = { code: 50020, appliesTo: 'delegated' };
    },
    expect: {
      'access.guest-invited': 'fail',
      'access.guest-redeemed': 'blocked:access.guest-invited',
      'access.guest-role': 'blocked:access.guest-invited',
      'access.cross-tenant-trust': 'pass',
      'mdi.app-registered': 'pass',
    },
  },
  {
    id: 'trust-missing',
    tenantId: '754bed5b-cc48-4e55-92bf-8cc54384614e',
    name: 'Tailspin Toys',
    domain: 'tailspintoys.example',
    summary: 'No cross-tenant access partner entry for Expel',
    integrations: ['m365'],
    deviceAddedHoursAgo: { m365: TEN_DAYS },
    change: (ms) => {
      ms.partner = null;
    },
    expect: { 'access.cross-tenant-trust': 'fail', 'access.auto-redeem': 'blocked:access.cross-tenant-trust', 'm365.api-consent': 'pass' },
  },
  {
    id: 'trust-partial',
    tenantId: '734c272d-86bc-4b8d-a1b9-b17503bd34b6',
    name: 'Wingtip Toys',
    domain: 'wingtiptoys.example',
    summary: 'Partner entry exists but MFA is not trusted and automatic redemption is off',
    integrations: ['mdi', 'm365'],
    deviceAddedHoursAgo: everywhere(TEN_DAYS, ['mdi', 'm365']),
    change: (ms) => {
      ms.partner = { inboundTrust: { isMfaAccepted: false, isCompliantDeviceAccepted: true, isHybridAzureADJoinedDeviceAccepted: true }, autoRedeemInbound: false };
    },
    expect: { 'access.cross-tenant-trust': 'fail', 'access.auto-redeem': 'fail' },
  },
  {
    id: 'trust-inherited',
    tenantId: 'b19b51f5-ad02-4e9c-b970-87f824d43dc8',
    name: 'Adventure Works',
    domain: 'adventureworks.example',
    summary: 'Partner entry with null inboundTrust (the default trusts all three) and null auto-redeem (the default is always false)',
    integrations: ['mdi'],
    deviceAddedHoursAgo: { mdi: TEN_DAYS },
    change: (ms) => {
      ms.partner = { inboundTrust: null, autoRedeemInbound: null };
      ms.crossTenantDefault = { inboundTrust: { isMfaAccepted: true, isCompliantDeviceAccepted: true, isHybridAzureADJoinedDeviceAccepted: true } };
    },
    expect: { 'access.cross-tenant-trust': 'pass', 'access.auto-redeem': 'fail' },
  },
  {
    id: 'consent-partial',
    tenantId: '9f81090e-8742-4db2-9196-a4b7d1aa2890',
    name: 'Coho Winery',
    domain: 'cohowinery.example',
    summary: 'MDI app registered with all four permissions configured, but ThreatHunting.Read.All not admin-consented; no device date',
    integrations: ['mdi'],
    change: (ms, h) => {
      const app = h.app('mdi');
      app.configured = { application: { graph: [...(app.granted.graph ?? [])] }, delegated: { graph: ['User.Read'] } };
      app.granted = { graph: (app.granted.graph ?? []).filter((p) => p !== 'ThreatHunting.Read.All') };
    },
    expect: {
      'mdi.app-registered': 'pass',
      'mdi.api-permissions': 'fail',
      'mdi.app-secret': 'pass',
      'mdi.polling': 'blocked:mdi.api-permissions',
      'mdi.alerts': 'blocked:mdi.api-permissions',
    },
  },
  {
    id: 'mde-older-permissions',
    tenantId: 'd6f37c2e-1862-4095-91a4-768e212a01c9',
    name: 'Litware',
    domain: 'litware.example',
    summary: 'MDE custom app per the older guide: 13 WindowsDefenderATP permissions + Graph User.Read; shared expel_analyst guest with Security Administrator',
    integrations: ['mde'],
    options: { mde: 'custom' },
    guestEmail: 'expel_analyst@expel.io',
    deviceAddedHoursAgo: { mde: TEN_DAYS },
    change: (ms, h) => {
      const app = h.app('mde');
      app.granted = { mde: [...MDE_PERMISSIONS_OLDER] };
      app.delegated = { graph: ['User.Read'] };
      ms.guestRoles = [{ role: 'Security Administrator' }];
    },
    expect: { 'access.guest-invited': 'pass', 'access.guest-role': 'not_applicable', 'mde.console-roles': 'pass', 'mde.api-access': 'warn', 'mde.app-secret': 'pass' },
  },
  {
    id: 'mde-secret-expiring',
    tenantId: '6ce8fbc7-f67a-4bb6-824f-bd1908a00418',
    name: 'Proseware',
    domain: 'proseware.example',
    summary: 'MDE custom app complete; its only client secret expires in 10 days; one sign-in 30 h ago failed with AADSTS7000215, later ones succeeded',
    integrations: ['mde'],
    options: { mde: 'custom' },
    deviceAddedHoursAgo: { mde: TEN_DAYS },
    change: (_ms, h) => {
      const app = h.app('mde');
      app.secrets = [secret(h.now, 720, 730)];
      app.signIns.push({ at: h.hoursAgo(30), errorCode: 7000215, resource: 'mde' });
    },
    expect: { 'mde.api-access': 'pass', 'mde.app-secret': 'warn', 'mde.polling': 'pass' },
  },
  {
    id: 'mde-secret-expired',
    tenantId: '5e593582-8b13-41e2-a353-e29261fbae9d',
    name: 'Lucerne Publishing',
    domain: 'lucernepublishing.example',
    summary: 'MDE custom app whose only secret expired 5 days ago; every sign-in since fails with AADSTS7000222; device added 60 h ago, no alert',
    integrations: ['mde'],
    options: { mde: 'custom' },
    deviceAddedHoursAgo: { mde: 60 },
    change: (ms, h) => {
      const app = h.app('mde');
      app.secrets = [secret(h.now, 735, 730)];
      const expiry = h.now.getTime() - 5 * DAY;
      app.signIns = [
        ...[12, 9, 7, 5.5].map((days) => ({ at: iso(h.now.getTime() - days * DAY), errorCode: 0 as const, resource: 'mde' as const })),
        ...[4.8, 3, 2, 1, 0.2].map((days) => ({ at: iso(Math.max(expiry + 60_000, h.now.getTime() - days * DAY)), errorCode: 7000222 as const, resource: 'mde' as const })),
      ];
      ms.alerts = ms.alerts.filter((a) => a.serviceSource !== 'microsoftDefenderForEndpoint');
    },
    expect: { 'mde.api-access': 'pass', 'mde.app-secret': 'fail', 'mde.polling': 'fail', 'mde.alerts': 'waiting' },
  },
  {
    id: 'mde-console-reader-only',
    tenantId: '233302c1-3c0c-41a6-9bac-8e3ab037cfbb',
    name: "Margie's Travel",
    domain: 'margiestravel.example',
    summary: 'MDE console access through Security Reader alone (EDR alerts may be hidden)',
    integrations: ['mde'],
    deviceAddedHoursAgo: { mde: TEN_DAYS },
    change: (ms) => {
      ms.guestRoles = [{ role: 'Security Reader' }];
    },
    expect: { 'mde.console-roles': 'warn', 'access.guest-role': 'not_applicable', 'mde.api-access': 'pass' },
  },
  {
    id: 'mde-rbac-console',
    tenantId: '5d33ed08-f990-4592-8e8b-ccff960fdaef',
    name: 'Trey Research',
    domain: 'treyresearch.example',
    summary: 'MDE console access through MDE RBAC roles (roster option mde-console=rbac): cannot be read from outside',
    integrations: ['mde'],
    options: { mdeConsole: 'rbac' },
    deviceAddedHoursAgo: { mde: TEN_DAYS },
    change: (ms) => {
      ms.guestRoles = [];
    },
    expect: { 'mde.console-roles': 'unverifiable', 'mde.api-access': 'pass', 'mde.alerts': 'pass' },
  },
  {
    id: 'azure-roles-one-subscription',
    tenantId: '6f69b07b-4e46-4b7a-8160-bc646e8c4ace',
    name: 'Wide World Importers',
    domain: 'wideworldimporters.example',
    summary: "Azure: the app's Log Analytics Reader is missing on the second of two subscriptions (the guest has both)",
    integrations: ['azure'],
    deviceAddedHoursAgo: { azure: TEN_DAYS },
    change: (ms) => {
      ms.subscriptions[1]!.roles = ms.subscriptions[1]!.roles.filter((r) => r.principal !== 'app');
    },
    expect: { 'azure.subscriptions': 'pass', 'azure.reader-roles': 'fail', 'azure.defender-plans': 'pass' },
  },
  {
    id: 'azure-subscription-invisible',
    tenantId: 'a7c72b18-92e1-46e4-9a52-9a9080e16caa',
    name: 'Fourth Coffee',
    domain: 'fourthcoffee.example',
    summary: 'Azure: no role at all on the second listed subscription, so it is invisible to the probing identity',
    integrations: ['azure'],
    deviceAddedHoursAgo: { azure: TEN_DAYS },
    change: (ms) => {
      ms.subscriptions[1]!.roles = [];
    },
    expect: { 'azure.subscriptions': 'fail', 'azure.reader-roles': 'blocked:azure.subscriptions' },
  },
  {
    id: 'azure-roles-broader',
    tenantId: '8dc9c047-2dc1-4688-b5ae-927f4d440c27',
    name: 'Graphic Design Institute',
    domain: 'graphicdesigninstitute.example',
    summary: "Azure: the app holds Contributor instead of Log Analytics Reader on the first subscription; the guest's role comes from the root management group",
    integrations: ['azure'],
    deviceAddedHoursAgo: { azure: TEN_DAYS },
    change: (ms) => {
      ms.subscriptions[0]!.roles = [
        { principal: 'guest', role: 'Log Analytics Reader', at: 'managementGroup' },
        { principal: 'app', role: 'Contributor', at: 'subscription' },
      ];
    },
    expect: { 'azure.subscriptions': 'pass', 'azure.reader-roles': 'warn' },
  },
  {
    id: 'azure-diagnostics-missing',
    tenantId: '14979bdb-4d24-4ad6-9dc3-6e454f72178a',
    name: 'Humongous Insurance',
    domain: 'humongousinsurance.example',
    summary: 'Azure: storage diagnostics missing on the file and queue services of one account, table only logs StorageRead on another',
    integrations: ['azure'],
    deviceAddedHoursAgo: { azure: TEN_DAYS },
    change: (ms) => {
      const first = ms.subscriptions[0]!.storageAccounts.find((a) => !a.isLogAccount)!;
      first.diagnostics = { ...first.diagnostics, file: 'none', queue: 'none' };
      const second = ms.subscriptions[1]!.storageAccounts[0]!;
      second.diagnostics = { ...second.diagnostics, table: 'partial' };
    },
    expect: { 'azure.log-storage': 'pass', 'azure.storage-diagnostics': 'fail' },
  },
  {
    id: 'azure-diagnostics-category-group',
    tenantId: '57393a3b-7d01-4824-bca4-c02bbff7fd3a',
    name: 'Consolidated Messenger',
    domain: 'consolidatedmessenger.example',
    summary: "Azure: diagnostics use categoryGroup settings (allLogs on one account, audit on the other) instead of the three categories",
    integrations: ['azure'],
    deviceAddedHoursAgo: { azure: TEN_DAYS },
    change: (ms) => {
      const first = ms.subscriptions[0]!.storageAccounts.find((a) => !a.isLogAccount)!;
      first.diagnostics = { blob: 'allLogs', file: 'allLogs', queue: 'allLogs', table: 'allLogs' };
      ms.subscriptions[1]!.storageAccounts[0]!.diagnostics = { blob: 'audit', file: 'audit', queue: 'audit', table: 'audit' };
    },
    expect: { 'azure.storage-diagnostics': 'warn' },
  },
  {
    id: 'azure-defender-partial',
    tenantId: 'eb5293f2-54a9-4d4b-a60e-387cac08711e',
    name: 'Blue Yonder Airlines',
    domain: 'blueyonderairlines.example',
    summary: 'Azure: Defender plans KeyVaults and CosmosDbs Free on one subscription, AppServices Free on the other',
    integrations: ['azure'],
    deviceAddedHoursAgo: { azure: TEN_DAYS },
    change: (ms) => {
      Object.assign(ms.subscriptions[0]!.pricings, { KeyVaults: 'Free', CosmosDbs: 'Free' });
      Object.assign(ms.subscriptions[1]!.pricings, { AppServices: 'Free' });
    },
    expect: { 'azure.defender-plans': 'warn', 'azure.reader-roles': 'pass' },
  },
  {
    id: 'azure-log-storage-firewall',
    tenantId: '93df2071-a301-48bf-92c4-2583992c9a57',
    name: 'City Power & Light',
    domain: 'citypowerlight.example',
    summary: "Azure: the log storage account denies public access without the 'Logging' bypass",
    integrations: ['azure'],
    deviceAddedHoursAgo: { azure: TEN_DAYS },
    change: (ms) => {
      ms.subscriptions[0]!.storageAccounts.find((a) => a.isLogAccount)!.firewall = 'deny-without-logging';
    },
    expect: { 'azure.log-storage': 'fail', 'azure.storage-diagnostics': 'blocked:azure.log-storage' },
  },
  {
    id: 'polling-waiting',
    tenantId: 'ea8191b1-fcc8-4ff9-a801-f3250e4f127e',
    name: 'Relecloud',
    domain: 'relecloud.example',
    summary: 'MDE enterprise app consented, device added 20 minutes ago, no sign-in yet',
    integrations: ['mde'],
    deviceAddedHoursAgo: { mde: 1 / 3 },
    change: (ms, h) => {
      h.app('mde').signIns = [];
      ms.alerts = ms.alerts.filter((a) => a.serviceSource !== 'microsoftDefenderForEndpoint');
    },
    expect: { 'mde.api-access': 'pass', 'mde.polling': 'waiting', 'mde.alerts': 'waiting' },
  },
  {
    id: 'polling-overdue',
    tenantId: '18f23f6d-b514-41f1-b0ab-7ff71772ffb6',
    name: 'Southridge Video',
    domain: 'southridgevideo.example',
    summary: 'MDE enterprise app consented, device added 3 hours ago, still no sign-in',
    integrations: ['mde'],
    deviceAddedHoursAgo: { mde: 3 },
    change: (ms, h) => {
      h.app('mde').signIns = [];
      ms.alerts = ms.alerts.filter((a) => a.serviceSource !== 'microsoftDefenderForEndpoint');
    },
    expect: { 'mde.polling': 'overdue', 'mde.alerts': 'waiting' },
  },
  {
    id: 'polling-no-alerts-yet',
    tenantId: '6be1a765-636a-49d1-a923-1ed5c9b7b643',
    name: 'VanArsdel',
    domain: 'vanarsdel.example',
    summary: 'MDE polling since the device was added 20 hours ago; no alert yet (inside 36 h)',
    integrations: ['mde'],
    deviceAddedHoursAgo: { mde: 20 },
    change: (ms) => {
      ms.alerts = ms.alerts.filter((a) => a.serviceSource !== 'microsoftDefenderForEndpoint');
    },
    expect: { 'mde.polling': 'pass', 'mde.alerts': 'waiting' },
  },
  {
    id: 'alerts-due',
    tenantId: '9c5249c9-ff3f-4885-ac3c-94ee89a4f3d7',
    name: 'First Up Consultants',
    domain: 'firstupconsultants.example',
    summary: 'MDE polling since the device was added 50 hours ago; no alert yet (between 36 h and 72 h: due)',
    integrations: ['mde'],
    deviceAddedHoursAgo: { mde: 50 },
    change: (ms) => {
      ms.alerts = ms.alerts.filter((a) => a.serviceSource !== 'microsoftDefenderForEndpoint');
    },
    expect: { 'mde.polling': 'pass', 'mde.alerts': 'waiting' },
  },
  {
    id: 'alerts-overdue',
    tenantId: '022eeaf8-d1f3-4e5c-842c-737e16c3eb4a',
    name: 'Bellows College',
    domain: 'bellowscollege.example',
    summary: 'MDE polling since the device was added 80 hours ago; still no alert (past 72 h)',
    integrations: ['mde'],
    deviceAddedHoursAgo: { mde: 80 },
    change: (ms) => {
      ms.alerts = ms.alerts.filter((a) => a.serviceSource !== 'microsoftDefenderForEndpoint');
    },
    expect: { 'mde.polling': 'pass', 'mde.alerts': 'overdue' },
  },
  {
    id: 'onboarded',
    tenantId: 'f9559371-efe4-444a-9b7d-8a5793227fd4',
    name: 'Contoso',
    domain: 'contoso.example',
    summary: 'All four integrations done (MDE custom app, Azure enterprise app); only the M365 audit log needs an attestation',
    integrations: ALL,
    options: { mde: 'custom' },
    deviceAddedHoursAgo: everywhere(TEN_DAYS, ALL),
    expect: {
      'access.tenant': 'pass',
      'access.probe-access': 'pass',
      'access.guest-invited': 'pass',
      'access.guest-redeemed': 'pass',
      'access.guest-role': 'pass',
      'access.cross-tenant-trust': 'pass',
      'access.auto-redeem': 'pass',
      'mde.console-roles': 'pass',
      'mde.api-access': 'pass',
      'mde.app-secret': 'pass',
      'mde.polling': 'pass',
      'mde.alerts': 'pass',
      'mdi.app-registered': 'pass',
      'mdi.api-permissions': 'pass',
      'mdi.app-secret': 'pass',
      'mdi.polling': 'pass',
      'mdi.alerts': 'pass',
      'm365.audit-log': 'unverifiable',
      'm365.api-consent': 'pass',
      'm365.polling': 'pass',
      'm365.alerts': 'pass',
      'azure.api-access': 'pass',
      'azure.app-secret': 'not_applicable',
      'azure.subscriptions': 'pass',
      'azure.reader-roles': 'pass',
      'azure.log-storage': 'pass',
      'azure.storage-diagnostics': 'pass',
      'azure.defender-plans': 'pass',
      'azure.polling': 'pass',
      'azure.alerts': 'pass',
    },
  },
  {
    id: 'license-missing',
    tenantId: '03f1f073-efa1-46a6-aa34-c843b2c2effc',
    name: 'School of Fine Art',
    domain: 'schooloffineart.example',
    summary: 'No Entra ID P1/P2: sign-in reports answer 403, so polling cannot be checked',
    integrations: ['mde'],
    deviceAddedHoursAgo: { mde: TEN_DAYS },
    change: (ms) => {
      ms.premium = false;
    },
    expect: { 'mde.api-access': 'pass', 'mde.polling': 'error:not_licensed', 'mde.alerts': 'pass' },
  },
  ...(
    [
      ['signin-inbound-blocked', 'dc348e95-aaaf-40bf-a207-f001da399b13', 'Lamna Healthcare', 'lamnahealthcare.example', 500213, 'inbound_policy_blocked', "the customer's cross-tenant inbound policy blocks Expel (AADSTS500213)"],
      ['signin-guest-not-invited', '90229af6-6966-4b98-984c-f621cc2a53a1', 'Munson\'s Pickles', 'munsonspickles.example', 50020, 'guest_not_invited', 'the guest does not exist in the tenant (AADSTS50020)'],
      ['signin-guest-pending', '712232ce-9f31-48c0-92bc-a29fbad24a6d', 'Fincher Architects', 'fincherarchitects.example', 50014, 'guest_not_redeemed', 'the guest has not redeemed the invitation (AADSTS50014)'],
      ['signin-conditional-access', '0a51b031-1bd2-4cd4-8a8c-eced891169a7', 'Datum Corporation', 'datumcorp.example', 53003, 'conditional_access_blocked', 'Conditional Access blocks token issuance (AADSTS53003)'],
      ['signin-mfa-required', '6f38f82f-ed2c-4618-84c7-f00d4fd0cd17', 'Best For You Organics', 'bestforyouorganics.example', 50076, 'mfa_required', 'MFA is required and inbound MFA trust is not set (AADSTS50076)'],
      ['tracker-not-consented', 'f1d07d2b-8810-447e-beb3-4cabdda69cc2', 'Contoso Pharmaceuticals', 'contosopharma.example', 65001, 'consent_missing', 'the tracker app is not consented (AADSTS65001 delegated, AADSTS700016 app-only)'],
    ] as const
  ).map(
    ([id, tenantId, name, domain, code, reason, why]): ScenarioDef => ({
      id,
      tenantId,
      name,
      domain,
      summary: `Every sign-in is refused: ${why}`,
      integrations: ['mdi'],
      deviceAddedHoursAgo: { mdi: TEN_DAYS },
      change: (ms) => {
        ms.signIn = { code };
      },
      expect: { 'access.tenant': 'pass', 'access.probe-access': `error:${reason}`, 'access.guest-invited': 'blocked:access.probe-access', 'mdi.app-registered': 'blocked:access.probe-access' },
    }),
  ),
  {
    id: 'gcc-high-permissions',
    tenantId: '15643d1e-1165-4a4c-9290-66791abe6668',
    name: 'Relecloud Government',
    domain: 'relecloudgov.example',
    summary: "Microsoft Graph appRole IDs differ from the commercial ones (GCC High set); MDI and Azure custom apps fully consented",
    integrations: ['mdi', 'azure'],
    options: { azure: 'custom' },
    deviceAddedHoursAgo: everywhere(TEN_DAYS, ['mdi', 'azure']),
    change: (ms) => {
      ms.permissionSet = 'gcc-high';
    },
    expect: { 'mdi.api-permissions': 'pass', 'azure.api-access': 'pass', 'azure.app-secret': 'pass' },
  },
  {
    id: 'throttling-heavy',
    tenantId: '8b19ccb5-0b05-4c36-9bc5-a2b2972d364b',
    name: 'Woodgrove Logistics',
    domain: 'woodgrovelogistics.example',
    summary: 'Every distinct Graph and ARM request is answered 429 (Retry-After 1 s) twice before it succeeds; otherwise onboarded',
    integrations: ['mdi', 'azure'],
    deviceAddedHoursAgo: everywhere(TEN_DAYS, ['mdi', 'azure']),
    change: (ms) => {
      ms.throttleFirst = 2;
    },
    expect: { 'access.probe-access': 'pass', 'access.guest-role': 'pass', 'mdi.api-permissions': 'pass', 'mdi.alerts': 'pass', 'azure.subscriptions': 'pass', 'azure.storage-diagnostics': 'pass' },
  },
  {
    id: 'hostile-names',
    tenantId: 'a3c28bf0-cfa1-49a4-8fc8-8ad07c7e5c86',
    name: HOSTILE.organization,
    rosterName: HOSTILE.roster,
    domain: 'woodgrovebank.example',
    summary: 'Onboarded, but display names (organization, users, guest, enterprise app, alert titles) carry terminal escapes, bidi overrides, CSV formulas and 400-character strings',
    integrations: ['mdi', 'm365'],
    deviceAddedHoursAgo: everywhere(TEN_DAYS, ['mdi', 'm365']),
    change: (ms, h) => {
      ms.otherUsers = [...HOSTILE.users];
      if (ms.guest) ms.guest.displayName = HOSTILE.guest;
      h.app('m365').displayName = HOSTILE.app;
      for (const alert of ms.alerts) alert.title = HOSTILE.alert;
    },
    expect: { 'access.guest-redeemed': 'pass', 'mdi.api-permissions': 'pass', 'm365.api-consent': 'pass', 'mdi.alerts': 'pass', 'm365.alerts': 'pass' },
  },
  {
    id: 'm365-only',
    tenantId: 'f732dc3f-f57f-4e94-9e2f-82234dbdd11c',
    name: 'Lamna Retail',
    domain: 'lamnaretail.example',
    summary: 'Microsoft 365 only, done: the unified audit log cannot be checked from outside and needs an attestation',
    integrations: ['m365'],
    deviceAddedHoursAgo: { m365: TEN_DAYS },
    expect: { 'access.guest-role': 'pass', 'access.cross-tenant-trust': 'pass', 'm365.audit-log': 'unverifiable', 'm365.api-consent': 'pass', 'm365.polling': 'pass', 'm365.alerts': 'pass' },
  },
  {
    id: 'mdi-secret-failed',
    tenantId: '8d505611-5003-4d1b-9b0b-f68ffa2ecfbb',
    name: 'Tailspin Airlines',
    domain: 'tailspinairlines.example',
    summary: 'MDI: the customer rotated the secret but Expel still uses the old, expired one: every sign-in since T0 (48 h ago) failed with AADSTS7000222',
    integrations: ['mdi'],
    deviceAddedHoursAgo: { mdi: 48 },
    change: (ms, h) => {
      const app = h.app('mdi');
      app.secrets = [secret(h.now, 733, 730, 'Expel API'), secret(h.now, 2, 730, 'Expel API 2')];
      app.signIns = [
        ...[10, 8, 6, 4].map((days) => ({ at: iso(h.now.getTime() - days * DAY), errorCode: 0 as const, resource: 'graph' as const })),
        ...[40, 30, 20, 10, 2].map((hours) => ({ at: h.hoursAgo(hours), errorCode: 7000222 as const, resource: 'graph' as const })),
      ];
      ms.alerts = ms.alerts.filter((a) => a.serviceSource !== 'microsoftDefenderForIdentity');
    },
    expect: { 'mdi.app-secret': 'pass', 'mdi.polling': 'fail', 'mdi.alerts': 'waiting' },
  },
  {
    id: 'domain-mismatch',
    tenantId: '2f7c6f0a-52c3-4b1e-9d8a-6e1f0b3c4d5e',
    name: 'Proseware Labs',
    domain: 'prosewarelabs.example',
    rosterDomain: 'contoso.example',
    summary: "The roster's domain resolves to another tenant (contoso.example is Contoso's)",
    integrations: ['mde'],
    deviceAddedHoursAgo: { mde: TEN_DAYS },
    expect: { 'access.tenant': 'fail', 'access.probe-access': 'blocked:access.tenant' },
  },
];

export const SCENARIO_IDS: readonly string[] = SCENARIOS.map((s) => s.id);

/** The named scenarios, with every date relative to `now`. */
export function scenarioTenants(now: Date = new Date()): SimTenant[] {
  return SCENARIOS.map((def) => buildScenario(def, now));
}

function buildScenario(def: ScenarioDef, now: Date): SimTenant {
  const options = optionsWith(def.options);
  const deviceAdded: Partial<Record<ScopedIntegrationId, string>> = {};
  for (const [integration, hours] of Object.entries(def.deviceAddedHoursAgo ?? {})) {
    deviceAdded[integration as ScopedIntegrationId] = hoursAgo(now, hours);
  }
  const input: StateInput = { tenantId: def.tenantId, now, integrations: def.integrations, options, deviceAdded };
  const ms = def.start === 'fresh' ? freshState(input) : onboardedState(input);
  const helpers: Helpers = {
    now,
    input,
    hoursAgo: (hours) => hoursAgo(now, hours),
    app: (integration) => {
      const app = ms.apps.find((a) => a.integration === integration);
      if (!app) throw new Error(`scenario ${def.id}: no ${integration} app`);
      return app;
    },
  };
  def.change?.(ms, helpers);
  return {
    tenantId: def.tenantId,
    displayName: def.name,
    domain: def.domain,
    scenario: def.id,
    summary: def.summary,
    roster: {
      name: def.rosterName ?? def.name,
      domain: def.rosterDomain ?? def.domain,
      orgGuid: stableGuid(`${def.tenantId}:org`),
      guestEmail: def.guestEmail ?? null,
      integrations: [...def.integrations],
      options,
      appNames: {},
      subscriptions: def.integrations.includes('azure') ? [0, 1].map((i) => subscriptionId(def.tenantId, i)) : [],
      deviceAdded,
      engagementManager: 'Dana Whitfield',
      engineer: 'Sam Okafor',
      startedOn: iso(now.getTime() - 21 * DAY).slice(0, 10),
      notes: `sim scenario: ${def.id}`,
    },
    ms,
    expect: def.expect,
  };
}
