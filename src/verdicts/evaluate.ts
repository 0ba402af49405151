// The verdict rules of steps.md: turns probe observations into verdicts for every catalogue step
// (blocking, windows, attestations), never turning "could not check" into "not done".
import { ERROR_REASONS, isDone, type ErrorReason, type Status, type Verdict } from '../core/status.js';
import { cleanText, safeText, stripControls } from '../core/sanitize.js';
import type { ScopedIntegrationId } from '../core/tenant.js';
import { API_ACCESS_STEP, STEPS, stepById, type StepDefinition } from '../integrations/catalogue.js';
import type { Attestation, EvaluationContext, Observation } from './types.js';
import { alertPhase, integrationT0, isPastWindow, windowEnd } from './windows.js';

export type Observe = (step: StepDefinition) => Promise<Observation>;

export interface EvaluateOptions {
  /** Stamps observedAt; defaults to the wall clock. Windows are always judged at `ctx.now`. */
  clock?: () => Date;
}

/**
 * Evaluates every catalogue step for one tenant and returns the verdicts in catalogue order.
 * Steps whose prerequisites are settled are observed together in waves (Promise.all) so probes
 * can batch their reads; blocked and not-applicable steps are never observed.
 */
export async function evaluateTenant(
  ctx: EvaluationContext,
  observe: Observe,
  options: EvaluateOptions = {},
): Promise<Verdict[]> {
  const clock = options.clock ?? (() => new Date());
  const results = new Map<string, Verdict>();
  let pending: StepDefinition[] = [];

  for (const step of STEPS) {
    if (step.applies(ctx.tenant)) pending.push(step);
    else results.set(step.id, notApplicable(step, clock()));
  }

  while (pending.length > 0) {
    const ready = settleBlocked(ctx, pending, results, clock);
    pending = pending.filter((step) => !results.has(step.id));
    if (pending.length === 0) break;
    if (ready.length === 0) {
      // Only reachable with a prerequisite cycle, which the catalogue tests rule out.
      throw new Error(`prerequisite cycle among ${pending.map((step) => step.id).join(', ')}`);
    }
    const observations = await Promise.all(ready.map((step) => observeSafely(observe, step)));
    ready.forEach((step, index) => {
      results.set(step.id, judge(ctx, step, observations[index]!, results, clock()));
    });
    pending = pending.filter((step) => !results.has(step.id));
  }

  return STEPS.map((step) => results.get(step.id)!);
}

/**
 * Marks every pending step whose prerequisites are settled but not met as blocked (repeating, since
 * a blocked step blocks its dependants in turn) and returns the steps ready to be observed.
 */
function settleBlocked(
  ctx: EvaluationContext,
  pending: StepDefinition[],
  results: Map<string, Verdict>,
  clock: () => Date,
): StepDefinition[] {
  let changed = true;
  while (changed) {
    changed = false;
    for (const step of pending) {
      if (results.has(step.id)) continue;
      const prerequisites = step.prerequisites(ctx.tenant);
      if (!prerequisites.every((id) => isSettled(id, results, pending))) continue;
      const blocker = prerequisites.find((id) => !prerequisiteMet(step, id, results.get(id)));
      if (blocker) {
        results.set(step.id, blocked(step, blocker, results.get(blocker)!, clock()));
        changed = true;
      }
    }
  }
  return pending.filter(
    (step) => !results.has(step.id) && step.prerequisites(ctx.tenant).every((id) => isSettled(id, results, pending)),
  );
}

/** A prerequisite is settled once it has a verdict; one that is not being evaluated at all never holds a step back. */
function isSettled(id: string, results: Map<string, Verdict>, pending: StepDefinition[]): boolean {
  return results.has(id) || !pending.some((step) => step.id === id);
}

/** Done, not applicable, or a `fail` that the step's exemption accepts (steps.md prerequisite rules). */
export function prerequisiteMet(step: StepDefinition, prerequisiteId: string, verdict: Verdict | undefined): boolean {
  if (!verdict || verdict.status === 'not_applicable' || isDone(verdict.status)) return true;
  return (step.exemptions ?? []).some(
    (exemption) =>
      exemption.prerequisite === prerequisiteId &&
      verdict.status === 'fail' &&
      verdict.evidence[exemption.evidenceFlag] === true,
  );
}

async function observeSafely(observe: Observe, step: StepDefinition): Promise<Observation> {
  try {
    return await observe(step);
  } catch (error) {
    // A probe that throws could not check: that is an `error`, never a `fail`.
    const reason = reasonOf(error);
    // The message may come from any library (a sign-in error can quote a request): redact it.
    const message = safeText(error instanceof Error ? error.message : String(error));
    const evidence = isRecord(error) && isRecord(error.evidence) ? error.evidence : {};
    return { status: 'error', reason, summary: `Could not check: ${message}`, evidence };
  }
}

function reasonOf(error: unknown): ErrorReason {
  const reason = isRecord(error) ? error.reason : undefined;
  return typeof reason === 'string' && (ERROR_REASONS as readonly string[]).includes(reason)
    ? (reason as ErrorReason)
    : 'unexpected_response';
}

function judge(
  ctx: EvaluationContext,
  step: StepDefinition,
  observation: Observation,
  results: Map<string, Verdict>,
  observedAt: Date,
): Verdict {
  const base = {
    id: step.id,
    summary: cleanText(observation.summary),
    observedAt: observedAt.toISOString(),
    reason: null,
    expectedBy: null,
    blockedBy: null,
    evidence: sanitizeEvidence(observation.evidence),
  };
  let verdict: Verdict;
  switch (observation.status) {
    case 'error':
      verdict = { ...base, status: 'error', reason: observation.reason };
      break;
    case 'pending':
      verdict = { ...base, ...windowVerdict(ctx, step, results, base.summary, base.evidence) };
      break;
    default:
      verdict = { ...base, status: observation.status };
  }
  return applyAttestation(verdict, latestAttestation(ctx.attestations, step.id), ctx.now);
}

function windowVerdict(
  ctx: EvaluationContext,
  step: StepDefinition,
  results: Map<string, Verdict>,
  summary: string,
  evidence: Record<string, unknown>,
): Pick<Verdict, 'status' | 'summary' | 'expectedBy' | 'evidence'> {
  const integration = step.integration === 'access' ? null : step.integration;
  const t0 = integration && step.window ? t0For(ctx, integration, results) : null;
  if (!t0 || !step.window) {
    // The window has not started (no device-added date, API access never done): nothing is late yet.
    return { status: 'waiting', summary, expectedBy: null, evidence: { ...evidence, t0: null } };
  }
  const end = windowEnd(step.window, t0.at, ctx.settings);
  const overdue = isPastWindow(end, ctx.now);
  const windowEvidence: Record<string, unknown> = { t0: t0.at.toISOString(), t0Source: t0.source };
  if (step.window === 'alerts') {
    const phase = alertPhase(t0.at, ctx.now, ctx.settings);
    windowEvidence.alertPhase = phase;
    windowEvidence.due = phase === 'due';
  }
  return {
    status: overdue ? 'overdue' : 'waiting',
    summary: `${summary}${summary ? '; ' : ''}${overdue ? 'was expected by' : 'expected by'} ${end.toISOString()}`,
    expectedBy: end.toISOString(),
    evidence: { ...evidence, ...windowEvidence },
  };
}

function t0For(ctx: EvaluationContext, integration: ScopedIntegrationId, results: Map<string, Verdict>) {
  const apiStep = API_ACCESS_STEP[integration];
  const thisRun = results.get(apiStep);
  return integrationT0(ctx.tenant, integration, ctx.firstDone(apiStep), !!thisRun && isDone(thisRun.status), ctx.now);
}

/** The newest attestation for a step (records are append-only: a newer one supersedes older ones). */
export function latestAttestation(attestations: readonly Attestation[], stepId: string): Attestation | null {
  let latest: Attestation | null = null;
  for (const attestation of attestations) {
    if (attestation.stepId !== stepId) continue;
    if (
      !latest ||
      attestation.attestedAt > latest.attestedAt ||
      (attestation.attestedAt === latest.attestedAt && attestation.id > latest.id)
    ) {
      latest = attestation;
    }
  }
  return latest;
}

export function isAttestationActive(attestation: Attestation, now: Date): boolean {
  return attestation.expiresAt === null || Date.parse(attestation.expiresAt) > now.getTime();
}

/** Statuses a forced attestation (recorded with a reason, against the probe's judgement) may stand in for. */
const FORCEABLE: ReadonlySet<Status> = new Set<Status>(['fail', 'error', 'waiting', 'overdue', 'unverifiable']);

/**
 * An active attestation turns an `unverifiable` step into `attested`; a forced one also stands in
 * for an evaluated step that is not done. Expired: the observed status stands, the record stays in
 * the evidence. A step the probe sees as done ignores attestations.
 */
export function applyAttestation(verdict: Verdict, attestation: Attestation | null, now: Date): Verdict {
  if (!attestation) return verdict;
  const applies =
    verdict.status === 'unverifiable' || (attestation.forcedReason !== null && FORCEABLE.has(verdict.status));
  if (!applies) return verdict;
  const record = {
    id: attestation.id,
    attestedBy: attestation.attestedBy,
    attestedAt: attestation.attestedAt,
    note: attestation.note,
    expiresAt: attestation.expiresAt,
    forcedReason: attestation.forcedReason,
  };
  if (!isAttestationActive(attestation, now)) {
    return {
      ...verdict,
      summary: `${verdict.summary} (customer confirmation expired ${attestation.expiresAt})`,
      evidence: { ...verdict.evidence, attestation: { ...record, expired: true } },
    };
  }
  return {
    ...verdict,
    status: 'attested',
    summary: `Confirmed by ${attestation.attestedBy} on ${attestation.attestedAt.slice(0, 10)}: ${attestation.note}`,
    reason: null,
    expectedBy: null,
    evidence: {
      ...verdict.evidence,
      attestation: { ...record, expired: false },
      observedStatus: verdict.status,
      ...(verdict.reason ? { observedReason: verdict.reason } : {}),
    },
  };
}

function notApplicable(step: StepDefinition, observedAt: Date): Verdict {
  return {
    id: step.id,
    status: 'not_applicable',
    summary: 'Not in scope for this tenant',
    observedAt: observedAt.toISOString(),
    reason: null,
    expectedBy: null,
    blockedBy: null,
    evidence: {},
  };
}

function blocked(step: StepDefinition, blockerId: string, blocker: Verdict, observedAt: Date): Verdict {
  return {
    id: step.id,
    status: 'blocked',
    summary: `Not checked until "${stepById(blockerId)?.title ?? blockerId}" is done (now ${blocker.status})`,
    observedAt: observedAt.toISOString(),
    reason: null,
    expectedBy: null,
    blockedBy: blockerId,
    evidence: { blockerStatus: blocker.status },
  };
}

const MAX_EVIDENCE_DEPTH = 6;

/** Evidence is stored and shown: strip terminal controls from every string it carries. */
export function sanitizeEvidence(evidence: Record<string, unknown>): Record<string, unknown> {
  const clean = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return stripControls(value);
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_EVIDENCE_DEPTH) return '[nested too deep]';
    if (Array.isArray(value)) return value.map((item) => clean(item, depth + 1));
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [stripControls(key), clean(item, depth + 1)]),
    );
  };
  return clean(evidence, 0) as Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
