// Benchmark 5: `expel-track export` of 10,000 tenants (with two stored check runs each) to CSV:
// wall time and peak RSS, against a naive exporter writing the same number of rows in the same run.
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { log, publish, type BenchResult } from './lib/report.js';
import { checkedTemplates, seedClonedHistory } from './lib/history.js';
import { makeWorkspace, projectRoot, runCli } from './lib/sandbox.js';
import { readUsage, usageEnv, type Usage } from './lib/usage.js';

const TENANTS = Number(process.env.BENCH_EXPORT_TENANTS ?? 10_000);
const TEMPLATES = 200;

function runNode(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; wallMs: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, wallMs: performance.now() - started, stderr }));
  });
}

/** Data rows of a CSV (CRLF records; quoted cells may hold line breaks, so count outside quotes). */
function csvRecords(text: string): number {
  let records = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 10 && !quoted) records++;
  }
  return records - 1; // the header
}

log(`== 5. Export: ${TENANTS} tenants to CSV`);
log(`   seeding: ${TEMPLATES} synthetic tenants checked against the sim, cloned to ${TENANTS} with 2 runs each…`);
const templates = await checkedTemplates(TEMPLATES);
const ws = makeWorkspace('bench-export');
try {
  seedClonedHistory(ws.db, templates, TENANTS);
  const rounds: { export: { wallMs: number; usage: Usage }; naive: { wallMs: number; usage: Usage } }[] = [];
  let rows = 0;
  let bytes = 0;
  // Alternate the two, twice, so a warm page cache or a busy moment favours neither.
  for (let round = 0; round < 2; round++) {
    const out = path.join(ws.dir, `export-${round}.csv`);
    const usageFile = path.join(ws.dir, `usage-export-${round}.json`);
    const run = await runCli(['export', '--out', out], usageEnv(usageFile, ws.env));
    if (run.code !== 0) throw new Error(`export failed (${run.code}): ${run.stderr}`);
    rows = csvRecords(readFileSync(out, 'utf8'));
    bytes = statSync(out).size;
    const naiveOut = path.join(ws.dir, `naive-${round}.csv`);
    const naiveUsage = path.join(ws.dir, `usage-naive-${round}.json`);
    const naive = await runNode([path.join(projectRoot, 'bench', 'naive-export.mjs'), ws.db, naiveOut, String(rows)], usageEnv(naiveUsage, ws.env));
    if (naive.code !== 0) throw new Error(`naive export failed (${naive.code}): ${naive.stderr}`);
    rounds.push({
      export: { wallMs: run.wallMs, usage: readUsage(usageFile)! },
      naive: { wallMs: naive.wallMs, usage: readUsage(naiveUsage)! },
    });
  }
  const best = <T>(items: T[], value: (item: T) => number): number => Math.min(...items.map(value));
  const exportMs = best(rounds, (r) => r.export.wallMs);
  const naiveMs = best(rounds, (r) => r.naive.wallMs);
  const exportRss = Math.max(...rounds.map((r) => r.export.usage.maxRssKb)) / 1024;
  const naiveRss = Math.max(...rounds.map((r) => r.naive.usage.maxRssKb)) / 1024;
  const result: BenchResult = {
    id: 'export',
    title: `5. Export (${TENANTS} tenants, ${rows} CSV rows, ${(bytes / 1024 / 1024).toFixed(1)} MB)`,
    figure: { label: 'wall time of expel-track export (best of 2)', value: exportMs, unit: 'ms' },
    baseline: { what: 'naive SQL join + Array.join + writeFileSync of as many rows, best of 2', label: 'naive', value: naiveMs, unit: 'ms' },
    ratio: { value: exportMs / naiveMs, target: null, met: null },
    details: [
      { label: 'export peak RSS', value: exportRss, unit: 'MB' },
      { label: 'naive peak RSS', value: naiveRss, unit: 'MB' },
      { label: 'peak RSS ratio', value: exportRss / naiveRss, unit: 'x' },
      { label: 'export CPU time', value: (rounds[0]!.export.usage.userMs + rounds[0]!.export.usage.systemMs) / 1000, unit: 's' },
    ],
    checks: [{ name: 'one row per tenant and integration (access + in scope)', ok: rows === expectedRows(), detail: `${rows} rows, expected ${expectedRows()}` }],
    notes: ['the naive exporter derives nothing (no status, next step, owner, stale, days in stage) and quotes nothing; the real one streams with backpressure'],
  };
  publish(result);
} finally {
  ws.cleanup();
}

function expectedRows(): number {
  let total = 0;
  for (let i = 0; i < TENANTS; i++) total += 1 + templates[i % templates.length]!.tenant.integrations.length;
  return total;
}
