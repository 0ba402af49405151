// Command-line entry. Decides interactive vs headless here (ink-notes §1.2): non-interactive
// commands never import Ink; the dashboard is loaded with a dynamic import only when needed.
import { Command, CommanderError, Option } from 'commander';
import { createRequire } from 'node:module';
import { UserError } from './core/errors.js';
import { registerCommands } from './commands/index.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export interface GlobalOptions {
  db?: string;
  configDir?: string;
  color: boolean;
}

export function buildProgram(): Command {
  const program = new Command('expel-track')
    .description('Track Expel onboarding of customer Microsoft tenants (read-only).')
    .version(version, '-V, --version')
    .addOption(new Option('--db <path>', 'roster database file').env('EXPEL_TRACK_DB'))
    .addOption(new Option('--config-dir <dir>', 'settings folder').env('EXPEL_TRACK_CONFIG_DIR'))
    .option('--no-color', 'disable colour (NO_COLOR is honoured too)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerCommands(program);
  return program;
}

/** The one place that turns failures into exit codes and stderr messages. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // commander already printed its message; help and version are successes.
    return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version'
      ? 0
      : error.exitCode || 1;
  }
  if (error instanceof UserError) {
    process.stderr.write(`expel-track: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`expel-track: unexpected error: ${message}\n`);
  return 1;
}
