// How a benchmark hands its figures to bench/run.mjs: one JSON file per result in the folder
// named by BENCH_RESULTS_DIR, plus the same figures printed as they are measured.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Figure {
  /** What was measured, e.g. "wall time". */
  label: string;
  value: number;
  unit: 'ms' | 's' | 'MB' | 'x' | 'count' | '%';
}

export interface BenchResult {
  id: string;
  title: string;
  /** The headline figure. */
  figure: Figure;
  /** The baseline measured in the same run. */
  baseline: Figure & { what: string };
  /** figure ÷ baseline (or another stated ratio), with its target when the issue sets one. */
  ratio: { value: number; target: string | null; met: boolean | null } | null;
  /** Further figures worth a line each. */
  details: Figure[];
  /** Checks that must hold (e.g. Retry-After honoured); a false one fails `npm run bench`. */
  checks: { name: string; ok: boolean; detail: string }[];
  notes: string[];
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function formatFigure(f: Figure): string {
  switch (f.unit) {
    case 'x':
      return `${round(f.value, 2)}×`;
    case 'count':
      return `${round(f.value, 1)}`;
    case '%':
      return `${round(f.value, 1)} %`;
    default:
      return `${round(f.value, 1)} ${f.unit}`;
  }
}

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Prints the result and writes it where run.mjs reads it; failed checks set a non-zero exit code. */
export function publish(result: BenchResult): void {
  log(`\n== ${result.title}`);
  log(`   ${result.figure.label}: ${formatFigure(result.figure)}   baseline (${result.baseline.what}): ${formatFigure(result.baseline)}`);
  if (result.ratio) {
    const verdict = result.ratio.met === null ? '' : result.ratio.met ? '  target met' : '  TARGET NOT MET';
    log(`   ratio: ${formatFigure({ label: '', value: result.ratio.value, unit: 'x' })}${result.ratio.target ? `  (target ${result.ratio.target})` : ''}${verdict}`);
  }
  for (const d of result.details) log(`   ${d.label}: ${formatFigure(d)}`);
  for (const c of result.checks) log(`   [${c.ok ? 'ok' : 'FAILED'}] ${c.name}: ${c.detail}`);
  for (const n of result.notes) log(`   note: ${n}`);
  const dir = process.env.BENCH_RESULTS_DIR;
  if (dir) writeFileSync(path.join(dir, `${result.id}.json`), JSON.stringify(result, null, 2));
  if (result.checks.some((c) => !c.ok)) process.exitCode = 1;
}
