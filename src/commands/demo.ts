// `expel-track demo`: the dashboard on the simulated cloud's scenario tenants, in a temporary
// roster that is deleted afterwards (the user's own roster and settings are never opened). It
// starts with a re-check of every tenant, so a newcomer sees every status within seconds.
import type { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../db/database.js';
import { RosterStore } from '../db/roster.js';
import type { Settings } from '../settings/settings.js';
import type { SimCloud } from '../../sim/index.js';
import { openDashboard, requireInteractive, type DashboardSession } from './dashboard.js';

/** Per request, on every simulated service: about what a Graph read takes from a laptop. */
export const DEMO_LATENCY_MS = 120;

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('the dashboard on a sample roster against the built-in simulated Microsoft cloud (your roster is not touched)')
    .action(async () => {
      requireInteractive('the demo');
      process.exitCode = await runDemo();
    });
}

export async function runDemo(): Promise<number> {
  const demo = await startDemo({ latencyMs: DEMO_LATENCY_MS });
  try {
    return await openDashboard(demo.session);
  } finally {
    await demo.close();
  }
}

export interface Demo {
  sim: SimCloud;
  /** A temporary roster of the sim's scenario tenants, settings pointed at the sim. */
  session: DashboardSession;
  /** Stops the sim and deletes the temporary folder (the session's database must be closed first). */
  close(): Promise<void>;
}

/** The simulated cloud plus everything the dashboard needs to run against it (also used by tests). */
export async function startDemo(options: { latencyMs?: number } = {}): Promise<Demo> {
  const [{ startSimCloud, rosterOf, SIM_EXPEL_APP_IDS, EXPEL_TENANT_ID }, { createAccessLayer }, { accessOptionsFrom }, { openSettings }] = await Promise.all([
    import('../../sim/index.js'),
    import('../microsoft/index.js'),
    import('../check/access-options.js'),
    import('../settings/settings.js'),
  ]);
  const dir = mkdtempSync(path.join(tmpdir(), 'expel-track-demo-'));
  const sim = await startSimCloud(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs });
  const close = async (): Promise<void> => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  };
  let db: Database | null = null;
  try {
    db = openDatabase(path.join(dir, 'roster.db'));
    new RosterStore(db).importTenants(rosterOf(sim.tenants));
    // Built-in defaults only (an empty environment and a fresh folder), pointed at the sim.
    const settings: Settings = {
      ...openSettings({ configDir: path.join(dir, 'config'), env: {} }).all(),
      cloud: 'custom',
      auth: 'client-secret',
      expelTenantId: EXPEL_TENANT_ID,
      expelAppIds: { ...SIM_EXPEL_APP_IDS },
      // Kept after the demo ends (the rest of the folder is deleted), apart from real exports.
      exportDir: path.join(tmpdir(), 'expel-track-demo-exports'),
    };
    const session: DashboardSession = {
      db,
      settings,
      recheckOnStart: true,
      // The sim's endpoints, for the sign-in links the customer instructions carry.
      env: { EXPEL_TRACK_AUTHORITY_HOST: sim.authorityHost, EXPEL_TRACK_GRAPH_URL: sim.graphUrl, EXPEL_TRACK_ARM_URL: sim.armUrl },
      access: async (signIn) =>
        createAccessLayer({
          ...accessOptionsFrom(settings, (prompt) => signIn.prompt(prompt)),
          endpoints: { authorityHost: sim.authorityHost, graphUrl: sim.graphUrl, armUrl: sim.armUrl },
          ca: sim.ca,
          // The sim's tracker app, handed over in memory: never through the user's environment or a file.
          env: { AZURE_CLIENT_ID: sim.trackerApp.clientId, AZURE_CLIENT_SECRET: sim.trackerApp.clientSecret },
        }),
    };
    return { sim, session, close };
  } catch (error) {
    db?.close();
    await close();
    throw error;
  }
}
