// The login service (login.microsoftonline.com's role): OpenID configuration per tenant ID or
// domain, the v2.0 token endpoint (client credentials with a secret or a client assertion,
// device code, refresh token), the device-code endpoint, and AADSTS refusals as Entra words them.
import { randomBytes } from 'node:crypto';
import { AZURE_CLI_CLIENT_ID, ENTRA_ROLES, EXPEL_TENANT_ID } from './catalog.js';
import type { SimContext } from './context.js';
import { SIM_TRACKER_NAME, TRACKER_GRAPH_ROLES, guestEmailOf } from './directory.js';
import { headerValue, type SimOutcome, type SimRequest, type SimResponse } from './http.js';
import { base64url, randomGuid, stableGuid } from './ids.js';
import type { SimTenant } from './model.js';
import { audienceOfResource, decodeJwtHeader, decodeJwtPayload, type Audience } from './tokens.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const MULTI_TENANT = new Set(['common', 'organizations', 'consumers']);
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
const TOKEN_LIFETIME_S = 3599;
const DEVICE_CODE_LIFETIME_S = 900;

/** Public clients that exist in every tenant (first-party) besides the tracker's own app. */
const FIRST_PARTY_PUBLIC_CLIENTS = new Map<string, string>([
  [AZURE_CLI_CLIENT_ID, 'Microsoft Azure CLI'],
  ['14d82eec-204b-4c2f-b7e8-296a70dab67e', 'Microsoft Graph Command Line Tools'],
]);

/** Delegated Graph scopes each client ends up with after consent. Azure CLI's set is fixed by Microsoft (§0.1). */
const TRACKER_DELEGATED_GRAPH = [
  'User.Read',
  'User.Read.All',
  'Directory.Read.All',
  'RoleManagement.Read.Directory',
  'RoleEligibilitySchedule.Read.Directory',
  'Policy.Read.All',
  'Application.Read.All',
  'AuditLog.Read.All',
  'SecurityAlert.Read.All',
  'SecurityIncident.Read.All',
  'CrossTenantInformation.ReadBasic.All',
];
const AZURE_CLI_DELEGATED_GRAPH = ['User.Read', 'User.Read.All', 'Directory.AccessAsUser.All', 'Application.ReadWrite.All', 'AuditLog.Read.All'];

interface Refusal {
  status: number;
  error: string;
  code: number;
  text: string;
  suberror?: string;
}

export function loginHandler(ctx: SimContext) {
  return (request: SimRequest): SimOutcome => {
    const segments = request.pathname.split('/').filter(Boolean);
    const { method } = request;
    if (method === 'GET' && segments[0] === 'common' && segments[1] === 'discovery' && segments[2] === 'instance') {
      return instanceDiscovery(ctx);
    }
    if (method === 'GET' && segments[0] === 'devicelogin') {
      return { status: 200, body: 'expel-track simulated cloud: device codes are approved automatically; nothing to do here.\n' };
    }
    const [tenantSegment, ...rest] = segments;
    const route = rest.join('/');
    if (!tenantSegment) return notFound();
    if (method === 'GET' && (route === 'v2.0/.well-known/openid-configuration' || route === '.well-known/openid-configuration')) {
      return openIdConfiguration(ctx, request, tenantSegment, route.startsWith('v2.0'));
    }
    if (method === 'GET' && route === 'discovery/v2.0/keys') return { status: 200, body: { keys: [] } };
    if (route === 'oauth2/v2.0/token' || route === 'oauth2/v2.0/devicecode') {
      if (method !== 'POST') return refuseMethod(request);
      return route.endsWith('token') ? tokenEndpoint(ctx, request, tenantSegment) : deviceCodeEndpoint(ctx, request, tenantSegment);
    }
    if (method !== 'GET') return refuseMethod(request);
    return notFound();
  };
}

function refuseMethod(request: SimRequest): SimResponse {
  if (request.method !== 'GET' && request.method !== 'HEAD') request.entry.refused = 'write';
  return { status: 405, body: { error: 'invalid_request', error_description: `AADSTS900561: The endpoint only accepts ${request.method === 'GET' ? 'POST' : 'GET'} requests.` } };
}

function notFound(): SimResponse {
  return { status: 404, body: { error: 'not_found', error_description: 'The simulated login service has no such endpoint.' } };
}

function instanceDiscovery(ctx: SimContext): SimResponse {
  const host = new URL(ctx.authorityHost).host;
  return {
    status: 200,
    body: {
      tenant_discovery_endpoint: `${ctx.authorityHost}/{tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    },
  };
}

type Resolved = { tenant: SimTenant } | { multi: string } | { refusal: Refusal };

function resolveTenant(ctx: SimContext, segment: string): Resolved {
  if (MULTI_TENANT.has(segment.toLowerCase())) return { multi: segment.toLowerCase() };
  const tenant = ctx.findTenant(segment);
  if (tenant) return { tenant };
  if (!GUID.test(segment) && !DOMAIN.test(segment)) {
    return {
      refusal: {
        status: 400,
        error: 'invalid_request',
        code: 900023,
        text: `Specified tenant identifier '${segment}' is neither a valid DNS name, nor a valid external domain.`,
      },
    };
  }
  return {
    refusal: {
      status: 400,
      error: 'invalid_tenant',
      code: 90002,
      text: GUID.test(segment)
        ? `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`
        : `Tenant '${segment}' not found. This may happen if there are no active subscriptions for the tenant. Check to make sure you have the correct tenant ID. Check with your subscription administrator.`,
    },
  };
}

function oauthError(ctx: SimContext, request: SimRequest, refusal: Refusal): SimResponse {
  const traceId = randomGuid();
  const correlationId = headerValue(request.headers, 'client-request-id') ?? randomGuid();
  const timestamp = ctx.now().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  request.entry.error = `AADSTS${refusal.code}`;
  return {
    status: refusal.status,
    body: {
      error: refusal.error,
      error_description: `AADSTS${refusal.code}: ${refusal.text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [refusal.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${ctx.authorityHost}/error?code=${refusal.code}`,
      ...(refusal.suberror ? { suberror: refusal.suberror } : {}),
    },
  };
}

function openIdConfiguration(ctx: SimContext, request: SimRequest, segment: string, v2: boolean): SimResponse {
  const resolved = resolveTenant(ctx, segment);
  if ('refusal' in resolved) return oauthError(ctx, request, resolved.refusal);
  const id = 'tenant' in resolved ? resolved.tenant.tenantId : '{tenantid}';
  if ('tenant' in resolved) request.entry.tenantId = resolved.tenant.tenantId;
  const base = `${ctx.authorityHost}/${'tenant' in resolved ? id : resolved.multi}`;
  const graphHost = new URL(ctx.graphUrl).host;
  return {
    status: 200,
    body: {
      token_endpoint: `${base}/oauth2/${v2 ? 'v2.0/' : ''}token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/${v2 ? 'v2.0/' : ''}keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: v2 ? `${ctx.authorityHost}/${id}/v2.0` : `${ctx.authorityHost}/${id}/`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${ctx.graphUrl}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/${v2 ? 'v2.0/' : ''}authorize`,
      device_authorization_endpoint: `${base}/oauth2/${v2 ? 'v2.0/' : ''}devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/${v2 ? 'v2.0/' : ''}logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: 'NA',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: graphHost,
      rbac_url: 'https://pas.windows.net',
    },
  };
}

function form(request: SimRequest): URLSearchParams {
  return new URLSearchParams(request.body.toString('utf8'));
}

interface ScopeRequest {
  audience: Audience;
  resource: string;
  /** Permission names after the resource ('.default' or explicit scopes). */
  permissions: string[];
}

function parseScope(scope: string): ScopeRequest | Refusal {
  const items = scope.split(/\s+/).filter((s) => s && !OIDC_SCOPES.has(s));
  if (items.length === 0) {
    return { status: 400, error: 'invalid_scope', code: 70011, text: `The provided request must include a 'scope' input parameter.` };
  }
  let resource: string | null = null;
  const permissions: string[] = [];
  for (const item of items) {
    const cut = item.lastIndexOf('/');
    const itemResource = cut > 0 ? item.slice(0, cut).replace(/\/+$/, '') : 'https://graph.microsoft.com';
    const permission = cut > 0 ? item.slice(cut + 1) : item;
    if (resource !== null && resource !== itemResource) {
      return { status: 400, error: 'invalid_scope', code: 28000, text: `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.` };
    }
    resource = itemResource;
    permissions.push(permission);
  }
  const audience = audienceOfResource(resource!);
  if (!audience) {
    return {
      status: 400,
      error: 'invalid_resource',
      code: 500011,
      text: `The resource principal named ${resource} was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    };
  }
  return { audience, resource: resource!, permissions };
}

/** The refusal this tenant gives the grant, if any. */
function tenantRefusal(ctx: SimContext, tenant: SimTenant, delegated: boolean, clientId: string): Refusal | null {
  const refusal = tenant.ms.signIn;
  if (!refusal) return null;
  if (refusal.appliesTo === 'delegated' && !delegated) return null;
  const guest = guestEmailOf(tenant) ?? 'the Expel guest';
  switch (refusal.code) {
    case 50020:
      return { status: 400, error: 'invalid_grant', code: 50020, text: `User account '${guest}' from identity provider 'https://sts.windows.net/${EXPEL_TENANT_ID}/' does not exist in tenant '${tenant.displayName}' and cannot access the application '${clientId}'(${SIM_TRACKER_NAME}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Microsoft Entra user account.` };
    case 50014:
      return { status: 400, error: 'invalid_grant', code: 50014, text: `Guest user '${guest}' is in a pending state. The user must redeem the invitation before signing in to tenant '${tenant.tenantId}'.` };
    case 500213:
      return { status: 400, error: 'invalid_grant', code: 500213, text: `NotAllowedByInboundPolicyTenant: The resource tenant's cross-tenant access policy does not allow this user to access this tenant.` };
    case 53003:
      return { status: 400, error: 'invalid_grant', code: 53003, suberror: 'message_only', text: `Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.` };
    case 50076:
      return { status: 400, error: 'invalid_grant', code: 50076, suberror: 'basic_action', text: `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${clientId}'.` };
    case 65001:
      return delegated
        ? { status: 400, error: 'invalid_grant', code: 65001, suberror: 'consent_required', text: `The user or administrator has not consented to use the application with ID '${clientId}' named '${SIM_TRACKER_NAME}'. Send an interactive authorization request for this user and resource.` }
        : appNotFound(tenant, clientId);
  }
}

function appNotFound(tenant: SimTenant, clientId: string): Refusal {
  return {
    status: 400,
    error: 'unauthorized_client',
    code: 700016,
    text: `Application with identifier '${clientId}' was not found in the directory '${tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  };
}

/** The tenant a token or device-code request is for (a specific one: not common/organizations). */
function grantTenant(ctx: SimContext, request: SimRequest, segment: string): SimTenant | SimResponse {
  const resolved = resolveTenant(ctx, segment);
  if ('refusal' in resolved) return oauthError(ctx, request, resolved.refusal);
  if ('multi' in resolved) {
    return oauthError(ctx, request, { status: 400, error: 'invalid_request', code: 50059, text: 'No tenant-identifying information found in either the request or implied by any provided credentials.' });
  }
  request.entry.tenantId = resolved.tenant.tenantId;
  return resolved.tenant;
}

function tokenEndpoint(ctx: SimContext, request: SimRequest, segment: string): SimResponse {
  const params = form(request);
  const grantType = params.get('grant_type') ?? '';
  request.entry.grantType = grantType;
  const tenant = grantTenant(ctx, request, segment);
  if ('status' in tenant) return tenant;
  switch (grantType) {
    case 'client_credentials':
      return clientCredentials(ctx, request, tenant, params);
    case 'urn:ietf:params:oauth:grant-type:device_code':
    case 'device_code': // what MSAL sends; Entra accepts both
      return deviceCodeGrant(ctx, request, tenant, params);
    case 'refresh_token':
      return refreshGrant(ctx, request, tenant, params);
    default:
      return oauthError(ctx, request, { status: 400, error: 'unsupported_grant_type', code: 70003, text: `The app requested an unsupported grant type '${grantType}'.` });
  }
}

function clientCredentials(ctx: SimContext, request: SimRequest, tenant: SimTenant, params: URLSearchParams): SimResponse {
  const clientId = params.get('client_id') ?? '';
  if (!clientId) return oauthError(ctx, request, { status: 400, error: 'invalid_request', code: 900144, text: `The request body must contain the following parameter: 'client_id'.` });
  if (clientId !== ctx.tracker.clientId) return oauthError(ctx, request, appNotFound(tenant, clientId));
  const secret = params.get('client_secret');
  const assertion = params.get('client_assertion');
  let credentialType: '1' | '2';
  if (secret !== null) {
    if (secret !== ctx.tracker.clientSecret) {
      return oauthError(ctx, request, { status: 401, error: 'invalid_client', code: 7000215, text: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.` });
    }
    credentialType = '1';
  } else if (assertion !== null) {
    const problem = assertionProblem(ctx, tenant, params, clientId);
    if (problem) return oauthError(ctx, request, problem);
    credentialType = '2';
  } else {
    return oauthError(ctx, request, { status: 400, error: 'invalid_client', code: 7000218, text: `The request body must contain the following parameter: 'client_assertion' or 'client_secret'.` });
  }
  const scope = parseScope(params.get('scope') ?? '');
  if ('code' in scope) return oauthError(ctx, request, scope);
  if (scope.permissions.length !== 1 || scope.permissions[0] !== '.default') {
    return oauthError(ctx, request, { status: 400, error: 'invalid_scope', code: 1002012, text: `The provided value for scope ${params.get('scope')} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).` });
  }
  const refusal = tenantRefusal(ctx, tenant, false, clientId);
  if (refusal) return oauthError(ctx, request, refusal);

  const nowS = Math.floor(ctx.nowMs() / 1000);
  const oid = stableGuid(`${tenant.tenantId}:sp:tracker`);
  const claims: Record<string, unknown> = {
    aud: scope.resource,
    iss: `https://sts.windows.net/${tenant.tenantId}/`,
    iat: nowS,
    nbf: nowS,
    exp: nowS + TOKEN_LIFETIME_S + 1,
    app_displayname: SIM_TRACKER_NAME,
    appid: clientId,
    azp: clientId,
    appidacr: credentialType,
    azpacr: credentialType,
    idp: `https://sts.windows.net/${tenant.tenantId}/`,
    idtyp: 'app',
    oid,
    sub: oid,
    tid: tenant.tenantId,
    uti: base64url(randomBytes(16)),
    ver: '1.0',
    xms_sim: 'expel-track',
  };
  if (scope.audience === 'graph') claims.roles = TRACKER_GRAPH_ROLES.filter((role) => !tenant.ms.trackerMissing.includes(role));
  const accessToken = ctx.signer.sign(claims);
  ctx.issued.add(accessToken);
  return {
    status: 200,
    headers: { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' },
    body: { token_type: 'Bearer', expires_in: TOKEN_LIFETIME_S, ext_expires_in: TOKEN_LIFETIME_S, access_token: accessToken },
  };
}

/** Certificate auth: the assertion must be a well-formed JWT from the tracker app for this token endpoint. */
function assertionProblem(ctx: SimContext, tenant: SimTenant, params: URLSearchParams, clientId: string): Refusal | null {
  const malformed: Refusal = { status: 400, error: 'invalid_client', code: 50027, text: 'JWT token is invalid or malformed.' };
  if (params.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
    return { status: 400, error: 'invalid_request', code: 90014, text: `The request body must contain the following parameter: 'client_assertion_type'.` };
  }
  const assertion = params.get('client_assertion') ?? '';
  const header = decodeJwtHeader(assertion);
  const payload = decodeJwtPayload(assertion);
  if (!header || !payload || assertion.split('.').length !== 3) return malformed;
  if (!['RS256', 'PS256'].includes(String(header.alg)) || !(header.x5t || header['x5t#S256'])) return malformed;
  const audiences = Array.isArray(payload.aud) ? payload.aud.map(String) : [String(payload.aud)];
  const accepted = [`${ctx.authorityHost}/${tenant.tenantId}/oauth2/v2.0/token`, `${ctx.authorityHost}/${tenant.domain}/oauth2/v2.0/token`];
  const exp = Number(payload.exp);
  if (payload.iss !== clientId || payload.sub !== clientId) {
    return { status: 401, error: 'invalid_client', code: 700021, text: `Client assertion application identifier doesn't match 'client_id' parameter.` };
  }
  if (!audiences.some((aud) => accepted.some((ok) => ok.toLowerCase() === aud.toLowerCase()))) {
    return { status: 401, error: 'invalid_client', code: 700212, text: `No matching federated identity record found for presented assertion audience '${audiences.join(',')}'.` };
  }
  if (!Number.isFinite(exp) || exp * 1000 < ctx.nowMs()) {
    return { status: 401, error: 'invalid_client', code: 700024, text: 'Client assertion is not within its valid time range.' };
  }
  return null;
}

function publicClientName(ctx: SimContext, clientId: string): string | null {
  if (clientId === ctx.tracker.clientId) return SIM_TRACKER_NAME;
  return FIRST_PARTY_PUBLIC_CLIENTS.get(clientId) ?? null;
}

function deviceCodeEndpoint(ctx: SimContext, request: SimRequest, segment: string): SimResponse {
  const params = form(request);
  const tenant = grantTenant(ctx, request, segment);
  if ('status' in tenant) return tenant;
  const clientId = params.get('client_id') ?? '';
  if (!publicClientName(ctx, clientId)) return oauthError(ctx, request, appNotFound(tenant, clientId));
  const scope = parseScope(params.get('scope') ?? '');
  if ('code' in scope) return oauthError(ctx, request, scope);
  const deviceCode = base64url(randomBytes(48));
  const userCode = randomBytes(6).toString('base64').replace(/[^A-Z0-9]/gi, 'X').toUpperCase().slice(0, 9);
  ctx.issued.add(deviceCode);
  const now = Date.now();
  ctx.deviceCodes.set(deviceCode, {
    tenantId: tenant.tenantId,
    clientId,
    scope: params.get('scope') ?? '',
    approveAt: now + ctx.deviceCodeAutoApproveMs,
    expiresAt: now + DEVICE_CODE_LIFETIME_S * 1000,
  });
  const verificationUri = `${ctx.authorityHost}/devicelogin`;
  return {
    status: 200,
    body: {
      user_code: userCode,
      device_code: deviceCode,
      verification_uri: verificationUri,
      expires_in: DEVICE_CODE_LIFETIME_S,
      interval: 1,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
    },
  };
}

function deviceCodeGrant(ctx: SimContext, request: SimRequest, tenant: SimTenant, params: URLSearchParams): SimResponse {
  const code = params.get('device_code') ?? '';
  const record = ctx.deviceCodes.get(code);
  if (!record || record.tenantId !== tenant.tenantId || record.clientId !== params.get('client_id')) {
    return oauthError(ctx, request, { status: 400, error: 'invalid_grant', code: 70000, text: `The provided value for the input parameter 'device_code' is not valid.` });
  }
  const now = Date.now();
  if (now > record.expiresAt) {
    ctx.deviceCodes.delete(code);
    return oauthError(ctx, request, { status: 400, error: 'expired_token', code: 70020, text: 'The provided authorization code or refresh token is expired. Send a new interactive authorization request for this user and resource.' });
  }
  if (now < record.approveAt) {
    return oauthError(ctx, request, { status: 400, error: 'authorization_pending', code: 70016, text: 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.' });
  }
  ctx.deviceCodes.delete(code);
  const mail = guestEmailOf(tenant);
  return delegatedTokens(ctx, request, tenant, record.clientId, params.get('scope') ?? record.scope, mail);
}

function refreshGrant(ctx: SimContext, request: SimRequest, tenant: SimTenant, params: URLSearchParams): SimResponse {
  const record = ctx.refreshTokens.get(params.get('refresh_token') ?? '');
  const clientId = params.get('client_id') ?? '';
  if (!record || record.clientId !== clientId) {
    return oauthError(ctx, request, { status: 400, error: 'invalid_grant', code: 9002313, text: 'Invalid request. Request is malformed or invalid.' });
  }
  // A refresh token is the home account's: it works in another tenant only where that account is a guest.
  return delegatedTokens(ctx, request, tenant, clientId, params.get('scope') ?? '', record.mail);
}

function delegatedTokens(
  ctx: SimContext,
  request: SimRequest,
  tenant: SimTenant,
  clientId: string,
  scopeText: string,
  mail: string | null,
): SimResponse {
  const refusal = tenantRefusal(ctx, tenant, true, clientId);
  if (refusal) return oauthError(ctx, request, refusal);
  const guest = tenant.ms.guest;
  const guestMail = guestEmailOf(tenant);
  if (!guest || !mail || !guestMail || guestMail.toLowerCase() !== mail.toLowerCase()) {
    return oauthError(ctx, request, tenantRefusal(ctx, { ...tenant, ms: { ...tenant.ms, signIn: { code: 50020 } } }, true, clientId)!);
  }
  if (guest.state === 'PendingAcceptance') {
    return oauthError(ctx, request, tenantRefusal(ctx, { ...tenant, ms: { ...tenant.ms, signIn: { code: 50014 } } }, true, clientId)!);
  }
  if (!guest.accountEnabled) {
    return oauthError(ctx, request, { status: 400, error: 'invalid_grant', code: 50057, text: 'The user account is disabled.' });
  }
  const scope = parseScope(scopeText);
  if ('code' in scope) return oauthError(ctx, request, scope);
  const granted =
    scope.audience === 'arm'
      ? ['user_impersonation']
      : (clientId === ctx.tracker.clientId ? TRACKER_DELEGATED_GRAPH : AZURE_CLI_DELEGATED_GRAPH).filter(
          (name) => !tenant.ms.trackerMissing.includes(name),
        );
  const nowS = Math.floor(ctx.nowMs() / 1000);
  const oid = stableGuid(`${tenant.tenantId}:guest`);
  const homeOid = stableGuid(`home:${mail.toLowerCase()}`);
  const name = guest.displayName;
  const accessToken = ctx.signer.sign({
    aud: scope.resource,
    iss: `https://sts.windows.net/${tenant.tenantId}/`,
    iat: nowS,
    nbf: nowS,
    exp: nowS + TOKEN_LIFETIME_S + 1,
    acct: 1,
    acr: '1',
    amr: ['pwd', 'mfa'],
    app_displayname: publicClientName(ctx, clientId),
    appid: clientId,
    azp: clientId,
    appidacr: '0',
    idp: `https://sts.windows.net/${EXPEL_TENANT_ID}/`,
    idtyp: 'user',
    name,
    oid,
    sub: stableGuid(`${tenant.tenantId}:sub:${clientId}:${mail}`),
    scp: granted.join(' '),
    tid: tenant.tenantId,
    unique_name: mail,
    upn: mail,
    uti: base64url(randomBytes(16)),
    ver: '1.0',
    wids: tenant.ms.guestRoles.filter((r) => !r.eligible).map((r) => ENTRA_ROLES[r.role]),
    xms_sim: 'expel-track',
  });
  const idToken = ctx.signer.sign({
    aud: clientId,
    iss: `${ctx.authorityHost}/${tenant.tenantId}/v2.0`,
    iat: nowS,
    nbf: nowS,
    exp: nowS + TOKEN_LIFETIME_S + 1,
    name,
    oid,
    preferred_username: mail,
    sub: stableGuid(`${tenant.tenantId}:idsub:${clientId}:${mail}`),
    tid: tenant.tenantId,
    ver: '2.0',
  });
  const refreshToken = base64url(randomBytes(64));
  ctx.refreshTokens.set(refreshToken, { mail, clientId, tenantId: tenant.tenantId });
  for (const secret of [accessToken, idToken, refreshToken]) ctx.issued.add(secret);
  return {
    status: 200,
    headers: { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' },
    body: {
      token_type: 'Bearer',
      // Echo what was asked (as Entra does for /.default) so MSAL's cache finds the token again.
      scope: [...scope.permissions.map((p) => `${scope.resource}/${p}`), 'openid', 'profile', 'offline_access'].join(' '),
      expires_in: TOKEN_LIFETIME_S,
      ext_expires_in: TOKEN_LIFETIME_S,
      access_token: accessToken,
      refresh_token: refreshToken,
      id_token: idToken,
      client_info: base64url(JSON.stringify({ uid: homeOid, utid: EXPEL_TENANT_ID })),
    },
  };
}
