// The analyst's side of the sim tenants: roster entries for the database, and the same as an
// import CSV (contract.md "Roster import CSV") for `expel-track tenant import`.
import type { Tenant } from '../src/core/tenant.js';
import { ROSTER_COLUMNS, type RosterColumn } from '../src/roster/fields.js';
import type { SimTenant } from './model.js';

export function rosterOf(tenants: readonly SimTenant[]): Tenant[] {
  return tenants.map((t) => ({
    tenantId: t.tenantId.toLowerCase(),
    name: t.roster.name,
    domain: t.roster.domain,
    orgGuid: t.roster.orgGuid?.toLowerCase() ?? null,
    guestEmail: t.roster.guestEmail,
    engagementManager: t.roster.engagementManager,
    engineer: t.roster.engineer,
    startedOn: t.roster.startedOn,
    notes: t.roster.notes,
    archived: false,
    integrations: [...t.roster.integrations],
    options: { ...t.roster.options },
    appNames: { ...t.roster.appNames },
    subscriptions: t.roster.subscriptions.map((s) => s.toLowerCase()),
    deviceAdded: { ...t.roster.deviceAdded },
  }));
}

/** RFC 4180 field: quoted when it holds a quote, comma or line break. Content is left as is (the importer cleans it). */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function pairs(record: Record<string, string | undefined>): string {
  return Object.entries(record)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${v}`)
    .join(';');
}

/** The roster as an import CSV (header + one row per tenant, CRLF line ends). */
export function rosterCsv(tenants: readonly SimTenant[]): string {
  const lines = [ROSTER_COLUMNS.join(',')];
  for (const t of rosterOf(tenants)) {
    const options: Record<string, string | undefined> = {};
    if (t.integrations.includes('mde')) options.mde = t.options.mde;
    if (t.integrations.includes('mde')) options['mde-console'] = t.options.mdeConsole;
    if (t.integrations.includes('azure')) options.azure = t.options.azure;
    const row: Record<RosterColumn, string> = {
      tenant_id: t.tenantId,
      name: t.name,
      domain: t.domain ?? '',
      org_guid: t.orgGuid ?? '',
      guest_email: t.guestEmail ?? '',
      integrations: t.integrations.join(';'),
      options: pairs(options),
      app_names: pairs(t.appNames),
      subscriptions: t.subscriptions.join(';'),
      device_added: pairs(t.deviceAdded),
      engagement_manager: t.engagementManager ?? '',
      engineer: t.engineer ?? '',
      started_on: t.startedOn ?? '',
      notes: t.notes ?? '',
    };
    lines.push(ROSTER_COLUMNS.map((c) => field(row[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
