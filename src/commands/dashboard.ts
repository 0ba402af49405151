import type { Command } from 'commander';
import { UserError } from '../core/errors.js';

/** True when a keyboard-driven UI can work: both streams are terminals and CI is not set. */
export function canRunInteractive(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI;
  const inCi = ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !inCi;
}

export function registerDashboardCommand(program: Command): void {
  program.allowExcessArguments(true).action(async (_options: unknown, command: Command) => {
    if (command.args.length > 0) {
      throw new UserError(`unknown command '${command.args[0]}' (see expel-track --help)`);
    }
    if (!canRunInteractive()) {
      throw new UserError(
        'the dashboard needs an interactive terminal (stdin and stdout a TTY, CI unset).\n' +
          'For scripts use: expel-track check --all --json, expel-track tenant list --json, expel-track export',
      );
    }
    throw new UserError('the dashboard is not built yet; use the tenant and config commands');
  });
}
