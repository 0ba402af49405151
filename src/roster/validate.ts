// Validation of roster input (CSV rows and command-line options alike). Every field is checked
// and every problem reported, so one pass tells the user everything to fix.
import { domainToASCII } from 'node:url';
import { cleanText, stripControls } from '../core/sanitize.js';
import {
  DEFAULT_OPTIONS,
  SCOPED_INTEGRATIONS,
  type AppOption,
  type ConsoleOption,
  type ScopedIntegrationId,
  type Tenant,
  type TenantOptions,
} from '../core/tenant.js';
import { pairIntegration, ROSTER_COLUMNS, splitPair, type RosterColumn, type TenantFields, type TextColumn } from './fields.js';

export interface FieldProblem {
  field: RosterColumn;
  message: string;
}

export type TenantValidation = { ok: true; tenant: Tenant } | { ok: false; problems: FieldProblem[] };

/** Longest accepted value per free-text field, in characters after cleaning. */
export const TEXT_LIMITS = {
  name: 120,
  engagement_manager: 120,
  engineer: 120,
  notes: 2000,
  app_name: 256,
} as const;

export type Check<T> = { ok: true; value: T } | { ok: false; message: string };
const valid = <T>(value: T): Check<T> => ({ ok: true, value });
const invalid = (message: string): Check<never> => ({ ok: false, message });

const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;
const NIL_GUID = '00000000-0000-0000-0000-000000000000';

/** A GUID, lower-cased; surrounding braces are accepted. */
export function parseGuid(input: string): Check<string> {
  const match = GUID.exec(input.trim());
  if (!match?.[1]) return invalid(`${quote(input)} is not a GUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`);
  const guid = match[1].toLowerCase();
  if (guid === NIL_GUID) return invalid('the all-zero GUID is not a real ID');
  return valid(guid);
}

/** A domain name (Unicode names become punycode), lower-cased; URLs, addresses and junk are refused. */
export function parseDomain(input: string): Check<string> {
  const text = input.trim();
  if (text === '') return invalid('empty domain');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || text.includes('/')) {
    return invalid(`${quote(input)} is a URL; give only the domain name, e.g. contoso.com`);
  }
  if (text.includes('@')) return invalid(`${quote(input)} is an email address; give only the domain name`);
  if (/[\s:?#\\,;]/.test(text)) return invalid(`${quote(input)} is not a domain name`);
  const withoutRoot = text.endsWith('.') ? text.slice(0, -1) : text;
  const ascii = domainToASCII(withoutRoot.toLowerCase());
  if (ascii === '' || ascii.length > 253) return invalid(`${quote(input)} is not a domain name`);
  const labels = ascii.split('.');
  if (labels.length < 2) return invalid(`${quote(input)} is not a domain name (expected e.g. contoso.com)`);
  const labelOk = (label: string): boolean => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label);
  if (!labels.every(labelOk)) return invalid(`${quote(input)} is not a domain name`);
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) {
    return invalid(`${quote(input)} is an IP address, not a domain name`);
  }
  return valid(ascii);
}

const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** An email address (plain addr-spec, no display name); the domain part is normalised. */
export function parseEmail(input: string): Check<string> {
  const text = input.trim();
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return invalid(`${quote(input)} is not an email address`);
  const local = text.slice(0, at);
  const domain = parseDomain(text.slice(at + 1));
  if (local.length > 64 || !EMAIL_LOCAL.test(local) || !domain.ok) {
    return invalid(`${quote(input)} is not an email address`);
  }
  const email = `${local}@${domain.value}`;
  if (email.length > 254) return invalid('email address longer than 254 characters');
  return valid(email);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30). */
export function parseDate(input: string): Check<string> {
  const text = input.trim();
  const match = DATE.exec(text);
  if (!match) return invalid(`${quote(input)} is not a date (expected YYYY-MM-DD)`);
  if (!realDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    return invalid(`${quote(input)} is not a real date`);
  }
  return valid(text);
}

/**
 * A date (`YYYY-MM-DD`, kept as is) or a date-time with a zone (normalised to UTC ISO 8601).
 * A date-time without a zone is refused: the windows start from it, so it must be unambiguous.
 */
export function parseDateOrDateTime(input: string, now: Date = new Date()): Check<string> {
  const text = input.trim();
  let result: Check<string>;
  let instant: number;
  if (DATE.test(text)) {
    result = parseDate(text);
    instant = Date.parse(`${text}T00:00:00Z`);
  } else {
    const match = DATE_TIME.exec(text);
    if (!match) return invalid(`${quote(input)} is not a date or date-time (expected YYYY-MM-DD or 2026-11-20T10:00:00Z)`);
    const [, y, mo, d, h, mi, s, , zone] = match;
    if (!zone) return invalid(`${quote(input)} has no time zone; add Z (UTC) or an offset such as +01:00`);
    if (!realDate(Number(y), Number(mo), Number(d)) || Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) {
      return invalid(`${quote(input)} is not a real date-time`);
    }
    instant = Date.parse(text.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (Number.isNaN(instant)) return invalid(`${quote(input)} is not a real date-time`);
    result = valid(new Date(instant).toISOString());
  }
  // A day of slack for time zones; anything later is a typo (the device cannot be added in future).
  if (result.ok && instant > now.getTime() + 86_400_000) return invalid(`${quote(input)} is in the future`);
  return result;
}

function realDate(year: number, month: number, day: number): boolean {
  if (year < 2000 || year > 2100) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Free text: controls and terminal escapes stripped, whitespace collapsed, length bounded. */
export function parseText(input: string, limit: number): Check<string | null> {
  const text = cleanText(input);
  if (text === '') return valid(null);
  const length = [...text].length;
  if (length > limit) return invalid(`too long (${length} characters; at most ${limit})`);
  return valid(text);
}

export interface ValidateOptions {
  /** The clock for "in the future" checks. */
  now?: Date;
}

/** Checks every field; returns the tenant, or every problem found. A new tenant is never archived. */
export function validateTenant(fields: TenantFields, options: ValidateOptions = {}): TenantValidation {
  const problems: FieldProblem[] = [];
  const now = options.now ?? new Date();
  const take = <T>(field: RosterColumn, check: Check<T>, fallback: T): T => {
    if (check.ok) return check.value;
    problems.push({ field, message: check.message });
    return fallback;
  };
  const optional = <T>(field: TextColumn, parse: (text: string) => Check<T>): T | null => {
    const text = fields[field];
    if (text === undefined || text.trim() === '') return null;
    return take(field, parse(text), null);
  };

  const tenantIdText = fields.tenant_id ?? '';
  const tenantId =
    tenantIdText.trim() === ''
      ? take('tenant_id', invalid('required (the customer’s Entra tenant ID)'), '')
      : take('tenant_id', parseGuid(tenantIdText), '');

  const name = take('name', parseText(fields.name ?? '', TEXT_LIMITS.name), null);
  if (name === null && !problems.some((problem) => problem.field === 'name')) {
    problems.push({ field: 'name', message: 'required (a display name, not empty after removing control characters)' });
  }

  const integrations = parseIntegrations(fields.integrations ?? [], problems);
  const scope = new Set<ScopedIntegrationId>(integrations);
  const tenantOptions = parseOptions(fields.options ?? [], scope, problems);
  const appNames = parsePairs('app_names', fields.app_names ?? [], scope, problems, parseAppName);
  const deviceAdded = parsePairs('device_added', fields.device_added ?? [], scope, problems, (_key, value) =>
    parseDateOrDateTime(value, now),
  );
  const subscriptions: string[] = [];
  for (const item of fields.subscriptions ?? []) {
    const guid = take('subscriptions', parseGuid(item), null);
    if (guid !== null && !subscriptions.includes(guid)) subscriptions.push(guid);
  }

  const tenant: Tenant = {
    tenantId,
    name: name ?? '',
    domain: optional('domain', parseDomain),
    orgGuid: optional('org_guid', parseGuid),
    guestEmail: optional('guest_email', parseEmail),
    engagementManager: take('engagement_manager', parseText(fields.engagement_manager ?? '', TEXT_LIMITS.engagement_manager), null),
    engineer: take('engineer', parseText(fields.engineer ?? '', TEXT_LIMITS.engineer), null),
    startedOn: optional('started_on', parseDate),
    notes: take('notes', parseText(fields.notes ?? '', TEXT_LIMITS.notes), null),
    archived: false,
    integrations,
    options: tenantOptions,
    appNames,
    subscriptions: subscriptions.sort(),
    deviceAdded,
  };
  if (problems.length === 0) return { ok: true, tenant };
  // In column order, so messages follow the row the user is looking at.
  const order = (problem: FieldProblem): number => ROSTER_COLUMNS.indexOf(problem.field);
  return { ok: false, problems: problems.sort((a, b) => order(a) - order(b)) };
}

function parseIntegrations(items: string[], problems: FieldProblem[]): ScopedIntegrationId[] {
  const found = new Set<ScopedIntegrationId>();
  for (const item of items) {
    const id = item.trim().toLowerCase();
    if (id === '') continue;
    if (isScopedIntegration(id)) found.add(id);
    else if (id === 'access') {
      problems.push({ field: 'integrations', message: 'access applies to every tenant; list only mde, mdi, m365, azure' });
    } else {
      problems.push({ field: 'integrations', message: `unknown integration ${quote(item)} (known: ${SCOPED_INTEGRATIONS.join(', ')})` });
    }
  }
  // Canonical order, so equal scopes compare and display the same.
  return SCOPED_INTEGRATIONS.filter((id) => found.has(id));
}

const OPTION_VALUES: Record<string, readonly string[]> = {
  mde: ['enterprise', 'custom'],
  'mde-console': ['basic', 'rbac'],
  azure: ['enterprise', 'custom'],
  mdi: ['custom'],
  m365: ['enterprise'],
};

function parseOptions(items: string[], scope: Set<ScopedIntegrationId>, problems: FieldProblem[]): TenantOptions {
  const chosen = { ...DEFAULT_OPTIONS };
  const seen = new Map<string, string>();
  for (const item of items) {
    const pair = splitPair(item);
    if (!pair) {
      problems.push({ field: 'options', message: `${quote(item)} is not key=value (e.g. mde=custom)` });
      continue;
    }
    const { key } = pair;
    const value = pair.value.toLowerCase();
    const allowed = OPTION_VALUES[key];
    if (!allowed) {
      problems.push({ field: 'options', message: `unknown option ${quote(key)} (known: ${Object.keys(OPTION_VALUES).join(', ')})` });
      continue;
    }
    if (!allowed.includes(value)) {
      const fixed = key === 'mdi' ? 'mdi always uses a custom app registration' : key === 'm365' ? 'm365 always uses the Expel enterprise app' : '';
      problems.push({
        field: 'options',
        message: fixed ? `${fixed}; ${quote(pair.value)} is not possible` : `${key} must be ${allowed.join(' or ')}, not ${quote(pair.value)}`,
      });
      continue;
    }
    const integration = pairIntegration(key) as ScopedIntegrationId;
    if (!scope.has(integration)) {
      problems.push({ field: 'options', message: `${key} is set but ${integration} is not in integrations` });
      continue;
    }
    const earlier = seen.get(key);
    if (earlier !== undefined && earlier !== value) {
      problems.push({ field: 'options', message: `${key} is given twice (${earlier} and ${value})` });
      continue;
    }
    seen.set(key, value);
    if (key === 'mde') chosen.mde = value as AppOption;
    else if (key === 'azure') chosen.azure = value as AppOption;
    else if (key === 'mde-console') chosen.mdeConsole = value as ConsoleOption;
  }
  return chosen;
}

/** `integration=value` items for in-scope integrations, each value checked by `parseValue`. */
function parsePairs(
  field: 'app_names' | 'device_added',
  items: string[],
  scope: Set<ScopedIntegrationId>,
  problems: FieldProblem[],
  parseValue: (key: ScopedIntegrationId, value: string) => Check<string>,
): Partial<Record<ScopedIntegrationId, string>> {
  const result: Partial<Record<ScopedIntegrationId, string>> = {};
  for (const item of items) {
    const pair = splitPair(item);
    if (!pair) {
      problems.push({ field, message: `${quote(item)} is not integration=value (e.g. mdi=2026-11-20)` });
      continue;
    }
    const { key } = pair;
    if (!isScopedIntegration(key)) {
      problems.push({ field, message: `unknown integration ${quote(key)} (known: ${SCOPED_INTEGRATIONS.join(', ')})` });
      continue;
    }
    const parsed = parseValue(key, pair.value);
    if (!parsed.ok) {
      problems.push({ field, message: `${key}: ${parsed.message}` });
      continue;
    }
    if (!scope.has(key)) {
      problems.push({ field, message: `${key} is given but ${key} is not in integrations` });
      continue;
    }
    if (result[key] !== undefined && result[key] !== parsed.value) {
      problems.push({ field, message: `${key} is given twice` });
      continue;
    }
    result[key] = parsed.value;
  }
  return result;
}

function parseAppName(integration: ScopedIntegrationId, value: string): Check<string> {
  if (integration === 'm365') return invalid('m365 uses the Expel enterprise app; it has no custom app name');
  const text = parseText(value, TEXT_LIMITS.app_name);
  if (!text.ok) return text;
  return text.value === null ? invalid('empty app name') : valid(text.value);
}

export function isScopedIntegration(id: string): id is ScopedIntegrationId {
  return (SCOPED_INTEGRATIONS as readonly string[]).includes(id);
}

/** A user's value, made safe and short enough to echo inside a message. */
export function quote(value: string): string {
  const text = stripControls(value).trim();
  const chars = [...text];
  return `'${chars.length > 60 ? `${chars.slice(0, 57).join('')}…` : text}'`;
}
