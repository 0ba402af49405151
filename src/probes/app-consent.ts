// API-access steps (mde.api-access, mdi.api-permissions, m365.api-consent, azure.api-access):
// what an app's service principal has actually been granted in this tenant. Application
// permissions are app role assignments to the client SP; delegated ones are AllPrincipals OAuth2
// grants from it. Permission names are resolved per tenant through the resource service
// principal's appRoles (IDs differ between clouds), and a name only counts on its own resource:
// User.Read.All on WindowsDefenderATP is not User.Read.All on Microsoft Graph.
import { RESOURCES, type PermissionRequirement, type PermissionType, type ResourceKey } from '../integrations/reference.js';
import { fail, listed, pass, sameId, shown, warn, type Evidence, type Observation } from './observation.js';

export interface AppRole {
  id: string;
  value?: string | null;
  allowedMemberTypes?: string[] | null;
  isEnabled?: boolean | null;
}

export interface PermissionScope {
  id: string;
  value?: string | null;
  isEnabled?: boolean | null;
}

export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName?: string | null;
  accountEnabled?: boolean | null;
  appOwnerOrganizationId?: string | null;
  appRoles?: AppRole[] | null;
  oauth2PermissionScopes?: PermissionScope[] | null;
}

export interface AppRoleAssignment {
  id?: string;
  appRoleId: string;
  resourceId: string;
  principalId?: string | null;
  resourceDisplayName?: string | null;
  createdDateTime?: string | null;
}

export interface OAuth2PermissionGrant {
  id?: string;
  clientId: string;
  consentType?: string | null;
  resourceId: string;
  principalId?: string | null;
  scope?: string | null;
}

export const SP_SELECT = 'id,appId,displayName,accountEnabled,appOwnerOrganizationId,servicePrincipalType';
export const RESOURCE_SP_SELECT = 'id,appId,displayName,appRoles,oauth2PermissionScopes';

/** The resource service principals of this tenant; null = not present in the tenant. */
export type ResourcePrincipals = Partial<Record<ResourceKey, ServicePrincipal | null>>;

/** What one client service principal holds. */
export interface ConsentSnapshot {
  clientId: string;
  appRoleAssignments: readonly AppRoleAssignment[];
  grants: readonly OAuth2PermissionGrant[];
}

export const resourceLabel = (key: ResourceKey): string => RESOURCES[key].displayName;

function hasApplication(req: PermissionRequirement, resource: ServicePrincipal, snapshot: ConsentSnapshot): boolean {
  const roleIds = (resource.appRoles ?? [])
    .filter((role) => role.value === req.name && role.isEnabled !== false)
    .map((role) => role.id);
  return snapshot.appRoleAssignments.some(
    (a) =>
      sameId(a.resourceId, resource.id) &&
      roleIds.some((id) => sameId(id, a.appRoleId)) &&
      (a.principalId == null || sameId(a.principalId, snapshot.clientId)),
  );
}

function hasDelegated(req: PermissionRequirement, resource: ServicePrincipal, snapshot: ConsentSnapshot): boolean {
  const wanted = req.name.toLowerCase();
  return snapshot.grants.some(
    (g) =>
      sameId(g.clientId, snapshot.clientId) &&
      sameId(g.resourceId, resource.id) &&
      g.consentType === 'AllPrincipals' &&
      (g.scope ?? '')
        .split(/\s+/)
        .some((value) => value.toLowerCase() === wanted),
  );
}

function holds(req: PermissionRequirement, resources: ResourcePrincipals, snapshot: ConsentSnapshot): boolean {
  const resource = resources[req.resource];
  if (!resource) return false;
  const check = (type: PermissionType) =>
    type === 'Application' ? hasApplication(req, resource, snapshot) : hasDelegated(req, resource, snapshot);
  return check(req.type) || (req.alsoAccepted !== undefined && check(req.alsoAccepted));
}

export function missingPermissions(
  required: readonly PermissionRequirement[],
  resources: ResourcePrincipals,
  snapshot: ConsentSnapshot,
): PermissionRequirement[] {
  return required.filter((req) => !holds(req, resources, snapshot));
}

/** Evidence form of permissions: names grouped by resource (the same name can exist on two). */
export function byResource(permissions: readonly PermissionRequirement[]): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const p of permissions) (grouped[resourceLabel(p.resource)] ??= []).push(p.name);
  return grouped;
}

const uniqueNames = (permissions: readonly PermissionRequirement[]): string[] => [
  ...new Set(permissions.map((p) => p.name)),
];

/** Resources a requirement list needs that do not exist in the tenant (e.g. MDE never provisioned). */
function absentResources(required: readonly PermissionRequirement[], resources: ResourcePrincipals): string[] {
  const keys = new Set(required.map((p) => p.resource));
  return [...keys].filter((key) => resources[key] === null).map(resourceLabel);
}

export interface CustomAppConsentInput {
  appName: string;
  app: { appId: string; id?: string };
  /** The client's service principal in this tenant; null when the app has never been consented. */
  servicePrincipal: ServicePrincipal | null;
  current: readonly PermissionRequirement[];
  /** An older guide edition whose complete set still counts as done, with a caveat. */
  older?: readonly PermissionRequirement[];
  resources: ResourcePrincipals;
  snapshot: ConsentSnapshot | null;
}

/** A custom app registration: every permission of the current guide admin-consented. */
export function evaluateCustomAppConsent(input: CustomAppConsentInput): Observation {
  const name = shown(input.appName);
  const evidence: Evidence = { appId: input.app.appId };
  if (!input.servicePrincipal || !input.snapshot) {
    return fail(`App "${name}" has no service principal in the tenant: admin consent was never granted`, {
      ...evidence,
      missing: uniqueNames(input.current),
    });
  }
  evidence.servicePrincipalId = input.servicePrincipal.id;
  const absent = absentResources(input.current, input.resources);
  if (absent.length > 0) evidence.resourcesNotInTenant = absent;
  const missingCurrent = missingPermissions(input.current, input.resources, input.snapshot);
  evidence.required = input.current.length;
  if (missingCurrent.length === 0) {
    return pass(`App "${name}" has all ${input.current.length} required permissions admin-consented`, evidence);
  }
  const missingOlder = input.older ? missingPermissions(input.older, input.resources, input.snapshot) : null;
  evidence.missing = uniqueNames(missingCurrent);
  evidence.missingByResource = byResource(missingCurrent);
  if (missingOlder !== null && missingOlder.length === 0) {
    return warn(
      `App "${name}" has the older guide's permissions; the current guide adds ${listed(uniqueNames(missingCurrent))}`,
      { ...evidence, edition: 'older' },
    );
  }
  return fail(`App "${name}" lacks admin consent for ${listed(uniqueNames(missingCurrent))}`, evidence);
}

/**
 * The client's app role assignments on a resource, split into real application permissions
 * (an enabled role of the resource's appRoles, by ID in this tenant) and assignments that name
 * no such role (the default-access ID, a disabled or removed role): only the first kind counts.
 */
export function applicationGrants(
  resource: ServicePrincipal,
  snapshot: ConsentSnapshot,
): { granted: string[]; unrecognised: string[] } {
  const granted = new Set<string>();
  const unrecognised = new Set<string>();
  for (const assignment of snapshot.appRoleAssignments) {
    if (!sameId(assignment.resourceId, resource.id)) continue;
    const role = (resource.appRoles ?? []).find((r) => sameId(r.id, assignment.appRoleId));
    const isApplicationRole =
      role?.value && role.isEnabled !== false && (role.allowedMemberTypes ?? ['Application']).includes('Application');
    if (isApplicationRole) granted.add(shown(role.value!));
    else unrecognised.add(shown(assignment.appRoleId));
  }
  return { granted: [...granted].sort(), unrecognised: [...unrecognised].sort() };
}

export type MatchedBy = 'appId' | 'displayName';

export interface EnterpriseAppInput {
  label: string;
  servicePrincipal: ServicePrincipal | null;
  matchedBy: MatchedBy | null;
  /** What was searched: the configured app ID and/or the display names. */
  searched: { appId: string | null; displayNames: readonly string[] };
  expectedResource: ResourceKey;
  resources: ResourcePrincipals;
  snapshot: ConsentSnapshot | null;
}

/**
 * An Expel enterprise app. The guides publish no permission list, so done = the service principal
 * is enabled and holds at least one admin-consented application permission on the expected
 * resource. Found only by display name (no configured app ID matched) → at most `warn`.
 */
export function evaluateEnterpriseApp(input: EnterpriseAppInput): Observation {
  const sp = input.servicePrincipal;
  const resourceName = resourceLabel(input.expectedResource);
  if (!sp || !input.snapshot) {
    const how = input.searched.appId
      ? `app ID ${input.searched.appId}${input.searched.displayNames.length ? ` or name "${input.searched.displayNames.join('" / "')}"` : ''}`
      : `name "${input.searched.displayNames.join('" / "')}"`;
    return fail(`The ${input.label} enterprise app (${how}) has no service principal in the tenant`, {
      appId: input.searched.appId,
    });
  }
  const evidence: Evidence = {
    appId: sp.appId,
    servicePrincipalId: sp.id,
    displayName: shown(sp.displayName ?? ''),
    matchedBy: input.matchedBy,
  };
  if (sp.accountEnabled === false) {
    return capped(input, fail(`The ${input.label} enterprise app is disabled in the tenant`, evidence));
  }
  const resource = input.resources[input.expectedResource];
  if (!resource) {
    return fail(`${resourceName} is not present in the tenant, so the ${input.label} app cannot hold its permissions`, {
      ...evidence,
      resourcesNotInTenant: [resourceName],
    });
  }
  const { granted, unrecognised } = applicationGrants(resource, input.snapshot);
  evidence.granted = granted;
  if (unrecognised.length > 0) evidence.unrecognisedRoleIds = unrecognised;
  if (granted.length === 0) {
    return fail(`The ${input.label} enterprise app has no admin-consented ${resourceName} application permission`, evidence);
  }
  return capped(
    input,
    pass(`The ${input.label} enterprise app is consented with ${granted.length} ${resourceName} permission(s)`, evidence),
  );
}

function capped(input: EnterpriseAppInput, observation: Observation): Observation {
  if (input.matchedBy !== 'displayName' || observation.status !== 'pass') return observation;
  const why = input.searched.appId
    ? 'found by display name only: the configured app ID is not in the tenant'
    : 'found by display name only: no app ID is configured';
  return { status: 'warn', summary: `${observation.summary} (${why})`, evidence: observation.evidence };
}
