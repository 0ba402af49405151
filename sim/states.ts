// Builds the Microsoft-side state of a tenant that did everything its guides ask, for the
// integrations in scope. Scenarios and synthetic tenants start from it and take things away,
// which keeps each scenario's data down to the few lines that make it interesting.
import type { ScopedIntegrationId, TenantOptions } from '../src/core/tenant.js';
import { DEFAULT_OPTIONS } from '../src/core/tenant.js';
import { DEFENDER_PLANS_RECOMMENDED, MDE_PERMISSIONS_CURRENT, MDI_GRAPH_PERMISSIONS, type DefenderPlan } from './catalog.js';
import { SIM_EXPEL_APP_IDS } from './directory.js';
import { stableGuid, stableToken } from './ids.js';
import type { SimAlert, SimApp, SimMicrosoftState, SimSignIn, SimStorageAccount, SimSubscription } from './model.js';

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

export const DEFAULT_APP_NAMES = {
  mde: 'Expel Defender for Endpoint Integration',
  mdi: 'Expel Defender for Identity',
  azure: 'Expel Cloud Service',
  mdeEnterprise: 'Expel Defender for Endpoint Integration',
  m365Enterprise: 'Expel Microsoft 365 Integration',
  azureEnterprise: 'ExpelAzure Integration',
} as const;

export interface StateInput {
  tenantId: string;
  now: Date;
  integrations: readonly ScopedIntegrationId[];
  options: TenantOptions;
  /** T0 per integration (ISO); polling and alerts are generated after it. */
  deviceAdded: Partial<Record<ScopedIntegrationId, string>>;
  appNames?: Partial<Record<ScopedIntegrationId, string>>;
  subscriptionCount?: number;
}

export const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
export const hoursAgo = (now: Date, hours: number): string => iso(now.getTime() - hours * HOUR);
export const daysFromNow = (now: Date, days: number): string => iso(now.getTime() + days * DAY);

export function subscriptionId(tenantId: string, index: number): string {
  return stableGuid(`${tenantId}:subscription:${index}`);
}

/** Storage account names are global, 3–24 lower-case letters and digits. */
export function storageName(tenantId: string, label: string): string {
  return `${label}${stableToken(`${tenantId}:storage:${label}`, 6)}`.slice(0, 24);
}

export function secret(now: Date, createdDaysAgo: number, validDays: number, displayName = 'Expel API') {
  return {
    displayName,
    startDateTime: iso(now.getTime() - createdDaysAgo * DAY),
    endDateTime: iso(now.getTime() - createdDaysAgo * DAY + validDays * DAY),
  };
}

/** Successful app-only sign-ins every few hours from T0 (or 10 days back) until now. */
export function healthySignIns(now: Date, t0: string | undefined, resource: SimSignIn['resource']): SimSignIn[] {
  const start = t0 ? Date.parse(t0) + 10 * 60_000 : now.getTime() - 10 * DAY;
  const out: SimSignIn[] = [];
  for (let at = start; at <= now.getTime() - 5 * 60_000; at += 6 * HOUR) out.push({ at: iso(at), errorCode: 0, resource });
  const last = now.getTime() - 20 * 60_000;
  if (last > start) out.push({ at: iso(last), errorCode: 0, resource });
  return out;
}

function alertAfter(t0: string | undefined, now: Date, hours: number, fields: Omit<SimAlert, 'createdDateTime'>): SimAlert {
  const base = t0 ? Date.parse(t0) : now.getTime() - 10 * DAY;
  return { ...fields, createdDateTime: iso(Math.min(base + hours * HOUR, now.getTime() - HOUR)) };
}

export function mdeApp(input: StateInput): SimApp {
  const { now, tenantId } = input;
  const t0 = input.deviceAdded.mde;
  if (input.options.mde === 'custom') {
    return {
      integration: 'mde',
      kind: 'custom',
      displayName: input.appNames?.mde ?? DEFAULT_APP_NAMES.mde,
      appId: stableGuid(`${tenantId}:custom-app:mde`),
      accountEnabled: true,
      granted: { mde: [...MDE_PERMISSIONS_CURRENT], graph: ['User.Read.All', 'User.ReadWrite.All'] },
      delegated: { graph: ['User.Read'] },
      secrets: [secret(now, 40, 730)],
      signIns: healthySignIns(now, t0, 'mde'),
    };
  }
  return {
    integration: 'mde',
    kind: 'enterprise',
    displayName: DEFAULT_APP_NAMES.mdeEnterprise,
    appId: SIM_EXPEL_APP_IDS.mde,
    accountEnabled: true,
    granted: { mde: ['Alert.Read.All', 'Machine.Read.All', 'AdvancedQuery.Read.All', 'Vulnerability.Read.All', 'Software.Read.All'] },
    delegated: {},
    secrets: [],
    signIns: healthySignIns(now, t0, 'mde'),
  };
}

export function mdiApp(input: StateInput): SimApp {
  return {
    integration: 'mdi',
    kind: 'custom',
    displayName: input.appNames?.mdi ?? DEFAULT_APP_NAMES.mdi,
    appId: stableGuid(`${input.tenantId}:custom-app:mdi`),
    accountEnabled: true,
    granted: { graph: [...MDI_GRAPH_PERMISSIONS] },
    delegated: { graph: ['User.Read'] },
    secrets: [secret(input.now, 30, 730)],
    signIns: healthySignIns(input.now, input.deviceAdded.mdi, 'graph'),
  };
}

export function m365App(input: StateInput): SimApp {
  return {
    integration: 'm365',
    kind: 'enterprise',
    displayName: DEFAULT_APP_NAMES.m365Enterprise,
    appId: SIM_EXPEL_APP_IDS.m365,
    accountEnabled: true,
    granted: { o365: ['ActivityFeed.Read', 'ActivityFeed.ReadDlp', 'ServiceHealth.Read'] },
    delegated: {},
    secrets: [],
    signIns: healthySignIns(input.now, input.deviceAdded.m365, 'o365'),
  };
}

export function azureApp(input: StateInput): SimApp {
  const custom = input.options.azure === 'custom';
  return {
    integration: 'azure',
    kind: custom ? 'custom' : 'enterprise',
    displayName: custom ? (input.appNames?.azure ?? DEFAULT_APP_NAMES.azure) : DEFAULT_APP_NAMES.azureEnterprise,
    appId: custom ? stableGuid(`${input.tenantId}:custom-app:azure`) : SIM_EXPEL_APP_IDS.azure,
    accountEnabled: true,
    granted: { logAnalytics: ['Data.Read'], graph: ['SecurityEvents.Read.All', 'User.ReadWrite.All', 'User.Read.All'] },
    delegated: { graph: ['User.Read'] },
    // The Azure guide asks for a secret that never expires: far-future end dates.
    secrets: custom ? [secret(input.now, 60, 365 * 99, 'Expel')] : [],
    signIns: healthySignIns(input.now, input.deviceAdded.azure, 'logAnalytics'),
  };
}

const allDiagnostics = (shape: SimStorageAccount['diagnostics']['blob']): SimStorageAccount['diagnostics'] => ({
  blob: shape,
  file: shape,
  queue: shape,
  table: shape,
});

export function onboardedSubscriptions(tenantId: string, count: number): SimSubscription[] {
  const standard: Partial<Record<DefenderPlan, 'Free' | 'Standard'>> = Object.fromEntries(DEFENDER_PLANS_RECOMMENDED.map((p) => [p, 'Standard']));
  return Array.from({ length: count }, (_, index) => {
    const storage: SimStorageAccount[] = [];
    if (index === 0) {
      storage.push({
        name: storageName(tenantId, 'expellogs'),
        resourceGroup: 'rg-expel-logs',
        kind: 'StorageV2',
        firewall: 'deny-with-logging',
        isLogAccount: true,
        appBlobReader: true,
        diagnostics: allDiagnostics('none'),
      });
    }
    storage.push({
      name: storageName(tenantId, `appdata${index}`),
      resourceGroup: `rg-app-${index}`,
      kind: 'StorageV2',
      firewall: 'open',
      diagnostics: allDiagnostics('categories'),
    });
    return {
      subscriptionId: subscriptionId(tenantId, index),
      displayName: index === 0 ? 'Production' : `Workloads ${index}`,
      state: 'Enabled',
      roles: [
        { principal: 'guest', role: 'Log Analytics Reader', at: 'subscription' },
        { principal: 'app', role: 'Log Analytics Reader', at: 'subscription' },
      ],
      storageAccounts: storage,
      pricings: { ...standard },
    };
  });
}

/** The state of a tenant that completed every step of its integrations' guides. */
export function onboardedState(input: StateInput): SimMicrosoftState {
  const { now, integrations, options } = input;
  const has = (id: ScopedIntegrationId) => integrations.includes(id);
  const apps: SimApp[] = [];
  if (has('mde')) apps.push(mdeApp(input));
  if (has('mdi')) apps.push(mdiApp(input));
  if (has('m365')) apps.push(m365App(input));
  if (has('azure')) apps.push(azureApp(input));

  const roles: SimMicrosoftState['guestRoles'] = [];
  if (has('mdi') || has('m365') || has('azure')) roles.push({ role: 'Global Reader' });
  if (has('mde') && options.mdeConsole === 'basic') roles.push({ role: 'Security Reader' }, { role: 'Security Operator' });

  const alerts: SimAlert[] = [];
  const d = input.deviceAdded;
  if (has('mde')) alerts.push(alertAfter(d.mde, now, 40, { serviceSource: 'microsoftDefenderForEndpoint', detectionSource: 'antivirus', title: 'Suspicious PowerShell command line', severity: 'medium', status: 'new' }));
  if (has('mdi')) alerts.push(alertAfter(d.mdi, now, 50, { serviceSource: 'microsoftDefenderForIdentity', detectionSource: 'microsoftDefenderForIdentity', title: 'Suspected DCSync attack (replication of directory services)', severity: 'high', status: 'inProgress' }));
  if (has('m365')) alerts.push(alertAfter(d.m365, now, 45, { serviceSource: 'microsoftDefenderForOffice365', detectionSource: 'microsoftDefenderForOffice365', title: 'Email messages containing malicious URL removed after delivery', severity: 'informational', status: 'resolved' }));
  if (has('azure')) {
    alerts.push(alertAfter(d.azure, now, 38, { serviceSource: 'microsoftSentinel', detectionSource: 'scheduledAlerts', title: 'Rare subscription-level operations in Azure', severity: 'medium', status: 'new' }));
    alerts.push(alertAfter(d.azure, now, 60, { serviceSource: 'microsoftDefenderForCloud', detectionSource: 'microsoftDefenderForStorage', title: 'Access from a suspicious IP address', severity: 'low', status: 'new' }));
  }
  // Noise every tenant has: an Entra ID Protection alert from before onboarding.
  alerts.push({ serviceSource: 'azureAdIdentityProtection', detectionSource: 'azureAdIdentityProtection', title: 'Unfamiliar sign-in properties', createdDateTime: iso(now.getTime() - 20 * DAY), severity: 'low', status: 'resolved' });

  return {
    signIn: null,
    premium: true,
    permissionSet: 'commercial',
    mdeProvisioned: true,
    throttleRate: 0,
    throttleFirst: 0,
    trackerMissing: [],
    guest: { state: 'Accepted', accountEnabled: true, displayName: 'Expel SOC', invitedAt: iso(now.getTime() - 21 * DAY), acceptedAt: iso(now.getTime() - 20 * DAY) },
    guestRoles: roles,
    partner: has('mdi') || has('m365')
      ? { inboundTrust: { isMfaAccepted: true, isCompliantDeviceAccepted: true, isHybridAzureADJoinedDeviceAccepted: true }, autoRedeemInbound: true }
      : null,
    crossTenantDefault: { inboundTrust: { isMfaAccepted: false, isCompliantDeviceAccepted: false, isHybridAzureADJoinedDeviceAccepted: false } },
    apps,
    alerts,
    subscriptions: has('azure') ? onboardedSubscriptions(input.tenantId, input.subscriptionCount ?? 2) : [],
    otherUsers: ['Megan Bowen', 'Alex Wilber', 'Diego Siciliani', 'Isaiah Langer'],
  };
}

/** The state of a tenant where nothing of the guides has been done (the tracker app is consented). */
export function freshState(input: StateInput): SimMicrosoftState {
  const state = onboardedState(input);
  return {
    ...state,
    guest: null,
    guestRoles: [],
    partner: null,
    apps: [],
    alerts: state.alerts.filter((a) => a.serviceSource === 'azureAdIdentityProtection'),
    subscriptions: state.subscriptions.map((s) => ({ ...s, roles: [], storageAccounts: s.storageAccounts.filter((a) => !a.isLogAccount), pricings: {} })),
  };
}

export const optionsWith = (options: Partial<TenantOptions> = {}): TenantOptions => ({ ...DEFAULT_OPTIONS, ...options });
