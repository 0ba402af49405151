// Credential lifecycle with interactive sign-in: closing a tenant's session keeps the analyst's
// device-code sign-in, so a re-check of the tenant does not prompt again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessLayer, type AccessLayer } from '../../src/microsoft/index.js';
import { startSimCloud, type SimCloud } from '../../sim/index.js';

let sim: SimCloud;
let layer: AccessLayer;
const prompts: string[] = [];
beforeAll(async () => {
  sim = await startSimCloud();
  layer = createAccessLayer({
    cloud: 'custom',
    endpoints: { authorityHost: sim.authorityHost, graphUrl: sim.graphUrl, armUrl: sim.armUrl },
    ca: sim.ca,
    auth: 'device-code',
    clientId: sim.trackerApp.clientId,
    env: {},
    onDeviceCode: (prompt) => prompts.push(prompt.tenantId),
  });
}, 60_000);
afterAll(async () => {
  layer?.close();
  await sim?.close();
});

describe('device-code credentials', () => {
  it('stay after the session closes: the next session of the tenant signs in without a prompt', async () => {
    const tenantId = sim.tenants.find((t) => t.scenario === 'onboarded')!.tenantId.toLowerCase();
    const first = layer.openTenantSession(tenantId);
    const claims = await first.signIn();
    expect(claims.tenantId).toBe(tenantId);
    first.close?.();
    expect(prompts).toEqual([tenantId]);
    const again = layer.openTenantSession(tenantId);
    expect((await again.signIn()).tenantId).toBe(tenantId);
    again.close?.();
    expect(prompts).toEqual([tenantId]);
  });
});
