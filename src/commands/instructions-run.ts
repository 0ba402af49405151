// `expel-track instructions`: what runs once the command line is parsed (instructions.ts registers it).
import { writeFileSync } from 'node:fs';
import type { GlobalOptions } from '../cli.js';
import { UserError } from '../core/errors.js';
import { databasePathFromOptions, openDatabase } from '../db/database.js';
import { HistoryStore } from '../db/history.js';
import { RosterStore } from '../db/roster.js';
import { renderInstructions } from '../instructions/index.js';
import { instructionSettingsFrom, verdictsForInstructions } from '../instructions/settings.js';
import { openSettings } from '../settings/settings.js';
import { resolveUserPath } from '../settings/paths.js';
import type { InstructionsOptions } from './instructions.js';

export function instructions(tenantRef: string, options: InstructionsOptions, globals: GlobalOptions): void {
  const settings = instructionSettingsFrom(openSettings({ configDir: globals.configDir }).all());
  const db = openDatabase(databasePathFromOptions(globals));
  let document: string;
  try {
    const tenant = new RosterStore(db).resolve(tenantRef);
    const states = new HistoryStore(db).stepStates(tenant.tenantId).get(tenant.tenantId) ?? [];
    document = renderInstructions({ tenant, verdicts: verdictsForInstructions(states), settings, format: options.format });
  } finally {
    db.close();
  }
  if (options.out === undefined || options.out === '-') {
    process.stdout.write(document);
    return;
  }
  const file = resolveUserPath(options.out);
  try {
    writeFileSync(file, document, { encoding: 'utf8' });
  } catch (error) {
    throw new UserError(`cannot write ${file}: ${(error as Error).message}`);
  }
  // The path alone on stdout, as `export` does, so scripts can pick it up.
  process.stdout.write(`${file}\n`);
}
