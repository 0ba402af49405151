// Benchmarks 3, 4 and 6: the dashboard in a real pseudo-terminal (bench/pty-harness.py, 120×40,
// CI unset). 3: process start to the first roster frame with 5,000 tenants, against `node -e`
// printing one line in the same harness. 4: keystroke to frame at 100 and at 5,000 tenants.
// 6: peak RSS of the dashboard with 5,000 tenants after a full re-check (R) against the sim,
// against the same dashboard started and quit without one.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { rosterOf, startSimCloud, syntheticTenants } from '../sim/index.js';
import { checkedTemplates, seedClonedHistory } from './lib/history.js';
import { log, median, percentile, publish } from './lib/report.js';
import { binPath, configureForSim, makeWorkspace, projectRoot, seedRoster, simEnv, type Workspace } from './lib/sandbox.js';
import { readUsage, usageEnv } from './lib/usage.js';

const LARGE = Number(process.env.BENCH_DASHBOARD_TENANTS ?? 5000);
const SMALL = 100;
const MEMORY_TENANTS = Number(process.env.BENCH_MEMORY_TENANTS ?? 5000);
const STARTS = 5;
const KEYS = 40;
/** The selected row's cursor: present in every roster frame once rows are drawn. */
const CURSOR = '›';

interface HarnessResult {
  firstOutputMs: number | null;
  markerMs: number | null;
  keys: (number | null)[];
  waitMs: number | null;
  exitCode: number | null;
  tail: string;
}

function harness(options: string[], command: string[], env: NodeJS.ProcessEnv): Promise<HarnessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [path.join(projectRoot, 'bench', 'pty-harness.py'), ...options, '--', ...command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`pty-harness exited ${code}: ${err}`));
      else resolve(JSON.parse(out) as HarnessResult);
    });
  });
}

const dashboard = [process.execPath, binPath];

function workspaceWithHistory(label: string, templates: Awaited<ReturnType<typeof checkedTemplates>>, count: number): Workspace {
  const ws = makeWorkspace(label);
  seedClonedHistory(ws.db, templates, count);
  return ws;
}

const known = (values: (number | null)[]): number[] => values.filter((v): v is number => v !== null);

log(`== 3, 4. Dashboard in a pseudo-terminal (120×40): start with ${LARGE} tenants, keystroke to frame at ${SMALL} and ${LARGE}`);
log(`   seeding: 200 synthetic tenants checked against the sim, cloned to ${SMALL} and ${LARGE} with 2 runs each…`);
const templates = await checkedTemplates(200);
const small = workspaceWithHistory('bench-dash-small', templates, SMALL);
const large = workspaceWithHistory('bench-dash-large', templates, LARGE);
try {
  // ---- 3. start to first frame, alternating with the bare-Node baseline ----------------------
  const nodeStarts: number[] = [];
  const dashStarts: number[] = [];
  const dashFirstBytes: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const bare = await harness(['--marker', 'ready'], [process.execPath, '-e', "process.stdout.write('ready\\n')"], large.env);
    if (bare.markerMs !== null) nodeStarts.push(bare.markerMs);
    const dash = await harness(['--marker', CURSOR, '--timeout', '60'], dashboard, large.env);
    if (dash.markerMs === null) throw new Error(`no roster frame within 60 s; last output: ${dash.tail.slice(-500)}`);
    dashStarts.push(dash.markerMs);
    if (dash.firstOutputMs !== null) dashFirstBytes.push(dash.firstOutputMs);
  }
  const startRatio = median(dashStarts) / median(nodeStarts);
  publish({
    id: 'dashboard-start',
    title: `3. Dashboard start (${LARGE} tenants with history, 120×40 PTY)`,
    figure: { label: `process start → first roster frame (median of ${STARTS})`, value: median(dashStarts), unit: 'ms' },
    baseline: { what: "`node -e` printing one line, same PTY harness", label: 'bare Node', value: median(nodeStarts), unit: 'ms' },
    ratio: { value: startRatio, target: '< 2.5×', met: startRatio < 2.5 },
    details: [
      { label: 'process start → first byte on the terminal (median)', value: median(dashFirstBytes), unit: 'ms' },
      { label: 'first roster frame (min)', value: Math.min(...dashStarts), unit: 'ms' },
      { label: 'first roster frame (max)', value: Math.max(...dashStarts), unit: 'ms' },
    ],
    checks: [],
    notes: ['first roster frame = the first output holding the selection cursor (›), i.e. tenant rows on screen'],
  });

  // ---- 4. keystroke to frame ------------------------------------------------------------------
  const keyOptions = ['--marker', CURSOR, '--timeout', '60', '--idle-ms', '1500', '--key', 'j', '--key-marker', CURSOR, '--count', String(KEYS), '--gap-ms', '150'];
  const keysAt = { small: [] as number[], large: [] as number[] };
  let missed = 0;
  for (let round = 0; round < 2; round++) {
    for (const [name, ws] of [['small', small], ['large', large]] as const) {
      const run = await harness(keyOptions, dashboard, ws.env);
      missed += run.keys.filter((k) => k === null).length + (KEYS - run.keys.length);
      keysAt[name].push(...known(run.keys));
    }
  }
  const mSmall = median(keysAt.small);
  const mLarge = median(keysAt.large);
  const keyRatio = mLarge / mSmall;
  publish({
    id: 'keystroke',
    title: `4. Keystroke → frame (j, ${KEYS * 2} presses at each size)`,
    figure: { label: `median at ${LARGE} tenants`, value: mLarge, unit: 'ms' },
    baseline: { what: `median at ${SMALL} tenants`, label: 'small roster', value: mSmall, unit: 'ms' },
    ratio: { value: keyRatio, target: '≤ 1.2× and < 16 ms median', met: keyRatio <= 1.2 && mLarge < 16 && mSmall < 16 },
    details: [
      { label: `p95 at ${LARGE}`, value: percentile(keysAt.large, 95), unit: 'ms' },
      { label: `p95 at ${SMALL}`, value: percentile(keysAt.small, 95), unit: 'ms' },
    ],
    checks: [{ name: 'every keystroke produced a frame', ok: missed === 0, detail: `${missed} of ${KEYS * 4} keystrokes got no frame within 5 s` }],
    notes: ['timed from writing the key to the PTY until output holding the moved cursor arrives; each key after the output has been quiet for 150 ms'],
  });
} finally {
  small.cleanup();
  large.cleanup();
}

// ---- 6. memory after a full re-check ------------------------------------------------------------
log(`\n== 6. Dashboard memory: ${MEMORY_TENANTS} synthetic tenants, full re-check (R) against the sim`);
const tenants = syntheticTenants(MEMORY_TENANTS, 21);
const cloud = await startSimCloud({ scenarios: tenants });
const ws = makeWorkspace('bench-dash-memory');
try {
  seedRoster(ws.db, rosterOf(tenants));
  configureForSim(ws.configDir);
  const env = { ...ws.env, ...simEnv(cloud) };
  const idleUsage = path.join(ws.dir, 'usage-idle.json');
  const idle = await harness(['--marker', CURSOR, '--timeout', '60', '--idle-ms', '1500'], dashboard, usageEnv(idleUsage, env));
  const recheckUsage = path.join(ws.dir, 'usage-recheck.json');
  const full = await harness(['--marker', CURSOR, '--timeout', '900', '--idle-ms', '1500', '--wait-key', 'R', '--wait-for', 'Re-check finished'], dashboard, usageEnv(recheckUsage, env));
  const idleRss = readUsage(idleUsage);
  const fullRss = readUsage(recheckUsage);
  // Every tenant at least asks the login service (discovery, sign-in), even one whose sign-in is refused.
  const checked = new Set(cloud.log.filter((e) => e.tenantId).map((e) => e.tenantId!.toLowerCase()));
  publish({
    id: 'dashboard-memory',
    title: `6. Dashboard peak memory (${MEMORY_TENANTS} tenants, after a full re-check)`,
    figure: { label: 'peak RSS after the re-check', value: (fullRss?.maxRssKb ?? Number.NaN) / 1024, unit: 'MB' },
    baseline: { what: 'the same dashboard started and quit without re-checking', label: 'idle', value: (idleRss?.maxRssKb ?? Number.NaN) / 1024, unit: 'MB' },
    ratio: idleRss && fullRss ? { value: fullRss.maxRssKb / idleRss.maxRssKb, target: null, met: null } : null,
    details: [
      ...(full.waitMs !== null ? [{ label: `full re-check of ${MEMORY_TENANTS} tenants (R → "Re-check finished")`, value: full.waitMs / 1000, unit: 's' as const }] : []),
      ...(fullRss ? [{ label: 'dashboard CPU time', value: (fullRss.userMs + fullRss.systemMs) / 1000, unit: 's' as const }] : []),
    ],
    checks: [
      { name: 'the re-check finished and the dashboard quit cleanly', ok: full.waitMs !== null && full.exitCode === 0 && fullRss !== null, detail: `exit ${full.exitCode}, ${full.waitMs === null ? 'no "Re-check finished"' : 'finished'}${full.waitMs === null ? `; last output: ${full.tail.slice(-300)}` : ''}` },
      { name: 'every tenant reached the sim', ok: checked.size === MEMORY_TENANTS, detail: `${checked.size} of ${MEMORY_TENANTS}` },
      { name: 'idle run quit cleanly', ok: idle.exitCode === 0 && idleRss !== null, detail: `exit ${idle.exitCode}` },
    ],
    notes: ['peak RSS read from process.resourceUsage().maxRSS at exit (bench/rss-probe.mjs preloaded with NODE_OPTIONS)'],
  });
} finally {
  await cloud.close();
  ws.cleanup();
}
