// The attest form: who confirmed, what they said, and an optional expiry. The same rules as
// `expel-track attest --by --note [--expires]`.
import { parseDate, parseText, TEXT_LIMITS } from '../../roster/validate.js';
import { fieldValue, newForm, type FormState } from './form.js';

export interface AttestInput {
  attestedBy: string;
  note: string;
  /** ISO date-time at the end of the given day (UTC), or null for no expiry. */
  expiresAt: string | null;
}

export function attestForm(tenantId: string, stepId: string, stepTitle: string, by: string): FormState {
  return newForm({ kind: 'attest', tenantId, stepId }, `Attest: ${stepTitle}`, [
    { kind: 'text', name: 'by', label: 'Confirmed by', value: by, hint: 'who at the customer confirmed it' },
    { kind: 'text', name: 'note', label: 'Note', value: '', hint: 'what they confirmed, e.g. the command output' },
    { kind: 'text', name: 'expires', label: 'Expires on', value: '', hint: 'YYYY-MM-DD, empty for no expiry' },
  ]);
}

export type AttestValidation = { ok: true; input: AttestInput } | { ok: false; byField: Record<string, string[]> };

export function validateAttestForm(form: FormState, now: Date): AttestValidation {
  const byField: Record<string, string[]> = {};
  const problem = (field: string, message: string): void => void (byField[field] ??= []).push(message);
  const by = parseText(fieldValue(form, 'by'), TEXT_LIMITS.engineer);
  if (!by.ok) problem('by', by.message);
  else if (by.value === null) problem('by', 'required');
  const note = parseText(fieldValue(form, 'note'), TEXT_LIMITS.notes);
  if (!note.ok) problem('note', note.message);
  else if (note.value === null) problem('note', 'required');
  let expiresAt: string | null = null;
  const expiresText = fieldValue(form, 'expires').trim();
  if (expiresText !== '') {
    const date = parseDate(expiresText);
    if (!date.ok) problem('expires', date.message);
    else {
      expiresAt = `${date.value}T23:59:59.999Z`;
      if (Date.parse(expiresAt) <= now.getTime()) problem('expires', 'is not in the future');
    }
  }
  if (Object.keys(byField).length > 0 || !by.ok || !note.ok || by.value === null || note.value === null) {
    return { ok: false, byField };
  }
  return { ok: true, input: { attestedBy: by.value, note: note.value, expiresAt } };
}
