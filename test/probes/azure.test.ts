// Pure evaluation of the Azure probes (C-15..C-20) on the documented ARM bodies and variants.
import { describe, expect, it } from 'vitest';
import {
  coversSubscription,
  evaluateReaderRoles,
  evaluateSubscriptions,
  type ArmRoleAssignment,
} from '../../src/probes/azure-subscriptions.js';
import { evaluateDefenderPlans, type Pricing } from '../../src/probes/defender-plans.js';
import { evaluateDiagnostics, serviceCoverage, type DiagnosticSetting } from '../../src/probes/diagnostics.js';
import { coversResource, evaluateLogStorage, type StorageAccount } from '../../src/probes/storage.js';

const SUB = '20ff7fc3-e762-44dd-bd96-b71116dcdc23';
const SUB2 = '30ff7fc3-e762-44dd-bd96-b71116dcdc24';
const APP_SP = '8e881353-1735-45af-af21-ee1344582a4d';
const GUEST = '3f1c2a9e-5b7d-4e0a-9c1f-2d6e8b4a7c10';
const LA_READER = '73c42c96-874c-492b-b04d-ab87d138a893';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const BLOB_READER = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1';

const roleAt = (scope: string, role: string, principalId: string): ArmRoleAssignment => ({
  id: `${scope}/providers/Microsoft.Authorization/roleAssignments/x`,
  properties: {
    roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${role}`,
    principalId,
    principalType: principalId === GUEST ? 'User' : 'ServicePrincipal',
    scope,
  },
});

describe('azure.subscriptions', () => {
  const documented = [{ subscriptionId: SUB, tenantId: 't', displayName: 'Contoso Production', state: 'Enabled' }];
  it('passes when every listed subscription is visible (case-insensitive)', () => {
    expect(evaluateSubscriptions([SUB.toUpperCase()], documented).status).toBe('pass');
  });
  it('fails naming the invisible ones; roster_incomplete when none is listed', () => {
    const result = evaluateSubscriptions([SUB, SUB2], documented);
    expect(result.status).toBe('fail');
    expect(result.evidence.invisible).toEqual([SUB2]);
    expect(evaluateSubscriptions([], documented)).toMatchObject({ status: 'error', reason: 'roster_incomplete' });
  });
  it('warns when a listed subscription is disabled', () => {
    expect(evaluateSubscriptions([SUB], [{ ...documented[0]!, state: 'Disabled' }]).status).toBe('warn');
  });
});

describe('azure.reader-roles', () => {
  const both = (assignments: ArmRoleAssignment[]) => [
    { label: 'app', principalId: APP_SP, assignments: new Map([[SUB, assignments]]) },
    { label: 'guest', principalId: GUEST, assignments: new Map([[SUB, assignments]]) },
  ];

  it('passes on the documented assignment (full-path roleDefinitionId, compared on its last segment)', () => {
    const list = [roleAt(`/subscriptions/${SUB}`, LA_READER, APP_SP), roleAt(`/subscriptions/${SUB}`, LA_READER.toUpperCase(), GUEST)];
    expect(evaluateReaderRoles([SUB], both(list)).status).toBe('pass');
  });

  it('accepts a management-group or root scope above the subscription', () => {
    const mg = '/providers/Microsoft.Management/managementGroups/contoso-root';
    expect(coversSubscription(mg, SUB)).toBe(true);
    expect(coversSubscription('/', SUB)).toBe(true);
    const list = [roleAt(mg, LA_READER, APP_SP), roleAt('/', LA_READER, GUEST)];
    expect(evaluateReaderRoles([SUB], both(list)).status).toBe('pass');
  });

  it('does not accept a resource-group scope below the subscription, or another subscription', () => {
    expect(coversSubscription(`/subscriptions/${SUB}/resourceGroups/rg-logs`, SUB)).toBe(false);
    expect(coversSubscription(`/subscriptions/${SUB2}`, SUB)).toBe(false);
    const list = [roleAt(`/subscriptions/${SUB}/resourceGroups/rg`, LA_READER, APP_SP), roleAt(`/subscriptions/${SUB}`, LA_READER, GUEST)];
    const result = evaluateReaderRoles([SUB], both(list));
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('app');
  });

  it('warns when a broader role stands in; fails on Reader only or nothing', () => {
    const broader = [roleAt(`/subscriptions/${SUB}`, CONTRIBUTOR, APP_SP), roleAt(`/subscriptions/${SUB}`, LA_READER, GUEST)];
    expect(evaluateReaderRoles([SUB], both(broader)).status).toBe('warn');
    const readerOnly = [roleAt(`/subscriptions/${SUB}`, READER, APP_SP), roleAt(`/subscriptions/${SUB}`, LA_READER, GUEST)];
    const result = evaluateReaderRoles([SUB], both(readerOnly));
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('Reader only');
    expect(evaluateReaderRoles([SUB], both([])).status).toBe('fail');
  });
});

const LOG_ID = `/subscriptions/${SUB}/resourceGroups/rg-logs/providers/Microsoft.Storage/storageAccounts/expellogs01`;
const APP_ID = `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/appdata01`;
// The documented account (C-17).
const logAccount: StorageAccount = {
  id: LOG_ID,
  name: 'expellogs01',
  kind: 'StorageV2',
  location: 'eastus',
  properties: { publicNetworkAccess: 'Enabled', networkAcls: { bypass: 'Logging, Metrics, AzureServices', defaultAction: 'Deny' } },
};
const appAccount: StorageAccount = { id: APP_ID, name: 'appdata01', kind: 'StorageV2', properties: { networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' } } };

describe('azure.log-storage', () => {
  const blobReader = [roleAt(LOG_ID, BLOB_READER, APP_SP)];

  it('passes on the documented account with Storage Blob Data Reader for the app SP', () => {
    const { observation, account } = evaluateLogStorage([appAccount, logAccount], APP_SP, blobReader);
    expect(observation.status).toBe('pass');
    expect(account?.name).toBe('expellogs01');
  });

  it('accepts the role at a scope above the account', () => {
    expect(coversResource(`/subscriptions/${SUB}/resourceGroups/rg-logs`, LOG_ID)).toBe(true);
    expect(coversResource(`/subscriptions/${SUB}/resourceGroups/rg-log`, LOG_ID)).toBe(false);
    const atRg = [roleAt(`/subscriptions/${SUB}/resourceGroups/rg-logs`, BLOB_READER, APP_SP)];
    expect(evaluateLogStorage([logAccount], APP_SP, atRg).observation.status).toBe('pass');
  });

  it('fails when the firewall denies without the Logging bypass, when not StorageV2, or without the role', () => {
    const closed = { ...logAccount, properties: { networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices' } } };
    expect(evaluateLogStorage([closed], APP_SP, blobReader).observation.status).toBe('fail');
    const classic = { ...logAccount, kind: 'Storage' };
    expect(evaluateLogStorage([classic], APP_SP, blobReader).observation.summary).toContain('not StorageV2');
    expect(evaluateLogStorage([logAccount], APP_SP, []).observation.status).toBe('fail');
  });

  it('prefers a good account when several carry the role', () => {
    const closed = { ...appAccount, properties: { networkAcls: { defaultAction: 'Deny', bypass: 'None' } } };
    const roles = [roleAt(LOG_ID, BLOB_READER, APP_SP), roleAt(APP_ID, BLOB_READER, APP_SP)];
    expect(evaluateLogStorage([closed, logAccount], APP_SP, roles).account?.name).toBe('expellogs01');
  });
});

// The documented diagnostic setting (C-18).
const documentedSetting: DiagnosticSetting = {
  id: `${APP_ID}/blobServices/default/providers/microsoft.insights/diagnosticSettings/expel`,
  name: 'expel',
  properties: {
    storageAccountId: LOG_ID,
    workspaceId: null,
    logs: [
      { category: 'StorageRead', categoryGroup: null, enabled: true },
      { category: 'StorageWrite', categoryGroup: null, enabled: true },
      { category: 'StorageDelete', categoryGroup: null, enabled: true },
    ],
  },
};
const withLogs = (logs: NonNullable<NonNullable<DiagnosticSetting['properties']>['logs']>, to = LOG_ID): DiagnosticSetting => ({
  ...documentedSetting,
  properties: { ...documentedSetting.properties, storageAccountId: to, logs },
});

describe('azure.storage-diagnostics', () => {
  const all = { blobServices: [documentedSetting], fileServices: [documentedSetting], queueServices: [documentedSetting], tableServices: [documentedSetting] };

  it('passes when every service of every other account sends the three categories to the log account', () => {
    expect(evaluateDiagnostics(logAccount, [{ account: appAccount, settings: all }]).status).toBe('pass');
    expect(evaluateDiagnostics(logAccount, [{ account: logAccount, settings: {} }]).status).toBe('pass');
  });

  it('compares the destination case-insensitively; another destination does not count', () => {
    expect(serviceCoverage([withLogs(documentedSetting.properties!.logs!, LOG_ID.toLowerCase())], LOG_ID)).toBe('covered');
    expect(serviceCoverage([withLogs(documentedSetting.properties!.logs!, APP_ID)], LOG_ID)).toBe('missing');
  });

  it('allLogs covers; another categoryGroup is unconfirmed → warn; partial or disabled → missing', () => {
    expect(serviceCoverage([withLogs([{ categoryGroup: 'allLogs', enabled: true }])], LOG_ID)).toBe('covered');
    expect(serviceCoverage([withLogs([{ categoryGroup: 'audit', enabled: true }])], LOG_ID)).toBe('unconfirmed');
    expect(serviceCoverage([withLogs([{ category: 'StorageRead', enabled: true }])], LOG_ID)).toBe('missing');
    expect(serviceCoverage([withLogs([{ category: 'StorageRead', enabled: true }, { category: 'StorageWrite', enabled: true }, { category: 'StorageDelete', enabled: false }])], LOG_ID)).toBe('missing');
    const audit = { ...all, tableServices: [withLogs([{ categoryGroup: 'audit', enabled: true }])] };
    expect(evaluateDiagnostics(logAccount, [{ account: appAccount, settings: audit }]).status).toBe('warn');
  });

  it('fails naming each account and service missing', () => {
    const result = evaluateDiagnostics(logAccount, [{ account: appAccount, settings: { ...all, fileServices: [], queueServices: [] } }]);
    expect(result.status).toBe('fail');
    expect(result.evidence.missing).toEqual(['appdata01/file', 'appdata01/queue']);
  });
});

describe('azure.defender-plans', () => {
  const standard = (name: string): Pricing => ({ name, properties: { pricingTier: 'Standard' } });
  const every = ['StorageAccounts', 'KeyVaults', 'Arm', 'AppServices', 'SqlServers', 'CosmosDbs'].map(standard);

  it('passes when the six plans are Standard on every subscription', () => {
    expect(evaluateDefenderPlans(new Map([[SUB, every]])).status).toBe('pass');
  });

  it('warns (never fails) when a plan is Free or missing', () => {
    const free = every.map((p) => (p.name === 'AppServices' ? { ...p, properties: { pricingTier: 'Free' } } : p));
    const result = evaluateDefenderPlans(new Map([[SUB, free], [SUB2, []]]));
    expect(result.status).toBe('warn');
    expect(result.evidence.missing).toEqual([
      { subscriptionId: SUB, plans: ['AppServices'] },
      { subscriptionId: SUB2, plans: ['StorageAccounts', 'KeyVaults', 'Arm', 'AppServices', 'SqlServers', 'CosmosDbs'] },
    ]);
  });
});
