// After a full working session (config, check with app and device-code sign-in, attest, export,
// instructions), not one token, secret or device code the simulated cloud issued may appear in
// anything expel-track wrote: the database (every file of it, and every cell, since SQLite may
// split a long value across pages), the settings folder, exports, instructions, or the output
// of the commands.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_TRACKER_CLIENT_ID, scenarioTenants } from '../../sim/index.js';
import { rawDatabase, simWorkspace, type CliRun, type SimWorkspace } from './support.js';

let sim: SimWorkspace;
const outputs: { command: string; run: CliRun }[] = [];

async function step(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const run = await sim.cli(args, { env });
  outputs.push({ command: args.join(' '), run });
  return run;
}

/** Each secret, plus the signature of each JWT (unique to the token even if the rest were reshaped). */
function needles(secrets: readonly string[]): string[] {
  const out = new Set<string>();
  for (const secret of secrets) {
    out.add(secret);
    const parts = secret.split('.');
    if (parts.length === 3 && parts[2]!.length >= 32) out.add(parts[2]!);
  }
  return [...out].filter((needle) => needle.length >= 16);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

function findIn(haystack: Buffer | string, found: Set<string>, where: string, secrets: readonly string[]): void {
  for (const needle of secrets) if (haystack.indexOf(needle) !== -1) found.add(`${where}: ${needle.slice(0, 12)}…`);
}

/** Every place a secret was found: files by bytes, database cells by value, command output. */
function scan(dir: string, databases: readonly string[], secrets: readonly string[]): string[] {
  const found = new Set<string>();
  for (const file of filesUnder(dir)) findIn(readFileSync(file), found, path.relative(dir, file), secrets);
  for (const file of databases) {
    const db = rawDatabase(file);
    try {
      const tables = db.prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`).all();
      for (const { name } of tables) {
        for (const row of db.prepare(`SELECT * FROM "${name}"`).raw(true).iterate() as Iterable<unknown[]>) {
          for (const cell of row) if (typeof cell === 'string' || Buffer.isBuffer(cell)) findIn(cell, found, `${path.basename(file)} table ${name}`, secrets);
        }
      }
    } finally {
      db.close();
    }
  }
  for (const { command, run } of outputs) {
    findIn(run.stdout, found, `stdout of ${command}`, secrets);
    findIn(run.stderr, found, `stderr of ${command}`, secrets);
  }
  return [...found];
}

beforeAll(async () => {
  const tenants = scenarioTenants();
  sim = await simWorkspace('secrets', tenants);
  const onboarded = tenants.find((t) => t.scenario === 'onboarded')!.tenantId.toLowerCase();
  const hostile = tenants.find((t) => t.scenario === 'hostile-names')!.tenantId.toLowerCase();
  const exports = path.join(sim.ws.dir, 'exports');

  expect((await step(['config', 'set', 'secretWarningDays', '45'])).code).toBe(0);
  expect((await step(['config', 'set', 'exportDir', exports])).code).toBe(0);
  expect((await step(['config', 'list', '--json'])).code).toBe(0);
  // App-only sign-in (the secret travels in the environment) for every tenant…
  expect([0, 3]).toContain((await step(['check', '--all', '--json'])).code);
  // …and the analyst's device-code sign-in (refresh and id tokens, device codes) for two.
  const delegated = await step(['check', onboarded, hostile], { EXPEL_TRACK_AUTH: 'device-code', EXPEL_TRACK_CLIENT_ID: SIM_TRACKER_CLIENT_ID, AZURE_CLIENT_SECRET: '' });
  expect([0, 3], delegated.stderr).toContain(delegated.code);
  expect((await step(['attest', onboarded, 'm365.audit-log', '--by', 'Sam Okafor', '--note', 'customer sent Get-AdminAuditLogConfig output'])).code).toBe(0);
  expect((await step(['export'])).code).toBe(0);
  expect((await step(['export', '--format', 'json', '--out', path.join(exports, 'status.json')])).code).toBe(0);
  expect((await step(['export', '--out', '-'])).code).toBe(0);
  expect((await step(['instructions', hostile, '--out', path.join(sim.ws.dir, 'instructions.md')])).code).toBe(0);
  expect((await step(['instructions', onboarded, '--format', 'text'])).code).toBe(0);
  expect((await step(['tenant', 'list', '--json'])).code).toBe(0);
}, 180_000);

afterAll(async () => {
  await sim?.close();
});

describe('no secret in anything expel-track wrote', () => {
  it('the sim issued app and delegated credentials during the session', () => {
    const secrets = sim.cloud.issuedSecrets();
    expect(secrets).toContain(sim.cloud.trackerApp.clientSecret);
    const grants = new Set(sim.cloud.log.filter((entry) => entry.grantType).map((entry) => entry.grantType));
    expect(grants).toContain('client_credentials');
    expect(grants).toContain('device_code');
    expect(grants).toContain('refresh_token');
    expect(secrets.length).toBeGreaterThan(20);
  });

  it('finds none in the database, settings, exports, instructions or command output', () => {
    const files = filesUnder(sim.ws.dir);
    expect(files.some((file) => file.endsWith('.csv'))).toBe(true);
    expect(files.some((file) => file.endsWith('config.json'))).toBe(true);
    expect(scan(sim.ws.dir, [sim.ws.db], needles(sim.cloud.issuedSecrets()))).toEqual([]);
  });

  it('the scan itself finds a secret that was written (in a file, in a database cell split over pages, in output)', () => {
    const secrets = needles(sim.cloud.issuedSecrets());
    const token = secrets.find((secret) => secret.split('.').length === 3)!;
    const decoy = path.join(sim.ws.dir, 'decoy');
    writeFileSync(`${decoy}.txt`, `log line ${token}\n`);
    const db = new BetterSqlite3(`${decoy}.db`);
    db.exec('CREATE TABLE t (v TEXT)');
    // Long enough to spill onto overflow pages, so in the file the token may be split between pages.
    db.prepare('INSERT INTO t VALUES (?)').run(`${'x'.repeat(4050)}${token}${'y'.repeat(9000)}`);
    db.close();
    outputs.push({ command: 'decoy', run: { code: 0, signal: null, stdout: '', stderr: `oops ${sim.cloud.trackerApp.clientSecret}`, wallMs: 0 } });
    try {
      const found = scan(sim.ws.dir, [sim.ws.db, `${decoy}.db`], secrets);
      expect(found.some((where) => where.startsWith('decoy.txt'))).toBe(true);
      expect(found.some((where) => where.startsWith('decoy.db table t'))).toBe(true);
      expect(found.some((where) => where.startsWith('stderr of decoy'))).toBe(true);
    } finally {
      outputs.pop();
    }
  });
});
