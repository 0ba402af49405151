// `npm run bench`: builds the benchmark entries, runs each in its own process (so one's memory and
// JIT state never colour another's), and prints every figure next to the baseline measured in the
// same run, then one Markdown table for the README. Not part of the test suite.
//
//   npm run bench                       # all six, the sizes of issue 7
//   npm run bench -- --quick            # smaller sizes, a smoke run of the harness (figures not comparable)
//   npm run bench -- --only=export,recheck
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBench } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Each entry: the bundled script, the results it publishes (ids, in table order), its sizes. */
const BENCHES = [
  { name: 'recheck', results: ['recheck', 'recheck-faults'], quick: { BENCH_TENANTS: '150', BENCH_FAULT_TENANTS: '40' } },
  { name: 'dashboard', results: ['dashboard-start', 'keystroke', 'dashboard-memory'], quick: { BENCH_DASHBOARD_TENANTS: '1000', BENCH_MEMORY_TENANTS: '300' } },
  { name: 'export', results: ['export'], quick: { BENCH_EXPORT_TENANTS: '2000' } },
];
const ORDER = ['recheck', 'recheck-faults', 'dashboard-start', 'keystroke', 'export', 'dashboard-memory'];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : null;

await buildBench();
if (!existsSync(path.join(root, 'dist', 'cli.js'))) {
  process.stderr.write('bench: dist/cli.js is missing; run `npm run bench` (it builds first) or `npm run build`\n');
  process.exit(1);
}

const resultsDir = mkdtempSync(path.join(os.tmpdir(), 'expel-track-bench-results-'));
const failures = [];
const started = Date.now();
for (const bench of BENCHES) {
  if (only && !only.has(bench.name)) continue;
  const t0 = Date.now();
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'dist', 'bench', `${bench.name}.js`)], {
      stdio: 'inherit',
      env: { ...process.env, CI: 'false', BENCH_RESULTS_DIR: resultsDir, ...(quick ? bench.quick : {}) },
    });
    child.on('close', (exitCode, signal) => resolve(exitCode ?? signal));
  });
  process.stdout.write(`   (${bench.name}: ${((Date.now() - t0) / 1000).toFixed(0)} s, exit ${code})\n`);
  if (code !== 0) failures.push(`${bench.name} exited with ${code}`);
}

const results = ORDER.flatMap((id) => {
  const file = path.join(resultsDir, `${id}.json`);
  return existsSync(file) ? [JSON.parse(readFileSync(file, 'utf8'))] : [];
});
rmSync(resultsDir, { recursive: true, force: true });
for (const bench of BENCHES) {
  if (only && !only.has(bench.name)) continue;
  for (const id of bench.results) if (!results.some((r) => r.id === id)) failures.push(`${id}: no figure (see the output above)`);
}

const fmt = (f) => {
  const v = f.unit === 'x' ? f.value.toFixed(2) : f.value >= 100 ? f.value.toFixed(0) : f.value.toFixed(1);
  return f.unit === 'x' ? `${v}×` : f.unit === 'count' ? v : `${v} ${f.unit}`;
};
const cpu = os.cpus();
const machine = `${cpu.length} × ${cpu[0]?.model?.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, ${os.platform()} ${os.release()}, Node ${process.version}`;
const lines = [
  `Figures of \`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)} (${machine}); total ${((Date.now() - started) / 1000).toFixed(0)} s.`,
  '',
  '| benchmark | figure | baseline (same run) | ratio | target |',
  '|---|---:|---:|---:|---|',
  ...results.map((r) => {
    const ratio = r.ratio ? `${r.ratio.value.toFixed(2)}×` : '—';
    const target = r.ratio?.target ? `${r.ratio.target} ${r.ratio.met === null ? '' : r.ratio.met ? '✔ met' : '✘ not met'}` : '—';
    return `| ${r.title} | ${r.figure.label}: ${fmt(r.figure)} | ${r.baseline.what}: ${fmt(r.baseline)} | ${ratio} | ${target} |`;
  }),
];
const table = lines.join('\n');
process.stdout.write(`\n${table}\n`);
const failedChecks = results.flatMap((r) => r.checks.filter((c) => !c.ok).map((c) => `${r.id}: ${c.name}: ${c.detail}`));
for (const line of [...failures, ...failedChecks]) process.stdout.write(`FAILED ${line}\n`);
const keep = path.join(root, '.bench-tmp');
mkdirSync(keep, { recursive: true });
writeFileSync(path.join(keep, 'results.md'), `${table}\n`);
writeFileSync(path.join(keep, 'results.json'), JSON.stringify({ machine, quick, results }, null, 2));
process.stdout.write(`\n(table also in .bench-tmp/results.md, figures in .bench-tmp/results.json)\n`);
process.exitCode = failures.length + failedChecks.length > 0 ? 1 : 0;
