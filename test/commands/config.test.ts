// `expel-track config` through the built CLI (npm test builds dist first).
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSandbox, type Sandbox } from '../support/cli.js';

describe('expel-track config', () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = makeSandbox();
  });
  afterEach(() => sandbox.cleanup());
  const settingsFile = (): string => path.join(sandbox.configDir, 'config.json');

  it('lists every key with its default, as text and as nested JSON', () => {
    const text = sandbox.run(['config', 'list']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^KEY +VALUE +SOURCE\n/);
    expect(text.stdout).toMatch(/\nexpelTenantId +1cde81fd-b430-4035-b24d-709921922876 +default\n/);
    expect(text.stdout).toMatch(/\nclientId +\(unset\) +default\n/);

    const json = JSON.parse(sandbox.run(['config', 'list', '--json']).stdout);
    expect(json).toMatchObject({
      cloud: 'public',
      auth: 'device-code',
      clientId: null,
      expelAppIds: { mde: null, m365: null, azure: null },
      guestEmailDomain: 'soc.expel.io',
      secretWarningDays: 30,
      pollingWindowMinutes: 15,
      alertWindowHours: '36-72',
      concurrency: 8,
      exportDir: path.join(sandbox.dir, 'data', 'expel-track', 'exports'),
    });
    expect(existsSync(settingsFile())).toBe(false);
  });

  it('sets and gets values in the sandboxed 0600 file', () => {
    const set = sandbox.run(['config', 'set', 'expelAppIds.mde', '20FF7FC3-E762-44DD-BD96-B71116DCDC23']);
    expect(set).toMatchObject({ code: 0, stdout: 'expelAppIds.mde = 20ff7fc3-e762-44dd-bd96-b71116dcdc23\n', stderr: '' });
    expect(sandbox.run(['config', 'get', 'expelAppIds.mde']).stdout).toBe('20ff7fc3-e762-44dd-bd96-b71116dcdc23\n');
    expect(sandbox.run(['config', 'get', 'clientId'])).toMatchObject({ code: 0, stdout: '' });
    expect(sandbox.run(['config', 'get', 'clientId', '--json']).stdout).toBe('null\n');
    expect(sandbox.run(['config', 'get', 'concurrency', '--json']).stdout).toBe('8\n');
    expect(statSync(settingsFile()).mode & 0o777).toBe(0o600);
    expect(existsSync(path.join(sandbox.dir, 'xdg-config'))).toBe(false);
  });

  it('refuses invalid values, unknown keys and secrets on stderr with exit 1', () => {
    const cases: Array<[string[], string]> = [
      [['config', 'set', 'cloud', 'mars'], 'cloud: must be one of: public, usgov, usgov-dod, china, custom'],
      [['config', 'set', 'concurrency', '100'], 'concurrency: must be from 1 to 64'],
      [['config', 'set', 'alertWindowHours', '72-36'], 'first hour must be below the second'],
      [['config', 'set', 'colour', 'blue'], "unknown setting 'colour'"],
      [['config', 'get', 'cloudd'], 'did you mean cloud?'],
      [['config', 'set', 'clientSecret', 'hunter2'], 'AZURE_CLIENT_SECRET'],
    ];
    for (const [args, message] of cases) {
      const result = sandbox.run(args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(message);
    }
    expect(existsSync(settingsFile())).toBe(false);
  });

  it('reports a hand-broken settings file and leaves it exactly as it was', () => {
    mkdirSync(sandbox.configDir, { recursive: true });
    const broken = '{ "cloud": "usgov", oops }';
    writeFileSync(settingsFile(), broken);
    for (const args of [['config', 'list'], ['config', 'set', 'cloud', 'public']]) {
      const result = sandbox.run(args);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('is not valid JSON');
      expect(result.stderr).not.toContain('unexpected error');
    }
    expect(readFileSync(settingsFile(), 'utf8')).toBe(broken);
  });

  it('prints where settings and the database are, even when the settings file is broken', () => {
    mkdirSync(sandbox.configDir, { recursive: true });
    writeFileSync(settingsFile(), 'not json');
    const result = sandbox.run(['config', 'path', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ settings: settingsFile(), database: sandbox.db });
    expect(sandbox.run(['config', 'path']).stdout).toContain(`settings  ${settingsFile()}`);
  });

  it('honours --config-dir over EXPEL_TRACK_CONFIG_DIR', () => {
    const other = path.join(sandbox.dir, 'other-config');
    expect(sandbox.run(['--config-dir', other, 'config', 'set', 'cloud', 'china']).code).toBe(0);
    expect(sandbox.run(['config', 'get', 'cloud']).stdout).toBe('public\n');
    expect(sandbox.run(['config', 'get', 'cloud', '--config-dir', other]).stdout).toBe('china\n');
  });
});
