// The simulated Microsoft Graph (v1.0 and beta), read-only. Data is the directory of the tenant
// named by the token's `tid`. Every route checks the token's permissions the way Graph does
// (application roles, or delegated scopes plus the signed-in guest's directory role).
import { randomUUID } from 'node:crypto';
import { ENTRA_ROLES, EVOLVABLE_SERVICE_SOURCES, SERVICE_SOURCES } from './catalog.js';
import type { SimContext } from './context.js';
import type { GraphObject } from './directory.js';
import { batchRequest } from './graph-batch.js';
import {
  GraphError,
  collection,
  entity,
  graphErrorBody,
  notFound,
  segmentNotFound,
  type CollectionOptions,
  type GraphCall,
  type GraphResult,
  type GraphVersion,
} from './graph-query.js';
import { bearerToken, headerValue, type SimOutcome, type SimRequest } from './http.js';
import { leaves, type FilterNode, type FilterSchema } from './odata.js';
import type { Claims } from './tokens.js';
import { AUDIENCES } from './tokens.js';
import type { SimTenant } from './model.js';
import type { IncomingHttpHeaders } from 'node:http';
import { applyFault } from './fault-responses.js';

const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export function graphHandler(ctx: SimContext) {
  return async (request: SimRequest): Promise<SimOutcome> => {
    const headers = responseHeaders(request.headers);
    const fail = (status: number, code: string, message: string, extra: Record<string, string> = {}): SimOutcome => {
      request.entry.error = code;
      return { status, headers: { ...headers, ...extra }, body: graphErrorBody(ctx, request.headers, code, message) };
    };
    const match = /^\/(v1\.0|beta)(\/.*)?$/.exec(request.pathname);
    if (!match) return fail(400, 'BadRequest', `Invalid version: ${request.pathname.split('/')[1] ?? ''}`);
    const version = match[1] as GraphVersion;
    const path = (match[2] ?? '/').replace(/\/+$/, '') || '/';
    const isBatch = path.toLowerCase() === '/$batch';
    if (request.method !== 'GET' && !(isBatch && request.method === 'POST')) {
      request.entry.refused = 'write';
      return fail(405, 'Request_MethodNotAllowed', `The simulated cloud is read-only: ${request.method} is refused.`);
    }
    if (isBatch && request.method !== 'POST') return fail(405, 'Request_MethodNotAllowed', '$batch accepts POST only.');

    const auth = authenticate(ctx, request.headers, 'graph');
    if ('error' in auth) return fail(401, 'InvalidAuthenticationToken', auth.error, { 'www-authenticate': `Bearer realm="", authorization_uri="${ctx.authorityHost}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"` });
    const { claims, tenant } = auth;
    request.entry.tenantId = tenant.tenantId;
    request.entry.clientKey = `${tenant.tenantId}|${request.method}|${request.rawPath}`;

    const fault = applyFault(ctx, request.entry, tenant, 'graph', false);
    if (fault) return fault.kind === 'response' ? { ...fault.response, headers: { ...headers, ...fault.response.headers } } : fault.outcome;

    if (isBatch) {
      const result = await batchRequest(ctx, request, version, claims, tenant);
      if (result.status >= 400 && result.body && typeof result.body === 'object') {
        const code = (result.body as { error?: { code?: string } }).error?.code;
        if (code) request.entry.error = code;
      }
      return { ...result, headers: { ...headers, ...result.headers } };
    }
    const result = executeGraphGet(ctx, { version, path, query: request.query, headers: request.headers, claims, tenant, entry: request.entry });
    return { ...result, headers: { ...headers, ...result.headers } };
  };
}

function responseHeaders(requestHeaders: IncomingHttpHeaders): Record<string, string> {
  const requestId = headerValue(requestHeaders, 'client-request-id') ?? randomUUID();
  return {
    'content-type': JSON_TYPE,
    'request-id': randomUUID(),
    'client-request-id': requestId,
    'x-ms-ags-diagnostic': JSON.stringify({ ServerInfo: { DataCenter: 'Simulated', Slice: 'E', Ring: '0', ScaleUnit: '000', RoleInstance: 'SIM' } }),
    'strict-transport-security': 'max-age=31536000',
  };
}

export type AuthResult = { claims: Claims; tenant: SimTenant } | { error: string; code?: string };

/** Verifies a bearer token for an API: signature, lifetime, audience, known tenant. */
export function authenticate(ctx: SimContext, headers: IncomingHttpHeaders, api: 'graph' | 'arm'): AuthResult {
  const token = bearerToken(headers);
  if (!token) return { error: 'Access token is empty.', code: 'AuthenticationFailed' };
  const claims = ctx.signer.verify(token);
  if (!claims) return { error: 'Access token validation failure. Invalid signature.', code: 'InvalidAuthenticationToken' };
  const nowS = ctx.nowMs() / 1000;
  const exp = Number(claims.exp);
  if (!Number.isFinite(exp) || exp <= nowS) return { error: 'Lifetime validation failed, the token is expired.', code: 'ExpiredAuthenticationToken' };
  if (Number(claims.nbf) > nowS + 300) return { error: 'Lifetime validation failed, the token is not yet valid.', code: 'InvalidAuthenticationToken' };
  if (!AUDIENCES[api].includes(String(claims.aud))) return { error: 'Access token validation failure. Invalid audience.', code: 'InvalidAuthenticationTokenAudience' };
  const tenant = ctx.tenantById(String(claims.tid ?? ''));
  if (!tenant) return { error: 'Access token validation failure. Invalid issuer.', code: 'InvalidAuthenticationTokenTenant' };
  return { claims, tenant };
}

/** A GET to answer: everything of a GraphCall but the context and directory, which are looked up. */
export type GetCall = Omit<GraphCall, 'ctx' | 'dir'>;

/** Answers one authenticated GET (directly or inside $batch). Never throws. */
export function executeGraphGet(ctx: SimContext, get: GetCall): GraphResult {
  const call: GraphCall = { ctx, ...get, dir: ctx.directory(get.tenant) };
  try {
    return route(call);
  } catch (error) {
    if (error instanceof GraphError) {
      get.entry.error = error.code;
      return { status: error.status, headers: error.headers, body: graphErrorBody(ctx, get.headers, error.code, error.message) };
    }
    throw error;
  }
}

// ---- permissions -------------------------------------------------------------------------

const READER_ROLES = new Set<string>([
  ENTRA_ROLES['Global Reader'],
  ENTRA_ROLES['Global Administrator'],
  ENTRA_ROLES['Security Reader'],
  ENTRA_ROLES['Security Operator'],
  ENTRA_ROLES['Security Administrator'],
]);

interface Requirement {
  /** Any one of these application roles or delegated scopes suffices… */
  anyOf: readonly string[];
  /** …and every one of these is needed too (documented known issues). */
  allOf?: readonly string[];
  /** Delegated reads also need the signed-in user to hold a reader directory role. */
  needsDirectoryRole?: boolean;
  style?: 'directory' | 'scopeNotGranted' | 'security';
}

function requirePermission(call: GraphCall, requirement: Requirement): void {
  const delegated = call.claims.idtyp === 'user' || typeof call.claims.scp === 'string';
  const held = new Set(delegated ? String(call.claims.scp ?? '').split(' ') : ((call.claims.roles as string[] | undefined) ?? []));
  const ok = requirement.anyOf.some((p) => held.has(p)) && (requirement.allOf ?? []).every((p) => held.has(p));
  if (!ok) {
    if (delegated && requirement.style === 'scopeNotGranted') {
      const inner = JSON.stringify({ errorCode: 'PermissionScopeNotGranted', message: `Authorization failed due to missing permission scope ${requirement.anyOf.join(',')}.`, instanceAnnotations: [] });
      throw new GraphError(403, 'UnknownError', inner);
    }
    if (requirement.style === 'security') {
      throw new GraphError(403, 'Forbidden', `Missing application roles. API required roles: ${requirement.anyOf.join(', ')}. Application roles: ${[...held].join(', ')}.`);
    }
    throw new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }
  if (delegated && requirement.needsDirectoryRole !== false) {
    const guestRoles = call.dir.roleAssignments.filter((a) => a.principalId === call.claims.oid).map((a) => String(a.roleDefinitionId));
    if (!guestRoles.some((r) => READER_ROLES.has(r))) {
      throw new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    }
  }
}

const P = {
  users: { anyOf: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.AccessAsUser.All'] },
  organization: { anyOf: ['Organization.Read.All', 'Directory.Read.All', 'User.Read', 'Directory.AccessAsUser.All'], needsDirectoryRole: false },
  roles: { anyOf: ['RoleManagement.Read.Directory', 'Directory.Read.All', 'RoleManagement.Read.All'], style: 'scopeNotGranted' },
  eligibility: { anyOf: ['RoleEligibilitySchedule.Read.Directory', 'RoleManagement.Read.Directory', 'RoleManagement.Read.All'], style: 'scopeNotGranted' },
  policy: { anyOf: ['Policy.Read.All'] },
  apps: { anyOf: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All'] },
  grants: { anyOf: ['Directory.Read.All', 'DelegatedPermissionGrant.Read.All'] },
  spActivity: { anyOf: ['AuditLog.Read.All'] },
  signIns: { anyOf: ['AuditLog.Read.All'], allOf: ['Directory.Read.All'] },
  alerts: { anyOf: ['SecurityAlert.Read.All', 'SecurityAlert.ReadWrite.All'], style: 'security' },
  incidents: { anyOf: ['SecurityIncident.Read.All', 'SecurityIncident.ReadWrite.All'], style: 'security' },
  tenantInfo: { anyOf: ['CrossTenantInformation.ReadBasic.All'], needsDirectoryRole: false },
} satisfies Record<string, Requirement>;

function requirePremium(call: GraphCall): void {
  if (!call.tenant.ms.premium) {
    throw new GraphError(403, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', "Neither tenant is B2C or tenant doesn't have premium license");
  }
}

// ---- filter schemas ----------------------------------------------------------------------

const eq = ['eq', 'ne'] as const;
const str = (...ops: ('eq' | 'ne' | 'startswith' | 'endswith')[]) => ({ type: 'string' as const, ops });
const date = { type: 'datetime' as const, ops: ['eq', 'ge', 'gt', 'le', 'lt'] as const };

const USER_FILTER: FilterSchema = {
  id: str('eq'),
  mail: str('eq', 'startswith', 'endswith'),
  userPrincipalName: str('eq', 'startswith', 'endswith'),
  displayName: str('eq', 'startswith'),
  userType: str('eq', 'ne'),
  externalUserState: str('eq'),
  creationType: str('eq'),
  accountEnabled: { type: 'bool', ops: eq },
  otherMails: { type: 'stringCollection', ops: ['any'] },
};
const USER_DEFAULTS = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];
const USER_SELECT_ONLY = ['signInActivity'];

const SP_FILTER: FilterSchema = {
  id: str('eq'),
  appId: str('eq'),
  displayName: str('eq', 'startswith'),
  servicePrincipalType: str('eq'),
  accountEnabled: { type: 'bool', ops: eq },
  appOwnerOrganizationId: str('eq'),
  tags: { type: 'stringCollection', ops: ['any'] },
  servicePrincipalNames: { type: 'stringCollection', ops: ['any'] },
};
const APP_FILTER: FilterSchema = { id: str('eq'), appId: str('eq'), displayName: str('eq', 'startswith'), signInAudience: str('eq') };
const ROLE_ASSIGNMENT_FILTER: FilterSchema = { id: str('eq'), principalId: str('eq'), roleDefinitionId: str('eq'), directoryScopeId: str('eq') };
const GRANT_FILTER: FilterSchema = { id: str('eq'), clientId: str('eq'), resourceId: str('eq'), consentType: str('eq'), principalId: str('eq') };
const ASSIGNMENT_FILTER: FilterSchema = { resourceId: str('eq'), appRoleId: str('eq') };
const ACTIVITY_FILTER: FilterSchema = { appId: str('eq') };
const SIGNIN_FILTER_V1: FilterSchema = {
  id: str('eq'),
  appId: str('eq'),
  userId: str('eq'),
  userPrincipalName: str('eq', 'startswith'),
  createdDateTime: date,
  'status/errorCode': { type: 'number', ops: ['eq', 'ne'] },
  resourceId: str('eq'),
  ipAddress: str('eq', 'startswith'),
};
const SIGNIN_FILTER_BETA: FilterSchema = {
  ...SIGNIN_FILTER_V1,
  servicePrincipalId: str('eq'),
  isInteractive: { type: 'bool', ops: eq },
  signInEventTypes: { type: 'stringCollection', ops: ['any'] },
};
const INCIDENT_FILTER: FilterSchema = {
  assignedTo: str('eq'),
  classification: { type: 'enum', ops: eq },
  determination: { type: 'enum', ops: eq },
  createdDateTime: date,
  lastUpdateDateTime: date,
  severity: { type: 'enum', ops: eq },
  status: { type: 'enum', ops: eq },
};
/** Alerts filter on the incident properties plus serviceSource (alert resource doc). */
const ALERT_FILTER: FilterSchema = { ...INCIDENT_FILTER, serviceSource: { type: 'enum', ops: eq } };

const byCreated = (direction: 1 | -1) => (a: GraphObject, b: GraphObject) =>
  direction * String(a.createdDateTime).localeCompare(String(b.createdDateTime));

// ---- routes ------------------------------------------------------------------------------

function route(call: GraphCall): GraphResult {
  const { path } = call;
  const lower = path.toLowerCase();
  const segments = path.split('/').filter(Boolean);
  const first = segments[0] ?? '';
  let m: RegExpExecArray | null;

  if (lower === '/organization') {
    requirePermission(call, P.organization);
    return collection(call, [call.dir.organization], { type: 'microsoft.graph.organization', contextPath: 'organization', filter: { id: str('eq') }, flavour: 'directory', allowCount: false });
  }
  if ((m = /^\/organization\/([^/]+)$/i.exec(path))) {
    requirePermission(call, P.organization);
    if (m[1]!.toLowerCase() !== call.tenant.tenantId) throw notFound(m[1]!);
    return entity(call, call.dir.organization, { type: 'microsoft.graph.organization', contextPath: 'organization' });
  }
  if (lower === '/me') {
    if (call.claims.idtyp !== 'user') throw new GraphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
    requirePermission(call, { anyOf: ['User.Read', 'User.Read.All', 'Directory.Read.All'], needsDirectoryRole: false });
    const me = call.dir.users.find((u) => u.id === call.claims.oid);
    if (!me) throw notFound(String(call.claims.oid));
    return entity(call, me, { type: 'microsoft.graph.user', contextPath: 'users', defaults: USER_DEFAULTS, extraSelectable: USER_SELECT_ONLY });
  }
  if (lower === '/users') {
    requirePermission(call, P.users);
    return collection(call, call.dir.users, { type: 'microsoft.graph.user', contextPath: 'users', filter: USER_FILTER, defaults: USER_DEFAULTS, extraSelectable: USER_SELECT_ONLY, flavour: 'directory', orderBy: { displayName: (a, b) => String(a.displayName).localeCompare(String(b.displayName)) } });
  }
  if ((m = /^\/users\/([^/]+)$/i.exec(path))) {
    requirePermission(call, P.users);
    const key = m[1]!.toLowerCase();
    const user = call.dir.users.find((u) => String(u.id) === key || String(u.userPrincipalName).toLowerCase() === key);
    if (!user) throw notFound(m[1]!);
    return entity(call, user, { type: 'microsoft.graph.user', contextPath: 'users', defaults: USER_DEFAULTS, extraSelectable: USER_SELECT_ONLY });
  }

  if (/^\/rolemanagement\/directory\//.test(lower)) return roleManagement(call, segments.slice(2));
  if (/^\/policies\/crosstenantaccesspolicy(\/|$)/.test(lower)) return crossTenant(call, segments.slice(2));

  if ((m = /^\/serviceprincipals\(appid='([^']*)'\)(\/.*)?$/i.exec(path))) {
    requirePermission(call, P.apps);
    const sp = call.dir.servicePrincipals.find((s) => String(s.appId).toLowerCase() === m![1]!.toLowerCase());
    if (!sp) throw notFound(`appId='${m[1]}'`);
    return servicePrincipalChild(call, sp, m[2] ?? '');
  }
  if (lower === '/serviceprincipals') {
    requirePermission(call, P.apps);
    return collection(call, call.dir.servicePrincipals, { type: 'microsoft.graph.servicePrincipal', contextPath: 'servicePrincipals', filter: SP_FILTER, flavour: 'directory' });
  }
  if ((m = /^\/serviceprincipals\/([^/]+)(\/.*)?$/i.exec(path))) {
    requirePermission(call, P.apps);
    const sp = call.dir.servicePrincipals.find((s) => String(s.id) === m![1]!.toLowerCase());
    if (!sp) throw notFound(m[1]!);
    return servicePrincipalChild(call, sp, m[2] ?? '');
  }
  if (lower === '/oauth2permissiongrants') {
    requirePermission(call, P.grants);
    return collection(call, call.dir.oauth2PermissionGrants, { type: 'microsoft.graph.oAuth2PermissionGrant', contextPath: 'oauth2PermissionGrants', filter: GRANT_FILTER, flavour: 'directory', allowCount: false });
  }
  if ((m = /^\/oauth2permissiongrants\/([^/]+)$/i.exec(path))) {
    requirePermission(call, P.grants);
    const grant = call.dir.oauth2PermissionGrants.find((g) => g.id === m![1]);
    if (!grant) throw notFound(m[1]!);
    return entity(call, grant, { type: 'microsoft.graph.oAuth2PermissionGrant', contextPath: 'oauth2PermissionGrants' });
  }
  if ((m = /^\/applications\(appid='([^']*)'\)$/i.exec(path))) {
    requirePermission(call, P.apps);
    const app = call.dir.applications.find((a) => String(a.appId).toLowerCase() === m![1]!.toLowerCase());
    if (!app) throw notFound(`appId='${m[1]}'`);
    return entity(call, app, { type: 'microsoft.graph.application', contextPath: 'applications' });
  }
  if (lower === '/applications') {
    requirePermission(call, P.apps);
    return collection(call, call.dir.applications, { type: 'microsoft.graph.application', contextPath: 'applications', filter: APP_FILTER, flavour: 'directory' });
  }
  if ((m = /^\/applications\/([^/]+)$/i.exec(path))) {
    requirePermission(call, P.apps);
    const app = call.dir.applications.find((a) => String(a.id) === m![1]!.toLowerCase());
    if (!app) throw notFound(m[1]!);
    return entity(call, app, { type: 'microsoft.graph.application', contextPath: 'applications' });
  }

  if (lower === '/reports/serviceprincipalsigninactivities' || /^\/reports\/serviceprincipalsigninactivities\/[^/]+$/.test(lower)) {
    if (call.version !== 'beta') throw segmentNotFound('servicePrincipalSignInActivities');
    requirePermission(call, P.spActivity);
    requirePremium(call);
    if (segments.length === 3) {
      const item = call.dir.servicePrincipalSignInActivities.find((a) => a.id === segments[2]);
      if (!item) throw notFound(segments[2]!);
      return entity(call, item, { type: 'microsoft.graph.servicePrincipalSignInActivity', contextPath: 'reports/servicePrincipalSignInActivities' });
    }
    return collection(call, call.dir.servicePrincipalSignInActivities, { type: 'microsoft.graph.servicePrincipalSignInActivity', contextPath: 'reports/servicePrincipalSignInActivities', filter: ACTIVITY_FILTER, flavour: 'reports', allowOr: false, allowCount: false });
  }
  if (lower === '/auditlogs/signins') {
    requirePermission(call, P.signIns);
    requirePremium(call);
    return signIns(call);
  }
  if ((m = /^\/auditlogs\/signins\/([^/]+)$/i.exec(path))) {
    requirePermission(call, P.signIns);
    requirePremium(call);
    const item = call.dir.signIns.find((s) => s.id === m![1]);
    if (!item) throw notFound(m[1]!);
    return entity(call, item, { type: 'microsoft.graph.signIn', contextPath: 'auditLogs/signIns' });
  }

  if (lower === '/security/alerts_v2' || /^\/security\/alerts_v2\/[^/]+$/.test(lower)) return alerts(call, segments[2]);
  if (lower === '/security/incidents' || /^\/security\/incidents\/[^/]+$/.test(lower)) return incidents(call, segments[2]);

  if ((m = /^\/tenantrelationships\/findtenantinformationbytenantid\(tenantid='([^']*)'\)$/i.exec(path))) {
    requirePermission(call, P.tenantInfo);
    const other = call.ctx.tenantById(m[1]!);
    if (!other) throw notFound(m[1]!);
    return {
      status: 200,
      body: {
        '@odata.context': `${call.ctx.graphUrl}/${call.version}/$metadata#microsoft.graph.tenantInformation`,
        tenantId: other.tenantId,
        federationBrandName: null,
        displayName: other.displayName,
        defaultDomainName: other.domain,
      },
    };
  }
  throw segmentNotFound(first);
}

function roleManagement(call: GraphCall, rest: string[]): GraphResult {
  const [set, id, ...more] = rest;
  if (more.length > 0 || !set) throw segmentNotFound(more[0] ?? 'directory');
  const lowerSet = set.toLowerCase();
  const expand: CollectionOptions['expand'] = {
    principal: (item) => {
      const user = call.dir.users.find((u) => u.id === item.principalId);
      const sp = call.dir.servicePrincipals.find((s) => s.id === item.principalId);
      const principal = user
        ? { '@odata.type': '#microsoft.graph.user', id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName }
        : sp
          ? { '@odata.type': '#microsoft.graph.servicePrincipal', id: sp.id, displayName: sp.displayName, appId: sp.appId }
          : null;
      return { ...item, principal };
    },
    roleDefinition: (item) => {
      const name = Object.entries(ENTRA_ROLES).find(([, template]) => template === item.roleDefinitionId)?.[0] ?? null;
      return { ...item, roleDefinition: roleDefinition(String(item.roleDefinitionId), name) };
    },
  };
  const sets: Record<string, { requirement: Requirement; type: string; items: () => GraphObject[]; filter: FilterSchema; withExpand: boolean }> = {
    roleassignments: { requirement: P.roles, type: 'unifiedRoleAssignment', items: () => call.dir.roleAssignments, filter: ROLE_ASSIGNMENT_FILTER, withExpand: true },
    roleeligibilityschedules: { requirement: P.eligibility, type: 'unifiedRoleEligibilitySchedule', items: () => call.dir.roleEligibilitySchedules, filter: ROLE_ASSIGNMENT_FILTER, withExpand: true },
    roledefinitions: {
      requirement: P.roles,
      type: 'unifiedRoleDefinition',
      items: () => Object.entries(ENTRA_ROLES).map(([name, template]) => roleDefinition(template, name)),
      filter: { id: str('eq'), templateId: str('eq'), displayName: str('eq', 'startswith'), isBuiltIn: { type: 'bool', ops: eq } },
      withExpand: false,
    },
  };
  const chosen = sets[lowerSet];
  if (chosen) {
    requirePermission(call, chosen.requirement);
    const options: CollectionOptions = {
      type: `microsoft.graph.${chosen.type}`,
      contextPath: `roleManagement/directory/${set}`,
      filter: chosen.filter,
      flavour: 'directory',
      allowOr: false,
      allowCount: false,
      ...(chosen.withExpand ? { expand } : {}),
    };
    if (id) {
      const item = chosen.items().find((a) => String(a.id) === id.toLowerCase() || a.id === id);
      if (!item) throw notFound(id);
      return entity(call, item, options);
    }
    return collection(call, chosen.items(), options);
  }
  throw segmentNotFound(set);
}

function roleDefinition(template: string, name: string | null): GraphObject {
  return { id: template, templateId: template, displayName: name, description: name ? `Built-in role ${name}` : null, isBuiltIn: true, isEnabled: true, version: '1' };
}

function crossTenant(call: GraphCall, rest: string[]): GraphResult {
  requirePermission(call, P.policy);
  const [child, id, ...more] = rest;
  if (more.length > 0) throw segmentNotFound(more[0]!);
  if (!child) {
    return entity(call, { id: 'crossTenantAccessPolicy', displayName: 'CrossTenantAccessPolicy', allowedCloudEndpoints: [], definition: [] }, { type: 'microsoft.graph.crossTenantAccessPolicy', contextPath: 'policies/crossTenantAccessPolicy' });
  }
  if (child.toLowerCase() === 'default' && !id) {
    return entity(call, call.dir.crossTenantDefault, { type: 'microsoft.graph.crossTenantAccessPolicyConfigurationDefault', contextPath: 'policies/crossTenantAccessPolicy/default' });
  }
  if (child.toLowerCase() === 'partners') {
    const options = { type: 'microsoft.graph.crossTenantAccessPolicyConfigurationPartner', contextPath: 'policies/crossTenantAccessPolicy/partners' };
    if (id) {
      const partner = call.dir.partners.find((p) => String(p.tenantId).toLowerCase() === id.toLowerCase());
      if (!partner) throw notFound(id);
      return entity(call, partner, options);
    }
    return collection(call, call.dir.partners, { ...options, filter: {}, flavour: 'directory', allowCount: false });
  }
  throw segmentNotFound(child);
}

function servicePrincipalChild(call: GraphCall, sp: GraphObject, child: string): GraphResult {
  const lower = child.toLowerCase();
  if (lower === '' || lower === '/') return entity(call, sp, { type: 'microsoft.graph.servicePrincipal', contextPath: 'servicePrincipals' });
  if (lower === '/approleassignments') {
    const list = call.dir.appRoleAssignments.get(String(sp.id)) ?? [];
    return collection(call, list, { type: 'microsoft.graph.appRoleAssignment', contextPath: `servicePrincipals('${sp.id}')/appRoleAssignments`, filter: ASSIGNMENT_FILTER, flavour: 'directory', allowCount: false });
  }
  if (lower === '/oauth2permissiongrants') {
    requirePermission(call, P.grants);
    const list = call.dir.oauth2PermissionGrants.filter((g) => g.clientId === sp.id);
    return collection(call, list, { type: 'microsoft.graph.oAuth2PermissionGrant', contextPath: 'oauth2PermissionGrants', filter: GRANT_FILTER, flavour: 'directory', allowCount: false });
  }
  throw segmentNotFound(child.split('/').filter(Boolean)[0] ?? '');
}

function signIns(call: GraphCall): GraphResult {
  const beta = call.version === 'beta';
  const filterText = call.query.get('$filter') ?? '';
  // Without a signInEventTypes filter the API returns interactive user sign-ins only; v1.0 cannot ask for others.
  const asksForEventTypes = /signInEventTypes\s*\/\s*any/i.test(filterText);
  const items = asksForEventTypes ? call.dir.signIns : call.dir.signIns.filter((s) => s.isInteractive === true);
  return collection(call, items, {
    type: 'microsoft.graph.signIn',
    contextPath: 'auditLogs/signIns',
    filter: beta ? SIGNIN_FILTER_BETA : SIGNIN_FILTER_V1,
    flavour: 'reports',
    maxTop: 1000,
    allowCount: false,
    orderBy: { createdDateTime: byCreated(1), 'createdDateTime asc': byCreated(1), 'createdDateTime desc': byCreated(-1) },
  });
}

function wantsUnknownEnumMembers(headers: IncomingHttpHeaders): boolean {
  const prefer = headerValue(headers, 'prefer') ?? '';
  return prefer.split(',').some((p) => p.trim().toLowerCase() === 'include-unknown-enum-members');
}

function alerts(call: GraphCall, id: string | undefined): GraphResult {
  requirePermission(call, P.alerts);
  const unknownMembers = wantsUnknownEnumMembers(call.headers);
  const present = (item: GraphObject): GraphObject =>
    !unknownMembers && EVOLVABLE_SERVICE_SOURCES.has(String(item.serviceSource)) ? { ...item, serviceSource: 'unknownFutureValue' } : item;
  const stored = call.dir.alerts.map((a) => a.alert);
  const extra = unknownMembers ? { 'preference-applied': 'include-unknown-enum-members' } : undefined;
  if (id) {
    const item = stored.find((a) => a.id === id);
    if (!item) throw new GraphError(404, 'NotFound', `Alert '${id}' was not found.`);
    return withHeaders(entity(call, item, { type: 'microsoft.graph.security.alert', contextPath: 'security/alerts_v2', present }), extra);
  }
  const inspectFilter = (filter: FilterNode): void => {
    for (const leaf of leaves(filter)) {
      if (leaf.kind !== 'cmp' || leaf.path !== 'serviceSource' || leaf.value.type !== 'string') continue;
      const value = leaf.value.value;
      const known = (SERVICE_SOURCES as readonly string[]).includes(value);
      if (!known || (!unknownMembers && EVOLVABLE_SERVICE_SOURCES.has(value))) {
        throw new GraphError(400, 'BadRequest', `Invalid filter clause: The string '${value}' is not a valid enumerated type constant.`);
      }
    }
  };
  return withHeaders(
    collection(call, stored, { type: 'microsoft.graph.security.alert', contextPath: 'security/alerts_v2', filter: ALERT_FILTER, flavour: 'security', allowSkip: true, maxTop: 2000, inspectFilter, present }),
    extra,
  );
}

function incidents(call: GraphCall, id: string | undefined): GraphResult {
  requirePermission(call, P.incidents);
  if (id) {
    const item = call.dir.incidents.find((i) => i.id === id);
    if (!item) throw new GraphError(404, 'NotFound', `Incident '${id}' was not found.`);
    return entity(call, item, { type: 'microsoft.graph.security.incident', contextPath: 'security/incidents' });
  }
  return collection(call, call.dir.incidents, { type: 'microsoft.graph.security.incident', contextPath: 'security/incidents', filter: INCIDENT_FILTER, flavour: 'security', allowSkip: true, maxTop: 50 });
}

function withHeaders(result: GraphResult, extra: Record<string, string> | undefined): GraphResult {
  return extra ? { ...result, headers: { ...result.headers, ...extra } } : result;
}
