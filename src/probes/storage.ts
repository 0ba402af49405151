// azure.log-storage: the storage account Expel reads logs from. It must be StorageV2, the Expel
// app's service principal must hold Storage Blob Data Reader on it (at the account or a scope
// above), and when its firewall denies by default, `bypass` must include Logging.
import { AZURE_ROLES } from '../integrations/reference.js';
import { rolesHeld, type ArmRoleAssignment } from './azure-subscriptions.js';
import { fail, pass, shown, warn, type Evidence, type Observation } from './observation.js';

export const STORAGE_API_VERSION = '2023-05-01';

export interface StorageAccount {
  id: string;
  name: string;
  kind?: string | null;
  location?: string | null;
  properties?: {
    networkAcls?: { defaultAction?: string | null; bypass?: string | null } | null;
    publicNetworkAccess?: string | null;
  } | null;
}

export const storageAccountsPath = (subscriptionId: string): string =>
  `/subscriptions/${subscriptionId}/providers/Microsoft.Storage/storageAccounts`;

/** Data roles that include Storage Blob Data Reader's read rights (well-known built-in IDs). */
const BLOB_READ_STAND_INS = [
  { id: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe', displayName: 'Storage Blob Data Contributor' },
  { id: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b', displayName: 'Storage Blob Data Owner' },
] as const;

/** An assignment scope that is the account itself or one of its parents (RG, subscription, MG, root). */
export function coversResource(scope: string | null | undefined, resourceId: string): boolean {
  if (typeof scope !== 'string') return false;
  const s = scope.toLowerCase().replace(/\/+$/, '');
  const r = resourceId.toLowerCase();
  if (s === '' || s === r || r.startsWith(`${s}/`)) return true;
  return s.startsWith('/providers/microsoft.management/managementgroups/');
}

function firewallAllowsLogging(account: StorageAccount): boolean {
  const acl = account.properties?.networkAcls;
  if ((acl?.defaultAction ?? 'Allow').toLowerCase() !== 'deny') return true;
  return (acl?.bypass ?? '')
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .includes('logging');
}

export interface LogStorageResult {
  observation: Observation;
  /** The account judged as the log destination (also when it has a problem), or null. */
  account: StorageAccount | null;
}

const accountEvidence = (a: StorageAccount): Evidence => ({
  storageAccountId: shown(a.id, 300),
  name: shown(a.name),
  kind: a.kind ?? null,
  defaultAction: a.properties?.networkAcls?.defaultAction ?? null,
  bypass: a.properties?.networkAcls?.bypass ?? null,
});

export function evaluateLogStorage(
  accounts: readonly StorageAccount[],
  appPrincipalId: string,
  appAssignments: readonly ArmRoleAssignment[],
): LogStorageResult {
  const candidates = accounts
    .map((account) => {
      const held = rolesHeld(appPrincipalId, appAssignments, (scope) => coversResource(scope, account.id));
      const role: string | undefined = held.has(AZURE_ROLES.storageBlobDataReader.id)
        ? AZURE_ROLES.storageBlobDataReader.displayName
        : BLOB_READ_STAND_INS.find((r) => held.has(r.id))?.displayName;
      return { account, role };
    })
    .filter((c): c is { account: StorageAccount; role: string } => c.role !== undefined);

  if (candidates.length === 0) {
    return {
      account: null,
      observation: fail(
        `The Expel app holds Storage Blob Data Reader on none of the ${accounts.length} storage account(s) in the listed subscriptions`,
        { storageAccounts: accounts.length, appPrincipalId },
      ),
    };
  }
  const good = (c: { account: StorageAccount }) =>
    (c.account.kind ?? '') === 'StorageV2' && firewallAllowsLogging(c.account);
  const rank = (c: { account: StorageAccount; role: string }) =>
    (good(c) ? 0 : 2) + (c.role === AZURE_ROLES.storageBlobDataReader.displayName ? 0 : 1);
  const best = [...candidates].sort((a, b) => rank(a) - rank(b) || a.account.name.localeCompare(b.account.name))[0]!;
  const evidence: Evidence = { ...accountEvidence(best.account), role: best.role };
  if (candidates.length > 1) evidence.otherCandidates = candidates.length - 1;
  const name = shown(best.account.name);

  if ((best.account.kind ?? '') !== 'StorageV2') {
    return {
      account: best.account,
      observation: fail(`Log storage account ${name} is ${shown(best.account.kind ?? 'of unknown kind')}, not StorageV2`, evidence),
    };
  }
  if (!firewallAllowsLogging(best.account)) {
    return {
      account: best.account,
      observation: fail(`Log storage account ${name} denies network access and its bypass does not include Logging`, evidence),
    };
  }
  if (best.role !== AZURE_ROLES.storageBlobDataReader.displayName) {
    return {
      account: best.account,
      observation: warn(`Log storage account ${name}: the Expel app holds ${best.role}, broader than Storage Blob Data Reader`, evidence),
    };
  }
  return {
    account: best.account,
    observation: pass(`Log storage account ${name} is StorageV2 and readable by the Expel app`, evidence),
  };
}
