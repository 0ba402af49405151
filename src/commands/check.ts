// `expel-track check [TENANT…|--all] [--integration ID…] [--json]`: runs the probes, stores every
// verdict, prints a summary table or the contract's JSON document.
// Exit codes (contract.md): 0 every applicable step got a verdict, 3 some step is `error`,
// 1 bad input or configuration (nothing written), 130 interrupted.
import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import { cleanText } from '../core/sanitize.js';
import { SCOPED_INTEGRATIONS, type ScopedIntegrationId } from '../core/tenant.js';
import { CHECK_SCHEMA } from '../check/document.js';

export interface CheckOptions {
  all?: boolean;
  integration: string[];
  json?: boolean;
}

export interface GlobalOptions {
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
      // The probes, the access layer and @azure/identity load only when a check runs.
      const { check } = await import('./check-run.js');
      process.exitCode = await check(refs, options, command.optsWithGlobals<GlobalOptions>());
    });
}

