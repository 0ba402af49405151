// The simulated Azure Resource Manager, read-only: subscriptions, role assignments (at, above
// and below a scope), storage accounts, diagnostic settings per storage service, and Defender
// for Cloud pricings. The probing identity sees a subscription only where the scenario grants
// the guest an Azure role (Global Reader gives none), mirroring app-only and delegated modes.
import { randomUUID } from 'node:crypto';
import { AZURE_ROLES, DEFENDER_PLANS_OTHER, DEFENDER_PLANS_RECOMMENDED } from './catalog.js';
import type { SimContext } from './context.js';
import type { Directory } from './directory.js';
import { applyFault } from './fault-responses.js';
import { authenticate } from './graph.js';
import { headerValue, type SimOutcome, type SimRequest, type SimResponse } from './http.js';
import { stableGuid } from './ids.js';
import type { SimStorageAccount, SimSubscription, SimTenant } from './model.js';
import { FilterSyntaxError, decodeSkipToken, encodeSkipToken, leaves, parseFilter, type FilterNode } from './odata.js';
import type { Claims } from './tokens.js';

export const ARM_PAGE_SIZE = 5;
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;
const SERVICES = ['blob', 'file', 'queue', 'table'] as const;

class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface ArmCall {
  ctx: SimContext;
  request: SimRequest;
  tenant: SimTenant;
  claims: Claims;
  dir: Directory;
  apiVersion: string;
  path: string;
}

export function armHandler(ctx: SimContext) {
  return (request: SimRequest): SimOutcome => {
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'x-ms-request-id': randomUUID(),
      'x-ms-correlation-request-id': headerValue(request.headers, 'x-ms-correlation-request-id') ?? randomUUID(),
      'x-ms-ratelimit-remaining-subscription-reads': '249',
    };
    const fail = (status: number, code: string, message: string): SimResponse => {
      request.entry.error = code;
      return { status, headers, body: { error: { code, message } } };
    };
    if (request.method !== 'GET') {
      request.entry.refused = 'write';
      return fail(405, 'MethodNotAllowed', `The simulated cloud is read-only: ${request.method} is refused.`);
    }
    const auth = authenticate(ctx, request.headers, 'arm');
    if ('error' in auth) {
      const messages: Record<string, string> = {
        AuthenticationFailed: "Authentication failed. The 'Authorization' header is missing.",
        InvalidAuthenticationToken: 'The access token is invalid.',
        ExpiredAuthenticationToken: 'The access token expiry UTC time is earlier than current UTC time.',
        InvalidAuthenticationTokenAudience:
          "The access token has been obtained for wrong audience or resource. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.",
        InvalidAuthenticationTokenTenant: 'The access token is from the wrong issuer.',
      };
      const code = auth.code ?? 'InvalidAuthenticationToken';
      return { ...fail(401, code, messages[code] ?? auth.error), headers: { ...headers, 'www-authenticate': `Bearer authorization_uri="${ctx.authorityHost}/common", error="invalid_token"` } };
    }
    const { claims, tenant } = auth;
    request.entry.tenantId = tenant.tenantId;
    request.entry.clientKey = `${tenant.tenantId}|GET|${request.rawPath}`;
    const apiVersion = request.query.get('api-version');
    if (apiVersion === null) return fail(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
    if (!API_VERSION.test(apiVersion)) return fail(400, 'InvalidApiVersionParameter', `The api-version '${apiVersion}' is invalid. The supported versions are '2024-01-01,2023-05-01,2022-12-01,2022-04-01,2021-05-01-preview'.`);

    const fault = applyFault(ctx, request.entry, tenant, 'arm', false);
    if (fault) return fault.kind === 'response' ? { ...fault.response, headers: { ...headers, ...fault.response.headers } } : fault.outcome;

    const call: ArmCall = { ctx, request, tenant, claims, dir: ctx.directory(tenant), apiVersion, path: request.pathname.replace(/\/+$/, '') };
    try {
      return { status: 200, headers, body: route(call) };
    } catch (error) {
      if (error instanceof ArmError) return fail(error.status, error.code, error.message);
      throw error;
    }
  };
}

function route(call: ArmCall): unknown {
  const segments = call.path.split('/').filter(Boolean);
  const lower = segments.map((s) => s.toLowerCase());
  if (lower[0] !== 'subscriptions') throw new ArmError(404, 'NotFound', `No HTTP resource was found that matches the request URI '${call.path}'.`);
  if (segments.length === 1) {
    const visible = call.tenant.ms.subscriptions.filter(visibleToProbe).map((s) => subscriptionObject(call.tenant, s));
    return { ...page(call, visible), count: { type: 'Total', value: visible.length } };
  }
  const subscription = accessSubscription(call, segments[1]!, lower.length === 2 ? 'Microsoft.Resources/subscriptions/read' : actionOf(lower));
  const subPath = `/subscriptions/${subscription.subscriptionId}`;
  const rest = lower.slice(2);
  if (rest.length === 0) return subscriptionObject(call.tenant, subscription);
  const joined = rest.join('/');
  if (joined === 'providers/microsoft.authorization/roleassignments') return page(call, roleAssignmentsAt(call, subscription, subPath));
  if (joined === 'providers/microsoft.storage/storageaccounts') return page(call, subscription.storageAccounts.map((a) => storageObject(subscription, a)));
  if (joined === 'providers/microsoft.security/pricings') return { value: pricings(subscription) };
  if (rest.length === 4 && joined.startsWith('providers/microsoft.security/pricings/')) {
    const name = segments[5]!;
    const item = pricings(subscription).find((p) => String(p.name).toLowerCase() === name.toLowerCase());
    if (!item) throw new ArmError(404, 'PricingNotFound', `Pricing '${name}' was not found.`);
    return item;
  }
  if (rest[0] === 'resourcegroups' && rest.length >= 2) {
    const group = segments[3]!;
    const inGroup = subscription.storageAccounts.filter((a) => a.resourceGroup.toLowerCase() === group.toLowerCase());
    const groupRest = rest.slice(2);
    if (groupRest.join('/') === 'providers/microsoft.storage/storageaccounts') {
      if (inGroup.length === 0 && !knownGroup(subscription, group)) throw resourceGroupNotFound(group);
      return page(call, inGroup.map((a) => storageObject(subscription, a)));
    }
    if (groupRest.length >= 4 && groupRest.slice(0, 3).join('/') === 'providers/microsoft.storage/storageaccounts') {
      const name = segments[7]!;
      const account = inGroup.find((a) => a.name.toLowerCase() === name.toLowerCase());
      if (!account) {
        if (!knownGroup(subscription, group)) throw resourceGroupNotFound(group);
        throw new ArmError(404, 'ResourceNotFound', `The Resource 'Microsoft.Storage/storageAccounts/${name}' under resource group '${group}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
      }
      const accountPath = storageId(subscription, account);
      const accountRest = groupRest.slice(4);
      if (accountRest.length === 0) return storageObject(subscription, account);
      if (accountRest.join('/') === 'providers/microsoft.authorization/roleassignments') return page(call, roleAssignmentsAt(call, subscription, accountPath));
      const service = /^(blob|file|queue|table)services$/.exec(accountRest[0] ?? '');
      if (service && accountRest[1] === 'default' && accountRest.slice(2, 4).join('/') === 'providers/microsoft.insights' && accountRest[4] === 'diagnosticsettings') {
        const settings = diagnosticSettings(call.tenant, subscription, account, service[1] as (typeof SERVICES)[number]);
        if (accountRest.length === 5) return { value: settings };
        if (accountRest.length === 6) {
          const item = settings.find((s) => String(s.name).toLowerCase() === accountRest[5]);
          if (!item) throw new ArmError(404, 'ResourceNotFound', `The diagnostic setting '${segments[segments.length - 1]}' doesn't exist.`);
          return item;
        }
      }
    }
  }
  throw new ArmError(404, 'InvalidResourceType', `The resource type could not be found for the path '${call.path}' and api version '${call.apiVersion}'.`);
}

function knownGroup(subscription: SimSubscription, group: string): boolean {
  return group.toLowerCase() === 'rg-monitoring' || subscription.storageAccounts.some((a) => a.resourceGroup.toLowerCase() === group.toLowerCase());
}

function resourceGroupNotFound(group: string): ArmError {
  return new ArmError(404, 'ResourceGroupNotFound', `Resource group '${group}' could not be found.`);
}

function actionOf(lower: string[]): string {
  const joined = lower.join('/');
  if (joined.includes('diagnosticsettings')) return 'microsoft.insights/diagnosticSettings/read';
  if (joined.includes('microsoft.authorization/roleassignments')) return 'Microsoft.Authorization/roleAssignments/read';
  if (joined.includes('microsoft.security/pricings')) return 'Microsoft.Security/pricings/read';
  if (joined.includes('microsoft.storage')) return 'Microsoft.Storage/storageAccounts/read';
  return 'Microsoft.Resources/subscriptions/read';
}

/** Whether the probing identity holds an Azure role on the subscription (directly or from above). */
export function visibleToProbe(subscription: SimSubscription): boolean {
  return subscription.roles.some((r) => r.principal === 'guest' && r.at !== 'resourceGroup');
}

function accessSubscription(call: ArmCall, id: string, action: string): SimSubscription {
  const owner = call.ctx.ownerOfSubscription(id);
  if (!owner) throw new ArmError(404, 'SubscriptionNotFound', `The subscription '${id}' could not be found.`);
  if (owner.tenantId !== call.tenant.tenantId) {
    throw new ArmError(
      401,
      'InvalidAuthenticationTokenTenant',
      `The access token is from the wrong issuer 'https://sts.windows.net/${call.tenant.tenantId}/'. It must match the tenant 'https://sts.windows.net/${owner.tenantId}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${owner.tenantId}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`,
    );
  }
  const subscription = owner.ms.subscriptions.find((s) => s.subscriptionId.toLowerCase() === id.toLowerCase())!;
  if (!visibleToProbe(subscription)) {
    const client = String(call.claims.upn ?? call.claims.appid ?? '');
    throw new ArmError(
      403,
      'AuthorizationFailed',
      `The client '${client}' with object id '${String(call.claims.oid)}' does not have authorization to perform action '${action}' over scope '/subscriptions/${subscription.subscriptionId}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
  }
  return subscription;
}

function subscriptionObject(tenant: SimTenant, s: SimSubscription): Record<string, unknown> {
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: s.subscriptionId,
    tenantId: tenant.tenantId,
    displayName: s.displayName,
    state: s.state,
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
  };
}

function page(call: ArmCall, items: unknown[]): { value: unknown[]; nextLink?: string } {
  const token = call.request.query.get('$skipToken') ?? call.request.query.get('$skiptoken');
  let offset = 0;
  if (token !== null) {
    const decoded = decodeSkipToken(token);
    if (decoded === null) throw new ArmError(400, 'InvalidSkipToken', 'The skip token is invalid.');
    offset = decoded;
  }
  const result: { value: unknown[]; nextLink?: string } = { value: items.slice(offset, offset + ARM_PAGE_SIZE) };
  if (offset + ARM_PAGE_SIZE < items.length) {
    const query = new URLSearchParams();
    for (const [key, value] of call.request.query) if (key.toLowerCase() !== '$skiptoken') query.append(key, value);
    query.set('$skipToken', encodeSkipToken(offset + ARM_PAGE_SIZE));
    result.nextLink = `${call.ctx.armUrl}${call.path}?${query.toString().replace(/\+/g, '%20').replace(/%24/g, '$')}`;
  }
  return result;
}

// ---- role assignments ----------------------------------------------------------------------

interface Assignment {
  scope: string;
  roleId: string;
  principalId: string;
  principalType: 'User' | 'ServicePrincipal';
  label: string;
}

function storageId(subscription: SimSubscription, account: SimStorageAccount): string {
  return `/subscriptions/${subscription.subscriptionId}/resourceGroups/${account.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${account.name}`;
}

function allAssignments(call: ArmCall, subscription: SimSubscription): Assignment[] {
  const { dir, tenant } = call;
  const subPath = `/subscriptions/${subscription.subscriptionId}`;
  const out: Assignment[] = [];
  const admin = dir.users[0];
  if (admin) out.push({ scope: subPath, roleId: AZURE_ROLES.Owner, principalId: String(admin.id), principalType: 'User', label: 'admin-owner' });
  for (const [index, grant] of subscription.roles.entries()) {
    const principalId = grant.principal === 'guest' ? dir.guestId : (dir.appServicePrincipalIds.azure ?? null);
    if (!principalId) continue;
    const scope =
      grant.at === 'subscription'
        ? subPath
        : grant.at === 'managementGroup'
          ? `/providers/Microsoft.Management/managementGroups/${tenant.tenantId}`
          : `${subPath}/resourceGroups/${subscription.storageAccounts[0]?.resourceGroup ?? 'rg-monitoring'}`;
    out.push({ scope, roleId: AZURE_ROLES[grant.role], principalId, principalType: grant.principal === 'guest' ? 'User' : 'ServicePrincipal', label: `grant-${index}` });
  }
  const appSp = dir.appServicePrincipalIds.azure;
  for (const account of subscription.storageAccounts) {
    if (account.appBlobReader && appSp) {
      out.push({ scope: storageId(subscription, account), roleId: AZURE_ROLES['Storage Blob Data Reader'], principalId: appSp, principalType: 'ServicePrincipal', label: `blob-${account.name}` });
    }
  }
  return out;
}

/** ARM's scope semantics: at or above `scope` ("atScope()"), or also below it (the default). */
function related(assignmentScope: string, scope: string, atOrAboveOnly: boolean): boolean {
  const a = assignmentScope.toLowerCase();
  const s = scope.toLowerCase();
  const isAbove = a.startsWith('/providers/microsoft.management/managementgroups/') || a === '/' || s === a || s.startsWith(`${a}/`);
  const isBelow = a.startsWith(`${s}/`);
  return atOrAboveOnly ? isAbove : isAbove || isBelow;
}

function roleAssignmentsAt(call: ArmCall, subscription: SimSubscription, scope: string): unknown[] {
  const raw = call.request.query.get('$filter');
  let atScopeOnly = false;
  let principal: string | null = null;
  if (raw !== null) {
    let node: FilterNode;
    try {
      node = parseFilter(raw);
    } catch (error) {
      if (error instanceof FilterSyntaxError) throw new ArmError(400, 'InvalidFilterInQueryString', `Invalid $filter '${raw}': ${error.message}`);
      throw error;
    }
    for (const leaf of leaves(node)) {
      if (leaf.kind === 'call' && leaf.name.toLowerCase() === 'atscope' && leaf.args.length === 0) atScopeOnly = true;
      else if (leaf.kind === 'call' && leaf.name.toLowerCase() === 'assignedto' && leaf.args.length === 1) principal = String(leaf.args[0]!.value).toLowerCase();
      else if (leaf.kind === 'cmp' && leaf.path === 'principalId' && leaf.op === 'eq') principal = String(leaf.value.value).toLowerCase();
      else throw new ArmError(400, 'InvalidFilterInQueryString', `The filter '${raw}' is not supported. Supported filters are atScope(), assignedTo('{objectId}') and principalId eq '{objectId}'.`);
    }
    if (node.kind === 'or' || JSON.stringify(node).includes('"kind":"or"') || JSON.stringify(node).includes('"kind":"not"')) {
      throw new ArmError(400, 'InvalidFilterInQueryString', `The filter '${raw}' is not supported.`);
    }
  }
  return allAssignments(call, subscription)
    .filter((a) => related(a.scope, scope, atScopeOnly))
    .filter((a) => principal === null || a.principalId.toLowerCase() === principal)
    .map((a) => {
      const name = stableGuid(`${call.tenant.tenantId}:arm-ra:${a.scope}:${a.label}`);
      return {
        properties: {
          roleDefinitionId: `/subscriptions/${subscription.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${a.roleId}`,
          principalId: a.principalId,
          principalType: a.principalType,
          scope: a.scope,
          condition: null,
          conditionVersion: null,
          createdOn: '2025-03-02T17:00:00.0000000Z',
          updatedOn: '2025-03-02T17:00:00.0000000Z',
          createdBy: null,
          updatedBy: null,
          delegatedManagedIdentityResourceId: null,
          description: null,
        },
        id: `${a.scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
        type: 'Microsoft.Authorization/roleAssignments',
        name,
      };
    });
}

// ---- storage, diagnostics, pricings ---------------------------------------------------------

function storageObject(subscription: SimSubscription, account: SimStorageAccount): Record<string, unknown> {
  const networkAcls =
    account.firewall === 'open'
      ? { bypass: 'AzureServices', virtualNetworkRules: [], ipRules: [], defaultAction: 'Allow' }
      : {
          bypass: account.firewall === 'deny-with-logging' ? 'Logging, Metrics, AzureServices' : 'AzureServices',
          virtualNetworkRules: [],
          ipRules: [{ value: '203.0.113.10', action: 'Allow' }],
          defaultAction: 'Deny',
        };
  const endpoint = (kind: string) => `https://${account.name}.${kind}.core.windows.net/`;
  return {
    sku: { name: 'Standard_LRS', tier: 'Standard' },
    kind: account.kind,
    id: storageId(subscription, account),
    name: account.name,
    type: 'Microsoft.Storage/storageAccounts',
    location: 'eastus',
    tags: {},
    properties: {
      publicNetworkAccess: account.firewall === 'open' ? 'Enabled' : 'Enabled',
      networkAcls,
      minimumTlsVersion: 'TLS1_2',
      allowBlobPublicAccess: false,
      supportsHttpsTrafficOnly: true,
      accessTier: account.kind === 'Storage' ? undefined : 'Hot',
      provisioningState: 'Succeeded',
      creationTime: '2024-06-11T08:30:00.0000000Z',
      primaryEndpoints: { blob: endpoint('blob'), queue: endpoint('queue'), table: endpoint('table'), file: endpoint('file') },
      primaryLocation: 'eastus',
      statusOfPrimary: 'available',
    },
  };
}

function logAccountId(tenant: SimTenant): string | null {
  for (const subscription of tenant.ms.subscriptions) {
    const account = subscription.storageAccounts.find((a) => a.isLogAccount);
    if (account) return storageId(subscription, account);
  }
  return null;
}

function diagnosticSettings(tenant: SimTenant, subscription: SimSubscription, account: SimStorageAccount, service: (typeof SERVICES)[number]): Record<string, unknown>[] {
  const shape = account.diagnostics[service];
  if (shape === 'none') return [];
  const retention = { enabled: false, days: 0 };
  const category = (name: string, enabled: boolean) => ({ category: name, categoryGroup: null, enabled, retentionPolicy: retention });
  const group = (name: string) => ({ category: null, categoryGroup: name, enabled: true, retentionPolicy: retention });
  const logs =
    shape === 'categories' || shape === 'elsewhere'
      ? [category('StorageRead', true), category('StorageWrite', true), category('StorageDelete', true)]
      : shape === 'partial'
        ? [category('StorageRead', true), category('StorageWrite', false), category('StorageDelete', false)]
        : [group(shape)];
  const name = shape === 'elsewhere' ? 'to-workspace' : 'expel';
  const servicePath = `${storageId(subscription, account)}/${service}Services/default`;
  return [
    {
      id: `${servicePath}/providers/microsoft.insights/diagnosticSettings/${name}`,
      type: 'Microsoft.Insights/diagnosticSettings',
      name,
      location: null,
      kind: null,
      properties: {
        storageAccountId: shape === 'elsewhere' ? null : logAccountId(tenant),
        serviceBusRuleId: null,
        workspaceId:
          shape === 'elsewhere' ? `/subscriptions/${subscription.subscriptionId}/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-security` : null,
        eventHubAuthorizationRuleId: null,
        eventHubName: null,
        metrics: [{ category: 'Transaction', enabled: false, retentionPolicy: retention }],
        logs,
        logAnalyticsDestinationType: null,
      },
    },
  ];
}

function pricings(subscription: SimSubscription): Record<string, unknown>[] {
  return [...DEFENDER_PLANS_RECOMMENDED, ...DEFENDER_PLANS_OTHER].map((plan) => {
    const tier = subscription.pricings[plan] ?? 'Free';
    const standard = tier === 'Standard';
    return {
      id: `/subscriptions/${subscription.subscriptionId}/providers/Microsoft.Security/pricings/${plan}`,
      name: plan,
      type: 'Microsoft.Security/pricings',
      properties: {
        pricingTier: tier,
        ...(standard && plan === 'StorageAccounts' ? { subPlan: 'DefenderForStorageV2' } : {}),
        ...(standard && plan === 'KeyVaults' ? { subPlan: 'PerKeyVault' } : {}),
        freeTrialRemainingTime: 'PT0S',
        ...(standard ? { enablementTime: '2025-03-01T12:42:42.1921106Z' } : {}),
        enforce: 'False',
        resourcesCoverageStatus: standard ? 'FullyCovered' : 'NotCovered',
      },
    };
  });
}
