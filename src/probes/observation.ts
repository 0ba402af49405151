// Small constructors shared by every probe: what a probe saw becomes an Observation (the rules
// engine turns it into a Verdict). Anything that came from the customer's tenant and ends up in a
// summary or in evidence goes through `shown()` first, so a hostile display name cannot carry
// terminal escapes into the dashboard, the JSON or the CSV.
import { cleanText } from '../core/sanitize.js';
import type { ErrorReason } from '../core/status.js';
import { isAbortError } from '../microsoft/transport.js';
import { AccessError } from '../microsoft/types.js';
import type { Observation } from '../verdicts/types.js';

export type { Observation };
export type Evidence = Record<string, unknown>;

export const pass = (summary: string, evidence: Evidence = {}): Observation => ({ status: 'pass', summary, evidence });
export const warn = (summary: string, evidence: Evidence = {}): Observation => ({ status: 'warn', summary, evidence });
export const fail = (summary: string, evidence: Evidence = {}): Observation => ({ status: 'fail', summary, evidence });
export const pending = (summary: string, evidence: Evidence = {}): Observation => ({
  status: 'pending',
  summary,
  evidence,
});
export const unverifiable = (summary: string, evidence: Evidence = {}): Observation => ({
  status: 'unverifiable',
  summary,
  evidence,
});
export const errorObservation = (reason: ErrorReason, summary: string, evidence: Evidence = {}): Observation => ({
  status: 'error',
  reason,
  summary,
  evidence,
});

const MAX_SHOWN = 120;

/** Text from the tenant, made safe and short for a summary or evidence. */
export function shown(text: unknown, max = MAX_SHOWN): string {
  const clean = cleanText(typeof text === 'string' ? text : String(text ?? ''));
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** Up to `max` names joined for a summary line, with a count of the rest. */
export function listed(names: readonly string[], max = 4): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/**
 * A read that failed becomes an `error` verdict: "could not check" is never `fail`. The access
 * layer already chose the steps.md reason; anything else is an unexpected response.
 */
export function observationFromError(error: unknown, what: string): Observation {
  if (error instanceof AccessError) {
    const evidence: Evidence = {};
    if (error.evidence.code !== undefined) evidence.code = shown(error.evidence.code);
    if (error.evidence.status !== undefined) evidence.status = error.evidence.status;
    if (error.evidence.request !== undefined) evidence.request = shown(error.evidence.request, 200);
    if (error.evidence.message !== undefined) evidence.message = shown(error.evidence.message, 200);
    return errorObservation(error.reason, `Could not read ${what}: ${shown(error.message, 160)}`, evidence);
  }
  if (error instanceof UnexpectedResponse) {
    return errorObservation('unexpected_response', `Could not read ${what}: ${error.message}`, error.evidence);
  }
  const message = error instanceof Error ? error.message : String(error);
  return errorObservation('unexpected_response', `Could not read ${what}: ${shown(message, 160)}`, {});
}

/** A response that arrived but does not have the documented shape. */
export class UnexpectedResponse extends Error {
  constructor(
    message: string,
    readonly evidence: Evidence = {},
  ) {
    super(message);
    this.name = 'UnexpectedResponse';
  }
}

/** Runs a probe body: a read failure becomes the `error` observation for `what`; an abort propagates. */
export async function guarded(what: string, body: () => Promise<Observation>): Promise<Observation> {
  try {
    return await body();
  } catch (error) {
    if (isAbortError(error)) throw error;
    return observationFromError(error, what);
  }
}

/** `pass` becomes `warn` (e.g. the Expel app was only found by display name); others unchanged. */
export function atMostWarn(observation: Observation, caveat: string, evidence: Evidence = {}): Observation {
  if (observation.status !== 'pass' && observation.status !== 'warn') {
    return { ...observation, evidence: { ...observation.evidence, ...evidence } };
  }
  const summary = observation.status === 'pass' ? `${observation.summary} (${caveat})` : observation.summary;
  return { status: 'warn', summary, evidence: { ...observation.evidence, ...evidence } };
}

/** ISO date (YYYY-MM-DD) of an ISO timestamp, for summaries. */
export function dayOf(iso: string | null | undefined): string {
  return typeof iso === 'string' && iso.length >= 10 ? iso.slice(0, 10) : 'an unknown date';
}

/** Case-insensitive comparison of GUIDs and ARM IDs. */
export const sameId = (a: string | null | undefined, b: string | null | undefined): boolean =>
  typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();

/** Last segment of an ARM ID ('/subscriptions/…/roleDefinitions/{guid}' → guid), lower-case. */
export const lastSegment = (id: string | null | undefined): string =>
  typeof id === 'string' ? (id.split('/').filter(Boolean).pop() ?? '').toLowerCase() : '';
