// Expands a tenant's Microsoft-side state (SimMicrosoftState) into the objects Graph serves:
// users, role assignments, service principals with their permission grants, applications,
// sign-ins, alerts. Built once per tenant on first use, so thousands of synthetic tenants cost
// nothing until a client reads them.
import {
  ENTRA_ROLES,
  EXPEL_TENANT_ID,
  RESOURCES,
  appRoleId,
  scopeId,
  type PermissionSet,
  type ResourceKey,
} from './catalog.js';
import { stableGuid, stableToken } from './ids.js';
import type { SimApp, SimTenant } from './model.js';

/** The tracker's own app: registered in every sim tenant (unless a scenario removes its consent). */
export const SIM_TRACKER_CLIENT_ID = '3ff8f670-b5a1-4919-a852-a014356dfad6';
export const SIM_TRACKER_NAME = 'expel-track';

/** App IDs of the Expel enterprise apps in the sim (set expelAppIds.* to these). */
export const SIM_EXPEL_APP_IDS = {
  mde: '7fa92997-6f66-4437-b7a5-e22f3a19fc43',
  m365: '7e652d8d-f81d-46b8-aebd-179b7bba82f8',
  azure: '56dc3431-7285-453d-9bd0-69c3dc7ecdd5',
} as const;

/** Graph read permissions the tracker app holds (application) in a sim tenant by default. */
export const TRACKER_GRAPH_ROLES = [
  'User.Read.All',
  'Directory.Read.All',
  'RoleManagement.Read.Directory',
  'Policy.Read.All',
  'Application.Read.All',
  'AuditLog.Read.All',
  'SecurityAlert.Read.All',
  'SecurityIncident.Read.All',
  'Organization.Read.All',
  'CrossTenantInformation.ReadBasic.All',
] as const;

export type GraphObject = Record<string, unknown>;

export interface Directory {
  tenant: SimTenant;
  organization: GraphObject;
  users: GraphObject[];
  guestId: string | null;
  guestMail: string | null;
  roleAssignments: GraphObject[];
  roleEligibilitySchedules: GraphObject[];
  partners: GraphObject[];
  crossTenantDefault: GraphObject;
  servicePrincipals: GraphObject[];
  applications: GraphObject[];
  /** appRoleAssignments keyed by the client service principal's object id. */
  appRoleAssignments: Map<string, GraphObject[]>;
  oauth2PermissionGrants: GraphObject[];
  servicePrincipalSignInActivities: GraphObject[];
  signIns: GraphObject[];
  alerts: StoredAlert[];
  incidents: GraphObject[];
  /** Object ID of the service principal of each integration's Expel app (for ARM role assignments). */
  appServicePrincipalIds: Partial<Record<string, string>>;
}

/** Alerts keep their true serviceSource; the Prefer header decides how it is shown. */
export interface StoredAlert {
  alert: GraphObject;
  serviceSource: string;
  createdMs: number;
}

export function initialDomain(tenant: SimTenant): string {
  const slug = tenant.domain.split('.')[0]?.replace(/[^a-z0-9]/gi, '').toLowerCase() || 'tenant';
  return `${slug}${tenant.tenantId.slice(0, 4)}.onmicrosoft.com`;
}

export function guestEmailOf(tenant: SimTenant): string | null {
  if (tenant.ms.guest?.mail) return tenant.ms.guest.mail;
  if (tenant.roster.guestEmail) return tenant.roster.guestEmail;
  return tenant.roster.orgGuid ? `${tenant.roster.orgGuid}@soc.expel.io` : null;
}

export function buildDirectory(tenant: SimTenant): Directory {
  const t = tenant.tenantId;
  const ms = tenant.ms;
  const id = (label: string): string => stableGuid(`${t}:${label}`);
  const onMicrosoft = initialDomain(tenant);
  const created = '2019-04-01T09:00:00Z';

  const organization: GraphObject = {
    id: t,
    displayName: tenant.displayName,
    tenantType: 'AAD',
    createdDateTime: created,
    countryLetterCode: 'US',
    preferredLanguage: 'en',
    verifiedDomains: [
      { capabilities: 'Email, OfficeCommunicationsOnlineService', isDefault: true, isInitial: false, name: tenant.domain, type: 'Managed' },
      { capabilities: 'Email, OfficeCommunicationsOnlineService', isDefault: false, isInitial: true, name: onMicrosoft, type: 'Managed' },
    ],
  };

  const users: GraphObject[] = ms.otherUsers.map((name, index) => {
    const local = `user${index + 1}`;
    return {
      id: id(`user:${index}`),
      displayName: name,
      givenName: name.split(' ')[0] ?? name,
      surname: name.split(' ').slice(1).join(' ') || null,
      mail: `${local}@${tenant.domain}`,
      otherMails: [],
      userPrincipalName: `${local}@${tenant.domain}`,
      userType: 'Member',
      creationType: null,
      externalUserState: null,
      externalUserStateChangeDateTime: null,
      accountEnabled: true,
      createdDateTime: created,
      jobTitle: index === 0 ? 'IT Administrator' : null,
      businessPhones: [],
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: 'en-US',
    };
  });

  const guestMail = guestEmailOf(tenant);
  let guestId: string | null = null;
  if (ms.guest && guestMail) {
    guestId = id('guest');
    users.push({
      id: guestId,
      displayName: ms.guest.displayName,
      givenName: null,
      surname: null,
      mail: guestMail,
      otherMails: [guestMail],
      userPrincipalName: `${guestMail.replace('@', '_')}#EXT#@${onMicrosoft}`,
      userType: 'Guest',
      creationType: 'Invitation',
      externalUserState: ms.guest.state,
      externalUserStateChangeDateTime: ms.guest.state === 'Accepted' ? ms.guest.acceptedAt ?? ms.guest.invitedAt : ms.guest.invitedAt,
      accountEnabled: ms.guest.accountEnabled,
      createdDateTime: ms.guest.invitedAt,
      jobTitle: null,
      businessPhones: [],
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: null,
    });
  }

  // Directory roles: a member admin holds Global Administrator; the guest holds what the scenario says.
  const roleAssignments: GraphObject[] = [];
  const roleEligibilitySchedules: GraphObject[] = [];
  const admin = users[0];
  if (admin) {
    roleAssignments.push(roleAssignment(id('ra:admin'), String(admin.id), ENTRA_ROLES['Global Administrator']));
  }
  if (guestId) {
    for (const grant of ms.guestRoles) {
      const roleId = ENTRA_ROLES[grant.role];
      if (grant.eligible) {
        roleEligibilitySchedules.push({
          id: id(`res:${grant.role}`),
          principalId: guestId,
          roleDefinitionId: roleId,
          directoryScopeId: '/',
          appScopeId: null,
          memberType: 'Direct',
          status: 'Provisioned',
          createdUsing: id(`res:${grant.role}`),
          createdDateTime: ms.guest?.invitedAt ?? created,
          modifiedDateTime: null,
          scheduleInfo: { startDateTime: ms.guest?.invitedAt ?? created, recurrence: null, expiration: { type: 'noExpiration', endDateTime: null, duration: null } },
        });
      } else {
        roleAssignments.push(roleAssignment(id(`ra:${grant.role}`), guestId, roleId));
      }
    }
  }

  const partners: GraphObject[] = ms.partner
    ? [
        {
          tenantId: EXPEL_TENANT_ID,
          isServiceProvider: false,
          isInMultiTenantOrganization: false,
          inboundTrust: ms.partner.inboundTrust ? { ...ms.partner.inboundTrust } : null,
          automaticUserConsentSettings: { inboundAllowed: ms.partner.autoRedeemInbound, outboundAllowed: null },
          b2bCollaborationInbound: null,
          b2bCollaborationOutbound: null,
          b2bDirectConnectInbound: null,
          b2bDirectConnectOutbound: null,
          tenantRestrictions: null,
        },
      ]
    : [];
  const allowed = (kind: 'user' | 'application') => ({
    accessType: 'allowed',
    targets: [{ target: kind === 'user' ? 'AllUsers' : 'AllApplications', targetType: kind }],
  });
  const crossTenantDefault: GraphObject = {
    isServiceDefault: true,
    inboundTrust: { ...ms.crossTenantDefault.inboundTrust },
    automaticUserConsentSettings: { inboundAllowed: false, outboundAllowed: false },
    b2bCollaborationInbound: { usersAndGroups: allowed('user'), applications: allowed('application') },
    b2bCollaborationOutbound: { usersAndGroups: allowed('user'), applications: allowed('application') },
    b2bDirectConnectInbound: { usersAndGroups: allowed('user'), applications: allowed('application') },
    b2bDirectConnectOutbound: { usersAndGroups: allowed('user'), applications: allowed('application') },
    invitationRedemptionIdentityProviderConfiguration: { primaryIdentityProviderPrecedenceOrder: ['azureActiveDirectory', 'externalFederation', 'socialIdentityProviders'], fallbackIdentityProvider: 'defaultConfiguredIdp' },
  };

  // Resource service principals: object IDs differ per tenant; permission IDs per permission set.
  const servicePrincipals: GraphObject[] = [];
  const resourceSpIds: Partial<Record<ResourceKey, string>> = {};
  for (const key of Object.keys(RESOURCES) as ResourceKey[]) {
    if (key === 'mde' && !ms.mdeProvisioned) continue;
    const spId = id(`sp:resource:${key}`);
    resourceSpIds[key] = spId;
    servicePrincipals.push(resourceServicePrincipal(key, spId, ms.permissionSet));
  }

  const appRoleAssignments = new Map<string, GraphObject[]>();
  const oauth2PermissionGrants: GraphObject[] = [];
  const applications: GraphObject[] = [];
  const servicePrincipalSignInActivities: GraphObject[] = [];
  const signIns: GraphObject[] = [];
  const appServicePrincipalIds: Partial<Record<string, string>> = {};

  // The tracker app, consented with read permissions unless the scenario withholds consent.
  const trackerConsented = ms.signIn?.code !== 65001;
  if (trackerConsented) {
    const trackerSpId = id('sp:tracker');
    servicePrincipals.push(appServicePrincipal(trackerSpId, SIM_TRACKER_CLIENT_ID, SIM_TRACKER_NAME, true, EXPEL_TENANT_ID, 'Application'));
    const roles = TRACKER_GRAPH_ROLES.filter((name) => !ms.trackerMissing.includes(name));
    appRoleAssignments.set(
      trackerSpId,
      roles.map((name) => assignment(id(`ara:tracker:${name}`), trackerSpId, SIM_TRACKER_NAME, 'graph', resourceSpIds.graph!, appRoleId('graph', name, ms.permissionSet), created)),
    );
  }

  ms.apps.forEach((app, index) => {
    const spId = id(`sp:app:${index}`);
    const hasSp = app.hasServicePrincipal !== false;
    if (hasSp) {
      appServicePrincipalIds[app.integration] ??= spId;
      servicePrincipals.push(
        appServicePrincipal(spId, app.appId, app.displayName, app.accountEnabled, app.kind === 'enterprise' ? EXPEL_TENANT_ID : t, 'Application'),
      );
      const list: GraphObject[] = [];
      for (const [resource, names] of Object.entries(app.granted) as [ResourceKey, string[]][]) {
        const resourceSp = resourceSpIds[resource];
        if (!resourceSp) continue; // resource not provisioned: the grant cannot exist
        for (const name of names) {
          list.push(assignment(id(`ara:${index}:${resource}:${name}`), spId, app.displayName, resource, resourceSp, appRoleId(resource, name, ms.permissionSet), grantDate(app)));
        }
      }
      appRoleAssignments.set(spId, list);
      for (const [resource, names] of Object.entries(app.delegated) as [ResourceKey, string[]][]) {
        const resourceSp = resourceSpIds[resource];
        if (!resourceSp || names.length === 0) continue;
        oauth2PermissionGrants.push({
          id: stableToken(`${t}:grant:${index}:${resource}`, 43),
          clientId: spId,
          consentType: 'AllPrincipals',
          principalId: null,
          resourceId: resourceSp,
          scope: names.join(' '),
        });
      }
    }
    if (app.kind === 'custom') applications.push(applicationObject(tenant, app, index, id));
    addSignIns(tenant, app, index, spId, hasSp, servicePrincipalSignInActivities, signIns);
  });

  if (guestId && ms.guest?.state === 'Accepted') {
    // Interactive sign-ins of the guest: the only kind beta /auditLogs/signIns returns unfiltered.
    signIns.push({
      id: id('signin:guest'),
      createdDateTime: ms.guest.acceptedAt ?? ms.guest.invitedAt,
      userDisplayName: ms.guest.displayName,
      userPrincipalName: guestMail,
      userId: guestId,
      appId: SIM_TRACKER_CLIENT_ID,
      appDisplayName: SIM_TRACKER_NAME,
      ipAddress: '198.51.100.24',
      clientAppUsed: 'Mobile Apps and Desktop clients',
      isInteractive: true,
      signInEventTypes: ['interactiveUser'],
      resourceDisplayName: 'Microsoft Graph',
      resourceId: RESOURCES.graph.appId,
      servicePrincipalId: null,
      servicePrincipalCredentialKeyId: null,
      status: { errorCode: 0, failureReason: null, additionalDetails: null },
    });
  }
  signIns.sort((a, b) => String(b.createdDateTime).localeCompare(String(a.createdDateTime)));

  const alerts: StoredAlert[] = [];
  const incidents: GraphObject[] = [];
  const sortedAlerts = [...ms.alerts].sort((a, b) => b.createdDateTime.localeCompare(a.createdDateTime));
  sortedAlerts.forEach((alert, index) => {
    const alertId = `da${stableToken(`${t}:alert:${index}`, 18).replace(/[a-z]/g, (c) => String(c.charCodeAt(0) % 10))}_${index}`;
    const incidentId = String(1000 + sortedAlerts.length - index);
    const record: GraphObject = {
      '@odata.type': '#microsoft.graph.security.alert',
      id: alertId,
      providerAlertId: alertId,
      incidentId,
      status: alert.status,
      severity: alert.severity,
      classification: null,
      determination: null,
      serviceSource: alert.serviceSource,
      detectionSource: alert.detectionSource,
      detectorId: stableGuid(`${t}:detector:${alert.title}`),
      tenantId: t,
      title: alert.title,
      description: alert.title,
      category: 'Execution',
      assignedTo: null,
      createdDateTime: alert.createdDateTime,
      lastUpdateDateTime: alert.createdDateTime,
      firstActivityDateTime: alert.createdDateTime,
      lastActivityDateTime: alert.createdDateTime,
      resolvedDateTime: null,
      alertWebUrl: `https://security.microsoft.com/alerts/${alertId}?tid=${t}`,
      incidentWebUrl: `https://security.microsoft.com/incidents/${incidentId}?tid=${t}`,
      evidence: [],
      comments: [],
    };
    alerts.push({ alert: record, serviceSource: alert.serviceSource, createdMs: Date.parse(alert.createdDateTime) });
    incidents.push({
      id: incidentId,
      tenantId: t,
      displayName: alert.title,
      status: alert.status === 'resolved' ? 'resolved' : 'active',
      severity: alert.severity,
      classification: 'unknown',
      determination: 'unknown',
      assignedTo: null,
      createdDateTime: alert.createdDateTime,
      lastUpdateDateTime: alert.createdDateTime,
      incidentWebUrl: `https://security.microsoft.com/incidents/${incidentId}?tid=${t}`,
      redirectIncidentId: null,
      customTags: [],
      systemTags: [],
      comments: [],
    });
  });

  return {
    tenant,
    organization,
    users,
    guestId,
    guestMail,
    roleAssignments,
    roleEligibilitySchedules,
    partners,
    crossTenantDefault,
    servicePrincipals,
    applications,
    appRoleAssignments,
    oauth2PermissionGrants,
    servicePrincipalSignInActivities,
    signIns,
    alerts,
    incidents,
    appServicePrincipalIds,
  };
}

function roleAssignment(id: string, principalId: string, roleDefinitionId: string): GraphObject {
  return { id, principalId, roleDefinitionId, directoryScopeId: '/', appScopeId: null, condition: null };
}

function resourceServicePrincipal(key: ResourceKey, spId: string, set: PermissionSet): GraphObject {
  const resource = RESOURCES[key];
  return {
    ...appServicePrincipal(spId, resource.appId, resource.displayName, true, 'f8cdef31-a31e-4b4a-93e4-5f571e91255a', 'Application'),
    appRoles: resource.appRoles.map((p) => ({
      allowedMemberTypes: ['Application'],
      description: `Allows the app to ${p.displayName.toLowerCase()} without a signed-in user.`,
      displayName: p.displayName,
      id: appRoleId(key, p.value, set),
      isEnabled: true,
      origin: 'Application',
      value: p.value,
    })),
    oauth2PermissionScopes: resource.scopes.map((p) => ({
      adminConsentDescription: `Allows the app to ${p.displayName.toLowerCase()} on behalf of the signed-in user.`,
      adminConsentDisplayName: p.displayName,
      id: scopeId(key, p.value),
      isEnabled: true,
      type: 'Admin',
      userConsentDescription: null,
      userConsentDisplayName: null,
      value: p.value,
    })),
  };
}

function appServicePrincipal(
  spId: string,
  appId: string,
  displayName: string,
  accountEnabled: boolean,
  owner: string,
  type: string,
): GraphObject {
  return {
    id: spId,
    appId,
    displayName,
    accountEnabled,
    appOwnerOrganizationId: owner,
    servicePrincipalType: type,
    appRoleAssignmentRequired: false,
    servicePrincipalNames: [appId],
    signInAudience: owner === EXPEL_TENANT_ID ? 'AzureADMultipleOrgs' : 'AzureADMyOrg',
    tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
    appRoles: [],
    oauth2PermissionScopes: [],
    deletedDateTime: null,
  };
}

function assignment(
  id: string,
  principalId: string,
  principalDisplayName: string,
  resource: ResourceKey,
  resourceId: string,
  appRoleIdValue: string,
  createdDateTime: string,
): GraphObject {
  return {
    id,
    createdDateTime,
    deletedDateTime: null,
    appRoleId: appRoleIdValue,
    principalDisplayName,
    principalId,
    principalType: 'ServicePrincipal',
    resourceDisplayName: RESOURCES[resource].displayName,
    resourceId,
  };
}

function grantDate(app: SimApp): string {
  return app.secrets[0]?.startDateTime ?? app.signIns[0]?.at ?? '2025-01-15T12:00:00Z';
}

function applicationObject(tenant: SimTenant, app: SimApp, index: number, id: (label: string) => string): GraphObject {
  const configured = app.configured ?? { application: app.granted, delegated: app.delegated };
  const requiredResourceAccess: GraphObject[] = [];
  const resources = new Set<ResourceKey>([
    ...(Object.keys(configured.application) as ResourceKey[]),
    ...(Object.keys(configured.delegated) as ResourceKey[]),
  ]);
  for (const resource of resources) {
    const access = [
      ...(configured.application[resource as keyof typeof configured.application] ?? []).map((name) => ({
        id: appRoleId(resource, name, tenant.ms.permissionSet),
        type: 'Role',
      })),
      ...(configured.delegated[resource as keyof typeof configured.delegated] ?? []).map((name) => ({ id: scopeId(resource, name), type: 'Scope' })),
    ];
    if (access.length > 0) requiredResourceAccess.push({ resourceAppId: RESOURCES[resource].appId, resourceAccess: access });
  }
  return {
    id: id(`app:${index}`),
    appId: app.appId,
    displayName: app.displayName,
    createdDateTime: app.secrets[0]?.startDateTime ?? '2025-01-15T12:00:00Z',
    signInAudience: 'AzureADMyOrg',
    publisherDomain: tenant.domain,
    requiredResourceAccess,
    passwordCredentials: app.secrets.map((secret, s) => ({
      customKeyIdentifier: null,
      displayName: secret.displayName,
      endDateTime: secret.endDateTime,
      hint: stableToken(`${tenant.tenantId}:hint:${index}:${s}`, 3).replace(/^./, (c) => c.toUpperCase()),
      keyId: secretKeyId(tenant, index, s),
      secretText: null,
      startDateTime: secret.startDateTime,
    })),
    keyCredentials: [],
    deletedDateTime: null,
  };
}

function secretKeyId(tenant: SimTenant, appIndex: number, secretIndex: number): string {
  return stableGuid(`${tenant.tenantId}:secret:${appIndex}:${secretIndex}`);
}

function addSignIns(
  tenant: SimTenant,
  app: SimApp,
  index: number,
  spId: string,
  hasSp: boolean,
  activities: GraphObject[],
  signIns: GraphObject[],
): void {
  const t = tenant.tenantId;
  const ordered = [...app.signIns].sort((a, b) => a.at.localeCompare(b.at));
  ordered.forEach((event, n) => {
    const requestId = stableGuid(`${t}:signin:${index}:${n}`);
    const failureReason =
      event.errorCode === 7000215
        ? 'Invalid client secret is provided.'
        : event.errorCode === 7000222
          ? 'The provided client secret keys are expired.'
          : null;
    signIns.push({
      id: requestId,
      createdDateTime: event.at,
      appId: app.appId,
      appDisplayName: app.displayName,
      servicePrincipalId: hasSp ? spId : null,
      servicePrincipalName: app.displayName,
      userDisplayName: null,
      userPrincipalName: null,
      userId: null,
      resourceDisplayName: RESOURCES[event.resource].displayName,
      resourceId: RESOURCES[event.resource].appId,
      ipAddress: '203.0.113.10',
      clientAppUsed: null,
      isInteractive: false,
      signInEventTypes: ['servicePrincipal'],
      servicePrincipalCredentialKeyId: app.kind === 'custom' && app.secrets.length > 0 ? secretKeyId(tenant, index, app.secrets.length - 1) : null,
      status: { errorCode: event.errorCode, failureReason, additionalDetails: null },
    });
  });
  const successes = ordered.filter((event) => event.errorCode === 0);
  const last = successes[successes.length - 1];
  if (last) {
    const requestId = stableGuid(`${t}:signin:${index}:${ordered.indexOf(last)}`);
    const activity = { lastSignInDateTime: last.at, lastSignInRequestId: requestId };
    const none = { lastSignInDateTime: null, lastSignInRequestId: null };
    activities.push({
      id: Buffer.from(app.appId).toString('base64'),
      appId: app.appId,
      applicationAuthenticationClientSignInActivity: activity,
      applicationAuthenticationResourceSignInActivity: none,
      delegatedClientSignInActivity: none,
      delegatedResourceSignInActivity: none,
      lastSignInActivity: activity,
    });
  }
}
