// The simulated ARM over real HTTPS: api-version, subscriptions, role assignment scope
// semantics, storage accounts, diagnostic settings shapes, pricings, errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimCloud, type SimCloud } from '../../sim/index.js';
import { AZURE_ROLES } from '../../sim/catalog.js';
import { appToken, bearer, call } from './support.js';

const CONTOSO = 'f9559371-efe4-444a-9b7d-8a5793227fd4';
const INVISIBLE = 'a7c72b18-92e1-46e4-9a52-9a9080e16caa';
const BROADER = '8dc9c047-2dc1-4688-b5ae-927f4d440c27';
const CATEGORY_GROUP = '57393a3b-7d01-4824-bca4-c02bbff7fd3a';

let cloud: SimCloud;
let contoso: string;
beforeAll(async () => {
  cloud = await startSimCloud();
  contoso = await appToken(cloud, CONTOSO, 'arm');
});
afterAll(async () => {
  await cloud?.close();
});

const get = (path: string, token = contoso) => call(cloud, `${cloud.armUrl}${path}`, { headers: bearer(token) });
const subsOf = (tenantId: string) => cloud.tenants.find((t) => t.tenantId === tenantId)!.ms.subscriptions;

async function all(path: string, token = contoso): Promise<any[]> {
  const items: any[] = [];
  let url: string | undefined = `${cloud.armUrl}${path}`;
  while (url) {
    const reply = await call(cloud, url, { headers: bearer(token) });
    expect(reply.status).toBe(200);
    items.push(...reply.json.value);
    url = reply.json.nextLink;
  }
  return items;
}

describe('ARM basics', () => {
  it('requires api-version', async () => {
    const missing = await get('/subscriptions');
    expect(missing.status).toBe(400);
    expect(missing.json.error.code).toBe('MissingApiVersionParameter');
    const bad = await get('/subscriptions?api-version=latest');
    expect(bad.json.error.code).toBe('InvalidApiVersionParameter');
  });

  it('refuses Graph tokens, missing tokens and writes', async () => {
    const graph = await appToken(cloud, CONTOSO, 'graph');
    const wrong = await get('/subscriptions?api-version=2022-12-01', graph);
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe('InvalidAuthenticationTokenAudience');
    const none = await call(cloud, `${cloud.armUrl}/subscriptions?api-version=2022-12-01`);
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('AuthenticationFailed');
    const put = await call(cloud, `${cloud.armUrl}/subscriptions/x?api-version=2022-12-01`, { method: 'PUT', headers: bearer(contoso), body: '{}' });
    expect(put.status).toBe(405);
    expect(cloud.log.at(-1)).toMatchObject({ service: 'arm', refused: 'write' });
  });

  it('lists only the subscriptions the probing identity holds a role on', async () => {
    const own = await get('/subscriptions?api-version=2022-12-01');
    expect(own.json.value.map((s: any) => s.subscriptionId).sort()).toEqual(subsOf(CONTOSO).map((s) => s.subscriptionId).sort());
    expect(own.json.value[0]).toMatchObject({ tenantId: CONTOSO, state: 'Enabled' });
    const token = await appToken(cloud, INVISIBLE, 'arm');
    const partial = await get('/subscriptions?api-version=2022-12-01', token);
    expect(partial.json.value).toHaveLength(1);
    const hidden = subsOf(INVISIBLE)[1]!.subscriptionId;
    const denied = await get(`/subscriptions/${hidden}/providers/Microsoft.Security/pricings?api-version=2024-01-01`, token);
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe('AuthorizationFailed');
    expect(denied.json.error.message).toContain(`'Microsoft.Security/pricings/read' over scope '/subscriptions/${hidden}'`);
  });

  it('answers SubscriptionNotFound for unknown subscriptions and InvalidAuthenticationTokenTenant for another tenant\'s', async () => {
    const unknown = await get('/subscriptions/00000000-0000-4000-8000-000000000000/providers/Microsoft.Storage/storageAccounts?api-version=2023-05-01');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('SubscriptionNotFound');
    const other = subsOf(INVISIBLE)[0]!.subscriptionId;
    const wrongTenant = await get(`/subscriptions/${other}/providers/Microsoft.Storage/storageAccounts?api-version=2023-05-01`);
    expect(wrongTenant.status).toBe(401);
    expect(wrongTenant.json.error.code).toBe('InvalidAuthenticationTokenTenant');
  });
});

describe('role assignments', () => {
  it('filters by principalId at, above and below the subscription; atScope() drops the ones below', async () => {
    const token = await appToken(cloud, BROADER, 'arm');
    const sub = subsOf(BROADER)[0]!.subscriptionId;
    const everything = await all(`/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`, token);
    const guestGrant = everything.find((a) => a.properties.scope.startsWith('/providers/Microsoft.Management/managementGroups/'));
    expect(guestGrant.properties.roleDefinitionId).toMatch(new RegExp(`/roleDefinitions/${AZURE_ROLES['Log Analytics Reader']}$`));
    const guestId = guestGrant.properties.principalId;
    const forGuest = await all(`/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=principalId eq '${guestId}'`, token);
    expect(forGuest).toHaveLength(1);
    const blob = everything.find((a) => a.properties.roleDefinitionId.endsWith(AZURE_ROLES['Storage Blob Data Reader']));
    expect(blob.properties.scope).toContain('/providers/Microsoft.Storage/storageAccounts/');
    const appId = blob.properties.principalId;
    const forApp = await all(`/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=principalId eq '${appId}'`, token);
    expect(forApp.map((a) => a.properties.roleDefinitionId.split('/').pop()).sort()).toEqual([AZURE_ROLES.Contributor, AZURE_ROLES['Storage Blob Data Reader']].sort());
    const atScope = await all(`/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=atScope() and assignedTo('${appId}')`, token);
    expect(atScope.map((a) => a.properties.roleDefinitionId.split('/').pop())).toEqual([AZURE_ROLES.Contributor]);
    // At the storage account: the blob reader there plus what is inherited from above.
    const account = await all(`${blob.properties.scope}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=principalId eq '${appId}'`, token);
    expect(account).toHaveLength(2);
    const unsupported = await get(`/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=roleDefinitionId eq 'x'`, token);
    expect(unsupported.status).toBe(400);
  });

  it('lists a subscription\'s four assignments on one page', async () => {
    const sub = subsOf(CONTOSO)[0]!.subscriptionId;
    const first = await get(`/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`);
    expect(first.json.value).toHaveLength(4);
    expect(first.json.nextLink).toBeUndefined();
  });
});

describe('storage, diagnostics, pricings', () => {
  it('lists storage accounts with kind and network rules, and serves both diagnostic shapes', async () => {
    const token = await appToken(cloud, CATEGORY_GROUP, 'arm');
    const [first, second] = subsOf(CATEGORY_GROUP);
    const accounts = await all(`/subscriptions/${first!.subscriptionId}/providers/Microsoft.Storage/storageAccounts?api-version=2023-05-01`, token);
    const log = accounts.find((a) => a.name.startsWith('expellogs'));
    expect(log).toMatchObject({ kind: 'StorageV2', properties: { networkAcls: { defaultAction: 'Deny', bypass: 'Logging, Metrics, AzureServices' } } });
    const data = accounts.find((a) => !a.name.startsWith('expellogs'));
    const groups = await get(`${data.id}/blobServices/default/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`, token);
    expect(groups.json.value[0].properties.logs).toEqual([expect.objectContaining({ category: null, categoryGroup: 'allLogs', enabled: true })]);
    expect(groups.json.value[0].properties.storageAccountId).toBe(log.id);
    const [other] = await all(`/subscriptions/${second!.subscriptionId}/providers/Microsoft.Storage/storageAccounts?api-version=2023-05-01`, token);
    const audit = await get(`${other.id}/tableServices/default/providers/microsoft.insights/diagnosticSettings?api-version=2021-05-01-preview`, token);
    expect(audit.json.value[0].properties.logs[0].categoryGroup).toBe('audit');

    const contosoAccount = (await all(`/subscriptions/${subsOf(CONTOSO)[0]!.subscriptionId}/providers/Microsoft.Storage/storageAccounts?api-version=2023-05-01`)).find((a) => !a.name.startsWith('expellogs'));
    const categories = await get(`${contosoAccount.id}/queueServices/default/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`);
    expect(categories.json.value[0].properties.logs.map((l: any) => l.category)).toEqual(['StorageRead', 'StorageWrite', 'StorageDelete']);
    const logOwn = await get(`${log.id.replace(first!.subscriptionId, first!.subscriptionId)}/fileServices/default/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`, token);
    expect(logOwn.json.value).toEqual([]);
    const missing = await get(`/subscriptions/${first!.subscriptionId}/resourceGroups/rg-app-0/providers/Microsoft.Storage/storageAccounts/nosuchaccount/blobServices/default/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`, token);
    expect(missing.status).toBe(404);
  });

  it('lists Defender plans with their tiers', async () => {
    const sub = subsOf('eb5293f2-54a9-4d4b-a60e-387cac08711e')[0]!.subscriptionId;
    const token = await appToken(cloud, 'eb5293f2-54a9-4d4b-a60e-387cac08711e', 'arm');
    const reply = await get(`/subscriptions/${sub}/providers/Microsoft.Security/pricings?api-version=2024-01-01`, token);
    const tiers = Object.fromEntries(reply.json.value.map((p: any) => [p.name, p.properties.pricingTier]));
    expect(tiers).toMatchObject({ StorageAccounts: 'Standard', KeyVaults: 'Free', Arm: 'Standard', AppServices: 'Standard', SqlServers: 'Standard', CosmosDbs: 'Free' });
    const one = await get(`/subscriptions/${sub}/providers/Microsoft.Security/pricings/KeyVaults?api-version=2024-01-01`, token);
    expect(one.json.properties.pricingTier).toBe('Free');
  });
});

describe('paging', () => {
  it('pages large collections with nextLink, keeping api-version', async () => {
    const sub = subsOf(CONTOSO)[1]!;
    cloud.updateTenant(CONTOSO, () => {
      for (let i = 0; i < 11; i++) {
        sub.storageAccounts.push({ name: `bulk${i}`, resourceGroup: 'rg-bulk', kind: 'StorageV2', firewall: 'open', diagnostics: { blob: 'none', file: 'none', queue: 'none', table: 'none' } });
      }
    });
    const first = await get(`/subscriptions/${sub.subscriptionId}/providers/Microsoft.Storage/storageAccounts?api-version=2023-05-01`);
    expect(first.json.value).toHaveLength(5);
    expect(first.json.nextLink).toMatch(/api-version=2023-05-01/);
    expect(first.json.nextLink).toMatch(/\$skipToken=/);
    const accounts = await all(`/subscriptions/${sub.subscriptionId}/providers/Microsoft.Storage/storageAccounts?api-version=2023-05-01`);
    expect(accounts).toHaveLength(12);
    expect(new Set(accounts.map((a) => a.name)).size).toBe(12);
    const inGroup = await all(`/subscriptions/${sub.subscriptionId}/resourceGroups/rg-bulk/providers/Microsoft.Storage/storageAccounts?api-version=2023-05-01`);
    expect(inGroup).toHaveLength(11);
  });
});
