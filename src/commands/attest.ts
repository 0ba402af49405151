// `expel-track attest TENANT STEP --by NAME --note TEXT [--expires DATE] [--force --reason TEXT]`:
// records a customer's confirmation for a step that cannot be checked from outside.
import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import { cleanText } from '../core/sanitize.js';
import type { Verdict } from '../core/status.js';
import type { Tenant } from '../core/tenant.js';
import { databasePathFromOptions, openDatabase } from '../db/database.js';
import { HistoryStore } from '../db/history.js';
import { RosterStore } from '../db/roster.js';
import { isInherentlyUnverifiable, stepById, STEPS, type StepDefinition } from '../integrations/catalogue.js';
import { parseDate } from '../roster/validate.js';
import type { Attestation } from '../verdicts/types.js';

export const ATTEST_LIMITS = { by: 120, note: 1000, reason: 1000 } as const;

interface AttestOptions {
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
    .action((tenantRef: string, stepId: string, options: AttestOptions, command: Command) => {
      const now = new Date();
      const input = validateInput(stepId, options, now);
      const db = openDatabase(databasePathFromOptions(command.optsWithGlobals<{ db?: string }>()));
      try {
        const tenant = new RosterStore(db).resolve(tenantRef);
        const history = new HistoryStore(db);
        const latest = history.latestVerdicts(tenant.tenantId).get(tenant.tenantId)?.find((v) => v.id === input.step.id);
        const forcedReason = decideForce(input.step, tenant, latest, input.reason);
        const record = history.addAttestation({
          tenantId: tenant.tenantId,
          stepId: input.step.id,
          attestedBy: input.by,
          note: input.note,
          attestedAt: now.toISOString(),
          expiresAt: input.expiresAt,
          forcedReason,
        });
        process.stdout.write(options.json ? `${JSON.stringify(record, null, 2)}\n` : describeRecord(record, tenant, input.step));
      } finally {
        db.close();
      }
    });
}

interface AttestInput {
  step: StepDefinition;
  by: string;
  note: string;
  expiresAt: string | null;
  /** Cleaned --reason when --force was given, else null. */
  reason: string | null;
}

/** Everything that can be checked before the database is opened. */
function validateInput(stepId: string, options: AttestOptions, now: Date): AttestInput {
  const step = stepById(cleanText(stepId));
  if (!step) {
    const examples = STEPS.filter((s) => s.inherentlyUnverifiable).map((s) => s.id).join(', ');
    throw new UserError(`unknown step '${cleanText(stepId)}' (steps are named like ${examples})`);
  }
  if (options.force && options.reason === undefined) throw new UserError('--force needs --reason TEXT saying why');
  if (!options.force && options.reason !== undefined) throw new UserError('--reason is only for --force');
  return {
    step,
    by: boundedText('--by', options.by, ATTEST_LIMITS.by),
    note: boundedText('--note', options.note, ATTEST_LIMITS.note),
    expiresAt: options.expires === undefined ? null : parseExpiry(options.expires, now),
    reason: options.force ? boundedText('--reason', options.reason ?? '', ATTEST_LIMITS.reason) : null,
  };
}

function boundedText(flag: string, value: string, limit: number): string {
  const text = cleanText(value);
  if (text === '') throw new UserError(`${flag} must not be empty`);
  const length = [...text].length;
  if (length > limit) throw new UserError(`${flag} is too long (${length} characters; at most ${limit})`);
  return text;
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

/**
 * Attestations are for what outsiders cannot see: allowed when the step's latest verdict is
 * unverifiable (or attested over an unverifiable observation, to renew it) or when the step can
 * never be checked for this tenant. Anything else needs --force with a reason, which is then stored.
 */
function decideForce(step: StepDefinition, tenant: Tenant, latest: Verdict | undefined, reason: string | null): string | null {
  if (!step.applies(tenant)) {
    throw new UserError(`step ${step.id} does not apply to ${cleanText(tenant.name)} (integration not in scope or another option chosen)`);
  }
  const unverifiable =
    isInherentlyUnverifiable(step, tenant) ||
    latest?.status === 'unverifiable' ||
    (latest?.status === 'attested' && latest.evidence.observedStatus === 'unverifiable');
  if (unverifiable) return null;
  if (reason !== null) return reason;
  const state = latest ? `its latest verdict is '${latest.status}' (${latest.observedAt})` : 'it has not been checked yet';
  throw new UserError(
    `${step.id} can be checked from outside and ${state}; attestations are for unverifiable steps. ` +
      'Use --force --reason TEXT to record it anyway.',
  );
}

function describeRecord(record: Attestation, tenant: Tenant, step: StepDefinition): string {
  const lines = [
    `Recorded attestation #${record.id} for ${step.id} (${step.title})`,
    `  tenant:   ${cleanText(tenant.name)} (${tenant.tenantId})`,
    `  by:       ${record.attestedBy} at ${record.attestedAt}`,
    `  note:     ${record.note}`,
    `  expires:  ${record.expiresAt ?? 'never'}`,
  ];
  if (record.forcedReason) lines.push(`  forced:   ${record.forcedReason}`);
  lines.push('It shows as attested from the next check while it is in force.');
  return `${lines.join('\n')}\n`;
}
