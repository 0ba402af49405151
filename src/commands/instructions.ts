// `expel-track instructions TENANT [--format md|text] [--out FILE]`: what the customer still has
// to do, ready to paste into an email (md) or a ticket (text). Built from the stored check
// history only; run `check` first for fresh results.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { GlobalOptions } from '../cli.js';
import { UserError } from '../core/errors.js';
import { databasePathFromOptions, openDatabase } from '../db/database.js';
import { HistoryStore } from '../db/history.js';
import { RosterStore } from '../db/roster.js';
import { INSTRUCTION_FORMATS, renderInstructions, type InstructionFormat } from '../instructions/index.js';
import { instructionSettingsFrom, verdictsForInstructions } from '../instructions/settings.js';
import { openSettings } from '../settings/settings.js';
import { resolveUserPath } from '../settings/paths.js';

interface InstructionsOptions {
  format: InstructionFormat;
  out?: string;
}

export function registerInstructionsCommand(program: Command): void {
  program
    .command('instructions')
    .description('customer instructions for the steps that are not done yet (Markdown for email, text for tickets)')
    .argument('<tenant>', 'tenant ID, or a unique name or domain')
    .addOption(new Option('--format <format>', 'md (Markdown) or text').choices([...INSTRUCTION_FORMATS]).default('md'))
    .option('--out <file>', 'write to this file instead of standard output')
    .action((tenantRef: string, options: InstructionsOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
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
    });
}
