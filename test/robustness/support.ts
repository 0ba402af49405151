// Shared set-up for the robustness tests: a simulated cloud, a sandboxed workspace whose roster
// holds the sim's tenants, and the built CLI pointed at both (bench/lib/sandbox.ts does the work,
// so the tests and the benchmarks drive the product the same way).
import BetterSqlite3 from 'better-sqlite3';
import { rosterOf, startSimCloud, type SimCloud, type SimOptions, type SimTenant } from '../../sim/index.js';
import { configureForSim, makeWorkspace, runCli, seedRoster, simEnv, type CliRun, type RunCliOptions, type Workspace } from '../../bench/lib/sandbox.js';

export { runCli, type CliRun };

export interface SimWorkspace {
  cloud: SimCloud;
  ws: Workspace;
  tenants: SimTenant[];
  /** The CLI's environment: sandboxed paths + the sim's endpoints and app credentials. */
  env: NodeJS.ProcessEnv;
  cli(args: readonly string[], options?: RunCliOptions & { env?: NodeJS.ProcessEnv }): Promise<CliRun>;
  close(): Promise<void>;
}

export async function simWorkspace(label: string, tenants: SimTenant[], options: Omit<SimOptions, 'scenarios'> = {}): Promise<SimWorkspace> {
  const cloud = await startSimCloud({ ...options, scenarios: tenants });
  const ws = makeWorkspace(label);
  seedRoster(ws.db, rosterOf(tenants));
  configureForSim(ws.configDir);
  const env = { ...ws.env, ...simEnv(cloud) };
  return {
    cloud,
    ws,
    tenants,
    env,
    cli: (args, extra = {}) => runCli(args, { ...env, ...extra.env }, extra),
    close: async () => {
      await cloud.close();
      ws.cleanup();
    },
  };
}

/** A plain SQLite connection to the file, bypassing expel-track (no migrations, no run recovery). */
export function rawDatabase(file: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(file, { fileMustExist: true, timeout: 5000 });
  db.pragma('busy_timeout = 5000');
  return db;
}

export function integrityOf(file: string): string[] {
  const db = rawDatabase(file);
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check);
  } finally {
    db.close();
  }
}
