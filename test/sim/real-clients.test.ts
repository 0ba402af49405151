// The real @azure/identity (MSAL) and Microsoft Graph client talk to the sim end to end, in a
// child process that trusts the sim's certificate through NODE_EXTRA_CA_CERTS, as users will.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimCloud, type SimCloud } from '../../sim/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CONTOSO = 'f9559371-efe4-444a-9b7d-8a5793227fd4';
const FABRIKAM = 'd9169611-733c-4052-b696-6394809499a9';
const BLOCKED = 'dc348e95-aaaf-40bf-a207-f001da399b13';

let cloud: SimCloud;
beforeAll(async () => {
  cloud = await startSimCloud({ deviceCodeAutoApproveMs: 100 });
});
afterAll(async () => {
  await cloud?.close();
});

describe('real client libraries against the sim', () => {
  it('obtains tokens per tenant, reads Graph with paging and ARM, and signs a guest in by device code', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(here, 'fixtures/real-clients.mjs')], {
      cwd: path.resolve(here, '../..'),
      timeout: 60_000,
      env: {
        ...process.env,
        NODE_EXTRA_CA_CERTS: cloud.caFile,
        SIM_TENANTS: [CONTOSO, 'fabrikam.example', BLOCKED].join(','),
        SIM_CLIENT_ID: cloud.trackerApp.clientId,
        SIM_CLIENT_SECRET: cloud.trackerApp.clientSecret,
        SIM_AUTHORITY: cloud.authorityHost,
        SIM_GRAPH: cloud.graphUrl,
        SIM_ARM: cloud.armUrl,
        SIM_DEVICE_TENANT: CONTOSO,
      },
    });
    const out = JSON.parse(stdout);
    expect(out.tokens).toEqual([
      { tenantId: CONTOSO, graphTid: CONTOSO, armAud: 'https://management.azure.com' },
      { tenantId: 'fabrikam.example', graphTid: FABRIKAM, armAud: 'https://management.azure.com' },
    ]);
    expect(out.graph).toEqual([
      { tenantId: CONTOSO, organization: CONTOSO, users: 5 },
      { tenantId: 'fabrikam.example', organization: FABRIKAM, users: 5 },
    ]);
    expect(out.arm[0]).toEqual({ tenantId: CONTOSO, status: 200, count: 2 });
    expect(out.arm[1]).toEqual({ tenantId: 'fabrikam.example', status: 200, count: 0 });
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0].tenantId).toBe(BLOCKED);
    expect(out.errors[0].message).toContain('AADSTS500213');
    expect(out.deviceCode).toMatchObject({ tid: CONTOSO, idtyp: 'user', cached: true });
    expect(out.deviceCode.prompt).toContain(`${cloud.authorityHost}/devicelogin`);
    // The Graph client followed nextLink: three pages of users in each readable tenant.
    expect(cloud.log.filter((e) => e.service === 'graph' && e.tenantId === CONTOSO && e.path.startsWith('/v1.0/users')).length).toBe(3);
  });
});
