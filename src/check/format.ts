// Human output of `check`: the summary table on stdout and the live progress line on stderr.
// Everything shown passed through cleanText already (names from the roster, summaries from the
// rules engine); it is cleaned again here because a terminal is the last line of defence.
import { cleanText } from '../core/sanitize.js';
import { isDone } from '../core/status.js';
import type { TenantReport } from './document.js';

const pad = (text: string, width: number): string => (text.length >= width ? text : text + ' '.repeat(width - text.length));
const clip = (text: string, width: number): string => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** One row per tenant and integration, with the first step that is not done and why. */
export function summaryTable(reports: readonly TenantReport[]): string {
  const rows: string[][] = [['TENANT', 'INTEGRATION', 'STATUS', 'DONE', 'NEXT STEP']];
  for (const tenant of reports) {
    tenant.integrations.forEach((integration, index) => {
      const next = integration.steps.find((s) => s.status !== 'not_applicable' && !isDone(s.status));
      const nextText = next ? `${next.id} ${next.status}${next.reason ? ` (${next.reason})` : ''}: ${cleanText(next.summary)}` : '';
      rows.push([
        index === 0 ? clip(cleanText(tenant.name), 28) : '',
        integration.id,
        integration.status,
        `${integration.progress.done}/${integration.progress.applicable}`,
        clip(nextText, 90),
      ]);
    });
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return `${rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : pad(cell, widths[i]!))).join('  ').trimEnd()).join('\n')}\n`;
}

/** The closing line: how many tenants, and how many steps could not be checked. */
export function summaryFooter(reports: readonly TenantReport[], interrupted: boolean): string {
  const errors = reports.reduce(
    (sum, t) => sum + t.integrations.reduce((n, i) => n + i.steps.filter((s) => s.status === 'error').length, 0),
    0,
  );
  const parts = [`${reports.length} tenant${reports.length === 1 ? '' : 's'} checked`];
  if (errors > 0) parts.push(`${errors} step${errors === 1 ? '' : 's'} could not be checked (error)`);
  if (interrupted) parts.push('interrupted: unfinished tenants were not stored');
  return `${parts.join('; ')}\n`;
}

/** A single updating line for a terminal: carriage return, text, clear to end of line. */
export function progressLine(done: number, total: number, latest: string | null): string {
  const tail = latest ? ` — ${clip(cleanText(latest), 50)}` : '';
  return `\rChecking tenants: ${done}/${total}${tail}\u001b[K`;
}
