// Benchmark rosters: synthetic tenants (sim/synthetic.ts) restricted to those with every
// integration in scope, so each tenant exercises every probe.
import { SCOPED_INTEGRATIONS } from '../../src/core/tenant.js';
import { syntheticTenants, type SimTenant } from '../../sim/index.js';

/** The first `count` synthetic tenants of `seed` that have mde, mdi, m365 and azure in scope. */
export function everyIntegrationTenants(count: number, seed = 7): SimTenant[] {
  const picked: SimTenant[] = [];
  // About 4 % of synthetic tenants have all four; generation is lazy, so drawing many is cheap.
  for (let batch = count * 40; picked.length < count; batch *= 2) {
    picked.length = 0;
    for (const tenant of syntheticTenants(batch, seed)) {
      if (SCOPED_INTEGRATIONS.every((id) => tenant.roster.integrations.includes(id))) picked.push(tenant);
      if (picked.length === count) break;
    }
  }
  return picked;
}
