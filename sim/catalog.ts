// Microsoft's fixed vocabularies as the simulated cloud serves them: first-party resource apps
// with their permissions, Entra role templates, Azure role definitions, Defender plans.
//
// Permission IDs here are FIXTURES (microsoft-apis.md §3.4): clients must resolve names to IDs
// from each tenant's resource service principals. To make that matter, tenants with the
// 'gcc-high' permission set get different Microsoft Graph appRole IDs, as real GCC High does.
import { stableGuid } from './ids.js';

export type ResourceKey = 'graph' | 'mde' | 'logAnalytics' | 'o365' | 'arm';
export type PermissionSet = 'commercial' | 'gcc-high';

export interface PermissionDef {
  value: string;
  displayName: string;
  /** A known commercial-cloud ID; when absent a stable one is derived from the name. */
  id?: string;
  /** A known GCC High ID (Graph appRoles only); when absent one is derived. */
  gccHighId?: string;
}

export interface ResourceApp {
  appId: string;
  displayName: string;
  appRoles: readonly PermissionDef[];
  scopes: readonly PermissionDef[];
}

const role = (value: string, displayName: string, id?: string, gccHighId?: string): PermissionDef => ({
  value,
  displayName,
  ...(id ? { id } : {}),
  ...(gccHighId ? { gccHighId } : {}),
});

// The guides' permission lists are repeated here on purpose instead of imported from
// src/integrations: the sim stands for Microsoft and the customer, so a mistake in the product's
// lists must show up as a wrong verdict, not be mirrored by the fake.

/** The 13 WindowsDefenderATP application permissions of the older MDE guide. */
export const MDE_PERMISSIONS_OLDER = [
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

/** The 16 WindowsDefenderATP application permissions of the current MDE guide. */
export const MDE_PERMISSIONS_CURRENT = [
  ...MDE_PERMISSIONS_OLDER,
  'Machine.Isolate',
  'Ti.ReadWrite',
  'Ti.ReadWrite.All',
].sort();

/** Graph application permissions of the MDI guide (plus delegated User.Read). */
export const MDI_GRAPH_PERMISSIONS = [
  'SecurityAlert.Read.All',
  'SecurityEvents.Read.All',
  'ThreatHunting.Read.All',
  'SecurityIncident.Read.All',
] as const;

export const RESOURCES: Record<ResourceKey, ResourceApp> = {
  graph: {
    appId: '00000003-0000-0000-c000-000000000000',
    displayName: 'Microsoft Graph',
    appRoles: [
      role('User.Read.All', 'Read all users\' full profiles', 'df021288-bdef-4463-88db-98f22de89214'),
      role('User.ReadWrite.All', 'Read and write all users\' full profiles', '741f803b-c850-494e-b5df-cde7c675a1ca'),
      role('Directory.Read.All', 'Read directory data', '7ab1d382-f21e-4acd-a863-ba3e13f7da61'),
      role('Application.Read.All', 'Read all applications', '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30'),
      role('AuditLog.Read.All', 'Read all audit log data', 'b0afded3-3588-46d8-8b3d-9842eff778da'),
      role('Policy.Read.All', 'Read your organization\'s policies', '246dd0d5-5bd0-4def-940b-0421030a5b68'),
      role('RoleManagement.Read.Directory', 'Read all directory RBAC settings', '483bed4a-2ad3-4361-a73b-c83ccdbdc53c'),
      role('Organization.Read.All', 'Read organization information', '498476ce-e0fe-48b0-b801-37ba7e2685c6'),
      role('SecurityAlert.Read.All', 'Read all security alerts', '472e4a4d-bb4a-4026-98d1-0b0d74cb74a5', '64c33fcb-e6aa-490d-bed5-6016a9ef8f6d'),
      role('SecurityEvents.Read.All', 'Read your organization\'s security events', 'bf394140-e372-4bf9-a898-299cfc7564e5'),
      role('SecurityIncident.Read.All', 'Read all security incidents', '45cc0394-e837-488b-a098-1918f48d186c'),
      role('ThreatHunting.Read.All', 'Run hunting queries', 'dd98c7f5-2d42-42d3-a0e4-633161547251', '5f804853-e3b1-447b-9a8b-6d3e1257c72a'),
      role('CrossTenantInformation.ReadBasic.All', 'Read cross-tenant basic information'),
      role('RoleEligibilitySchedule.Read.Directory', 'Read all eligible role assignments'),
    ],
    scopes: [
      role('User.Read', 'Sign in and read user profile', 'e1fe6dd8-ba31-4d61-89e7-88639da4683d'),
      role('User.Read.All', 'Read all users\' full profiles', 'a154be20-db9c-4678-8ab7-66f6cc099a59'),
      role('User.ReadWrite.All', 'Read and write all users\' full profiles', '204e0828-b5ca-4ad8-b9f3-f32a958e7cc4'),
      role('Directory.Read.All', 'Read directory data', '06da0dbc-49e2-44d2-8312-53f166ab848a'),
      role('Directory.AccessAsUser.All', 'Access directory as the signed in user', '0e263e50-5827-48a4-b97c-d940288653c7'),
      role('Application.Read.All', 'Read applications', 'c79f8feb-a9db-4090-85f9-90d820caa0eb'),
      role('AuditLog.Read.All', 'Read audit log data', 'e4c9e354-4dc5-45b8-9e7d-e1393b0b1a1a'),
      role('Policy.Read.All', 'Read your organization\'s policies', '572fea84-0151-49b2-9301-11cb16974376'),
      role('RoleManagement.Read.Directory', 'Read directory RBAC settings', '741c54c3-0c1e-44a1-818b-3f97ab4e8c83'),
      role('RoleEligibilitySchedule.Read.Directory', 'Read eligible role assignments'),
      role('SecurityAlert.Read.All', 'Read all security alerts'),
      role('SecurityIncident.Read.All', 'Read all security incidents'),
      role('SecurityEvents.Read.All', 'Read your organization\'s security events', '64733abd-851e-478a-bffb-e47a14b18235'),
      role('ThreatHunting.Read.All', 'Run hunting queries'),
      role('CrossTenantInformation.ReadBasic.All', 'Read cross-tenant basic information'),
      role('offline_access', 'Maintain access to data you have given it access to', '7427e0e9-2fba-42fe-b0c0-848c9e6a8182'),
      role('openid', 'Sign users in', '37f7f235-527c-4136-accd-4a02d197296e'),
      role('profile', 'View users\' basic profile', '14dad69e-099b-42c9-810b-d002981feec1'),
    ],
  },
  mde: {
    appId: 'fc780465-2017-40d4-a0c5-307022471b92',
    displayName: 'WindowsDefenderATP',
    appRoles: [
      ...MDE_PERMISSIONS_CURRENT.map((name) => role(name, `WindowsDefenderATP ${name}`)),
      role('Alert.ReadWrite.All', 'Read and write all alerts'),
      role('Machine.ReadWrite.All', 'Read and write all machine information'),
      role('Machine.Scan', 'Scan machine'),
      role('Machine.LiveResponse', 'Run live response on a specific machine'),
    ],
    scopes: [role('Alert.Read', 'Read alerts'), role('Machine.Read', 'Read machine information')],
  },
  logAnalytics: {
    appId: 'ca7f3f0b-7d91-482c-8e09-c5d840d0eac5',
    displayName: 'Log Analytics API',
    appRoles: [role('Data.Read', 'Read Log Analytics data')],
    scopes: [role('Data.Read', 'Read Log Analytics data as user')],
  },
  o365: {
    appId: 'c5393580-f805-4401-95e8-94b7a6ef2fc2',
    displayName: 'Office 365 Management APIs',
    appRoles: [
      role('ActivityFeed.Read', 'Read activity data for your organization', '594c1fb6-4f81-4475-ae41-0c394909246c'),
      role('ActivityFeed.ReadDlp', 'Read DLP policy events including detected sensitive data'),
      role('ServiceHealth.Read', 'Read service health information for your organization'),
    ],
    scopes: [role('ActivityFeed.Read', 'Read activity data for your organization')],
  },
  arm: {
    appId: '797f4846-ba00-4fd7-ba43-dac1f8f63013',
    displayName: 'Windows Azure Service Management API',
    appRoles: [],
    scopes: [role('user_impersonation', 'Access Azure Service Management as organization users')],
  },
};

export const RESOURCE_KEYS = Object.keys(RESOURCES) as ResourceKey[];

/** The appRole ID of a permission in a tenant with the given permission set. */
export function appRoleId(resource: ResourceKey, value: string, set: PermissionSet): string {
  const def = RESOURCES[resource].appRoles.find((p) => p.value === value);
  if (!def) throw new Error(`sim catalogue: no application permission ${value} on ${resource}`);
  if (set === 'gcc-high' && resource === 'graph') return def.gccHighId ?? stableGuid(`gcc-high:${resource}:role:${value}`);
  return def.id ?? stableGuid(`commercial:${resource}:role:${value}`);
}

export function scopeId(resource: ResourceKey, value: string): string {
  const def = RESOURCES[resource].scopes.find((p) => p.value === value);
  if (!def) throw new Error(`sim catalogue: no delegated permission ${value} on ${resource}`);
  return def.id ?? stableGuid(`commercial:${resource}:scope:${value}`);
}

/** Entra built-in role template IDs (microsoft-apis.md §3.2). */
export const ENTRA_ROLES = {
  'Global Reader': 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  'Security Reader': '5d6b6bb7-de71-4623-b4af-96380a352509',
  'Security Operator': '5f2222b1-57c3-48ba-8ad5-d4759f1fde6f',
  'Security Administrator': '194ae4cb-b126-40b2-bd5b-6091b380977d',
  'Global Administrator': '62e90394-69f5-4237-9190-012177145e10',
  'Guest Inviter': '95e79109-95c0-4d8e-aee3-d01accf2d47b',
  'User Administrator': 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  'Reports Reader': '4a5d8f65-41da-4de4-8968-e035b65339cf',
} as const;
export type EntraRole = keyof typeof ENTRA_ROLES;

/** Azure built-in role definition IDs (microsoft-apis.md §3.3 and Azure built-in roles). */
export const AZURE_ROLES = {
  'Log Analytics Reader': '73c42c96-874c-492b-b04d-ab87d138a893',
  'Log Analytics Contributor': '92aaf0da-9dab-42b6-94a3-d43ce8d16293',
  Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  'Storage Blob Data Reader': '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
} as const;
export type AzureRole = keyof typeof AZURE_ROLES;

/** Defender for Cloud plans the Azure guide recommends, then others a subscription also lists. */
export const DEFENDER_PLANS_RECOMMENDED = ['StorageAccounts', 'KeyVaults', 'Arm', 'AppServices', 'SqlServers', 'CosmosDbs'] as const;
export const DEFENDER_PLANS_OTHER = ['VirtualMachines', 'SqlServerVirtualMachines', 'OpenSourceRelationalDatabases', 'Containers', 'CloudPosture', 'Api'] as const;
export type DefenderPlan = (typeof DEFENDER_PLANS_RECOMMENDED)[number] | (typeof DEFENDER_PLANS_OTHER)[number];

/** alerts_v2 serviceSource members in declaration order; those after unknownFutureValue are evolvable. */
export const SERVICE_SOURCES = [
  'unknown',
  'microsoftDefenderForEndpoint',
  'microsoftDefenderForIdentity',
  'microsoftDefenderForCloudApps',
  'microsoftDefenderForOffice365',
  'microsoft365Defender',
  'azureAdIdentityProtection',
  'microsoftAppGovernance',
  'dataLossPrevention',
  'unknownFutureValue',
  'microsoftDefenderForCloud',
  'microsoftSentinel',
  'microsoftThreatIntelligence',
  'microsoftSecurityForAI',
] as const;
export type ServiceSource = (typeof SERVICE_SOURCES)[number];
export const EVOLVABLE_SERVICE_SOURCES: ReadonlySet<string> = new Set(
  SERVICE_SOURCES.slice(SERVICE_SOURCES.indexOf('unknownFutureValue') + 1),
);

/** Expel's tenant (cross-tenant access partner), from the guides. */
export const EXPEL_TENANT_ID = '1cde81fd-b430-4035-b24d-709921922876';
/** The first-party client @azure/identity uses by default for delegated flows. */
export const AZURE_CLI_CLIENT_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
