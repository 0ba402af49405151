// The tenant roster in SQLite. Callers hand in validated Tenants (src/roster/validate.ts); the
// schema's CHECK constraints are the backstop. Tenants are archived, never deleted.
import { UserError } from '../core/errors.js';
import { cleanText } from '../core/sanitize.js';
import {
  DEFAULT_OPTIONS,
  SCOPED_INTEGRATIONS,
  type AppOption,
  type ConsoleOption,
  type ScopedIntegrationId,
  type Tenant,
} from '../core/tenant.js';
import { parseDomain, parseGuid } from '../roster/validate.js';
import type { Database } from './database.js';

/** A stored tenant with its bookkeeping times (ISO 8601, UTC). */
export interface TenantRecord extends Tenant {
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

/** Fields an edit may change; the tenant ID and archive state change only through their own methods. */
export type TenantPatch = Partial<Omit<Tenant, 'tenantId' | 'archived'>>;

/** Just enough to tell tenants apart (resolving a name, spotting duplicates on import). */
export interface TenantSummary {
  tenantId: string;
  name: string;
  domain: string | null;
  archived: boolean;
}

interface TenantRow {
  tenant_id: string;
  name: string;
  domain: string | null;
  org_guid: string | null;
  guest_email: string | null;
  engagement_manager: string | null;
  engineer: string | null;
  started_on: string | null;
  notes: string | null;
  mde_console: string;
  archived: number;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
}

interface IntegrationRow {
  tenant_id: string;
  integration: string;
  option: string | null;
  app_name: string | null;
  device_added: string | null;
}

interface SubscriptionRow {
  tenant_id: string;
  subscription_id: string;
}

const TENANT_COLUMNS = `tenant_id, name, domain, org_guid, guest_email, engagement_manager, engineer,
  started_on, notes, mde_console, archived, archived_at, created_at, updated_at`;

export class RosterStore {
  private readonly statements;

  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    const prepare = <R = unknown>(sql: string) => db.prepare<unknown[], R>(sql);
    this.statements = {
      listTenants: prepare<TenantRow>(
        `SELECT ${TENANT_COLUMNS} FROM tenants WHERE (? OR archived = 0) ORDER BY name COLLATE NOCASE, tenant_id`,
      ),
      listIntegrations: prepare<IntegrationRow>(
        `SELECT ti.* FROM tenant_integrations ti JOIN tenants t USING (tenant_id) WHERE (? OR t.archived = 0)`,
      ),
      listSubscriptions: prepare<SubscriptionRow>(
        `SELECT ts.* FROM tenant_subscriptions ts JOIN tenants t USING (tenant_id)
         WHERE (? OR t.archived = 0) ORDER BY ts.tenant_id, ts.subscription_id`,
      ),
      getTenant: prepare<TenantRow>(`SELECT ${TENANT_COLUMNS} FROM tenants WHERE tenant_id = ?`),
      getIntegrations: prepare<IntegrationRow>(`SELECT * FROM tenant_integrations WHERE tenant_id = ?`),
      getSubscriptions: prepare<SubscriptionRow>(
        `SELECT * FROM tenant_subscriptions WHERE tenant_id = ? ORDER BY subscription_id`,
      ),
      summaries: prepare<{ tenant_id: string; name: string; domain: string | null; archived: number }>(
        `SELECT tenant_id, name, domain, archived FROM tenants ORDER BY name COLLATE NOCASE, tenant_id`,
      ),
      insertTenant: prepare(
        `INSERT INTO tenants (${TENANT_COLUMNS}) VALUES (@tenant_id, @name, @domain, @org_guid, @guest_email,
          @engagement_manager, @engineer, @started_on, @notes, @mde_console, 0, NULL, @now, @now)`,
      ),
      updateTenant: prepare(
        `UPDATE tenants SET name = @name, domain = @domain, org_guid = @org_guid, guest_email = @guest_email,
          engagement_manager = @engagement_manager, engineer = @engineer, started_on = @started_on,
          notes = @notes, mde_console = @mde_console, updated_at = @now WHERE tenant_id = @tenant_id`,
      ),
      setArchived: prepare(
        `UPDATE tenants SET archived = @archived, archived_at = @archived_at, updated_at = @now
         WHERE tenant_id = @tenant_id`,
      ),
      deleteIntegrations: prepare(`DELETE FROM tenant_integrations WHERE tenant_id = ?`),
      insertIntegration: prepare(
        `INSERT INTO tenant_integrations (tenant_id, integration, option, app_name, device_added)
         VALUES (?, ?, ?, ?, ?)`,
      ),
      deleteSubscriptions: prepare(`DELETE FROM tenant_subscriptions WHERE tenant_id = ?`),
      insertSubscription: prepare(`INSERT INTO tenant_subscriptions (tenant_id, subscription_id) VALUES (?, ?)`),
    };
  }

  /** Tenants by name; archived ones only when asked. Three queries whatever the roster size. */
  list(options: { includeArchived?: boolean } = {}): TenantRecord[] {
    const flag = options.includeArchived ? 1 : 0;
    const integrations = groupBy(this.statements.listIntegrations.all(flag));
    const subscriptions = groupBy(this.statements.listSubscriptions.all(flag));
    return this.statements.listTenants
      .all(flag)
      .map((row) => toRecord(row, integrations.get(row.tenant_id) ?? [], subscriptions.get(row.tenant_id) ?? []));
  }

  get(tenantId: string): TenantRecord | undefined {
    const row = this.statements.getTenant.get(tenantId);
    if (!row) return undefined;
    return toRecord(row, this.statements.getIntegrations.all(tenantId), this.statements.getSubscriptions.all(tenantId));
  }

  summaries(): TenantSummary[] {
    return this.statements.summaries.all().map((row) => ({
      tenantId: row.tenant_id,
      name: row.name,
      domain: row.domain,
      archived: row.archived === 1,
    }));
  }

  /**
   * Finds the tenant a user means: a tenant ID, or a name or domain (case-insensitive) that
   * identifies one tenant. Active tenants win over archived ones with the same name.
   */
  resolve(ref: string): TenantRecord {
    const text = cleanText(ref);
    if (text === '') throw new UserError('no tenant given (a tenant ID, name or domain)');
    const guid = parseGuid(text);
    if (guid.ok) {
      const tenant = this.get(guid.value);
      if (!tenant) throw new UserError(`no tenant with ID ${guid.value} in the roster`);
      return tenant;
    }
    const key = foldCase(text);
    const domain = parseDomain(text);
    const matches = this.summaries().filter(
      (tenant) =>
        foldCase(tenant.name) === key ||
        (tenant.domain !== null && (tenant.domain === key || (domain.ok && tenant.domain === domain.value))),
    );
    const active = matches.filter((tenant) => !tenant.archived);
    const candidates = active.length > 0 ? active : matches;
    const [only] = candidates;
    if (candidates.length === 1 && only) return this.get(only.tenantId) as TenantRecord;
    if (candidates.length === 0) {
      throw new UserError(`no tenant named '${text}' or with that domain in the roster (see: expel-track tenant list --all)`);
    }
    const lines = candidates.map(
      (tenant) => `  ${tenant.tenantId}  ${cleanText(tenant.name)}${tenant.domain ? `  (${tenant.domain})` : ''}${tenant.archived ? '  [archived]' : ''}`,
    );
    throw new UserError(`'${text}' matches ${candidates.length} tenants; use the tenant ID:\n${lines.join('\n')}`);
  }

  add(tenant: Tenant): TenantRecord {
    this.db.transaction(() => this.insert(tenant))();
    return this.get(tenant.tenantId) as TenantRecord;
  }

  /** Adds every tenant or none (one transaction). */
  importTenants(tenants: readonly Tenant[]): number {
    this.db.transaction(() => {
      for (const tenant of tenants) this.insert(tenant);
    })();
    return tenants.length;
  }

  /** Replaces the given fields; integrations, options, app names and dates are rewritten together. */
  update(tenantId: string, patch: TenantPatch): TenantRecord {
    this.db.transaction(() => {
      const existing = this.get(tenantId);
      if (!existing) throw new UserError(`no tenant with ID ${tenantId} in the roster`);
      const merged: Tenant = { ...existing, ...patch, tenantId: existing.tenantId, archived: existing.archived };
      this.statements.updateTenant.run({ ...tenantParams(merged), now: this.timestamp() });
      this.writeChildren(merged, true);
    })();
    return this.get(tenantId) as TenantRecord;
  }

  /** Hides the tenant from lists and checks; its history and attestations stay. */
  archive(tenantId: string): TenantRecord {
    return this.setArchived(tenantId, true);
  }

  unarchive(tenantId: string): TenantRecord {
    return this.setArchived(tenantId, false);
  }

  private setArchived(tenantId: string, archived: boolean): TenantRecord {
    this.db.transaction(() => {
      const existing = this.get(tenantId);
      if (!existing) throw new UserError(`no tenant with ID ${tenantId} in the roster`);
      if (existing.archived === archived) return;
      const now = this.timestamp();
      this.statements.setArchived.run({ tenant_id: tenantId, archived: archived ? 1 : 0, archived_at: archived ? now : null, now });
    })();
    return this.get(tenantId) as TenantRecord;
  }

  private insert(tenant: Tenant): void {
    const existing = this.statements.getTenant.get(tenant.tenantId);
    if (existing) {
      throw new UserError(
        `tenant ${tenant.tenantId} is already in the roster as '${cleanText(existing.name)}'` +
          `${existing.archived ? ' (archived)' : ''}; use expel-track tenant edit to change it`,
      );
    }
    this.statements.insertTenant.run({ ...tenantParams(tenant), now: this.timestamp() });
    this.writeChildren(tenant, false);
  }

  private writeChildren(tenant: Tenant, replace: boolean): void {
    const { tenantId } = tenant;
    if (replace) {
      this.statements.deleteIntegrations.run(tenantId);
      this.statements.deleteSubscriptions.run(tenantId);
    }
    for (const integration of tenant.integrations) {
      const option = integration === 'mde' ? tenant.options.mde : integration === 'azure' ? tenant.options.azure : null;
      this.statements.insertIntegration.run(
        tenantId,
        integration,
        option,
        tenant.appNames[integration] ?? null,
        tenant.deviceAdded[integration] ?? null,
      );
    }
    for (const subscription of new Set(tenant.subscriptions)) {
      this.statements.insertSubscription.run(tenantId, subscription);
    }
  }

  private timestamp(): string {
    return this.now().toISOString();
  }
}

function tenantParams(tenant: Tenant): Record<string, string | null> {
  return {
    tenant_id: tenant.tenantId,
    name: tenant.name,
    domain: tenant.domain,
    org_guid: tenant.orgGuid,
    guest_email: tenant.guestEmail,
    engagement_manager: tenant.engagementManager,
    engineer: tenant.engineer,
    started_on: tenant.startedOn,
    notes: tenant.notes,
    mde_console: tenant.options.mdeConsole,
  };
}

function toRecord(row: TenantRow, integrationRows: IntegrationRow[], subscriptionRows: SubscriptionRow[]): TenantRecord {
  const byId = new Map(integrationRows.map((integration) => [integration.integration, integration]));
  const integrations = SCOPED_INTEGRATIONS.filter((id) => byId.has(id));
  const appNames: Partial<Record<ScopedIntegrationId, string>> = {};
  const deviceAdded: Partial<Record<ScopedIntegrationId, string>> = {};
  for (const id of integrations) {
    const integration = byId.get(id);
    if (integration?.app_name) appNames[id] = integration.app_name;
    if (integration?.device_added) deviceAdded[id] = integration.device_added;
  }
  return {
    tenantId: row.tenant_id,
    name: row.name,
    domain: row.domain,
    orgGuid: row.org_guid,
    guestEmail: row.guest_email,
    engagementManager: row.engagement_manager,
    engineer: row.engineer,
    startedOn: row.started_on,
    notes: row.notes,
    archived: row.archived === 1,
    integrations,
    options: {
      mde: (byId.get('mde')?.option as AppOption | undefined) ?? DEFAULT_OPTIONS.mde,
      mdeConsole: (row.mde_console as ConsoleOption | undefined) ?? DEFAULT_OPTIONS.mdeConsole,
      azure: (byId.get('azure')?.option as AppOption | undefined) ?? DEFAULT_OPTIONS.azure,
    },
    appNames,
    subscriptions: subscriptionRows.map((subscription) => subscription.subscription_id),
    deviceAdded,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    archivedAt: row.archived_at,
  };
}

function groupBy<Row extends { tenant_id: string }>(rows: Row[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const group = groups.get(row.tenant_id);
    if (group) group.push(row);
    else groups.set(row.tenant_id, [row]);
  }
  return groups;
}

function foldCase(text: string): string {
  return text.normalize('NFC').toLowerCase();
}
