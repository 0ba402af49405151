// `expel-track instructions TENANT [--format md|text] [--out FILE]`: what the customer still has
// to do, ready to paste into an email (md) or a ticket (text). Built from the stored check
// history only; run `check` first for fresh results.
import type { Command } from 'commander';
import { Option } from 'commander';
import type { GlobalOptions } from '../cli.js';
import { INSTRUCTION_FORMATS, type InstructionFormat } from '../instructions/render.js';

export interface InstructionsOptions {
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
    .action(async (tenantRef: string, options: InstructionsOptions, command: Command) => {
      const { instructions } = await import('./instructions-run.js');
      instructions(tenantRef, options, command.optsWithGlobals<GlobalOptions>());
    });
}
