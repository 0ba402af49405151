// The roster's view of a customer tenant: what the analyst knows and configured,
// never what a probe observed (that lives in the check history).

export const SCOPED_INTEGRATIONS = ['mde', 'mdi', 'm365', 'azure'] as const;
export type ScopedIntegrationId = (typeof SCOPED_INTEGRATIONS)[number];
/** `access` is shared by every tenant; the others are in scope per tenant. */
export type IntegrationId = 'access' | ScopedIntegrationId;
export const INTEGRATION_ORDER: readonly IntegrationId[] = ['access', 'mde', 'mdi', 'm365', 'azure'];

export type AppOption = 'enterprise' | 'custom';
export type ConsoleOption = 'basic' | 'rbac';

/** Per-tenant choices from the guides. mdi is always custom and m365 always enterprise. */
export interface TenantOptions {
  mde: AppOption;
  mdeConsole: ConsoleOption;
  azure: AppOption;
}

export const DEFAULT_OPTIONS: TenantOptions = { mde: 'enterprise', mdeConsole: 'basic', azure: 'enterprise' };

export interface Tenant {
  /** Entra tenant ID, lower-case GUID. */
  tenantId: string;
  name: string;
  domain: string | null;
  orgGuid: string | null;
  guestEmail: string | null;
  engagementManager: string | null;
  engineer: string | null;
  /** ISO date (YYYY-MM-DD) or null. */
  startedOn: string | null;
  notes: string | null;
  archived: boolean;
  integrations: ScopedIntegrationId[];
  options: TenantOptions;
  /** Custom app display names where not the defaults (mde, mdi, azure). */
  appNames: Partial<Record<ScopedIntegrationId, string>>;
  /** Azure subscription IDs Expel monitors (lower-case GUIDs). */
  subscriptions: string[];
  /** When the Expel device was added per integration: ISO date or date-time (T0 of the windows). */
  deviceAdded: Partial<Record<ScopedIntegrationId, string>>;
}
