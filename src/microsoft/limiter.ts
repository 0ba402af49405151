// Bounded concurrency: a process-wide limit on requests in flight to Microsoft, and a smaller
// limit per customer tenant so one large tenant cannot starve the others or trip its own
// per-tenant throttling bucket.
import { AbortError } from './transport.js';

export class Semaphore {
  private active = 0;
  private readonly waiting: Array<{ grant: () => void; signal?: AbortSignal; onAbort?: () => void }> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`semaphore limit must be a positive integer, got ${limit}`);
  }

  get inFlight(): number {
    return this.active;
  }

  /** Resolves to a release function once a slot is free; rejects with AbortError if `signal` fires first. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new AbortError());
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const entry: (typeof this.waiting)[number] = {
        grant: () => {
          if (entry.onAbort) signal?.removeEventListener('abort', entry.onAbort);
          this.active++;
          resolve(this.releaser());
        },
        signal,
      };
      if (signal) {
        entry.onAbort = () => {
          const index = this.waiting.indexOf(entry);
          if (index >= 0) this.waiting.splice(index, 1);
          reject(new AbortError());
        };
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      this.waiting.push(entry);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.waiting.shift()?.grant();
    };
  }
}

/** A global semaphore plus one per tenant. */
export class RequestLimits {
  private readonly global: Semaphore;
  private readonly perTenant = new Map<string, Semaphore>();

  constructor(readonly concurrency: number, readonly perTenantConcurrency: number) {
    this.global = new Semaphore(concurrency);
  }

  /** Takes the tenant's slot first, then a global one, so a tenant waiting on itself holds no global slot. */
  async acquire(tenantKey: string, signal?: AbortSignal): Promise<() => void> {
    let tenant = this.perTenant.get(tenantKey);
    if (!tenant) {
      tenant = new Semaphore(this.perTenantConcurrency);
      this.perTenant.set(tenantKey, tenant);
    }
    const releaseTenant = await tenant.acquire(signal);
    try {
      const releaseGlobal = await this.global.acquire(signal);
      return () => {
        releaseGlobal();
        releaseTenant();
      };
    } catch (error) {
      releaseTenant();
      throw error;
    }
  }
}
