// `expel-track export [--out FILE] [--format csv|json] [--bom] [--include-archived]`: where every
// customer stands, one row per tenant and integration, for engagement managers. Streams rows as
// they are produced; without --out the file goes to the configured export folder.
import type { Command } from 'commander';
import { Option } from 'commander';
import type { GlobalOptions } from '../cli.js';
import { EXPORT_FORMATS, type ExportFormat } from '../export/format.js';

export interface ExportOptions {
  format: ExportFormat;
  out?: string;
  bom?: boolean;
  includeArchived?: boolean;
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('status for engagement managers: one row per tenant and integration (CSV or JSON)')
    .option('--out <file>', "file to write ('-' for standard output; default: a timestamped file in the export folder)")
    .addOption(new Option('--format <format>', 'csv (RFC 4180) or json (one array)').choices([...EXPORT_FORMATS]).default('csv'))
    .option('--bom', 'CSV: start with a UTF-8 byte order mark (helps Excel detect UTF-8)')
    .option('--include-archived', 'also export archived tenants')
    .action(async (options: ExportOptions, command: Command) => {
      const { exportRoster } = await import('./export-run.js');
      await exportRoster(options, command.optsWithGlobals<GlobalOptions>());
    });
}
