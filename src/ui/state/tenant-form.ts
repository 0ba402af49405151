// The add/edit tenant form as data: one field per column of the roster import CSV, so the form
// feeds the very same validation as `tenant add`, `tenant edit` and `tenant import`.
import { SCOPED_INTEGRATIONS } from '../../core/tenant.js';
import { splitListCell, type ListColumn, type RosterColumn, type TenantFields } from '../../roster/fields.js';
import { validateTenant, type FieldProblem, type TenantValidation } from '../../roster/validate.js';
import { fieldValue, newForm, type Choice, type FormField, type FormState } from './form.js';
import { INTEGRATION_LABEL } from './present.js';

const APP_CHOICES: Choice[] = [
  { value: 'enterprise', label: 'enterprise app (Expel publishes it)' },
  { value: 'custom', label: 'custom app registration' },
];
const CONSOLE_CHOICES: Choice[] = [
  { value: 'basic', label: 'basic roles (Security Reader/Operator)' },
  { value: 'rbac', label: 'MDE RBAC roles (confirmed by attestation)' },
];

/** Form fields that are the `options` column, and the option key each one sets. */
const OPTION_FIELDS = { 'option.mde': 'mde', 'option.mde-console': 'mde-console', 'option.azure': 'azure' } as const;
type OptionField = keyof typeof OPTION_FIELDS;

const text = (name: RosterColumn, label: string, fields: TenantFields, hint?: string, readOnly?: boolean): FormField => {
  const value = fields[name];
  return {
    kind: 'text',
    name,
    label,
    value: Array.isArray(value) ? value.join('; ') : (value ?? ''),
    ...(hint === undefined ? {} : { hint }),
    ...(readOnly ? { readOnly } : {}),
  };
};

function optionValue(fields: TenantFields, key: string, fallback: string): string {
  for (const item of fields.options ?? []) {
    const at = item.indexOf('=');
    if (at > 0 && item.slice(0, at).trim().toLowerCase() === key) return item.slice(at + 1).trim().toLowerCase();
  }
  return fallback;
}

/** The form for a new tenant (`initial` empty) or for editing a stored one (its fields). */
export function tenantForm(initial: TenantFields | null, tenantId?: string): FormState {
  const fields = initial ?? {};
  const editing = tenantId !== undefined;
  const formFields: FormField[] = [
    text('tenant_id', 'Tenant ID', fields, 'the customer’s Entra tenant ID (GUID)', editing),
    text('name', 'Name', fields),
    text('domain', 'Domain', fields, 'primary domain, e.g. contoso.com'),
    text('org_guid', 'Expel org GUID', fields, 'builds the guest email <org GUID>@soc.expel.io'),
    text('guest_email', 'Guest email', fields, 'only to override the built one'),
    {
      kind: 'toggles',
      name: 'integrations',
      label: 'Integrations',
      value: (fields.integrations ?? []).map((id) => id.toLowerCase()),
      choices: SCOPED_INTEGRATIONS.map((id) => ({ value: id, label: INTEGRATION_LABEL[id] ?? id })),
      hint: 'Enter turns one on or off',
    },
    { kind: 'choice', name: 'option.mde', label: 'MDE app', value: optionValue(fields, 'mde', 'enterprise'), choices: APP_CHOICES },
    {
      kind: 'choice',
      name: 'option.mde-console',
      label: 'MDE console roles',
      value: optionValue(fields, 'mde-console', 'basic'),
      choices: CONSOLE_CHOICES,
    },
    { kind: 'choice', name: 'option.azure', label: 'Azure app', value: optionValue(fields, 'azure', 'enterprise'), choices: APP_CHOICES },
    text('app_names', 'Custom app names', fields, 'mdi=Expel Defender for Identity; azure=…'),
    text('subscriptions', 'Azure subscriptions', fields, 'subscription IDs, separated by ;'),
    text('device_added', 'Device added', fields, 'mde=2026-11-20T10:00:00Z; mdi=2026-11-21'),
    text('engagement_manager', 'Engagement manager', fields),
    text('engineer', 'Engineer', fields),
    text('started_on', 'Started on', fields, 'YYYY-MM-DD'),
    text('notes', 'Notes', fields),
  ];
  return newForm(
    editing ? { kind: 'tenant-edit', tenantId } : { kind: 'tenant-add' },
    editing ? 'Edit tenant' : 'Add tenant',
    formFields,
  );
}

const LIST_FIELDS: readonly ListColumn[] = ['app_names', 'subscriptions', 'device_added'];

/** The form's values as roster fields: exactly what `tenant add`/`edit` would validate. */
export function tenantFieldsOf(form: FormState): TenantFields {
  const integrations = fieldValue(form, 'integrations').split(';').filter((id) => id !== '');
  const options: string[] = [];
  for (const [field, key] of Object.entries(OPTION_FIELDS) as Array<[OptionField, string]>) {
    const integration = key === 'mde-console' ? 'mde' : key;
    if (integrations.includes(integration)) options.push(`${key}=${fieldValue(form, field)}`);
  }
  const result: TenantFields = { integrations, options };
  for (const field of form.fields) {
    if (field.kind !== 'text') continue;
    const column = field.name as RosterColumn;
    if ((LIST_FIELDS as readonly string[]).includes(column)) {
      result[column as ListColumn] = splitListCell(column as ListColumn, field.value);
    } else {
      (result as Record<string, string>)[column] = field.value;
    }
  }
  return result;
}

/** Roster problems keyed by form field (the `options` column's problems go to the MDE app field). */
export function problemsByField(problems: readonly FieldProblem[]): Record<string, string[]> {
  const byField: Record<string, string[]> = {};
  for (const problem of problems) {
    const field = problem.field === 'options' ? 'option.mde' : problem.field;
    (byField[field] ??= []).push(problem.message);
  }
  return byField;
}

export function validateTenantForm(form: FormState, now: Date): TenantValidation & { byField: Record<string, string[]> } {
  const result = validateTenant(tenantFieldsOf(form), { now });
  return { ...result, byField: result.ok ? {} : problemsByField(result.problems) };
}
