// Runs checks against the simulated cloud started in this process: the real access layer
// (@azure/identity with a client secret, the Graph client, ARM) over HTTPS to the sim, the real
// probes, rules engine and history store (in-memory SQLite).
import { openDatabase, type Database } from '../../src/db/database.js';
import { HistoryStore } from '../../src/db/history.js';
import { RosterStore } from '../../src/db/roster.js';
import type { Tenant } from '../../src/core/tenant.js';
import { createAccessLayer, type AccessLayer, type AccessOptions } from '../../src/microsoft/index.js';
import { runCheck, type CheckRunResult, type CheckSettings } from '../../src/check/runner.js';
import { DEFAULT_WINDOW_SETTINGS } from '../../src/verdicts/types.js';
import { SIM_EXPEL_APP_IDS, startSimCloud, rosterOf, type SimCloud, type SimOptions } from '../../sim/index.js';

export interface Harness {
  sim: SimCloud;
  roster: Tenant[];
  access: AccessLayer;
  db: Database;
  history: HistoryStore;
  env: NodeJS.ProcessEnv;
  check(tenants?: readonly Tenant[], overrides?: Partial<CheckSettings> & { filter?: Set<never> | null; signal?: AbortSignal }): Promise<CheckRunResult>;
  close(): Promise<void>;
}

export const SIM_SETTINGS: CheckSettings = {
  probe: {
    expelTenantId: '1cde81fd-b430-4035-b24d-709921922876',
    expelAppIds: { ...SIM_EXPEL_APP_IDS },
    guestEmailDomain: 'soc.expel.io',
    secretWarningDays: 30,
  },
  windows: { ...DEFAULT_WINDOW_SETTINGS },
  concurrency: 4,
};

/** The environment of contract.md that points the tracker at the sim with client-secret auth. */
export function simEnv(sim: SimCloud): NodeJS.ProcessEnv {
  return {
    EXPEL_TRACK_CLOUD: 'custom',
    EXPEL_TRACK_AUTHORITY_HOST: sim.authorityHost,
    EXPEL_TRACK_GRAPH_URL: sim.graphUrl,
    EXPEL_TRACK_ARM_URL: sim.armUrl,
    EXPEL_TRACK_AUTH: 'client-secret',
    AZURE_CLIENT_ID: sim.trackerApp.clientId,
    AZURE_CLIENT_SECRET: sim.trackerApp.clientSecret,
    NODE_EXTRA_CA_CERTS: sim.caFile,
  };
}

export async function startHarness(simOptions: SimOptions = {}, accessOptions: Partial<AccessOptions> = {}): Promise<Harness> {
  const sim = await startSimCloud(simOptions);
  const env = simEnv(sim);
  const access = createAccessLayer({
    env,
    ca: sim.ca,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 50,
    maxRetryAfterSeconds: 5,
    requestTimeoutSeconds: 10,
    ...accessOptions,
  });
  const db = openDatabase(':memory:');
  const history = new HistoryStore(db);
  const roster = rosterOf(sim.tenants);
  new RosterStore(db).importTenants(roster);
  return {
    sim,
    roster,
    access,
    db,
    history,
    env,
    check: (tenants = roster, overrides = {}) =>
      runCheck({
        tenants,
        filter: overrides.filter ?? null,
        openSession: (tenantId, signal) => access.openTenantSession(tenantId, signal),
        history,
        settings: { ...SIM_SETTINGS, ...overrides },
        signal: overrides.signal,
      }),
    close: async () => {
      access.close();
      db.close();
      await sim.close();
    },
  };
}
