// State shared by the three listeners of one running sim: tenants, their lazily built
// directories, the token signer, faults, the request log and what the sim has issued.
import { buildDirectory, initialDomain, type Directory } from './directory.js';
import type { FaultInjector } from './faults.js';
import type { RequestLogEntry } from './log.js';
import type { SimTenant } from './model.js';
import type { TokenSigner } from './tokens.js';

export interface RefreshTokenRecord {
  /** The signed-in account's address (the Expel guest's home account). */
  mail: string;
  clientId: string;
  tenantId: string;
}

export interface DeviceCodeRecord {
  tenantId: string;
  clientId: string;
  scope: string;
  approveAt: number;
  expiresAt: number;
}

export class SimContext {
  readonly tenants: SimTenant[];
  private readonly byId = new Map<string, SimTenant>();
  private readonly byDomain = new Map<string, SimTenant>();
  private readonly directories = new Map<string, Directory>();
  /** Subscription ID → owning tenant, for the wrong-tenant check on ARM. */
  private readonly subscriptionOwner = new Map<string, SimTenant>();
  readonly issued = new Set<string>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly deviceCodes = new Map<string, DeviceCodeRecord>();
  readonly log: RequestLogEntry[] = [];
  latencyMs: number;
  authorityHost = '';
  graphUrl = '';
  armUrl = '';
  private seq = 0;

  constructor(
    tenants: SimTenant[],
    readonly signer: TokenSigner,
    readonly faults: FaultInjector,
    readonly tracker: { clientId: string; clientSecret: string },
    readonly now: () => Date,
    latencyMs: number,
    readonly deviceCodeAutoApproveMs: number,
  ) {
    this.tenants = tenants;
    this.latencyMs = latencyMs;
    for (const tenant of tenants) this.index(tenant);
    this.issued.add(tracker.clientSecret);
  }

  /** Indexes a tenant without building its Microsoft-side state (synthetic tenants build it lazily). */
  private index(tenant: SimTenant): void {
    this.byId.set(tenant.tenantId.toLowerCase(), tenant);
    this.byDomain.set(tenant.domain.toLowerCase(), tenant);
    this.byDomain.set(initialDomain(tenant).toLowerCase(), tenant);
    for (const id of tenant.roster.subscriptions) this.subscriptionOwner.set(id.toLowerCase(), tenant);
  }

  private indexSubscriptions(tenant: SimTenant): void {
    for (const subscription of tenant.ms.subscriptions) this.subscriptionOwner.set(subscription.subscriptionId.toLowerCase(), tenant);
  }

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  /** A tenant by ID or by one of its domains (case-insensitive). */
  findTenant(idOrDomain: string): SimTenant | undefined {
    const key = idOrDomain.toLowerCase();
    return this.byId.get(key) ?? this.byDomain.get(key);
  }

  tenantById(tenantId: string): SimTenant | undefined {
    return this.byId.get(tenantId.toLowerCase());
  }

  ownerOfSubscription(subscriptionId: string): SimTenant | undefined {
    const owner = this.subscriptionOwner.get(subscriptionId.toLowerCase());
    // Roster-listed IDs may name subscriptions the tenant does not actually have.
    return owner?.ms.subscriptions.some((s) => s.subscriptionId.toLowerCase() === subscriptionId.toLowerCase()) ? owner : undefined;
  }

  directory(tenant: SimTenant): Directory {
    let directory = this.directories.get(tenant.tenantId);
    if (!directory) {
      directory = buildDirectory(tenant);
      this.directories.set(tenant.tenantId, directory);
      this.indexSubscriptions(tenant);
    }
    return directory;
  }

  /** Applies a change to a tenant's state; its directory is rebuilt on the next read. */
  updateTenant(tenantId: string, change: (tenant: SimTenant) => void): void {
    const tenant = this.tenantById(tenantId);
    if (!tenant) throw new Error(`sim: no tenant ${tenantId}`);
    change(tenant);
    this.directories.delete(tenant.tenantId);
    this.index(tenant);
    this.indexSubscriptions(tenant);
  }

  nowMs(): number {
    return this.now().getTime();
  }
}

/** Timestamp in the form Microsoft uses in error bodies: 2026-11-22T10:17:06. */
export function errorDate(date: Date): string {
  return date.toISOString().slice(0, 19);
}
