// The simulated cloud's tenants, written as data: what the analyst's roster says, what is true
// on Microsoft's side, and which verdicts the probes should reach. The server expands the
// Microsoft-side part into directory objects (sim/directory.ts) the first time a tenant is asked.
import type { ScopedIntegrationId, TenantOptions } from '../src/core/tenant.js';
import type { AzureRole, DefenderPlan, EntraRole, PermissionSet, ServiceSource } from './catalog.js';

/**
 * A sign-in refusal the login endpoint returns for this tenant (the AADSTS code of
 * microsoft-apis.md §2.3). 65001 means "the tracker app is not consented": delegated grants get
 * 65001, client-credential grants get 700016 (app not found in the tenant).
 */
export type SignInRefusalCode = 50020 | 50014 | 500213 | 53003 | 50076 | 65001;

export interface SignInRefusal {
  code: SignInRefusalCode;
  /** 'all' (default): every grant type is refused; 'delegated': only the guest's own sign-in. */
  appliesTo?: 'all' | 'delegated';
}

export interface SimGuest {
  /** The invited address, when not the one the roster builds (org GUID @soc.expel.io or guest_email). */
  mail?: string;
  state: 'PendingAcceptance' | 'Accepted';
  accountEnabled: boolean;
  displayName: string;
  /** ISO date-time the invitation was sent. */
  invitedAt: string;
  /** ISO date-time of redemption (Accepted only). */
  acceptedAt?: string;
}

export interface SimRoleGrant {
  role: EntraRole;
  /** PIM-eligible instead of active. */
  eligible?: boolean;
}

/** A cross-tenant access setting value; null inherits the tenant default (as Graph returns it). */
export interface SimInboundTrust {
  isMfaAccepted: boolean | null;
  isCompliantDeviceAccepted: boolean | null;
  isHybridAzureADJoinedDeviceAccepted: boolean | null;
}

export interface SimPartner {
  /** null = the whole inboundTrust object is null (inherits the default). */
  inboundTrust: SimInboundTrust | null;
  /** automaticUserConsentSettings.inboundAllowed; null inherits the default (always false). */
  autoRedeemInbound: boolean | null;
}

export interface SimCrossTenantDefault {
  inboundTrust: { isMfaAccepted: boolean; isCompliantDeviceAccepted: boolean; isHybridAzureADJoinedDeviceAccepted: boolean };
}

export type SimPermissions = Partial<Record<'graph' | 'mde' | 'logAnalytics' | 'o365', string[]>>;

export interface SimSecret {
  displayName: string;
  /** ISO date-time. */
  startDateTime: string;
  /** ISO date-time. */
  endDateTime: string;
}

export interface SimSignIn {
  /** ISO date-time. */
  at: string;
  /** 0 success; 7000215 invalid secret; 7000222 expired secret. */
  errorCode: 0 | 7000215 | 7000222;
  resource: 'graph' | 'mde' | 'logAnalytics' | 'o365';
}

/** An Expel app in the customer tenant: the Expel enterprise app (multi-tenant, owned by Expel) or a custom app registration. */
export interface SimApp {
  integration: ScopedIntegrationId;
  kind: 'enterprise' | 'custom';
  displayName: string;
  appId: string;
  /** Service principal enabled (accountEnabled). A custom app without SP sets hasServicePrincipal false. */
  accountEnabled: boolean;
  hasServicePrincipal?: boolean;
  /** Admin-consented application permissions (appRoleAssignments of the SP). */
  granted: SimPermissions;
  /** Admin-consented delegated permissions (an AllPrincipals oauth2PermissionGrant per resource). */
  delegated: SimPermissions;
  /** Custom apps: permissions configured on the registration (requiredResourceAccess). Defaults to granted + delegated. */
  configured?: { application: SimPermissions; delegated: SimPermissions };
  /** Custom apps: client secrets (metadata only is ever served). */
  secrets: SimSecret[];
  /** Service-principal sign-ins of this app (newest last or any order). */
  signIns: SimSignIn[];
}

export interface SimAlert {
  serviceSource: ServiceSource;
  detectionSource: string;
  title: string;
  /** ISO date-time. */
  createdDateTime: string;
  severity: 'informational' | 'low' | 'medium' | 'high';
  status: 'new' | 'inProgress' | 'resolved';
}

export type DiagnosticsShape =
  | 'categories' // StorageRead, StorageWrite, StorageDelete enabled, to the log account
  | 'allLogs' // categoryGroup allLogs, to the log account
  | 'audit' // categoryGroup audit only (coverage unconfirmed)
  | 'partial' // StorageRead only
  | 'elsewhere' // all three categories, but to a Log Analytics workspace, not the log account
  | 'none'; // no diagnostic setting

export interface SimStorageAccount {
  name: string;
  resourceGroup: string;
  kind: 'StorageV2' | 'Storage' | 'BlobStorage';
  /** Firewall: open (Allow), or Deny with/without the Logging bypass. */
  firewall: 'open' | 'deny-with-logging' | 'deny-without-logging';
  /** The Expel log destination account. */
  isLogAccount?: boolean;
  /** The Azure app's service principal holds Storage Blob Data Reader on this account. */
  appBlobReader?: boolean;
  diagnostics: Record<'blob' | 'file' | 'queue' | 'table', DiagnosticsShape>;
}

export interface SimAzureRoleGrant {
  /** Who: the Expel guest, or the Azure integration's app service principal. */
  principal: 'guest' | 'app';
  role: AzureRole;
  /** Where: at the subscription, at a management group above it, or at a resource group below it. */
  at: 'subscription' | 'managementGroup' | 'resourceGroup';
}

export interface SimSubscription {
  subscriptionId: string;
  displayName: string;
  state: 'Enabled' | 'Disabled' | 'Warned';
  roles: SimAzureRoleGrant[];
  storageAccounts: SimStorageAccount[];
  /** Defender for Cloud plan tiers; plans not named are Free. */
  pricings: Partial<Record<DefenderPlan, 'Free' | 'Standard'>>;
}

/** Everything true on Microsoft's side for one tenant. */
export interface SimMicrosoftState {
  /** Sign-in refused for this tenant (applies to every grant unless appliesTo says otherwise). */
  signIn: SignInRefusal | null;
  /** Entra ID P1/P2: without it the sign-in reports answer 403. */
  premium: boolean;
  /** Which Graph appRole ID set this tenant's Microsoft Graph service principal carries. */
  permissionSet: PermissionSet;
  /** WindowsDefenderATP service principal provisioned (false in tenants without MDE). */
  mdeProvisioned: boolean;
  /** Extra probability (0..1) that any Graph/ARM request for this tenant is throttled. */
  throttleRate: number;
  /** Every distinct Graph/ARM request for this tenant is answered 429 this many times before it succeeds. */
  throttleFirst: number;
  /** Graph application permissions the tracker app lacks in this tenant (its reads of those answer 403). */
  trackerMissing: string[];
  /** The Expel guest account, or null when never invited. */
  guest: SimGuest | null;
  guestRoles: SimRoleGrant[];
  /** The cross-tenant access partner entry for Expel's tenant, or null when absent. */
  partner: SimPartner | null;
  crossTenantDefault: SimCrossTenantDefault;
  apps: SimApp[];
  alerts: SimAlert[];
  subscriptions: SimSubscription[];
  /** Display names of other (member) users in the directory. */
  otherUsers: string[];
}

/** The analyst's roster for the tenant (becomes a src/core/tenant.ts Tenant through rosterOf). */
export interface SimRoster {
  name: string;
  /** The roster's domain (normally the tenant's primary domain). */
  domain: string | null;
  orgGuid: string | null;
  guestEmail: string | null;
  integrations: ScopedIntegrationId[];
  options: TenantOptions;
  appNames: Partial<Record<ScopedIntegrationId, string>>;
  subscriptions: string[];
  deviceAdded: Partial<Record<ScopedIntegrationId, string>>;
  engagementManager: string | null;
  engineer: string | null;
  startedOn: string | null;
  notes: string | null;
}

/**
 * The verdict a correct client reaches for a step, with client-secret (app-only) auth:
 * a status, `error:<reason>`, or `blocked:<step id>`.
 */
export type ExpectedVerdict = string;

export interface SimTenant {
  tenantId: string;
  /** Organization display name on Microsoft's side (may be hostile). */
  displayName: string;
  /** Primary verified domain; discovery resolves it to the tenant ID. */
  domain: string;
  /** Scenario id ('fresh', 'guest-pending', … or 'synthetic:<stage>'). */
  scenario: string;
  /** One line on what the tenant shows. */
  summary: string;
  roster: SimRoster;
  ms: SimMicrosoftState;
  /** Step id → expected verdict for the steps this scenario is about. */
  expect: Record<string, ExpectedVerdict>;
}
