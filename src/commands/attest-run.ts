// `expel-track attest`: what runs once the command line is parsed (attest.ts registers it).
import { UserError } from '../core/errors.js';
import { cleanText } from '../core/sanitize.js';
import type { Verdict } from '../core/status.js';
import type { Tenant } from '../core/tenant.js';
import { databasePathFromOptions, openDatabase } from '../db/database.js';
import { HistoryStore } from '../db/history.js';
import { RosterStore } from '../db/roster.js';
import { stepById, STEPS, type StepDefinition } from '../integrations/catalogue.js';
import { isAttestable } from '../verdicts/derived.js';
import type { Attestation } from '../verdicts/types.js';
import { ATTEST_LIMITS, parseExpiry, type AttestOptions } from './attest.js';

export function attest(tenantRef: string, stepId: string, options: AttestOptions, globals: { db?: string }): void {
  const now = new Date();
  const input = validateInput(stepId, options, now);
  const db = openDatabase(databasePathFromOptions(globals));
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

/**
 * A step that is not attestable (verdicts/derived.ts isAttestable, the rule the dashboard applies
 * too) needs --force with a reason, which is then stored.
 */
function decideForce(step: StepDefinition, tenant: Tenant, latest: Verdict | undefined, reason: string | null): string | null {
  if (!step.applies(tenant)) {
    throw new UserError(`step ${step.id} does not apply to ${cleanText(tenant.name)} (integration not in scope or another option chosen)`);
  }
  if (isAttestable(step, tenant, latest)) return null;
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
