// The onboarding step catalogue of ../shared/spec/steps.md as data: ids, titles, applicability,
// prerequisites, owners and windows. Step ids are a public contract (check --json, CSV, database).
// Verdict rules (src/verdicts) and probes (src/probes) read this; nothing else decides what a step is.
import type { Owner } from '../core/status.js';
import { INTEGRATION_ORDER, type IntegrationId, type ScopedIntegrationId, type Tenant } from '../core/tenant.js';

import { DEFAULT_CUSTOM_APP_NAMES } from './reference.js';

export * from './reference.js';

export type StepWindow = 'polling' | 'alerts' | 'audit-log';

/**
 * A prerequisite that is also met by a `fail` verdict whose evidence carries `evidenceFlag: true`
 * (steps.md: a partner entry with trust off still lets auto-redeem be judged; a custom app that
 * exists but lacks permissions still lets its secret be judged).
 */
export interface PrerequisiteExemption {
  prerequisite: string;
  evidenceFlag: string;
}

/** Evidence keys probes set so the exemptions above can be applied. */
export const PREREQUISITE_EVIDENCE = {
  /** access.cross-tenant-trust: a partner entry for Expel's tenant exists (boolean). */
  partnerExists: 'partnerExists',
  /** mde.api-access / azure.api-access (custom option): the custom app registration exists (boolean). */
  appExists: 'appExists',
} as const;

export interface StepDefinition {
  /** Exactly the steps.md id, e.g. 'access.tenant'. */
  id: string;
  integration: IntegrationId;
  /** Short analyst-facing title. */
  title: string;
  /** One line: what done means, in plain words. */
  doneWhen: string;
  /** In scope for this tenant (integration selected, option chosen). Otherwise `not_applicable`. */
  applies(tenant: Tenant): boolean;
  /** Direct prerequisites per steps.md, most fundamental first (the first not done is `blockedBy`). */
  prerequisites(tenant: Tenant): string[];
  /** Prerequisites that a `fail` with a given evidence flag still satisfies. */
  exemptions?: readonly PrerequisiteExemption[];
  /** Whose move it is while the step is not done. */
  owner: Exclude<Owner, 'none'>;
  /** The guide's time window for steps that wait on evidence to appear. */
  window?: StepWindow;
  /** Cannot be checked from outside at all for this tenant: attestable even before any check. */
  inherentlyUnverifiable?(tenant: Tenant): boolean;
}

const PROBE_ACCESS = 'access.probe-access';
const GUEST_INVITED = 'access.guest-invited';

const always = (): boolean => true;
const inScope =
  (...integrations: ScopedIntegrationId[]) =>
  (tenant: Tenant): boolean =>
    integrations.some((id) => tenant.integrations.includes(id));
const needs =
  (...ids: string[]) =>
  (): string[] => [PROBE_ACCESS, ...ids];

/** Polling and alerts wait for the API-access step unless the analyst set the device-added date. */
const afterApiAccess =
  (integration: ScopedIntegrationId, apiAccessStep: string) =>
  (tenant: Tenant): string[] =>
    tenant.deviceAdded[integration] ? [PROBE_ACCESS] : [PROBE_ACCESS, apiAccessStep];

/** The step ids of each integration's API-access step: its first pass starts T0. */
export const API_ACCESS_STEP: Readonly<Record<ScopedIntegrationId, string>> = {
  mde: 'mde.api-access',
  mdi: 'mdi.api-permissions',
  m365: 'm365.api-consent',
  azure: 'azure.api-access',
};

function activitySteps(integration: ScopedIntegrationId, appLabel: string): StepDefinition[] {
  const prerequisites = afterApiAccess(integration, API_ACCESS_STEP[integration]);
  return [
    {
      id: `${integration}.polling`,
      integration,
      title: 'Expel is polling',
      doneWhen: `${appLabel} has signed in to the tenant since the integration started`,
      applies: inScope(integration),
      prerequisites,
      owner: 'expel',
      window: 'polling',
    },
    {
      id: `${integration}.alerts`,
      integration,
      title: 'Alerts are flowing',
      doneWhen: 'at least one alert from this integration has appeared since the integration started',
      applies: inScope(integration),
      prerequisites,
      owner: 'expel',
      window: 'alerts',
    },
  ];
}

const ACCESS_STEPS: StepDefinition[] = [
  {
    id: 'access.tenant',
    integration: 'access',
    title: 'Tenant exists',
    doneWhen: 'the tenant ID exists in the configured cloud and matches the domain on record',
    applies: always,
    prerequisites: () => [],
    // A tenant ID that does not exist is a roster mistake on our side.
    owner: 'expel',
  },
  {
    id: PROBE_ACCESS,
    integration: 'access',
    title: 'Tracker can read the tenant',
    doneWhen: 'the tracker signs in to the tenant and reads its directory',
    applies: always,
    prerequisites: () => ['access.tenant'],
    owner: 'customer',
  },
  {
    id: GUEST_INVITED,
    integration: 'access',
    title: 'Expel guest invited',
    doneWhen: 'a guest user with the Expel guest email exists in the directory',
    applies: always,
    prerequisites: needs(),
    owner: 'customer',
  },
  {
    id: 'access.guest-redeemed',
    integration: 'access',
    title: 'Guest invitation accepted',
    doneWhen: 'the Expel guest accepted the invitation and the account is enabled',
    applies: always,
    prerequisites: needs(GUEST_INVITED),
    // Accepting the invitation is done from Expel's side (or automatically with auto-redeem).
    owner: 'expel',
  },
  {
    id: 'access.guest-role',
    integration: 'access',
    title: 'Guest holds Global Reader',
    doneWhen: 'the Expel guest has an active Global Reader assignment',
    applies: inScope('mdi', 'm365', 'azure'),
    prerequisites: needs(GUEST_INVITED),
    owner: 'customer',
  },
  {
    id: 'access.cross-tenant-trust',
    integration: 'access',
    title: 'Cross-tenant trust for Expel',
    doneWhen: "Expel's tenant is a cross-tenant partner whose inbound trust accepts MFA, compliant and hybrid-joined devices",
    applies: inScope('mdi', 'm365'),
    prerequisites: needs(),
    owner: 'customer',
  },
  {
    id: 'access.auto-redeem',
    integration: 'access',
    title: 'Automatic redemption for Expel',
    doneWhen: "the Expel partner entry automatically redeems invitations from Expel's tenant",
    applies: inScope('mdi', 'm365'),
    prerequisites: needs('access.cross-tenant-trust'),
    exemptions: [{ prerequisite: 'access.cross-tenant-trust', evidenceFlag: PREREQUISITE_EVIDENCE.partnerExists }],
    owner: 'customer',
  },
];

const MDE_STEPS: StepDefinition[] = [
  {
    id: 'mde.console-roles',
    integration: 'mde',
    title: 'Guest has Defender console roles',
    doneWhen: 'the Expel guest holds Security Reader and Security Operator, or Security Administrator, or Global Administrator',
    applies: inScope('mde'),
    prerequisites: needs(GUEST_INVITED),
    owner: 'customer',
    // MDE RBAC roles have no reliable read API: the customer confirms them.
    inherentlyUnverifiable: (tenant) => tenant.options.mdeConsole === 'rbac',
  },
  {
    id: 'mde.api-access',
    integration: 'mde',
    title: 'Defender for Endpoint API access',
    doneWhen: "Expel's enterprise app, or the custom app, is admin-consented with the permissions the guide lists",
    applies: inScope('mde'),
    prerequisites: needs(),
    owner: 'customer',
  },
  {
    id: 'mde.app-secret',
    integration: 'mde',
    title: 'Custom app has a valid secret',
    doneWhen: 'the custom app has a client secret that has not expired',
    applies: (tenant) => tenant.integrations.includes('mde') && tenant.options.mde === 'custom',
    prerequisites: needs('mde.api-access'),
    exemptions: [{ prerequisite: 'mde.api-access', evidenceFlag: PREREQUISITE_EVIDENCE.appExists }],
    owner: 'customer',
  },
  ...activitySteps('mde', "Expel's Defender for Endpoint app"),
];

const MDI_STEPS: StepDefinition[] = [
  {
    id: 'mdi.app-registered',
    integration: 'mdi',
    title: 'Defender for Identity app registered',
    doneWhen: 'the custom app registration for Defender for Identity exists',
    applies: inScope('mdi'),
    prerequisites: needs(),
    owner: 'customer',
  },
  {
    id: 'mdi.api-permissions',
    integration: 'mdi',
    title: 'Defender for Identity API permissions',
    doneWhen: 'the four Graph security permissions and User.Read are admin-consented for the app',
    applies: inScope('mdi'),
    prerequisites: needs('mdi.app-registered'),
    owner: 'customer',
  },
  {
    id: 'mdi.app-secret',
    integration: 'mdi',
    title: 'App has a valid secret',
    doneWhen: 'the app has a client secret that has not expired',
    applies: inScope('mdi'),
    prerequisites: needs('mdi.app-registered'),
    owner: 'customer',
  },
  ...activitySteps('mdi', "Expel's Defender for Identity app"),
];

const M365_STEPS: StepDefinition[] = [
  {
    id: 'm365.audit-log',
    integration: 'm365',
    title: 'Unified audit logging on',
    doneWhen: 'unified audit log ingestion is enabled (confirmed by the customer)',
    applies: inScope('m365'),
    prerequisites: needs(),
    owner: 'customer',
    window: 'audit-log',
    // No Graph or ARM property shows it, and Purview does not serve Global Reader.
    inherentlyUnverifiable: always,
  },
  {
    id: 'm365.api-consent',
    integration: 'm365',
    title: 'Microsoft 365 app consented',
    doneWhen: "Expel's Microsoft 365 enterprise app is admin-consented",
    applies: inScope('m365'),
    prerequisites: needs(),
    owner: 'customer',
  },
  ...activitySteps('m365', "Expel's Microsoft 365 app"),
];

const AZURE_STEPS: StepDefinition[] = [
  {
    id: 'azure.api-access',
    integration: 'azure',
    title: 'Azure API access',
    doneWhen: "Expel's Azure enterprise app, or the custom app, is admin-consented with Log Analytics and Graph permissions",
    applies: inScope('azure'),
    prerequisites: needs(),
    owner: 'customer',
  },
  {
    id: 'azure.app-secret',
    integration: 'azure',
    title: 'Custom app has a valid secret',
    doneWhen: 'the custom app has a client secret that has not expired',
    applies: (tenant) => tenant.integrations.includes('azure') && tenant.options.azure === 'custom',
    prerequisites: needs('azure.api-access'),
    exemptions: [{ prerequisite: 'azure.api-access', evidenceFlag: PREREQUISITE_EVIDENCE.appExists }],
    owner: 'customer',
  },
  {
    id: 'azure.subscriptions',
    integration: 'azure',
    title: 'Subscriptions visible',
    doneWhen: 'every listed subscription is visible to the probing identity',
    applies: inScope('azure'),
    prerequisites: needs(),
    owner: 'customer',
  },
  {
    id: 'azure.reader-roles',
    integration: 'azure',
    title: 'Log Analytics Reader assigned',
    doneWhen: 'the app and the Expel guest hold Log Analytics Reader on every listed subscription',
    applies: inScope('azure'),
    prerequisites: needs(GUEST_INVITED, 'azure.subscriptions'),
    owner: 'customer',
  },
  {
    id: 'azure.log-storage',
    integration: 'azure',
    title: 'Log storage account ready',
    doneWhen: 'a StorageV2 log account exists where the app holds Storage Blob Data Reader and logging can reach it',
    applies: inScope('azure'),
    prerequisites: needs('azure.subscriptions'),
    owner: 'customer',
  },
  {
    id: 'azure.storage-diagnostics',
    integration: 'azure',
    title: 'Storage diagnostics to log account',
    doneWhen: 'every storage account sends read, write and delete logs of all four services to the log account',
    applies: inScope('azure'),
    prerequisites: needs('azure.subscriptions', 'azure.log-storage'),
    owner: 'customer',
  },
  {
    id: 'azure.defender-plans',
    integration: 'azure',
    title: 'Defender for Cloud plans (recommended)',
    doneWhen: 'the recommended Defender for Cloud plans are on for every listed subscription',
    applies: inScope('azure'),
    prerequisites: needs('azure.subscriptions'),
    owner: 'customer',
  },
  ...activitySteps('azure', "Expel's Azure app"),
];

/** Every step, in guide order, grouped in INTEGRATION_ORDER. */
export const STEPS: readonly StepDefinition[] = Object.freeze([
  ...ACCESS_STEPS,
  ...MDE_STEPS,
  ...MDI_STEPS,
  ...M365_STEPS,
  ...AZURE_STEPS,
]);

const BY_ID = new Map(STEPS.map((step) => [step.id, step]));
const BY_INTEGRATION = new Map<IntegrationId, readonly StepDefinition[]>(
  INTEGRATION_ORDER.map((integration) => [integration, STEPS.filter((step) => step.integration === integration)]),
);

export function stepById(id: string): StepDefinition | undefined {
  return BY_ID.get(id);
}

export function stepsOf(integration: IntegrationId): readonly StepDefinition[] {
  return BY_INTEGRATION.get(integration) ?? [];
}

/** Integrations reported for a tenant: access first, then those in scope, in contract order. */
export function integrationsOf(tenant: Tenant): IntegrationId[] {
  return INTEGRATION_ORDER.filter((id) => id === 'access' || tenant.integrations.includes(id));
}

/** True when outsiders can never check this step for this tenant (attestable before any check). */
export function isInherentlyUnverifiable(step: StepDefinition, tenant: Tenant): boolean {
  return step.applies(tenant) && (step.inherentlyUnverifiable?.(tenant) ?? false);
}

/** The custom app display name for a tenant: the roster's override, else the guide's default. */
export function customAppName(tenant: Tenant, integration: 'mde' | 'mdi' | 'azure'): string {
  return tenant.appNames[integration] ?? DEFAULT_CUSTOM_APP_NAMES[integration];
}
