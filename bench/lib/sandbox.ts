// A throw-away workspace for one benchmark or robustness test: its own database, config folder
// and HOME, a roster seeded straight through RosterStore, and the environment that points the
// built CLI at a simulated cloud (contract.md "Where it reaches Microsoft").
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Tenant } from '../../src/core/tenant.js';
import { openDatabase } from '../../src/db/database.js';
import { RosterStore } from '../../src/db/roster.js';
import { openSettings } from '../../src/settings/settings.js';
import { SIM_EXPEL_APP_IDS, type SimCloud } from '../../sim/index.js';
import { isolatedEnv } from '../../test/support/isolated-env.js';

/** The repository root: the nearest folder above this file with expel-track's package.json (works from bench/lib and from dist/bench). */
export const projectRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));
export const binPath = path.join(projectRoot, 'bin', 'expel-track.js');

function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'expel-track') return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the expel-track project root above ${start}`);
  }
}

export interface Workspace {
  dir: string;
  db: string;
  configDir: string;
  /** Environment for the CLI: every default location inside the workspace. */
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

export function makeWorkspace(label: string): Workspace {
  const dir = mkdtempSync(path.join(tmpdir(), `expel-track-${label}-`));
  const db = path.join(dir, 'roster.db');
  const configDir = path.join(dir, 'config');
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...isolatedEnv(dir, db, configDir), CI: 'false' };
  return { dir, db, configDir, env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes the tenants into the workspace's roster in one transaction. */
export function seedRoster(db: string, tenants: readonly Tenant[]): void {
  const database = openDatabase(db);
  try {
    new RosterStore(database).importTenants(tenants);
  } finally {
    database.close();
  }
}

/** Settings the sim tenants are built for: the sim's Expel enterprise app IDs. */
export function configureForSim(configDir: string): void {
  const settings = openSettings({ configDir });
  settings.set('expelAppIds.mde', SIM_EXPEL_APP_IDS.mde);
  settings.set('expelAppIds.m365', SIM_EXPEL_APP_IDS.m365);
  settings.set('expelAppIds.azure', SIM_EXPEL_APP_IDS.azure);
}

/** The environment that sends the CLI to the sim with app-only (client-secret) sign-in. */
export function simEnv(cloud: Pick<SimCloud, 'authorityHost' | 'graphUrl' | 'armUrl' | 'caFile' | 'trackerApp'>): NodeJS.ProcessEnv {
  return {
    EXPEL_TRACK_CLOUD: 'custom',
    EXPEL_TRACK_AUTHORITY_HOST: cloud.authorityHost,
    EXPEL_TRACK_GRAPH_URL: cloud.graphUrl,
    EXPEL_TRACK_ARM_URL: cloud.armUrl,
    EXPEL_TRACK_AUTH: 'client-secret',
    AZURE_CLIENT_ID: cloud.trackerApp.clientId,
    AZURE_CLIENT_SECRET: cloud.trackerApp.clientSecret,
    NODE_EXTRA_CA_CERTS: cloud.caFile,
  };
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, ms. */
  wallMs: number;
}

export interface RunCliOptions {
  /** Node flags before the script (e.g. --cpu-prof, which NODE_OPTIONS refuses). */
  nodeArgs?: readonly string[];
  /** Gets the child as soon as it is spawned, e.g. to kill it mid-run. */
  onSpawn?: (child: ChildProcess) => void;
}

/** Runs the built CLI without blocking the event loop (the sim answers from this process). */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, options: RunCliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), binPath, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        wallMs: performance.now() - started,
      }),
    );
    options.onSpawn?.(child);
  });
}
