// azure.storage-diagnostics: every storage account (except the log account itself) sends
// StorageRead, StorageWrite and StorageDelete logs of its blob, file, queue and table services to
// the log storage account. `categoryGroup: allLogs` covers every category; any other group (e.g.
// `audit`) is not confirmed to include all three, so it is accepted with a `warn`.
import { STORAGE_LOG_CATEGORIES, STORAGE_SERVICES } from '../integrations/reference.js';
import { fail, listed, pass, sameId, shown, warn, type Evidence, type Observation } from './observation.js';
import type { StorageAccount } from './storage.js';

export const DIAGNOSTICS_API_VERSION = '2021-05-01-preview';

export type StorageService = (typeof STORAGE_SERVICES)[number];

export interface DiagnosticSetting {
  id?: string;
  name?: string;
  properties?: {
    storageAccountId?: string | null;
    workspaceId?: string | null;
    logs?: Array<{ category?: string | null; categoryGroup?: string | null; enabled?: boolean | null }> | null;
  } | null;
}

export const diagnosticSettingsPath = (accountId: string, service: StorageService): string =>
  `${accountId}/${service}/default/providers/Microsoft.Insights/diagnosticSettings`;

/** Which services an account kind has: premium single-service kinds have only one. */
export function servicesOf(account: StorageAccount): StorageService[] {
  switch (account.kind) {
    case 'BlobStorage':
    case 'BlockBlobStorage':
      return ['blobServices'];
    case 'FileStorage':
      return ['fileServices'];
    default:
      return [...STORAGE_SERVICES];
  }
}

type ServiceCoverage = 'covered' | 'unconfirmed' | 'missing';

export function serviceCoverage(settings: readonly DiagnosticSetting[], logAccountId: string): ServiceCoverage {
  let best: ServiceCoverage = 'missing';
  for (const setting of settings) {
    const p = setting.properties;
    if (!p || !sameId(p.storageAccountId, logAccountId)) continue;
    const logs = (p.logs ?? []).filter((l) => l.enabled === true);
    const categories = new Set(logs.map((l) => l.category).filter((c): c is string => typeof c === 'string'));
    const groups = new Set(
      logs.map((l) => l.categoryGroup?.toLowerCase()).filter((g): g is string => typeof g === 'string' && g !== ''),
    );
    if (groups.has('alllogs') || STORAGE_LOG_CATEGORIES.every((c) => categories.has(c))) return 'covered';
    if (groups.size > 0) best = 'unconfirmed';
  }
  return best;
}

export interface AccountDiagnostics {
  account: StorageAccount;
  settings: Partial<Record<StorageService, readonly DiagnosticSetting[]>>;
}

export function evaluateDiagnostics(logAccount: StorageAccount, accounts: readonly AccountDiagnostics[]): Observation {
  const others = accounts.filter((a) => !sameId(a.account.id, logAccount.id));
  const missing: string[] = [];
  const unconfirmed: string[] = [];
  for (const { account, settings } of others) {
    for (const service of servicesOf(account)) {
      const label = `${shown(account.name)}/${service.replace(/Services$/, '')}`;
      const result = serviceCoverage(settings[service] ?? [], logAccount.id);
      if (result === 'missing') missing.push(label);
      else if (result === 'unconfirmed') unconfirmed.push(label);
    }
  }
  const evidence: Evidence = { logStorageAccount: shown(logAccount.name), accounts: others.length };
  if (missing.length > 0) {
    return fail(`Storage logs are not sent to ${shown(logAccount.name)} for ${listed(missing, 5)}`, {
      ...evidence,
      missing,
      ...(unconfirmed.length ? { unconfirmed } : {}),
    });
  }
  if (unconfirmed.length > 0) {
    return warn(`Category-group diagnostic settings may not cover StorageRead/Write/Delete for ${listed(unconfirmed, 5)}`, {
      ...evidence,
      unconfirmed,
    });
  }
  if (others.length === 0) return pass('No storage account besides the log account needs diagnostic settings', evidence);
  return pass(`All ${others.length} storage account(s) send read, write and delete logs to ${shown(logAccount.name)}`, evidence);
}
