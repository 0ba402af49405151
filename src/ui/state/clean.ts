// Every string that reaches the screen came from somewhere we do not control (roster files,
// display names and evidence from customer tenants, Microsoft's error text). The reducer runs
// incoming data through these once, on arrival, so no view can render an escape sequence.
import { cleanText } from '../../core/sanitize.js';
import type { NextStep, RosterRow, SignInPrompt, StepHistoryEntry, StepView, TenantDetail } from './types.js';

const orNull = (text: string | null): string | null => (text === null ? null : cleanText(text));

const cleanNext = (next: NextStep | null): NextStep | null =>
  next === null ? null : { ...next, stepId: cleanText(next.stepId), title: cleanText(next.title), reason: cleanText(next.reason) };

export function cleanRow(row: RosterRow): RosterRow {
  return {
    ...row,
    tenantId: cleanText(row.tenantId),
    name: cleanText(row.name),
    domain: orNull(row.domain),
    engineer: orNull(row.engineer),
    engagementManager: orNull(row.engagementManager),
    integrations: row.integrations.map((cell) => ({ ...cell })),
    next: cleanNext(row.next),
    problem: orNull(row.problem),
  };
}

function cleanStep(step: StepView): StepView {
  return {
    ...step,
    id: cleanText(step.id),
    title: cleanText(step.title),
    summary: cleanText(step.summary),
    blockedBy: orNull(step.blockedBy),
    evidence: step.evidence.map(([key, value]) => [cleanText(key), cleanText(value)]),
    latestError: step.latestError === null ? null : { ...step.latestError, summary: cleanText(step.latestError.summary) },
    attestation:
      step.attestation === null
        ? null
        : { ...step.attestation, attestedBy: cleanText(step.attestation.attestedBy), note: cleanText(step.attestation.note) },
  };
}

export function cleanDetail(detail: TenantDetail): TenantDetail {
  return {
    ...detail,
    tenantId: cleanText(detail.tenantId),
    name: cleanText(detail.name),
    domain: orNull(detail.domain),
    engineer: orNull(detail.engineer),
    engagementManager: orNull(detail.engagementManager),
    problem: orNull(detail.problem),
    integrations: detail.integrations.map((integration) => ({
      ...integration,
      option: orNull(integration.option),
      steps: integration.steps.map(cleanStep),
    })),
  };
}

export const cleanHistoryEntry = (entry: StepHistoryEntry): StepHistoryEntry => ({ ...entry, summary: cleanText(entry.summary) });

export const cleanPrompt = (prompt: SignInPrompt): SignInPrompt => ({
  ...prompt,
  tenantId: cleanText(prompt.tenantId),
  userCode: cleanText(prompt.userCode),
  verificationUri: cleanText(prompt.verificationUri),
  message: cleanText(prompt.message),
});

export const cleanErrors = (errors: Record<string, string[]>): Record<string, string[]> =>
  Object.fromEntries(Object.entries(errors).map(([field, messages]) => [field, messages.map(cleanText)]));

const MAX_EVIDENCE_VALUE = 160;

/**
 * Evidence as display pairs: scalars as they are, lists joined, nested objects as compact JSON,
 * each value bounded so one huge field cannot flood the screen. Cleaning happens in cleanDetail.
 */
export function evidencePairs(evidence: Record<string, unknown>): Array<[string, string]> {
  return Object.entries(evidence).map(([key, value]) => {
    let text: string;
    if (value === null || value === undefined) text = '—';
    else if (typeof value === 'string') text = value;
    else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
    else if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null)) text = value.join(', ');
    else text = JSON.stringify(value) ?? String(value);
    const chars = [...text];
    return [key, chars.length > MAX_EVIDENCE_VALUE ? `${chars.slice(0, MAX_EVIDENCE_VALUE - 1).join('')}…` : text];
  });
}
