// How roster data is printed: a stable JSON shape for scripts, plain-text tables for people.
// Every stored string passes through cleanText again on the way out, in case the database was
// written by something other than expel-track.
import { cleanText } from '../core/sanitize.js';
import type { TenantRecord } from '../db/roster.js';

/** The JSON form of a tenant (`tenant list --json`, `tenant show --json`); keys are a contract. */
export function tenantJson(tenant: TenantRecord): Record<string, unknown> {
  return {
    tenantId: tenant.tenantId,
    name: tenant.name,
    domain: tenant.domain,
    orgGuid: tenant.orgGuid,
    guestEmail: tenant.guestEmail,
    engagementManager: tenant.engagementManager,
    engineer: tenant.engineer,
    startedOn: tenant.startedOn,
    notes: tenant.notes,
    archived: tenant.archived,
    archivedAt: tenant.archivedAt,
    integrations: tenant.integrations,
    options: { mde: tenant.options.mde, mdeConsole: tenant.options.mdeConsole, azure: tenant.options.azure },
    appNames: tenant.appNames,
    subscriptions: tenant.subscriptions,
    deviceAdded: tenant.deviceAdded,
    createdAt: tenant.createdAt,
    updatedAt: tenant.updatedAt,
  };
}

/** Columns padded with spaces; the last column is not padded. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max([...title].length, ...rows.map((row) => [...(row[column] ?? '')].length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell + ' '.repeat((widths[column] ?? 0) - [...cell].length)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** Integrations with their non-default choices, e.g. `mde (custom, rbac), m365`. */
export function describeIntegrations(tenant: TenantRecord): string {
  if (tenant.integrations.length === 0) return '-';
  return tenant.integrations
    .map((id) => {
      if (id === 'mde') {
        const choices = [tenant.options.mde, tenant.options.mdeConsole === 'rbac' ? 'rbac console' : 'basic console'];
        return `mde (${choices.join(', ')})`;
      }
      if (id === 'azure') return `azure (${tenant.options.azure})`;
      return id;
    })
    .join(', ');
}

export function formatTenantTable(tenants: TenantRecord[], options: { showArchived?: boolean } = {}): string {
  const header = ['NAME', 'TENANT ID', 'DOMAIN', 'INTEGRATIONS', 'ENGINEER'];
  if (options.showArchived) header.push('STATE');
  const rows = tenants.map((tenant) => {
    const row = [
      cleanText(tenant.name),
      tenant.tenantId,
      tenant.domain ?? '-',
      tenant.integrations.join(',') || '-',
      tenant.engineer ? cleanText(tenant.engineer) : '-',
    ];
    if (options.showArchived) row.push(tenant.archived ? 'archived' : 'active');
    return row;
  });
  return formatTable(header, rows);
}

export function formatTenantDetails(tenant: TenantRecord): string {
  const pairs = (map: Partial<Record<string, string>>): string =>
    Object.entries(map)
      .map(([key, value]) => `${key}: ${cleanText(value ?? '')}`)
      .join('; ') || '-';
  const text = (value: string | null): string => (value === null ? '-' : cleanText(value));
  const lines: Array<[string, string]> = [
    ['Tenant ID', tenant.tenantId],
    ['Domain', text(tenant.domain)],
    ['Org GUID', text(tenant.orgGuid)],
    ['Guest email', tenant.guestEmail ?? (tenant.orgGuid ? '(built from the org GUID)' : '-')],
    ['Integrations', describeIntegrations(tenant)],
    ['App names', pairs(tenant.appNames)],
    ['Subscriptions', tenant.subscriptions.join(', ') || '-'],
    ['Device added', pairs(tenant.deviceAdded)],
    ['Engagement manager', text(tenant.engagementManager)],
    ['Engineer', text(tenant.engineer)],
    ['Started on', text(tenant.startedOn)],
    ['Notes', text(tenant.notes)],
    ['State', tenant.archived ? `archived ${tenant.archivedAt ?? ''}`.trim() : 'active'],
    ['Added', tenant.createdAt],
    ['Updated', tenant.updatedAt],
  ];
  const width = Math.max(...lines.map(([label]) => label.length));
  return `${cleanText(tenant.name)}\n${lines.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n')}\n`;
}
