// Facts from the customer guides and ../shared/reference/microsoft-apis.md, as data: the one
// place to change when a guide changes. Names and well-known IDs only. Permission GUIDs are
// deliberately absent: they differ between clouds and are resolved per tenant from each
// resource service principal's appRoles / oauth2PermissionScopes at run time.
import type { ScopedIntegrationId } from '../core/tenant.js';

/** Expel's own tenant (cross-tenant access partner). Default of the `expelTenantId` setting. */
export const DEFAULT_EXPEL_TENANT_ID = '1cde81fd-b430-4035-b24d-709921922876';

/** Guest email = `<org GUID>@<domain>`; default of the `guestEmailDomain` setting. */
export const DEFAULT_GUEST_EMAIL_DOMAIN = 'soc.expel.io';
/** The shared guest of the older MDE edition; only used when the roster sets it explicitly. */
export const LEGACY_MDE_GUEST_EMAIL = 'expel_analyst@expel.io';

/** First-party resource applications; `appId` is the same in every tenant (microsoft-apis §3.1). */
export const RESOURCES = {
  graph: { appId: '00000003-0000-0000-c000-000000000000', displayName: 'Microsoft Graph' },
  defenderAtp: { appId: 'fc780465-2017-40d4-a0c5-307022471b92', displayName: 'WindowsDefenderATP' },
  logAnalytics: { appId: 'ca7f3f0b-7d91-482c-8e09-c5d840d0eac5', displayName: 'Log Analytics API' },
  office365Management: { appId: 'c5393580-f805-4401-95e8-94b7a6ef2fc2', displayName: 'Office 365 Management APIs' },
} as const;
export type ResourceKey = keyof typeof RESOURCES;

export type PermissionType = 'Application' | 'Delegated';

export interface PermissionRequirement {
  resource: ResourceKey;
  /** The permission's `value` (e.g. 'Alert.Read.All'); resolved to an ID per tenant. */
  name: string;
  /** Application = app role assignment (`Role`), Delegated = admin-consented OAuth2 grant (`Scope`). */
  type: PermissionType;
  /** The guide does not say the type; this type is also accepted (microsoft-apis §C-09). */
  alsoAccepted?: PermissionType;
  /** Not printed in the guide; inferred (microsoft-apis §C-09). Easy to correct here. */
  inferred?: boolean;
}

const app = (resource: ResourceKey, name: string): PermissionRequirement => ({ resource, name, type: 'Application' });
const delegated = (resource: ResourceKey, name: string): PermissionRequirement => ({ resource, name, type: 'Delegated' });

/** WindowsDefenderATP application permissions of the older MDE guide (000): 13. */
const MDE_ATP_OLDER = [
  'AdvancedQuery.Read.All',
  'Alert.Read.All',
  'File.Read.All',
  'Ip.Read.All',
  'Machine.CollectForensics',
  'Machine.Read.All',
  'Score.Read.All',
  'SecurityConfiguration.Read.All',
  'SecurityRecommendation.Read.All',
  'Software.Read.All',
  'Url.Read.All',
  'User.Read.All',
  'Vulnerability.Read.All',
] as const;

/** The current MDE guide (001) adds these three WindowsDefenderATP permissions: 16 in all. */
const MDE_ATP_CURRENT_ADDITIONS = ['Machine.Isolate', 'Ti.ReadWrite', 'Ti.ReadWrite.All'] as const;

export type GuideEdition = 'current' | 'older';

/** MDE option 2 (custom app) required permissions per guide edition. */
export const MDE_CUSTOM_APP_PERMISSIONS: Readonly<Record<GuideEdition, readonly PermissionRequirement[]>> = {
  current: [
    ...[...MDE_ATP_OLDER, ...MDE_ATP_CURRENT_ADDITIONS].sort().map((name) => app('defenderAtp', name)),
    delegated('graph', 'User.Read'),
    // The current guide does not say the type of these two; the Azure guide's wording implies application.
    { ...app('graph', 'User.ReadWrite.All'), alsoAccepted: 'Delegated' },
    { ...app('graph', 'User.Read.All'), alsoAccepted: 'Delegated' },
  ],
  older: [
    ...MDE_ATP_OLDER.map((name) => app('defenderAtp', name)),
    // Listed under "application permissions" in the older guide, but User.Read only exists as delegated.
    delegated('graph', 'User.Read'),
  ],
};

/** MDI custom app (guide 002): four Graph application permissions plus the automatic User.Read. */
export const MDI_APP_PERMISSIONS: readonly PermissionRequirement[] = [
  app('graph', 'SecurityAlert.Read.All'),
  app('graph', 'SecurityEvents.Read.All'),
  app('graph', 'ThreatHunting.Read.All'),
  app('graph', 'SecurityIncident.Read.All'),
  delegated('graph', 'User.Read'),
];

/**
 * Azure custom app "Expel Cloud Service" (guide 003, option 2). The guide copy leaves the names
 * blank; microsoft-apis §C-09 infers them from the option 1 descriptions. Marked inferred.
 */
export const AZURE_APP_PERMISSIONS: readonly PermissionRequirement[] = [
  { ...app('logAnalytics', 'Data.Read'), inferred: true },
  { ...app('graph', 'SecurityEvents.Read.All'), inferred: true },
  { ...app('graph', 'User.ReadWrite.All'), inferred: true },
  { ...app('graph', 'User.Read.All'), inferred: true },
  { ...delegated('graph', 'User.Read'), inferred: true },
];

/**
 * Enterprise apps: the guides publish no permission list. Done = the service principal is enabled
 * and holds at least one admin-consented application permission on this resource (steps.md).
 */
export const ENTERPRISE_APP_RESOURCE: Readonly<Record<'mde' | 'm365' | 'azure', ResourceKey>> = {
  mde: 'defenderAtp',
  m365: 'office365Management',
  azure: 'logAnalytics',
};

/** Display names of Expel's enterprise apps: the fallback when no app ID is configured (verdict at most warn). */
export const ENTERPRISE_APP_NAMES: Readonly<Record<'mde' | 'm365' | 'azure', readonly string[]>> = {
  mde: ['Expel Defender for Endpoint Integration'],
  m365: ['Expel Microsoft 365 Integration', 'Expel O365 Integration'],
  azure: ['ExpelAzure Integration'],
};

/** Default display names of the custom app registrations (the roster may override per tenant). */
export const DEFAULT_CUSTOM_APP_NAMES: Readonly<Record<'mde' | 'mdi' | 'azure', string>> = {
  mde: 'Expel Defender for Endpoint Integration',
  mdi: 'Expel Defender for Identity',
  azure: 'Expel Cloud Service',
};

/** What the MDI guide asks for its client secret (informational: any unexpired secret is accepted). */
export const MDI_SECRET_GUIDANCE = { description: 'Expel API', lifetimeDays: 730 } as const;

/** Entra built-in role template IDs (microsoft-apis §3.2). */
export const DIRECTORY_ROLES = {
  globalReader: { templateId: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451', displayName: 'Global Reader' },
  securityReader: { templateId: '5d6b6bb7-de71-4623-b4af-96380a352509', displayName: 'Security Reader' },
  securityOperator: { templateId: '5f2222b1-57c3-48ba-8ad5-d4759f1fde6f', displayName: 'Security Operator' },
  securityAdministrator: { templateId: '194ae4cb-b126-40b2-bd5b-6091b380977d', displayName: 'Security Administrator' },
  globalAdministrator: { templateId: '62e90394-69f5-4237-9190-012177145e10', displayName: 'Global Administrator' },
} as const;

/** Azure built-in role definition IDs (microsoft-apis §3.3; the last three are the well-known built-in IDs). */
export const AZURE_ROLES = {
  logAnalyticsReader: { id: '73c42c96-874c-492b-b04d-ab87d138a893', displayName: 'Log Analytics Reader' },
  storageBlobDataReader: { id: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1', displayName: 'Storage Blob Data Reader' },
  reader: { id: 'acdd72a7-3385-48ef-bd42-f606fba81ae7', displayName: 'Reader' },
  contributor: { id: 'b24988ac-6180-42a0-ab88-20f7382dd24c', displayName: 'Contributor' },
  owner: { id: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', displayName: 'Owner' },
  logAnalyticsContributor: { id: '92aaf0da-9dab-42b6-94a3-d43ce8d16293', displayName: 'Log Analytics Contributor' },
} as const;

/** Broader roles that include Log Analytics Reader's query rights: accepted with a `warn`. */
export const LOG_ANALYTICS_READER_STAND_INS = [
  AZURE_ROLES.logAnalyticsContributor,
  AZURE_ROLES.contributor,
  AZURE_ROLES.owner,
] as const;

/** Defender for Cloud plans the Azure guide recommends (`Microsoft.Security/pricings` names). */
export const DEFENDER_PLANS = ['StorageAccounts', 'KeyVaults', 'Arm', 'AppServices', 'SqlServers', 'CosmosDbs'] as const;

/** Storage services and log categories the Azure guide asks diagnostic settings for. */
export const STORAGE_SERVICES = ['blobServices', 'fileServices', 'queueServices', 'tableServices'] as const;
export const STORAGE_LOG_CATEGORIES = ['StorageRead', 'StorageWrite', 'StorageDelete'] as const;

/** `alerts_v2` `serviceSource` values that count as the integration's alerts (any one suffices). */
export const ALERT_SERVICE_SOURCES: Readonly<Record<ScopedIntegrationId, readonly string[]>> = {
  mde: ['microsoftDefenderForEndpoint'],
  mdi: ['microsoftDefenderForIdentity'],
  // Expel's M365 integration reads the audit feed; Defender for Office 365 alerts are only a proxy.
  m365: ['microsoftDefenderForOffice365'],
  azure: ['microsoftSentinel', 'microsoftDefenderForCloud'],
};

/** Sign-in failure codes that mean the app's secret is wrong or expired (mde.polling `fail`). */
export const BAD_SECRET_SIGNIN_CODES = [7000215, 7000222] as const;
