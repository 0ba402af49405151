// User settings (contract.md "Settings keys"), stored with conf as JSON, file mode 0600,
// validated by a JSON schema on every read and write. Only values the user set are stored, so
// defaults can improve in later versions. A broken file is reported, never replaced. Nothing
// secret has a key here: credentials come from the environment only.
import Conf from 'conf';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { closestMatch } from '../roster/suggest.js';
import { parseDomain, parseGuid } from '../roster/validate.js';
import { configDirectory, dataDirectory, resolveUserPath } from './paths.js';

export const CLOUDS = ['public', 'usgov', 'usgov-dod', 'china', 'custom'] as const;
export type Cloud = (typeof CLOUDS)[number];
export const AUTH_METHODS = ['device-code', 'browser', 'azure-cli', 'client-secret', 'client-certificate'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** Expel's own Entra tenant (the guides' default). */
export const DEFAULT_EXPEL_TENANT_ID = '1cde81fd-b430-4035-b24d-709921922876';

export interface HourRange {
  from: number;
  to: number;
}

/** Every setting, typed, with defaults filled in. */
export interface Settings {
  cloud: Cloud;
  auth: AuthMethod;
  /** The tracker's own public client app, or null when not configured. */
  clientId: string | null;
  expelTenantId: string;
  /** Expel enterprise app IDs (not published in the guides), null when not configured. */
  expelAppIds: { mde: string | null; m365: string | null; azure: string | null };
  guestEmailDomain: string;
  secretWarningDays: number;
  pollingWindowMinutes: number;
  pollingReportingAllowanceMinutes: number;
  alertWindowHours: HourRange;
  auditLogWindowMinutes: number;
  staleAfterHours: number;
  concurrency: number;
  perTenantConcurrency: number;
  requestTimeoutSeconds: number;
  maxRetries: number;
  exportDir: string;
}

/** A setting as `config` shows and stores it: alertWindowHours stays the text `36-72`. */
export type SettingValue = string | number | null;

type Kind =
  | { type: 'choice'; values: readonly string[] }
  | { type: 'guid' }
  | { type: 'integer'; min: number; max: number }
  | { type: 'domain' }
  | { type: 'hours' }
  | { type: 'path' };

interface Definition {
  key: string;
  kind: Kind;
  description: string;
  /** null: unset unless the user sets it. */
  fallback: (env: NodeJS.ProcessEnv) => string | number | null;
}

const integer = (min: number, max: number): Kind => ({ type: 'integer', min, max });
const fixed = (value: string | number | null) => () => value;

export const SETTING_DEFINITIONS: readonly Definition[] = [
  { key: 'cloud', kind: { type: 'choice', values: CLOUDS }, description: 'Microsoft cloud the tenants live in', fallback: fixed('public') },
  { key: 'auth', kind: { type: 'choice', values: AUTH_METHODS }, description: 'how the tracker signs in', fallback: fixed('device-code') },
  { key: 'clientId', kind: { type: 'guid' }, description: 'the tracker’s own client app ID (customers consent to it)', fallback: fixed(null) },
  { key: 'expelTenantId', kind: { type: 'guid' }, description: 'Expel’s Entra tenant ID', fallback: fixed(DEFAULT_EXPEL_TENANT_ID) },
  { key: 'expelAppIds.mde', kind: { type: 'guid' }, description: 'app ID of Expel’s Defender for Endpoint enterprise app', fallback: fixed(null) },
  { key: 'expelAppIds.m365', kind: { type: 'guid' }, description: 'app ID of Expel’s Microsoft 365 enterprise app', fallback: fixed(null) },
  { key: 'expelAppIds.azure', kind: { type: 'guid' }, description: 'app ID of Expel’s Azure enterprise app', fallback: fixed(null) },
  { key: 'guestEmailDomain', kind: { type: 'domain' }, description: 'domain of the built guest email <org_guid>@…', fallback: fixed('soc.expel.io') },
  { key: 'secretWarningDays', kind: integer(0, 365), description: 'warn when an app secret expires within this many days', fallback: fixed(30) },
  { key: 'pollingWindowMinutes', kind: integer(1, 1440), description: 'how long Expel’s first poll may take after access is granted', fallback: fixed(15) },
  { key: 'pollingReportingAllowanceMinutes', kind: integer(0, 1440), description: 'extra time for a poll to show up in reporting', fallback: fixed(45) },
  { key: 'alertWindowHours', kind: { type: 'hours' }, description: 'hours after the device was added in which the first alert is expected (from-to)', fallback: fixed('36-72') },
  { key: 'auditLogWindowMinutes', kind: integer(1, 1440), description: 'how long audit log ingestion may take to start', fallback: fixed(60) },
  { key: 'staleAfterHours', kind: integer(1, 720), description: 'a check older than this is shown as stale', fallback: fixed(24) },
  { key: 'concurrency', kind: integer(1, 64), description: 'tenants checked at the same time', fallback: fixed(8) },
  { key: 'perTenantConcurrency', kind: integer(1, 16), description: 'requests at the same time within one tenant', fallback: fixed(4) },
  { key: 'requestTimeoutSeconds', kind: integer(1, 600), description: 'time limit of one Microsoft request', fallback: fixed(30) },
  { key: 'maxRetries', kind: integer(0, 10), description: 'retries of a throttled or failed request', fallback: fixed(4) },
  { key: 'exportDir', kind: { type: 'path' }, description: 'folder for exports', fallback: (env) => path.join(dataDirectory(env), 'exports') },
];

export const SETTING_KEYS: readonly string[] = SETTING_DEFINITIONS.map((definition) => definition.key);

/** Names that look like credentials: refused with a pointer to the environment variables. */
const SECRET_LIKE = /secret|passw|token|credential|certificate|private.?key|api.?key|bearer|cookie/i;

const GUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

function schemaFor(kind: Kind): Record<string, unknown> {
  switch (kind.type) {
    case 'choice':
      return { type: 'string', enum: [...kind.values] };
    case 'guid':
      return { type: 'string', pattern: GUID_PATTERN };
    case 'integer':
      return { type: 'integer', minimum: kind.min, maximum: kind.max };
    case 'domain':
      return { type: 'string', minLength: 3, maxLength: 253, pattern: '^[a-z0-9.-]+$' };
    case 'hours':
      return { type: 'string', pattern: '^[0-9]{1,3}-[0-9]{1,3}$' };
    case 'path':
      return { type: 'string', minLength: 1 };
  }
}

/** The conf schema: one property per top-level key; `expelAppIds` is an object of its own. */
function confSchema(): Record<string, Record<string, unknown>> {
  const schema: Record<string, Record<string, unknown>> = {};
  const nested: Record<string, Record<string, unknown>> = {};
  for (const definition of SETTING_DEFINITIONS) {
    const [top, sub] = definition.key.split('.') as [string, string | undefined];
    if (sub) nested[sub] = schemaFor(definition.kind);
    else schema[top] = schemaFor(definition.kind);
  }
  schema.expelAppIds = { type: 'object', properties: nested, additionalProperties: false };
  return schema;
}

export interface SettingEntry {
  key: string;
  value: SettingValue;
  /** True when the value is the built-in default (the user has not set it). */
  isDefault: boolean;
  description: string;
}

export interface SettingsStore {
  /** The settings file (it may not exist yet: only values the user sets are written). */
  readonly path: string;
  all(): Settings;
  /** A value as `config get` shows it; unknown keys are a UserError listing the valid ones. */
  get(key: string): SettingValue;
  /** Parses, validates and stores a value given as text; an empty string returns the key to its default. */
  set(key: string, raw: string): SettingValue;
  entries(): SettingEntry[];
}

export interface OpenSettingsOptions {
  /** `--config-dir` / EXPEL_TRACK_CONFIG_DIR; otherwise the platform's config folder. */
  configDir?: string;
  env?: NodeJS.ProcessEnv;
}

export const SETTINGS_FILE_NAME = 'config.json';

/** Where the settings file lives, without opening it. */
export function settingsPath(options: OpenSettingsOptions = {}): string {
  const env = options.env ?? process.env;
  const dir = options.configDir ? path.resolve(options.configDir) : configDirectory(env);
  return path.join(dir, SETTINGS_FILE_NAME);
}

export function openSettings(options: OpenSettingsOptions = {}): SettingsStore {
  const env = options.env ?? process.env;
  const file = settingsPath(options);
  let conf: Conf<Record<string, unknown>>;
  try {
    conf = new Conf<Record<string, unknown>>({
      projectName: 'expel-track',
      cwd: path.dirname(file),
      configName: path.basename(file, '.json'),
      configFileMode: 0o600,
      clearInvalidConfig: false,
      schema: confSchema(),
      rootSchema: { additionalProperties: false },
    });
  } catch (error) {
    throw invalidFileError(file, error);
  }

  const stored = (key: string): unknown => conf.get(key);
  const definitionOf = (key: string): Definition => {
    const definition = SETTING_DEFINITIONS.find((candidate) => candidate.key === key);
    if (definition) return definition;
    if (SECRET_LIKE.test(key)) throw secretRefusal(key);
    const hint = closestMatch(key, SETTING_KEYS);
    throw new UserError(
      `unknown setting '${key}'${hint ? ` (did you mean ${hint}?)` : ''}; valid keys: ${SETTING_KEYS.join(', ')}`,
    );
  };
  const valueOf = (definition: Definition): SettingValue => {
    const value = stored(definition.key);
    return value === undefined ? definition.fallback(env) : (value as SettingValue);
  };

  // The schema checks the shape of a hand-edited file; the hour range's order needs a look too.
  const hours = stored('alertWindowHours');
  const hourRange = typeof hours === 'string' ? parseHourRange(hours) : undefined;
  if (hourRange && !hourRange.ok) {
    throw new UserError(
      `${file}: alertWindowHours ${JSON.stringify(hours)} is not valid (${hourRange.message}); ` +
        'fix it with: expel-track config set alertWindowHours 36-72',
    );
  }

  const store: SettingsStore = {
    path: file,
    get: (key) => valueOf(definitionOf(key)),
    set(key, raw) {
      const definition = definitionOf(key);
      if (raw.trim() === '') {
        conf.delete(definition.key);
        return valueOf(definition);
      }
      const parsed = parseSettingValue(definition, raw, env);
      if (!parsed.ok) throw new UserError(`${definition.key}: ${parsed.message}`);
      try {
        conf.set(definition.key, parsed.value);
      } catch (error) {
        throw new UserError(`could not save ${definition.key} to ${file}: ${(error as Error).message}`);
      }
      return parsed.value;
    },
    entries: () =>
      SETTING_DEFINITIONS.map((definition) => ({
        key: definition.key,
        value: valueOf(definition),
        isDefault: stored(definition.key) === undefined,
        description: definition.description,
      })),
    all() {
      const value = (key: string): SettingValue => valueOf(definitionOf(key));
      const range = parseHourRange(String(value('alertWindowHours')));
      if (!range.ok) throw new UserError(`${file}: alertWindowHours: ${range.message}`);
      return {
        cloud: value('cloud') as Cloud,
        auth: value('auth') as AuthMethod,
        clientId: value('clientId') as string | null,
        expelTenantId: value('expelTenantId') as string,
        expelAppIds: {
          mde: value('expelAppIds.mde') as string | null,
          m365: value('expelAppIds.m365') as string | null,
          azure: value('expelAppIds.azure') as string | null,
        },
        guestEmailDomain: value('guestEmailDomain') as string,
        secretWarningDays: value('secretWarningDays') as number,
        pollingWindowMinutes: value('pollingWindowMinutes') as number,
        pollingReportingAllowanceMinutes: value('pollingReportingAllowanceMinutes') as number,
        alertWindowHours: range.value,
        auditLogWindowMinutes: value('auditLogWindowMinutes') as number,
        staleAfterHours: value('staleAfterHours') as number,
        concurrency: value('concurrency') as number,
        perTenantConcurrency: value('perTenantConcurrency') as number,
        requestTimeoutSeconds: value('requestTimeoutSeconds') as number,
        maxRetries: value('maxRetries') as number,
        exportDir: value('exportDir') as string,
      };
    },
  };
  return store;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** `36-72` → from 36 to 72 hours; from must be below to, both within 30 days. */
export function parseHourRange(text: string): Parsed<HourRange> {
  const match = /^\s*(\d{1,3})\s*-\s*(\d{1,3})\s*$/.exec(text);
  if (!match) return { ok: false, message: 'expected two whole hours, from-to, e.g. 36-72' };
  const from = Number(match[1]);
  const to = Number(match[2]);
  if (from >= to) return { ok: false, message: `the first hour must be below the second (${from}-${to})` };
  if (to > 720) return { ok: false, message: 'at most 720 hours (30 days)' };
  return { ok: true, value: { from, to } };
}

function parseSettingValue(definition: Definition, raw: string, env: NodeJS.ProcessEnv): Parsed<string | number> {
  const text = raw.trim();
  const { kind } = definition;
  switch (kind.type) {
    case 'choice': {
      const value = text.toLowerCase();
      return kind.values.includes(value) ? { ok: true, value } : { ok: false, message: `must be one of: ${kind.values.join(', ')}` };
    }
    case 'guid': {
      const guid = parseGuid(text);
      return guid.ok ? guid : { ok: false, message: guid.message };
    }
    case 'integer': {
      if (!/^\d+$/.test(text)) return { ok: false, message: `must be a whole number from ${kind.min} to ${kind.max}` };
      const value = Number(text);
      if (value < kind.min || value > kind.max) return { ok: false, message: `must be from ${kind.min} to ${kind.max}` };
      return { ok: true, value };
    }
    case 'domain': {
      const domain = parseDomain(text);
      return domain.ok ? domain : { ok: false, message: domain.message };
    }
    case 'hours': {
      const range = parseHourRange(text);
      return range.ok ? { ok: true, value: `${range.value.from}-${range.value.to}` } : range;
    }
    case 'path':
      return { ok: true, value: resolveUserPath(text, env) };
  }
}

function secretRefusal(key: string): UserError {
  return new UserError(
    `'${key}' looks like a secret, and expel-track never stores secrets in its settings. ` +
      'Give an app secret in the AZURE_CLIENT_SECRET environment variable (or a certificate file in ' +
      'AZURE_CLIENT_CERTIFICATE_PATH, the app in AZURE_CLIENT_ID); sign-in tokens are cached by the Azure sign-in library.',
  );
}

/** Explains why conf refused the file; the file itself is left exactly as it was. */
function invalidFileError(file: string, error: unknown): UserError {
  const message = error instanceof Error ? error.message : String(error);
  const advice = `Fix the file by hand or move it away; it was left as it was.`;
  if (error instanceof SyntaxError) return new UserError(`${file} is not valid JSON (${message}). ${advice}`);
  if (message.startsWith('Config schema violation')) {
    const unknown = unknownKeysIn(file);
    const secret = unknown.find((key) => SECRET_LIKE.test(key));
    if (secret) {
      return new UserError(`${file} contains '${secret}', which looks like a secret; expel-track never reads secrets from its settings. Remove it (use AZURE_CLIENT_SECRET in the environment instead). ${advice}`);
    }
    // conf's ajv text cannot name extra keys ("must NOT have additional properties"); we can.
    const problems = message
      .replace('Config schema violation: ', '')
      .split('; ')
      .filter((part) => !part.endsWith('must NOT have additional properties'));
    if (unknown.length > 0) problems.unshift(`unknown setting${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
    return new UserError(`${file} has invalid settings: ${problems.join('; ')}. ${advice}`);
  }
  return new UserError(`cannot read settings from ${file}: ${message}`);
}

function unknownKeysIn(file: string): string[] {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const keys = Object.entries(data).flatMap(([key, value]) =>
      key === 'expelAppIds' && value && typeof value === 'object' ? Object.keys(value).map((sub) => `${key}.${sub}`) : [key],
    );
    return keys.filter((key) => !SETTING_KEYS.includes(key));
  } catch {
    return [];
  }
}
