// `expel-track config list|get|set|path`: settings, validated; nothing secret is accepted.
import type { Command } from 'commander';
import type { GlobalOptions } from '../cli.js';
import { databasePathFromOptions } from '../db/database.js';
import { formatTable } from '../roster/format.js';
import type { SettingEntry, SettingValue, SettingsStore } from '../settings/settings.js';

const print = (text: string): void => {
  process.stdout.write(text);
};

// conf and its JSON-schema validator are loaded only when a config command runs (startup time).
const loadSettings = () => import('../settings/settings.js');

async function settingsFor(command: Command): Promise<SettingsStore> {
  const { openSettings } = await loadSettings();
  return openSettings({ configDir: command.optsWithGlobals<GlobalOptions>().configDir });
}

/** `{ cloud: …, expelAppIds: { mde: … } }`: dotted keys become nested objects, as in the file. */
function nestedJson(entries: SettingEntry[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const { key, value } of entries) {
    const [top, sub] = key.split('.') as [string, string | undefined];
    if (sub === undefined) result[top] = value;
    else result[top] = { ...(result[top] as Record<string, unknown> | undefined), [sub]: value };
  }
  return result;
}

const shown = (value: SettingValue): string => (value === null ? '(unset)' : String(value));

export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('settings: list, get KEY, set KEY VALUE, path');

  config
    .command('list')
    .description('every setting with its value')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const entries = (await settingsFor(command)).entries();
      if (options.json) {
        print(`${JSON.stringify(nestedJson(entries), null, 2)}\n`);
        return;
      }
      const rows = entries.map((entry) => [entry.key, shown(entry.value), entry.isDefault ? 'default' : 'set']);
      print(formatTable(['KEY', 'VALUE', 'SOURCE'], rows));
    });

  config
    .command('get')
    .description('print one setting (nothing for an unset one)')
    .argument('<key>', 'setting key, e.g. cloud or expelAppIds.mde')
    .option('--json', 'print the value as JSON')
    .action(async (key: string, options: { json?: boolean }, command: Command) => {
      const value = (await settingsFor(command)).get(key);
      if (options.json) print(`${JSON.stringify(value)}\n`);
      else if (value !== null) print(`${value}\n`);
    });

  config
    .command('set')
    .description('change a setting (an empty VALUE returns it to the default)')
    .argument('<key>', 'setting key')
    .argument('<value>', 'new value')
    .action(async (key: string, value: string, _options: unknown, command: Command) => {
      const stored = (await settingsFor(command)).set(key, value);
      print(`${key} = ${shown(stored)}\n`);
    });

  config
    .command('path')
    .description('where the settings file and the roster database are')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const { settingsPath } = await loadSettings();
      const globals = command.optsWithGlobals<GlobalOptions>();
      const locations = { settings: settingsPath({ configDir: globals.configDir }), database: databasePathFromOptions(globals) };
      if (options.json) print(`${JSON.stringify(locations, null, 2)}\n`);
      else print(formatTable(['WHAT', 'PATH'], [['settings', locations.settings], ['database', locations.database]]));
    });
}
