// `expel-track attest TENANT STEP --by NAME --note TEXT [--expires DATE] [--force --reason TEXT]`:
// records a customer's confirmation for a step that cannot be checked from outside.
import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import { cleanText } from '../core/sanitize.js';
import { parseDate } from '../roster/validate.js';

export const ATTEST_LIMITS = { by: 120, note: 1000, reason: 1000 } as const;

export interface AttestOptions {
  by: string;
  note: string;
  expires?: string;
  force?: boolean;
  reason?: string;
  json?: boolean;
}

export function registerAttestCommand(program: Command): void {
  program
    .command('attest')
    .description("record a customer's confirmation for a step that cannot be checked from outside (e.g. m365.audit-log)")
    .argument('<tenant>', 'tenant ID, or a unique name or domain')
    .argument('<step>', 'step ID, e.g. m365.audit-log')
    .requiredOption('--by <name>', 'who recorded the confirmation')
    .requiredOption('--note <text>', "what the customer confirmed, and how")
    .option('--expires <date>', 'when the confirmation lapses (YYYY-MM-DD = 00:00 UTC, or a date-time with a zone)')
    .option('--force', 'record it even though the step is not unverifiable (needs --reason)')
    .option('--reason <text>', 'why --force is justified')
    .option('--json', 'print the stored record as JSON')
    .action(async (tenantRef: string, stepId: string, options: AttestOptions, command: Command) => {
      const { attest } = await import('./attest-run.js');
      attest(tenantRef, stepId, options, command.optsWithGlobals<{ db?: string }>());
    });
}

const DATE_TIME_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** A future instant: a date (00:00 UTC that day, as steps.md reads dates) or a date-time with a zone. */
export function parseExpiry(value: string, now: Date): string {
  const text = value.trim();
  let instant: number;
  if (DATE_TIME_WITH_ZONE.test(text)) {
    const date = parseDate(text.slice(0, 10));
    instant = date.ok ? Date.parse(text) : Number.NaN;
  } else {
    const date = parseDate(text);
    if (!date.ok) throw new UserError(`--expires: ${date.message}`);
    instant = Date.parse(`${date.value}T00:00:00.000Z`);
  }
  if (Number.isNaN(instant)) {
    throw new UserError(`--expires: '${cleanText(value)}' is not a date (YYYY-MM-DD) or a date-time with a zone`);
  }
  if (instant <= now.getTime()) throw new UserError(`--expires must be in the future ('${cleanText(value)}' has passed)`);
  return new Date(instant).toISOString();
}

