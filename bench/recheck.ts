// Benchmarks 1 and 2: `expel-track check --all` against the simulated cloud with 50 ms added to
// every request, first clean, then with throttling, 503s and dropped connections.
//
// Baseline (1): the lower bound of the run's wall time, derived from the same run's request log:
// Σ over tenants of (its longest chain of dependent round trips × latency) ÷ concurrency. No
// scheduler can beat it: a tenant's chain takes at least that long, and at most `concurrency`
// tenants are in flight. Baseline (2): the same bound for the tenants of the fault run, taken
// from their fault-free chains, and the fault-free run's own ratio.
import path from 'node:path';
import { STATUSES } from '../src/core/status.js';
import { openSettings } from '../src/settings/settings.js';
import { rosterOf, startSimCloud, type FaultOptions, type SimCloud, type SimTenant } from '../sim/index.js';
import { log, median, percentile, publish, round, sum, type BenchResult } from './lib/report.js';
import { configureForSim, makeWorkspace, runCli, seedRoster, simEnv, type CliRun } from './lib/sandbox.js';
import { everyIntegrationTenants } from './lib/tenants.js';
import { readUsage, usageEnv } from './lib/usage.js';
import { trafficByTenant, type TenantTraffic } from './lib/waves.js';

const LATENCY_MS = 50;
const TENANTS = Number(process.env.BENCH_TENANTS ?? 1000);
const FAULT_TENANTS = Math.min(TENANTS, Number(process.env.BENCH_FAULT_TENANTS ?? 100));
const FAULTS: FaultOptions = { throttleRate: 0.1, retryAfterSeconds: 1, unavailableRate: 0.02, dropRate: 0.01 };

interface StepRow {
  tenantId: string;
  stepId: string;
  status: string;
  reason: string | null;
}

interface RecheckRun {
  cli: CliRun;
  traffic: TenantTraffic[];
  steps: StepRow[];
  tenantsReported: number;
  concurrency: number;
  problems: string[];
  cliPeakRssMb: number | null;
  cliCpuS: number | null;
}

async function recheck(cloud: SimCloud, tenants: readonly SimTenant[], label: string): Promise<RecheckRun> {
  const ws = makeWorkspace(`bench-${label}`);
  try {
    seedRoster(ws.db, rosterOf(tenants));
    configureForSim(ws.configDir);
    const concurrency = openSettings({ configDir: ws.configDir }).all().concurrency;
    cloud.clearLog();
    const usageFile = path.join(ws.dir, 'usage.json');
    log(`   ${label}: check --all of ${tenants.length} tenants (concurrency ${concurrency}, ${LATENCY_MS} ms per request)…`);
    const cli = await runCli(['check', '--all', '--json'], usageEnv(usageFile, { ...ws.env, ...simEnv(cloud) }));
    const usage = readUsage(usageFile);
    const { steps, tenantsReported, problems } = readDocument(cli, tenants);
    return {
      cli,
      traffic: trafficByTenant(cloud.log, LATENCY_MS),
      steps,
      tenantsReported,
      concurrency,
      problems,
      cliPeakRssMb: usage ? usage.maxRssKb / 1024 : null,
      cliCpuS: usage ? (usage.userMs + usage.systemMs) / 1000 : null,
    };
  } finally {
    ws.cleanup();
  }
}

/** Every tenant reported, every in-scope integration listed, every step a known status, every error a reason. */
function readDocument(cli: CliRun, tenants: readonly SimTenant[]): { steps: StepRow[]; tenantsReported: number; problems: string[] } {
  const problems: string[] = [];
  if (cli.code !== 0 && cli.code !== 3) problems.push(`exit code ${cli.code} (signal ${cli.signal}); stderr: ${cli.stderr.slice(0, 400)}`);
  if (/\n\s+at .+:\d+:\d+/.test(cli.stderr)) problems.push(`stack trace on stderr: ${cli.stderr.slice(0, 400)}`);
  let document: { tenants: { tenantId: string; integrations: { id: string; steps: { id: string; status: string; reason: string | null }[] }[] }[] };
  try {
    document = JSON.parse(cli.stdout);
  } catch {
    problems.push(`stdout is not one JSON document (${cli.stdout.length} bytes)`);
    return { steps: [], tenantsReported: 0, problems };
  }
  const steps: StepRow[] = [];
  const known = new Set<string>(STATUSES);
  const expected = new Map(tenants.map((t) => [t.tenantId.toLowerCase(), t]));
  for (const tenant of document.tenants) {
    const sim = expected.get(tenant.tenantId);
    if (!sim) {
      problems.push(`unexpected tenant ${tenant.tenantId}`);
      continue;
    }
    const ids = tenant.integrations.map((i) => i.id).join(',');
    const want = ['access', ...['mde', 'mdi', 'm365', 'azure'].filter((i) => sim.roster.integrations.includes(i as never))].join(',');
    if (ids !== want) problems.push(`${tenant.tenantId}: integrations ${ids}, expected ${want}`);
    for (const integration of tenant.integrations) {
      if (integration.steps.length === 0) problems.push(`${tenant.tenantId}: ${integration.id} has no steps`);
      for (const step of integration.steps) {
        if (!known.has(step.status)) problems.push(`${tenant.tenantId} ${step.id}: unknown status ${step.status}`);
        if (step.status === 'error' && !step.reason) problems.push(`${tenant.tenantId} ${step.id}: error without a reason`);
        steps.push({ tenantId: tenant.tenantId, stepId: step.id, status: step.status, reason: step.reason });
      }
    }
  }
  if (document.tenants.length !== tenants.length) problems.push(`${document.tenants.length} of ${tenants.length} tenants reported`);
  return { steps, tenantsReported: document.tenants.length, problems };
}

function boundMs(traffic: readonly TenantTraffic[], concurrency: number): number {
  return (sum(traffic.map((t) => t.waves)) * LATENCY_MS) / concurrency;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

function describeCounts(counts: Record<string, number>, limit = 8): string {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  const shown = entries.slice(0, limit).map(([k, v]) => `${k} ${v}`);
  return entries.length > limit ? `${shown.join(', ')}, … (${entries.length - limit} more)` : shown.join(', ') || 'none';
}

const tenants = everyIntegrationTenants(TENANTS);
const cloud = await startSimCloud({ scenarios: tenants, latencyMs: LATENCY_MS, seed: 11 });
try {
  // ---- 1. clean re-check -------------------------------------------------------------------
  log(`== 1. Re-check throughput: ${TENANTS} synthetic tenants, every integration`);
  const clean = await recheck(cloud, tenants, 'clean');
  const bound = boundMs(clean.traffic, clean.concurrency);
  const ratio = clean.cli.wallMs / bound;
  const wavesOf = new Map(clean.traffic.map((t) => [t.tenantId, t.waves]));
  const spanBound = sum(clean.traffic.map((t) => t.spanMs)) / clean.concurrency;
  const repeated = clean.traffic.flatMap((t) => t.repeats.map((r) => r.replace(/\/[0-9a-f-]{36}\//i, '/{tenant}/').replace(/\/[a-z0-9-]+\.example\//, '/{domain}/')));
  const result1: BenchResult = {
    id: 'recheck',
    title: `1. Re-check throughput (${TENANTS} tenants, every integration, +${LATENCY_MS} ms per request)`,
    figure: { label: 'wall time of check --all', value: clean.cli.wallMs / 1000, unit: 's' },
    baseline: {
      what: `Σ tenant chain × ${LATENCY_MS} ms ÷ concurrency ${clean.concurrency}`,
      label: 'lower bound',
      value: bound / 1000,
      unit: 's',
    },
    ratio: { value: ratio, target: '≤ 1.5×', met: ratio <= 1.5 },
    details: [
      { label: 'HTTP requests per tenant (mean; a $batch counts once)', value: sum(clean.traffic.map((t) => t.requests)) / clean.traffic.length, unit: 'count' },
      { label: 'reads inside $batch per tenant (mean)', value: sum(clean.traffic.map((t) => t.batchedReads)) / clean.traffic.length, unit: 'count' },
      { label: 'chain of dependent round trips per tenant (median)', value: median(clean.traffic.map((t) => t.waves)), unit: 'count' },
      { label: 'chain (mean)', value: sum(clean.traffic.map((t) => t.waves)) / clean.traffic.length, unit: 'count' },
      { label: 'chain (max)', value: Math.max(...clean.traffic.map((t) => t.waves)), unit: 'count' },
      { label: 'tenant span first→last request (median)', value: median(clean.traffic.map((t) => t.spanMs)), unit: 'ms' },
      { label: 'span ÷ (chain × latency): per-round-trip overhead', value: sum(clean.traffic.map((t) => t.spanMs)) / (bound * clean.concurrency), unit: 'x' },
      { label: 'wall ÷ (Σ span ÷ concurrency): pool idle and tail', value: clean.cli.wallMs / spanBound, unit: 'x' },
      { label: 'repeated identical reads (total)', value: repeated.length, unit: 'count' },
      ...(clean.cliPeakRssMb !== null ? [{ label: 'CLI peak RSS', value: clean.cliPeakRssMb, unit: 'MB' as const }] : []),
      ...(clean.cliCpuS !== null ? [{ label: 'CLI CPU time', value: clean.cliCpuS, unit: 's' as const }] : []),
    ],
    checks: [
      { name: 'every tenant and step reported with a known status, every error with a reason', ok: clean.problems.length === 0, detail: clean.problems.slice(0, 5).join('; ') || `${clean.tenantsReported} tenants, ${clean.steps.length} steps` },
      { name: 'every tenant reached the sim', ok: clean.traffic.length === TENANTS, detail: `${clean.traffic.length} of ${TENANTS}` },
    ],
    notes: [
      `statuses: ${describeCounts(countBy(clean.steps, (s) => s.status))}`,
      `error reasons: ${describeCounts(countBy(clean.steps.filter((s) => s.status === 'error'), (s) => s.reason ?? 'none'))}`,
      `repeated reads by kind: ${describeCounts(countBy(repeated, (r) => r.replace(/\?.*$/, '')), 5)}`,
    ],
  };
  publish(result1);

  // ---- 2. the same with faults -------------------------------------------------------------
  log(`\n== 2. Re-check with faults: first ${FAULT_TENANTS} of those tenants, 10 % 429 (Retry-After 1 s), 2 % 503, 1 % dropped connections`);
  const subset = tenants.slice(0, FAULT_TENANTS);
  cloud.setFaults(FAULTS);
  const faulty = await recheck(cloud, subset, 'faults');
  const timings = cloud.retryTimings();
  cloud.setFaults({});
  const faultCounts = countBy(cloud.log.filter((e) => e.fault), (e) => e.fault!);
  const notHonoured = timings.filter((t) => t.honoured === false);
  const subsetBound = (sum(subset.map((t) => wavesOf.get(t.tenantId.toLowerCase()) ?? 0)) * LATENCY_MS) / faulty.concurrency;
  const cleanStatus = new Map(clean.steps.map((s) => [`${s.tenantId} ${s.stepId}`, s.status]));
  const changed = faulty.steps.filter((s) => cleanStatus.get(`${s.tenantId} ${s.stepId}`) !== s.status);
  const changedOtherThanError = changed.filter((s) => s.status !== 'error');
  const result2: BenchResult = {
    id: 'recheck-faults',
    title: `2. Re-check with faults (${FAULT_TENANTS} tenants, +${LATENCY_MS} ms, 10 % 429, 2 % 503, 1 % drops)`,
    figure: { label: 'wall time of check --all', value: faulty.cli.wallMs / 1000, unit: 's' },
    baseline: { what: 'lower bound of the same tenants without faults', label: 'lower bound', value: subsetBound / 1000, unit: 's' },
    ratio: { value: faulty.cli.wallMs / subsetBound, target: null, met: null },
    details: [
      { label: 'fault-free ratio to its bound (run 1)', value: ratio, unit: 'x' },
      { label: 'faults injected', value: sum(Object.values(faultCounts)), unit: 'count' },
      { label: '429s whose Retry-After was honoured', value: timings.filter((t) => t.honoured === true).length, unit: 'count' },
      { label: 'retry wait after a 429 (median)', value: median(timings.flatMap((t) => (t.waitedMs === null ? [] : [t.waitedMs]))), unit: 'ms' },
      { label: 'retry wait after a 429 (p95)', value: percentile(timings.flatMap((t) => (t.waitedMs === null ? [] : [t.waitedMs])), 95), unit: 'ms' },
      { label: 'steps that became error (vs the fault-free run)', value: changed.length - changedOtherThanError.length, unit: 'count' },
      ...(faulty.cliPeakRssMb !== null ? [{ label: 'CLI peak RSS', value: faulty.cliPeakRssMb, unit: 'MB' as const }] : []),
    ],
    checks: [
      { name: 'no crash; every step a verdict or an error with a reason', ok: faulty.problems.length === 0, detail: faulty.problems.slice(0, 5).join('; ') || `exit ${faulty.cli.code}, ${faulty.tenantsReported} tenants, ${faulty.steps.length} steps` },
      { name: 'Retry-After honoured (sim log: no identical request before the allowed time)', ok: notHonoured.length === 0 && timings.length > 0, detail: notHonoured.length === 0 ? `${timings.length} throttled responses, ${timings.filter((t) => t.honoured === null).length} not retried` : notHonoured.slice(0, 3).map((t) => `${t.clientKey} after ${t.waitedMs} ms < ${t.retryAfterMs} ms`).join('; ') },
      { name: 'faults never turn a verdict into another verdict (only into error)', ok: changedOtherThanError.length === 0, detail: changedOtherThanError.length === 0 ? `${changed.length} steps became error` : changedOtherThanError.slice(0, 3).map((s) => `${s.tenantId} ${s.stepId}: ${cleanStatus.get(`${s.tenantId} ${s.stepId}`)} → ${s.status}`).join('; ') },
    ],
    notes: [
      `faults by kind: ${describeCounts(faultCounts)}`,
      `error reasons: ${describeCounts(countBy(faulty.steps.filter((s) => s.status === 'error'), (s) => s.reason ?? 'none'))}`,
      `verdict changes vs fault-free: ${describeCounts(countBy(changed, (s) => `${cleanStatus.get(`${s.tenantId} ${s.stepId}`)}→${s.status}:${s.reason ?? ''}`))}`,
    ],
  };
  publish(result2);
  log(`\n   rounded: clean ${round(clean.cli.wallMs / 1000)} s, faults ${round(faulty.cli.wallMs / 1000)} s`);
} finally {
  await cloud.close();
}
