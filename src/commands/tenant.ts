// `expel-track tenant add|list|show|edit|archive|unarchive|import`: the roster from the command line.
import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import { cleanText } from '../core/sanitize.js';
import type { GlobalOptions } from '../cli.js';
import { databasePathFromOptions, openDatabase } from '../db/database.js';
import { RosterStore, type TenantRecord } from '../db/roster.js';
import { mergeFields, splitListCell, tenantToFields, type RosterColumn, type TenantFields } from '../roster/fields.js';
import { formatTenantDetails, formatTenantTable, tenantJson } from '../roster/format.js';
import { formatImportProblem, planImport, readImportFile } from '../roster/import.js';
import { validateTenant, type FieldProblem } from '../roster/validate.js';

/** At most this many import problems are printed; the count of the rest follows. */
const MAX_PRINTED_PROBLEMS = 1000;

/** The command-line option for each roster field (problems name the option the user typed). */
const FIELD_FLAGS: Record<RosterColumn, string> = {
  tenant_id: '--tenant-id',
  name: '--name',
  domain: '--domain',
  org_guid: '--org-guid',
  guest_email: '--guest-email',
  integrations: '--integrations',
  options: '--option',
  app_names: '--app-name',
  subscriptions: '--subscription',
  device_added: '--device-added',
  engagement_manager: '--engagement-manager',
  engineer: '--engineer',
  started_on: '--started-on',
  notes: '--notes',
};

interface FieldOptions {
  tenantId?: string;
  name?: string;
  domain?: string;
  orgGuid?: string;
  guestEmail?: string;
  integrations?: string;
  option?: string[];
  appName?: string[];
  subscription?: string[];
  deviceAdded?: string[];
  engagementManager?: string;
  engineer?: string;
  startedOn?: string;
  notes?: string;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

function addFieldOptions(command: Command, { forEdit }: { forEdit: boolean }): Command {
  const clear = forEdit ? ' ("" clears it)' : '';
  // Plain options, not commander's requiredOption: validation then reports every problem at once.
  if (!forEdit) command.option('--tenant-id <guid>', 'the customer’s Entra tenant ID (required)');
  return command
    .option('--name <name>', forEdit ? 'display name' : 'display name (required)')
    .option('--domain <domain>', `primary domain, e.g. contoso.com${clear}`)
    .option('--org-guid <guid>', `Expel organization GUID (builds the guest email)${clear}`)
    .option('--guest-email <email>', `guest email, instead of the one built from the org GUID${clear}`)
    .option('--integrations <list>', `integrations in scope: mde,mdi,m365,azure${forEdit ? ' (replaces the list)' : ''}`)
    .option('--option <key=value>', `mde|azure=enterprise|custom, mde-console=basic|rbac (repeatable)${forEdit ? '; key= resets it' : ''}`, collect)
    .option('--app-name <integration=name>', `custom app display name for mde, mdi or azure (repeatable)${forEdit ? '; mdi= removes it' : ''}`, collect)
    .option('--subscription <guid>', `Azure subscription Expel monitors (repeatable${forEdit ? '; replaces the list, "" empties it' : ''})`, collect)
    .option('--device-added <integration=date>', `when the Expel device was added, date or date-time with zone (repeatable)${forEdit ? '; mde= removes it' : ''}`, collect)
    .option('--engagement-manager <name>', `engagement manager${clear}`)
    .option('--engineer <name>', `onboarding engineer${clear}`)
    .option('--started-on <date>', `onboarding start date, YYYY-MM-DD${clear}`)
    .option('--notes <text>', `free-text notes${clear}`)
    .option('--json', 'print the resulting tenant as JSON');
}

/** The fields the user gave on the command line; absent options stay absent (edits change only those). */
function fieldsFromOptions(options: FieldOptions): TenantFields {
  const fields: TenantFields = {};
  const text: Array<[keyof FieldOptions, RosterColumn]> = [
    ['tenantId', 'tenant_id'],
    ['name', 'name'],
    ['domain', 'domain'],
    ['orgGuid', 'org_guid'],
    ['guestEmail', 'guest_email'],
    ['engagementManager', 'engagement_manager'],
    ['engineer', 'engineer'],
    ['startedOn', 'started_on'],
    ['notes', 'notes'],
  ];
  for (const [option, column] of text) {
    const value = options[option];
    if (typeof value === 'string') (fields as Record<string, string>)[column] = value;
  }
  if (options.integrations !== undefined) fields.integrations = splitListCell('integrations', options.integrations);
  if (options.subscription !== undefined) {
    fields.subscriptions = options.subscription.flatMap((value) => splitListCell('subscriptions', value));
  }
  if (options.option !== undefined) fields.options = options.option;
  if (options.appName !== undefined) fields.app_names = options.appName;
  if (options.deviceAdded !== undefined) fields.device_added = options.deviceAdded;
  return fields;
}

function problemsError(action: string, problems: FieldProblem[]): UserError {
  const lines = problems.map((problem) => `  ${FIELD_FLAGS[problem.field]}: ${problem.message}`);
  return new UserError(`${action}:\n${lines.join('\n')}`);
}

/** Opens the roster for one command and always closes it. */
function withRoster<T>(command: Command, work: (store: RosterStore) => T): T {
  const db = openDatabase(databasePathFromOptions(command.optsWithGlobals<GlobalOptions>()));
  try {
    return work(new RosterStore(db));
  } finally {
    db.close();
  }
}

const print = (text: string): void => {
  process.stdout.write(text);
};
const printJson = (value: unknown): void => print(`${JSON.stringify(value, null, 2)}\n`);
const label = (tenant: TenantRecord): string => `${cleanText(tenant.name)} (${tenant.tenantId})`;

export function registerTenantCommands(program: Command): void {
  const tenant = program.command('tenant').description('the roster of customer tenants (add, list, show, edit, archive, import)');

  addFieldOptions(tenant.command('add').description('add a tenant to the roster'), { forEdit: false }).action(
    (options: FieldOptions & { json?: boolean }, command: Command) => {
      const result = validateTenant(fieldsFromOptions(options));
      if (!result.ok) throw problemsError('cannot add the tenant', result.problems);
      const added = withRoster(command, (store) => store.add(result.tenant));
      if (options.json) printJson(tenantJson(added));
      else print(`Added ${label(added)}\n`);
    },
  );

  tenant
    .command('list')
    .description('list tenants (archived ones only with --all)')
    .option('--all', 'include archived tenants')
    .option('--json', 'print JSON (an array of tenants)')
    .action((options: { all?: boolean; json?: boolean }, command: Command) => {
      const tenants = withRoster(command, (store) => store.list({ includeArchived: options.all === true }));
      if (options.json) return printJson(tenants.map(tenantJson));
      if (tenants.length === 0) {
        const hint = options.all ? '' : ' (archived tenants show with --all)';
        process.stderr.write(`No tenants in the roster${hint}. Add one with: expel-track tenant add --tenant-id GUID --name NAME\n`);
        return;
      }
      print(formatTenantTable(tenants, { showArchived: options.all === true }));
    });

  tenant
    .command('show')
    .description('show one tenant (by tenant ID, or a unique name or domain)')
    .argument('<tenant>', 'tenant ID, name or domain')
    .option('--json', 'print JSON')
    .action((ref: string, options: { json?: boolean }, command: Command) => {
      const found = withRoster(command, (store) => store.resolve(ref));
      if (options.json) printJson(tenantJson(found));
      else print(formatTenantDetails(found));
    });

  addFieldOptions(
    tenant.command('edit').description('change the given fields of a tenant; others stay as they are').argument('<tenant>', 'tenant ID, name or domain'),
    { forEdit: true },
  ).action((ref: string, options: FieldOptions & { json?: boolean }, command: Command) => {
    const patch = fieldsFromOptions(options);
    if (Object.keys(patch).length === 0) throw new UserError('nothing to change: give at least one option (see expel-track tenant edit --help)');
    const updated = withRoster(command, (store) => {
      const stored = store.resolve(ref);
      const result = validateTenant(mergeFields(tenantToFields(stored), patch));
      if (!result.ok) throw problemsError(`cannot change ${label(stored)}`, result.problems);
      const { tenantId: _id, archived: _archived, ...changes } = result.tenant;
      return store.update(stored.tenantId, changes);
    });
    if (options.json) printJson(tenantJson(updated));
    else print(`Updated ${label(updated)}\n`);
  });

  addArchiveCommand(tenant, 'archive', 'hide a tenant from lists and checks; its check history is kept', true);
  addArchiveCommand(tenant, 'unarchive', 'bring an archived tenant back into lists and checks', false);

  tenant
    .command('import')
    .description('add tenants from a CSV file; every row is checked first and nothing is written if any row has a problem')
    .argument('<file>', 'CSV file with a header row (columns: see docs/roster.md)')
    .option('--dry-run', 'check the file and report what would be imported, without writing')
    .action((file: string, options: { dryRun?: boolean }, command: Command) => {
      const text = readImportFile(file);
      const report = withRoster(command, (store) => {
        const stored = new Map(store.summaries().map((summary) => [summary.tenantId, summary]));
        const plan = planImport(text, (tenantId) => stored.get(tenantId));
        if (plan.problems.length > 0) {
          const shown = plan.problems.slice(0, MAX_PRINTED_PROBLEMS).map((problem) => `  ${formatImportProblem(problem)}`);
          const hidden = plan.problems.length - shown.length;
          if (hidden > 0) shown.push(`  … and ${hidden} more`);
          const count = `${plan.problems.length} problem${plan.problems.length === 1 ? '' : 's'}`;
          throw new UserError(`${file}: ${count}; nothing was imported${options.dryRun ? ' (dry run)' : ''}:\n${shown.join('\n')}`);
        }
        if (plan.rows.length === 0) throw new UserError(`${file} has no tenant rows; nothing was imported`);
        const tenants = plan.rows.map((row) => row.tenant);
        const noun = `${tenants.length} tenant${tenants.length === 1 ? '' : 's'}`;
        if (options.dryRun) {
          const lines = plan.rows.map(({ line, tenant: row }) => `  line ${line}: ${cleanText(row.name)} (${row.tenantId}) ${row.integrations.join(',') || '-'}`);
          return `Would import ${noun} from ${file} (dry run, nothing written):\n${lines.join('\n')}\n`;
        }
        store.importTenants(tenants);
        return `Imported ${noun} from ${file}\n`;
      });
      print(report);
    });
}

function addArchiveCommand(tenant: Command, name: string, description: string, archive: boolean): void {
  tenant
    .command(name)
    .description(description)
    .argument('<tenant>', 'tenant ID, name or domain')
    .action((ref: string, _options: unknown, command: Command) => {
      const message = withRoster(command, (store) => {
        const found = store.resolve(ref);
        if (found.archived === archive) return `${label(found)} is ${archive ? 'already' : 'not'} archived\n`;
        if (!archive) {
          store.unarchive(found.tenantId);
          return `Restored ${label(found)}\n`;
        }
        store.archive(found.tenantId);
        return `Archived ${label(found)}; its history is kept. Undo with: expel-track tenant unarchive ${found.tenantId}\n`;
      });
      print(message);
    });
}
