// The attest form: who records the customer's confirmation, what was confirmed, and an optional
// expiry, as `expel-track attest --by --note [--expires]` takes them. The form only checks that
// the required fields are filled; lengths, the expiry and whether the step may be attested are
// checked by the source with the attest command's own rules, so both paths agree.
import { cleanText } from '../../core/sanitize.js';
import { fieldValue, newForm, type FormState } from './form.js';

export interface AttestInput {
  attestedBy: string;
  note: string;
  /** As typed: '' for no expiry, else a date (YYYY-MM-DD) or a date-time with a zone. */
  expires: string;
}

export function attestForm(tenantId: string, stepId: string, stepTitle: string, by: string): FormState {
  return newForm({ kind: 'attest', tenantId, stepId }, `Attest: ${stepTitle}`, [
    { kind: 'text', name: 'by', label: 'Recorded by', value: by, hint: 'your name: who recorded the customer’s confirmation' },
    { kind: 'text', name: 'note', label: 'Note', value: '', hint: 'what the customer confirmed, and how (e.g. the command and its output)' },
    { kind: 'text', name: 'expires', label: 'Expires on', value: '', hint: 'YYYY-MM-DD (00:00 UTC) or a date-time with a zone; empty for no expiry' },
  ]);
}

export type AttestValidation = { ok: true; input: AttestInput } | { ok: false; byField: Record<string, string[]> };

export function validateAttestForm(form: FormState): AttestValidation {
  const input: AttestInput = {
    attestedBy: cleanText(fieldValue(form, 'by')),
    note: cleanText(fieldValue(form, 'note')),
    expires: fieldValue(form, 'expires').trim(),
  };
  const byField: Record<string, string[]> = {};
  if (input.attestedBy === '') byField.by = ['required'];
  if (input.note === '') byField.note = ['required'];
  return Object.keys(byField).length > 0 ? { ok: false, byField } : { ok: true, input };
}
