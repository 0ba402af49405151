// `expel-track check [TENANT…|--all] [--integration ID…] [--json]`: runs the probes, stores every
// verdict, prints a summary table or the contract's JSON document.
// Exit codes (contract.md): 0 every applicable step got a verdict, 3 some step is `error`,
// 1 bad input or configuration (nothing written), 130 interrupted.
import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import { cleanText } from '../core/sanitize.js';
import { SCOPED_INTEGRATIONS, type ScopedIntegrationId, type Tenant } from '../core/tenant.js';
import { databasePathFromOptions, openDatabase } from '../db/database.js';
import { HistoryStore } from '../db/history.js';
import { RosterStore } from '../db/roster.js';
import { accessOptionsFrom } from '../check/access-options.js';
import { CHECK_SCHEMA, hasErrors, type CheckDocument } from '../check/document.js';
import { progressLine, summaryFooter, summaryTable } from '../check/format.js';
import { checkSettingsFrom, runCheck } from '../check/runner.js';
import { createAccessLayer } from '../microsoft/index.js';
import { openSettings } from '../settings/settings.js';

interface CheckOptions {
  all?: boolean;
  integration: string[];
  json?: boolean;
}

interface GlobalOptions {
  db?: string;
  configDir?: string;
}

export const EXIT_SOME_ERROR = 3;
export const EXIT_INTERRUPTED = 130;

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** --integration values: repeatable and comma-separated; `access` is accepted (it always runs). */
export function parseIntegrationFilter(values: readonly string[]): Set<ScopedIntegrationId> | null {
  if (values.length === 0) return null;
  const filter = new Set<ScopedIntegrationId>();
  for (const raw of values.flatMap((v) => v.split(','))) {
    const id = raw.trim().toLowerCase();
    if (id === '' || id === 'access') continue;
    if (!(SCOPED_INTEGRATIONS as readonly string[]).includes(id)) {
      throw new UserError(`--integration: unknown integration '${cleanText(raw)}' (use ${SCOPED_INTEGRATIONS.join(', ')})`);
    }
    filter.add(id as ScopedIntegrationId);
  }
  return filter;
}

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('run the probes for tenants, store every verdict, print a summary or one JSON document')
    .argument('[tenant...]', 'tenant IDs, or unique names or domains')
    .option('--all', 'every active tenant in the roster')
    .option('--integration <id>', 'only probe these integrations (mde, mdi, m365, azure; repeat or comma-separate); access always runs', collect, [])
    .option('--json', `print one JSON document (${CHECK_SCHEMA})`)
    .action(async (refs: string[], options: CheckOptions, command: Command) => {
      process.exitCode = await check(refs, options, command.optsWithGlobals<GlobalOptions>());
    });
}

async function check(refs: string[], options: CheckOptions, globals: GlobalOptions): Promise<number> {
  if (options.all && refs.length > 0) throw new UserError('give tenants or --all, not both');
  if (!options.all && refs.length === 0) throw new UserError('name the tenants to check, or use --all');
  const filter = parseIntegrationFilter(options.integration);
  const settings = openSettings({ configDir: globals.configDir }).all();
  const access = createAccessLayer(
    accessOptionsFrom(settings, (prompt) => process.stderr.write(`${cleanText(prompt.message)}\n`)),
  );

  const db = openDatabase(databasePathFromOptions(globals));
  const controller = new AbortController();
  const interrupt = () => {
    if (!controller.signal.aborted) process.stderr.write('\nexpel-track: interrupted; finishing without storing unfinished tenants\n');
    controller.abort();
  };
  try {
    const tenants = resolveTenants(new RosterStore(db), refs, options.all === true);
    const history = new HistoryStore(db);
    const live = !options.json && process.stderr.isTTY === true;
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    if (live) process.stderr.write(progressLine(0, tenants.length, null));
    const result = await runCheck({
      tenants,
      filter,
      openSession: (tenantId, signal) => access.openTenantSession(tenantId, signal),
      history,
      settings: checkSettingsFrom(settings),
      signal: controller.signal,
      onTenantDone: (outcome, done, total) => {
        if (live) process.stderr.write(progressLine(done, total, outcome.tenant.name));
      },
    });
    if (live) process.stderr.write('\n');
    const reports = result.outcomes.map((o) => o.report);
    if (result.interrupted) {
      if (!options.json) process.stdout.write(summaryTable(reports) + summaryFooter(reports, true));
      throw new UserError(`check interrupted: ${reports.length} of ${tenants.length} tenants stored; the run is marked incomplete`, EXIT_INTERRUPTED);
    }
    if (options.json) {
      const document: CheckDocument = { schema: CHECK_SCHEMA, startedAt: result.startedAt, finishedAt: result.finishedAt, tenants: reports };
      process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    } else {
      process.stdout.write(summaryTable(reports) + summaryFooter(reports, false));
    }
    return hasErrors(reports) ? EXIT_SOME_ERROR : 0;
  } finally {
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
    access.close();
    db.close();
  }
}

/** Tenants in the order asked for, each once; an unknown reference stops everything before any read. */
function resolveTenants(roster: RosterStore, refs: readonly string[], all: boolean): Tenant[] {
  if (all) return roster.list();
  const seen = new Set<string>();
  const tenants: Tenant[] = [];
  for (const ref of refs) {
    const tenant = roster.resolve(ref);
    if (seen.has(tenant.tenantId)) continue;
    seen.add(tenant.tenantId);
    tenants.push(tenant);
  }
  return tenants;
}
