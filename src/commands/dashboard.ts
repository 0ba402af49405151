// `expel-track` with no command: the dashboard. It needs a terminal; without one it says so and
// points to the scriptable commands. Ink and the dashboard's modules are loaded only here, with
// dynamic imports, so other commands never pay for them.
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { UserError } from '../core/errors.js';
import type { Database } from '../db/database.js';
import type { Settings } from '../settings/settings.js';
import type { AccessLayer } from '../microsoft/index.js';
import type { SignInHub } from '../ui/live-source.js';

/** True when a keyboard-driven UI can work: both streams are terminals and CI is not set. */
export function canRunInteractive(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI;
  const inCi = ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !inCi;
}

export function requireInteractive(what: string): void {
  if (!canRunInteractive()) {
    throw new UserError(
      `${what} needs an interactive terminal (stdin and stdout a TTY, CI unset).\n` +
        'For scripts use: expel-track check --all --json, expel-track tenant list --json, expel-track export',
    );
  }
}

interface GlobalOptions {
  db?: string;
  configDir?: string;
}

export function registerDashboardCommand(program: Command): void {
  program.allowExcessArguments(true).action(async (_options: unknown, command: Command) => {
    if (command.args.length > 0) {
      throw new UserError(`unknown command '${command.args[0]}' (see expel-track --help)`);
    }
    requireInteractive('the dashboard');
    const globals = command.optsWithGlobals<GlobalOptions>();
    // Only what the first frame needs is loaded up front: the database, the settings, then (in
    // openDashboard) the roster source and the Ink app; the access layer waits for the first re-check.
    const [{ databasePathFromOptions, openDatabase }, { openSettings }] = await Promise.all([
      import('../db/database.js'),
      import('../settings/settings.js'),
    ]);
    const settings = openSettings({ configDir: globals.configDir }).all();
    process.exitCode = await openDashboard({
      db: openDatabase(databasePathFromOptions(globals)),
      settings,
      access: async (signIn) => {
        const [{ createAccessLayer }, { accessOptionsFrom }] = await Promise.all([
          import('../microsoft/index.js'),
          import('../check/access-options.js'),
        ]);
        // The device code is shown inside the dashboard, never printed around its frame.
        return createAccessLayer(accessOptionsFrom(settings, (prompt) => signIn.prompt(prompt)));
      },
    });
  });
}

export interface DashboardSession {
  /** Closed when the dashboard ends, whatever happens. */
  db: Database;
  settings: Settings;
  /** Builds the access layer on the first re-check, so a configuration problem shows there, not as a crash. */
  access: (signIn: SignInHub) => Promise<AccessLayer>;
  /** The demo starts with a re-check of every tenant. */
  recheckOnStart?: boolean;
  /** The environment cloud endpoints are read from (instruction links); default process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs the dashboard over a database until the analyst quits; resolves with the exit code (0 for
 * q, 130 for Ctrl+C, 143 when terminated). The database is closed and requests are abandoned on
 * every way out.
 */
export async function openDashboard(session: DashboardSession): Promise<number> {
  const stop = new AbortController();
  const terminate = (): void => stop.abort();
  process.once('SIGTERM', terminate);
  process.once('SIGHUP', terminate);
  let source: import('../ui/live-source.js').LiveSource | null = null;
  try {
    const [{ LiveSource, createSignInHub }, { RosterStore }, { HistoryStore }, { runDashboard }] = await Promise.all([
      import('../ui/live-source.js'),
      import('../db/roster.js'),
      import('../db/history.js'),
      import('../app.js'),
    ]);
    const signIn = createSignInHub();
    source = new LiveSource({
      db: session.db,
      roster: new RosterStore(session.db),
      history: new HistoryStore(session.db),
      settings: session.settings,
      access: () => session.access(signIn),
      signIn,
      ...(session.env === undefined ? {} : { env: session.env }),
    });
    return await runDashboard({
      source,
      analyst: analystName(),
      recheckOnStart: session.recheckOnStart ?? false,
      signal: stop.signal,
    });
  } finally {
    process.removeListener('SIGTERM', terminate);
    process.removeListener('SIGHUP', terminate);
    // Re-checks were aborted when the dashboard unmounted; let them settle before closing.
    try {
      await source?.shutdown();
    } finally {
      session.db.close();
    }
  }
}

function analystName(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}
