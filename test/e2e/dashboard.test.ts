// The built CLI in a real pseudo-terminal (python3's pty module, test/e2e/pty_run.py): raw mode,
// window size, the bin's NO_COLOR shim and the bundle all as a user gets them. `npm test` builds
// first; run `node scripts/build.mjs` before running this file alone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, type Tenant } from '../../src/core/tenant.js';
import { openDatabase } from '../../src/db/database.js';
import { RosterStore } from '../../src/db/roster.js';
import { binPath, projectRoot } from '../support/cli.js';

const HELPER = path.join(projectRoot, 'test/e2e/pty_run.py');
const ESC = '\u001b';
const BEL = '\u0007';

type Step = { expect: string; timeout?: number } | { send: string } | { exit: number };

interface PtyResult {
  ok: boolean;
  failed: unknown;
  exitCode: number | null;
  output: string;
  screen: string;
}

let dir: string;
beforeAll(() => {
  if (!existsSync(path.join(projectRoot, 'dist/cli.js'))) throw new Error('build first: node scripts/build.mjs');
});
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function runInPty(args: string[], steps: Step[], db: string): PtyResult {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    XDG_DATA_HOME: path.join(dir, 'data'),
    XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
    EXPEL_TRACK_DB: db,
    EXPEL_TRACK_CONFIG_DIR: path.join(dir, 'config'),
    // Ink shows nothing until exit when CI is set (ink-notes §3.1).
    CI: 'false',
    TERM: 'xterm-256color',
    NO_COLOR: '1',
  };
  const plan = { cmd: [process.execPath, binPath, ...args], env, cwd: projectRoot, rows: 40, cols: 120, steps };
  const child = spawnSync('python3', [HELPER, JSON.stringify(plan)], { encoding: 'utf8', timeout: 240_000, maxBuffer: 64 * 1024 * 1024 });
  if (child.status !== 0) throw new Error(`pty helper failed: ${child.stderr}`);
  const result = JSON.parse(child.stdout) as PtyResult;
  if (!result.ok) throw new Error(`step failed: ${JSON.stringify(result.failed)}\n--- screen ---\n${result.screen.slice(-4000)}`);
  return result;
}

const HOSTILE_NAME = `${ESC}]0;pwned${BEL}Woodgrove ${ESC}[31mBank${ESC}[0m ${ESC}[2J${ESC}[8mhidden`;

function rosterWithHostileName(): string {
  dir = mkdtempSync(path.join(tmpdir(), 'expel-track-e2e-'));
  const file = path.join(dir, 'roster.db');
  const db = openDatabase(file);
  const tenant = (n: number, name: string): Tenant => ({
    tenantId: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    name,
    domain: `tenant${n}.example`,
    orgGuid: null,
    guestEmail: null,
    engagementManager: `${ESC}[5mBlinky EM`,
    engineer: 'Ana',
    startedOn: null,
    notes: null,
    archived: false,
    integrations: ['mde'],
    options: DEFAULT_OPTIONS,
    appNames: {},
    subscriptions: [],
    deviceAdded: {},
  });
  // Written straight to the store, as an older version or another tool might have: the
  // dashboard must not trust that names were cleaned on the way in.
  new RosterStore(db).importTenants([tenant(1, 'Contoso'), tenant(2, HOSTILE_NAME), tenant(3, 'Fabrikam')]);
  db.close();
  return file;
}

describe('the dashboard in a pseudo-terminal', () => {
  it('draws its first frame, answers keys, renders a hostile name inert, and quits with q (exit 0)', () => {
    const db = rosterWithHostileName();
    const result = runInPty(
      [],
      [
        { expect: 'expel-track 3 tenants', timeout: 30 },
        { expect: 'Woodgrove Bank hidden' },
        { send: 'j' },
        { send: '?' },
        { expect: 'Keys' },
        { send: ESC },
        { expect: 'Whose move' },
        { send: '/' },
        { send: 'fab' },
        { expect: '1 of 3 shown' },
        { send: ESC },
        { expect: '3 of 3 shown' },
        { send: 'q' },
        { exit: 30 },
      ],
      db,
    );
    expect(result.exitCode).toBe(0);
    expect(result.screen).toContain('Blinky EM');
    // Nothing from the data reached the terminal as a control sequence: no retitling, no
    // colours (NO_COLOR), no clearing of the screen, no hidden text, no bell.
    expect(result.output).not.toContain(`${ESC}]0;`);
    expect(result.output).not.toContain(BEL);
    expect(result.output).not.toContain(`${ESC}[31m`);
    expect(result.output).not.toContain(`${ESC}[8m`);
    expect(result.output).not.toContain(`${ESC}[5m`);
    // A full-screen clear would also mean a frame reached the terminal's height (ink-notes §2.1).
    expect(result.output).not.toContain(`${ESC}[2J`);
  }, 120_000);

  it('exits with 130 on Ctrl+C', () => {
    const db = rosterWithHostileName();
    const result = runInPty([], [{ expect: 'expel-track 3 tenants', timeout: 30 }, { send: '\u0003' }, { exit: 30 }], db);
    expect(result.exitCode).toBe(130);
  }, 120_000);

  it('runs the demo: the simulated cloud, a first re-check of every tenant, then the keys', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'expel-track-e2e-'));
    const userDb = path.join(dir, 'user-roster.db');
    const result = runInPty(
      ['demo'],
      [
        { expect: 'expel-track \\d+ tenants', timeout: 30 },
        { expect: 'Re-checking' },
        { expect: 'Re-check finished: \\d+ tenants', timeout: 180 },
        { send: '\r' },
        { expect: 'Status' },
        { send: 'j' },
        { expect: 'Summary' },
        { send: ESC },
        { expect: 'Whose move' },
        { send: 'q' },
        { exit: 30 },
      ],
      userDb,
    );
    expect(result.exitCode).toBe(0);
    // Every kind of tenant state showed up.
    for (const word of ['complete', 'action needed', 'attention', 'in progress']) expect(result.screen).toMatch(new RegExp(`[1-9]\\d* ${word}`));
    expect(result.screen).toContain('Cannot read the tenant');
    // The user's own roster was never created or opened.
    expect(existsSync(userDb)).toBe(false);
  }, 240_000);
});
