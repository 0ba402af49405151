// `expel-track export [--out FILE] [--format csv|json] [--bom] [--include-archived]`: where every
// customer stands, one row per tenant and integration, for engagement managers. Streams rows as
// they are produced; without --out the file goes to the configured export folder.
import type { Command } from 'commander';
import { Option } from 'commander';
import type { GlobalOptions } from '../cli.js';
import { UserError } from '../core/errors.js';
import { databasePathFromOptions, openDatabase } from '../db/database.js';
import { rosterExportRows, uniqueExportFile, writeExport, writeExportFile } from '../export/export.js';
import { EXPORT_FORMATS, type ExportFormat } from '../export/format.js';
import { openSettings } from '../settings/settings.js';
import { resolveUserPath } from '../settings/paths.js';

interface ExportOptions {
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
      const globals = command.optsWithGlobals<GlobalOptions>();
      if (options.bom && options.format !== 'csv') throw new UserError('--bom only applies to --format csv');
      const settings = openSettings({ configDir: globals.configDir }).all();
      const now = new Date();
      const db = openDatabase(databasePathFromOptions(globals));
      try {
        const rows = rosterExportRows(db, {
          now,
          staleAfterHours: settings.staleAfterHours,
          includeArchived: options.includeArchived ?? false,
        });
        const write = { format: options.format, bom: options.bom ?? false };
        if (options.out === '-') {
          await toStdout(() => writeExport(rows, process.stdout, write));
          return;
        }
        const file = options.out !== undefined ? resolveUserPath(options.out) : uniqueExportFile(resolveUserPath(settings.exportDir), options.format, now);
        try {
          await writeExportFile(rows, file, write);
        } catch (error) {
          if (error instanceof UserError) throw error;
          throw new UserError(`cannot write ${file}: ${(error as Error).message}`);
        }
        process.stdout.write(`${file}\n`);
      } finally {
        db.close();
      }
    });
}

/** A reader that stops early (`| head`) is not an error of ours. */
async function toStdout(write: () => Promise<void>): Promise<void> {
  let closed = false;
  const onError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') closed = true;
  };
  process.stdout.on('error', onError);
  try {
    await write();
  } catch (error) {
    if (!closed) throw error;
  } finally {
    process.stdout.off('error', onError);
  }
}
