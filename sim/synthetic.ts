// N realistic tenants spread over the onboarding stages, deterministic by seed. Only the roster
// part is built up front; each tenant's Microsoft-side state is built the first time it is read,
// so 10,000 tenants cost little until a client asks about them.
import type { ScopedIntegrationId, TenantOptions } from '../src/core/tenant.js';
import { MDE_PERMISSIONS_OLDER } from './catalog.js';
import { stableGuid } from './ids.js';
import type { SimMicrosoftState, SimTenant } from './model.js';
import { DAY, freshState, hoursAgo, iso, onboardedState, optionsWith, secret, subscriptionId, type StateInput } from './states.js';

export const SYNTHETIC_STAGES = [
  'fresh',
  'guest-pending',
  'trust-partial',
  'consent-partial',
  'polling-waiting',
  'alerts-waiting',
  'alerts-overdue',
  'secret-expiring',
  'older-mde-permissions',
  'azure-roles-missing',
  'license-missing',
  'signin-refused',
  'onboarded',
] as const;
export type SyntheticStage = (typeof SYNTHETIC_STAGES)[number];

/** How common each stage is in a realistic book of customers (weights). */
const STAGE_WEIGHTS: Record<SyntheticStage, number> = {
  fresh: 8,
  'guest-pending': 8,
  'trust-partial': 6,
  'consent-partial': 8,
  'polling-waiting': 4,
  'alerts-waiting': 12,
  'alerts-overdue': 5,
  'secret-expiring': 4,
  'older-mde-permissions': 4,
  'azure-roles-missing': 4,
  'license-missing': 3,
  'signin-refused': 4,
  onboarded: 30,
};

const FIRST = ['Northwind', 'Contoso', 'Fabrikam', 'Woodgrove', 'Tailspin', 'Wingtip', 'Adventure', 'Alpine', 'Coho', 'Litware', 'Proseware', 'Lucerne', 'Trey', 'Fourth', 'Humongous', 'Blue Yonder', 'Relecloud', 'Southridge', 'VanArsdel', 'Bellows', 'Lamna', 'Munson', 'Fincher', 'Datum', 'Margie', 'Wide World', 'Graphic', 'Consolidated', 'City Power', 'First Up'];
const SECOND = ['Traders', 'Holdings', 'Health', 'Logistics', 'Energy', 'Foods', 'Bank', 'Insurance', 'Labs', 'Media', 'Retail', 'Airlines', 'Outfitters', 'Partners', 'Manufacturing', 'Pharma', 'Studios', 'Analytics', 'Systems', 'Group'];
const MANAGERS = ['Dana Whitfield', 'Priya Raman', 'Marcus Hale', 'Elena Petrova', 'Jordan Blake'];
const ENGINEERS = ['Sam Okafor', 'Lin Zhou', 'Rosa Delgado', 'Tomás Ruiz', 'Avery Kim', 'Noor Haddad'];

/** mulberry32: small, fast, good enough for picking stages. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickStage(random: () => number): SyntheticStage {
  const total = Object.values(STAGE_WEIGHTS).reduce((a, b) => a + b, 0);
  let roll = random() * total;
  for (const stage of SYNTHETIC_STAGES) {
    roll -= STAGE_WEIGHTS[stage];
    if (roll < 0) return stage;
  }
  return 'onboarded';
}

export function syntheticTenants(count: number, seed = 1, now: Date = new Date()): SimTenant[] {
  const random = rng(seed);
  const tenants: SimTenant[] = [];
  for (let index = 0; index < count; index++) {
    const tenantId = stableGuid(`synthetic:${seed}:${index}`);
    const stage = pickStage(random);
    const integrations = (['mde', 'mdi', 'm365', 'azure'] as const).filter((_, i) => random() < [0.6, 0.4, 0.5, 0.35][i]!);
    if (integrations.length === 0) integrations.push('mde');
    if (stage === 'older-mde-permissions' && !integrations.includes('mde')) integrations.unshift('mde');
    if (stage === 'azure-roles-missing' && !integrations.includes('azure')) integrations.push('azure');
    const options = optionsWith({
      mde: stage === 'older-mde-permissions' || stage === 'secret-expiring' || random() < 0.3 ? 'custom' : 'enterprise',
      azure: random() < 0.25 ? 'custom' : 'enterprise',
      mdeConsole: random() < 0.1 ? 'rbac' : 'basic',
    });
    const name = `${FIRST[Math.floor(random() * FIRST.length)]} ${SECOND[Math.floor(random() * SECOND.length)]}`;
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '');
    const deviceHours = stageDeviceHours(stage, random);
    const deviceAdded: Partial<Record<ScopedIntegrationId, string>> = {};
    if (deviceHours !== null) for (const integration of integrations) deviceAdded[integration] = hoursAgo(now, deviceHours);
    const input: StateInput = { tenantId, now, integrations, options, deviceAdded };
    tenants.push(lazyTenant({
      tenantId,
      displayName: name,
      domain: `${slug}${index}.example`,
      scenario: `synthetic:${stage}`,
      summary: `Synthetic tenant #${index} at stage ${stage}`,
      roster: {
        name,
        domain: `${slug}${index}.example`,
        orgGuid: stableGuid(`${tenantId}:org`),
        guestEmail: null,
        integrations,
        options,
        appNames: {},
        subscriptions: integrations.includes('azure') ? [0, 1].map((i) => subscriptionId(tenantId, i)) : [],
        deviceAdded,
        engagementManager: MANAGERS[index % MANAGERS.length]!,
        engineer: ENGINEERS[index % ENGINEERS.length]!,
        startedOn: iso(now.getTime() - (5 + (index % 60)) * DAY).slice(0, 10),
        notes: null,
      },
      expect: stageExpectations(stage, integrations, options),
    }, () => stageState(stage, input)));
  }
  return tenants;
}

function stageDeviceHours(stage: SyntheticStage, random: () => number): number | null {
  switch (stage) {
    case 'fresh':
    case 'guest-pending':
    case 'trust-partial':
    case 'consent-partial':
    case 'signin-refused':
      return null;
    case 'polling-waiting':
      return 0.25;
    case 'alerts-waiting':
      return 6 + Math.floor(random() * 60);
    case 'alerts-overdue':
      return 80 + Math.floor(random() * 200);
    default:
      return 100 + Math.floor(random() * 900);
  }
}

function stageState(stage: SyntheticStage, input: StateInput): SimMicrosoftState {
  if (stage === 'fresh') return freshState(input);
  const ms = onboardedState(input);
  const noAlertsSinceT0 = () => {
    ms.alerts = ms.alerts.filter((a) => a.serviceSource === 'azureAdIdentityProtection');
  };
  switch (stage) {
    case 'guest-pending':
      if (ms.guest) ms.guest = { ...ms.guest, state: 'PendingAcceptance', acceptedAt: undefined };
      break;
    case 'trust-partial':
      ms.partner = { inboundTrust: { isMfaAccepted: false, isCompliantDeviceAccepted: true, isHybridAzureADJoinedDeviceAccepted: false }, autoRedeemInbound: null };
      break;
    case 'consent-partial':
      for (const app of ms.apps) {
        app.configured = { application: structuredClone(app.granted), delegated: structuredClone(app.delegated) };
        for (const key of Object.keys(app.granted) as (keyof typeof app.granted)[]) app.granted[key] = app.granted[key]?.slice(1);
      }
      break;
    case 'polling-waiting':
      for (const app of ms.apps) app.signIns = [];
      noAlertsSinceT0();
      break;
    case 'alerts-waiting':
    case 'alerts-overdue':
      noAlertsSinceT0();
      break;
    case 'secret-expiring':
      for (const app of ms.apps) if (app.kind === 'custom') app.secrets = [secret(input.now, 710, 730)];
      break;
    case 'older-mde-permissions': {
      const app = ms.apps.find((a) => a.integration === 'mde');
      if (app) {
        app.granted = { mde: [...MDE_PERMISSIONS_OLDER] };
        app.delegated = { graph: ['User.Read'] };
      }
      break;
    }
    case 'azure-roles-missing':
      if (ms.subscriptions[1]) ms.subscriptions[1].roles = ms.subscriptions[1].roles.filter((r) => r.principal !== 'app');
      break;
    case 'license-missing':
      ms.premium = false;
      break;
    case 'signin-refused':
      ms.signIn = { code: 500213 };
      break;
    case 'onboarded':
      break;
  }
  return ms;
}

function stageExpectations(stage: SyntheticStage, integrations: readonly ScopedIntegrationId[], options: TenantOptions): Record<string, string> {
  switch (stage) {
    case 'fresh':
      return { 'access.probe-access': 'pass', 'access.guest-invited': 'fail' };
    case 'guest-pending':
      return { 'access.guest-invited': 'pass', 'access.guest-redeemed': 'fail' };
    case 'signin-refused':
      return { 'access.probe-access': 'error:inbound_policy_blocked' };
    case 'license-missing':
      return integrations.includes('mde') ? { [`mde.polling`]: 'error:not_licensed' } : {};
    case 'older-mde-permissions':
      return options.mde === 'custom' ? { 'mde.api-access': 'warn' } : {};
    case 'alerts-overdue':
      return Object.fromEntries(integrations.map((i) => [`${i}.alerts`, 'overdue']));
    default:
      return { 'access.probe-access': 'pass' };
  }
}

/** A tenant whose Microsoft-side state is built on first read and then kept. */
function lazyTenant(base: Omit<SimTenant, 'ms'>, build: () => SimMicrosoftState): SimTenant {
  let state: SimMicrosoftState | null = null;
  return Object.defineProperty(base, 'ms', {
    enumerable: true,
    configurable: true,
    get: () => (state ??= build()),
    set: (value: SimMicrosoftState) => {
      state = value;
    },
  }) as SimTenant;
}
