// `expel-track check`: what runs once the command line is parsed (check.ts registers the command
// and loads this module only then, so other commands never load the probes or the access layer).
import { cleanText } from '../core/sanitize.js';
import { UserError } from '../core/errors.js';
import type { Tenant } from '../core/tenant.js';
import { databasePathFromOptions, openDatabase } from '../db/database.js';
import { HistoryStore } from '../db/history.js';
import { RosterStore } from '../db/roster.js';
import { accessOptionsFrom } from '../check/access-options.js';
import { CHECK_SCHEMA, hasErrors, type CheckDocument } from '../check/document.js';
import { progressLine, summaryFooter, summaryTable } from '../check/format.js';
import { checkSettingsFrom, runCheck } from '../check/runner.js';
import { createAccessLayer } from '../microsoft/index.js';
import { openSettings } from '../settings/settings.js';
import { EXIT_INTERRUPTED, EXIT_SOME_ERROR, parseIntegrationFilter, type CheckOptions, type GlobalOptions } from './check.js';

export async function check(refs: string[], options: CheckOptions, globals: GlobalOptions): Promise<number> {
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
