// The roster's raw, textual fields: one per column of the import CSV (contract.md). CSV rows and
// command-line options are both turned into TenantFields and validated by the same code.
import { SCOPED_INTEGRATIONS, type ScopedIntegrationId, type Tenant } from '../core/tenant.js';

export const ROSTER_COLUMNS = [
  'tenant_id',
  'name',
  'domain',
  'org_guid',
  'guest_email',
  'integrations',
  'options',
  'app_names',
  'subscriptions',
  'device_added',
  'engagement_manager',
  'engineer',
  'started_on',
  'notes',
] as const;
export type RosterColumn = (typeof ROSTER_COLUMNS)[number];

/** Columns holding several values (`;`-separated in the CSV, repeatable options on the command line). */
export const LIST_COLUMNS = ['integrations', 'options', 'app_names', 'subscriptions', 'device_added'] as const;
export type ListColumn = (typeof LIST_COLUMNS)[number];
export type TextColumn = Exclude<RosterColumn, ListColumn>;
/** Columns whose items are `integration=value` pairs. */
export type MapColumn = 'options' | 'app_names' | 'device_added';

export type TenantFields = { [K in TextColumn]?: string } & { [K in ListColumn]?: string[] };

export const REQUIRED_COLUMNS: readonly RosterColumn[] = ['tenant_id', 'name'];

export function isListColumn(column: RosterColumn): column is ListColumn {
  return (LIST_COLUMNS as readonly string[]).includes(column);
}

/**
 * Splits a list cell. Integrations and subscriptions never contain `,` or `;`, so both separate
 * them; the `key=value` columns split on `;` only, so app names may contain commas.
 */
export function splitListCell(column: ListColumn, cell: string): string[] {
  const separator = column === 'integrations' || column === 'subscriptions' ? /[;,]/ : /;/;
  return cell
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** The textual form of a stored tenant, so an edit can be validated as a whole. */
export function tenantToFields(tenant: Tenant): TenantFields {
  const inScope = (id: ScopedIntegrationId): boolean => tenant.integrations.includes(id);
  const options: string[] = [];
  if (inScope('mde')) options.push(`mde=${tenant.options.mde}`, `mde-console=${tenant.options.mdeConsole}`);
  if (inScope('azure')) options.push(`azure=${tenant.options.azure}`);
  const pairs = (map: Partial<Record<ScopedIntegrationId, string>>): string[] =>
    SCOPED_INTEGRATIONS.flatMap((id) => (map[id] === undefined ? [] : [`${id}=${map[id]}`]));
  return {
    tenant_id: tenant.tenantId,
    name: tenant.name,
    domain: tenant.domain ?? '',
    org_guid: tenant.orgGuid ?? '',
    guest_email: tenant.guestEmail ?? '',
    integrations: [...tenant.integrations],
    options,
    app_names: pairs(tenant.appNames),
    subscriptions: [...tenant.subscriptions],
    device_added: pairs(tenant.deviceAdded),
    engagement_manager: tenant.engagementManager ?? '',
    engineer: tenant.engineer ?? '',
    started_on: tenant.startedOn ?? '',
    notes: tenant.notes ?? '',
  };
}

/** The integration an `integration=value` item is about (`mde-console` belongs to mde). */
export function pairIntegration(key: string): string {
  return key === 'mde-console' ? 'mde' : key;
}

export function splitPair(item: string): { key: string; value: string } | null {
  const at = item.indexOf('=');
  if (at < 0) return null;
  return { key: item.slice(0, at).trim().toLowerCase(), value: item.slice(at + 1).trim() };
}

/**
 * Applies an edit: text fields and `integrations`/`subscriptions` replace what was stored; the
 * `key=value` columns change only the keys given (an empty value removes a key). When the
 * integrations in scope change, stored pairs for integrations no longer in scope are dropped.
 */
export function mergeFields(stored: TenantFields, patch: TenantFields): TenantFields {
  const merged: TenantFields = { ...stored };
  for (const column of ROSTER_COLUMNS) {
    if (patch[column] === undefined || isListColumn(column)) continue;
    merged[column] = patch[column] as string;
  }
  if (patch.integrations !== undefined) merged.integrations = patch.integrations;
  if (patch.subscriptions !== undefined) merged.subscriptions = patch.subscriptions;
  const scope = new Set((merged.integrations ?? []).map((item) => item.trim().toLowerCase()));
  for (const column of ['options', 'app_names', 'device_added'] as const) {
    const kept = new Map<string, string>();
    for (const item of stored[column] ?? []) {
      const pair = splitPair(item);
      if (pair && scope.has(pairIntegration(pair.key))) kept.set(pair.key, item);
    }
    for (const item of patch[column] ?? []) {
      const pair = splitPair(item);
      if (!pair) kept.set(`\u0000${kept.size}`, item); // malformed: keep so validation reports it
      else if (pair.value === '') kept.delete(pair.key);
      else kept.set(pair.key, item);
    }
    merged[column] = [...kept.values()];
  }
  return merged;
}
