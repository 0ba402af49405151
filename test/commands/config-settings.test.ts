// Unit tests of src/settings/settings.ts (the store behind `expel-track config`).
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { configDirectory } from '../../src/settings/paths.js';
import { DEFAULT_EXPEL_TENANT_ID, openSettings, parseHourRange, SETTING_KEYS } from '../../src/settings/settings.js';
import { catchError, tempDir } from '../db/helpers.js';

const GUID = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';

describe('settings', () => {
  let temp: ReturnType<typeof tempDir>;
  let configDir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    temp = tempDir();
    configDir = path.join(temp.dir, 'config');
    // Every default location points into the temp folder, so a leak would show up there.
    env = { HOME: temp.dir, XDG_DATA_HOME: path.join(temp.dir, 'data'), XDG_CONFIG_HOME: path.join(temp.dir, 'xdg-config') };
  });
  afterEach(() => temp.cleanup());
  const open = () => openSettings({ configDir, env });

  it('has the contract defaults and writes no file just to read them', () => {
    const settings = open();
    expect(settings.path).toBe(path.join(configDir, 'config.json'));
    expect(settings.all()).toEqual({
      cloud: 'public',
      auth: 'device-code',
      clientId: null,
      expelTenantId: DEFAULT_EXPEL_TENANT_ID,
      expelAppIds: { mde: null, m365: null, azure: null },
      guestEmailDomain: 'soc.expel.io',
      secretWarningDays: 30,
      pollingWindowMinutes: 15,
      pollingReportingAllowanceMinutes: 45,
      alertWindowHours: { from: 36, to: 72 },
      auditLogWindowMinutes: 60,
      staleAfterHours: 24,
      concurrency: 8,
      perTenantConcurrency: 4,
      requestTimeoutSeconds: 30,
      maxRetries: 4,
      exportDir: path.join(temp.dir, 'data', 'expel-track', 'exports'),
    });
    expect(existsSync(settings.path)).toBe(false);
    expect(settings.entries().every((entry) => entry.isDefault)).toBe(true);
    expect(settings.entries().map((entry) => entry.key)).toEqual(SETTING_KEYS);
  });

  it('parses, validates and keeps values across reopening, in a 0600 file inside the given folder only', () => {
    const settings = open();
    expect(settings.set('cloud', 'USGov')).toBe('usgov');
    expect(settings.set('clientId', GUID.toUpperCase())).toBe(GUID);
    expect(settings.set('expelAppIds.m365', GUID)).toBe(GUID);
    expect(settings.set('concurrency', '16')).toBe(16);
    expect(settings.set('alertWindowHours', ' 24 - 48 ')).toBe('24-48');
    expect(settings.set('guestEmailDomain', 'SOC.Example.com')).toBe('soc.example.com');
    expect(settings.set('exportDir', '~/reports')).toBe(path.join(temp.dir, 'reports'));

    const reopened = open().all();
    expect(reopened).toMatchObject({
      cloud: 'usgov',
      clientId: GUID,
      expelAppIds: { mde: null, m365: GUID, azure: null },
      concurrency: 16,
      alertWindowHours: { from: 24, to: 48 },
      exportDir: path.join(temp.dir, 'reports'),
    });
    expect(statSync(settings.path).mode & 0o777).toBe(0o600);
    expect(existsSync(path.join(temp.dir, 'xdg-config'))).toBe(false);
    expect(JSON.parse(readFileSync(settings.path, 'utf8'))).toEqual({
      cloud: 'usgov',
      clientId: GUID,
      expelAppIds: { m365: GUID },
      concurrency: 16,
      alertWindowHours: '24-48',
      guestEmailDomain: 'soc.example.com',
      exportDir: path.join(temp.dir, 'reports'),
    });
  });

  it('returns a key to its default when set to an empty value', () => {
    const settings = open();
    settings.set('concurrency', '2');
    expect(settings.set('concurrency', '')).toBe(8);
    expect(settings.entries().find((entry) => entry.key === 'concurrency')?.isDefault).toBe(true);
  });

  it.each([
    ['cloud', 'azure-germany', /must be one of: public, usgov, usgov-dod, china, custom/],
    ['auth', 'password', /must be one of/],
    ['clientId', 'my-app', /not a GUID/],
    ['concurrency', '0', /from 1 to 64/],
    ['concurrency', '65', /from 1 to 64/],
    ['concurrency', '8.5', /whole number/],
    ['maxRetries', '-1', /whole number/],
    ['alertWindowHours', '72-36', /first hour must be below/],
    ['alertWindowHours', '36', /from-to/],
    ['guestEmailDomain', 'https://soc.expel.io', /URL/],
  ])('refuses %s = %s and changes nothing', (key, value, message) => {
    const settings = open();
    settings.set('concurrency', '3');
    const before = readFileSync(settings.path);
    const error = catchError(() => settings.set(key, value));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(message);
    expect(readFileSync(settings.path).equals(before)).toBe(true);
  });

  it('names the valid keys for an unknown key, with a suggestion', () => {
    const error = catchError(() => open().set('concurency', '4'));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain("unknown setting 'concurency' (did you mean concurrency?)");
    expect(error.message).toContain('valid keys: cloud, auth, clientId');
    expect(() => open().get('nope')).toThrow(/unknown setting 'nope'/);
  });

  it.each(['clientSecret', 'password', 'token', 'AZURE_CLIENT_SECRET', 'certificatePassword'])(
    'refuses anything secret-like (%s) and points to the environment',
    (key) => {
      const settings = open();
      const error = catchError(() => settings.set(key, 'hunter2'));
      expect(error).toBeInstanceOf(UserError);
      expect(error.message).toContain('never stores secrets');
      expect(error.message).toContain('AZURE_CLIENT_SECRET');
      expect(existsSync(settings.path)).toBe(false);
    },
  );

  describe('a broken settings file is reported and never overwritten', () => {
    const brokenFiles: Array<[string, string, RegExp]> = [
      ['not JSON', '{"cloud": "usgov",', /is not valid JSON/],
      ['a value out of range', '{"concurrency": 500}', /invalid settings: .*concurrency/],
      ['a wrong type', '{"cloud": 3}', /invalid settings/],
      ['an unknown key', '{"cloud": "usgov", "colour": "blue"}', /unknown setting colour/],
      ['a secret added by hand', '{"clientSecret": "hunter2"}', /looks like a secret/],
      ['an inverted hour range', '{"alertWindowHours": "72-36"}', /alertWindowHours "72-36" is not valid/],
    ];
    it.each(brokenFiles)('%s', (_label, content, message) => {
      mkdirSync(configDir, { recursive: true });
      const file = path.join(configDir, 'config.json');
      writeFileSync(file, content, { mode: 0o644 });
      const error = catchError(() => open());
      expect(error).toBeInstanceOf(UserError);
      expect(error.message).toMatch(message);
      expect(error.message).toContain(file);
      expect(readFileSync(file, 'utf8')).toBe(content);
      expect(statSync(file).mode & 0o777).toBe(0o644);
    });
  });

  it('uses the platform config folder without --config-dir', () => {
    const settings = openSettings({ env });
    expect(settings.path).toBe(path.join(temp.dir, 'xdg-config', 'expel-track', 'config.json'));
    expect(configDirectory({ HOME: '/Users/ana' }, 'darwin')).toBe('/Users/ana/Library/Preferences/expel-track');
    expect(configDirectory({ APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'win32')).toBe('C:\\Users\\ana\\AppData\\Roaming\\expel-track\\Config');
  });

  it('parses hour ranges', () => {
    expect(parseHourRange('36-72')).toEqual({ ok: true, value: { from: 36, to: 72 } });
    expect(parseHourRange('0-721').ok).toBe(false);
    expect(parseHourRange('a-b').ok).toBe(false);
  });
});
