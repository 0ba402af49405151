// A small form model shared by the add/edit tenant and attest screens: fields, focus, errors.
// Text fields are edited through the reducer (typed keys), choice fields by ink-select-input,
// whose picks arrive here as actions, so the state stays in one reducer.
import { windowFor } from './window.js';

export interface Choice {
  value: string;
  label: string;
}

export type FormField =
  | { kind: 'text'; name: string; label: string; value: string; hint?: string; readOnly?: boolean }
  | { kind: 'choice'; name: string; label: string; value: string; choices: Choice[]; hint?: string }
  /** Several values may be on at once (integrations in scope); value is the list. */
  | { kind: 'toggles'; name: string; label: string; value: string[]; choices: Choice[]; hint?: string };

export type FormPurpose =
  | { kind: 'tenant-add' }
  | { kind: 'tenant-edit'; tenantId: string }
  | { kind: 'attest'; tenantId: string; stepId: string };

export interface FormState {
  purpose: FormPurpose;
  title: string;
  fields: FormField[];
  /** Index of the focused field; `fields.length` is the Save button. */
  focus: number;
  /** Problems by field name; '' holds problems not tied to a field. */
  errors: Record<string, string[]>;
  saving: boolean;
  /** First field in the window of fields (short terminals). */
  offset: number;
}

export function newForm(purpose: FormPurpose, title: string, fields: FormField[]): FormState {
  const focus = Math.max(0, fields.findIndex((field) => !(field.kind === 'text' && field.readOnly)));
  return { purpose, title, fields, focus, errors: {}, saving: false, offset: 0 };
}

export type FocusKind = 'text' | 'choice' | 'submit';

export function focusKind(form: FormState): FocusKind {
  const field = form.fields[form.focus];
  if (field === undefined) return 'submit';
  return field.kind === 'text' ? 'text' : 'choice';
}

function isFocusable(field: FormField | undefined): boolean {
  return field === undefined || !(field.kind === 'text' && field.readOnly);
}

/** Next or previous focusable field; the Save button sits after the last field; wraps around. */
export function moveFocus(form: FormState, delta: 1 | -1): FormState {
  const stops = form.fields.length + 1;
  let focus = form.focus;
  for (let step = 0; step < stops; step += 1) {
    focus = (focus + delta + stops) % stops;
    if (isFocusable(form.fields[focus])) break;
  }
  return { ...form, focus };
}

/** A field's problems go away once the analyst changes it. */
function withoutErrors(errors: Record<string, string[]>, name: string): Record<string, string[]> {
  if (!(name in errors)) return errors;
  const { [name]: _cleared, ...rest } = errors;
  return rest;
}

export function setFieldValue(form: FormState, name: string, value: string): FormState {
  return {
    ...form,
    errors: withoutErrors(form.errors, name),
    fields: form.fields.map((field) => (field.name === name && field.kind !== 'toggles' ? { ...field, value } : field)),
  };
}

export function toggleFieldValue(form: FormState, name: string, value: string): FormState {
  return {
    ...form,
    errors: withoutErrors(form.errors, name),
    fields: form.fields.map((field) => {
      if (field.name !== name || field.kind !== 'toggles') return field;
      const on = field.value.includes(value);
      const next = on ? field.value.filter((item) => item !== value) : [...field.value, value];
      // Keep the order of the choices so the value reads the same however it was toggled.
      return { ...field, value: field.choices.map((choice) => choice.value).filter((item) => next.includes(item)) };
    }),
  };
}

export function fieldValue(form: FormState, name: string): string {
  const field = form.fields.find((candidate) => candidate.name === name);
  if (field === undefined) return '';
  return field.kind === 'toggles' ? field.value.join(';') : field.value;
}

/** Lines a field takes on screen: one, plus its choices while a choice field is focused. */
export function fieldLines(field: FormField, focused: boolean): number {
  return focused && field.kind !== 'text' ? 1 + field.choices.length : 1;
}

/**
 * The first field of the window so the focused field, and its open choices, stay visible in
 * `rows` lines (the Save line is extra).
 */
export function formOffset(form: FormState, rows: number): number {
  const total = form.fields.length;
  if (total === 0) return 0;
  const focus = Math.min(form.focus, total - 1);
  const focusedExtra = form.focus < total ? fieldLines(form.fields[focus]!, true) - 1 : 0;
  return windowFor(focus, form.offset, Math.max(1, rows - focusedExtra), total);
}

/** [first, end) of the fields that fit in `rows` lines from the form's offset. */
export function visibleFields(form: FormState, rows: number): [number, number] {
  let used = 0;
  let end = form.offset;
  while (end < form.fields.length) {
    const lines = fieldLines(form.fields[end]!, end === form.focus);
    if (used + lines > rows) break;
    used += lines;
    end += 1;
  }
  return [form.offset, Math.max(end, Math.min(form.fields.length, form.offset + 1))];
}
