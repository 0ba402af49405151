// `expel-track export`: what runs once the command line is parsed (export.ts registers it).
import type { GlobalOptions } from '../cli.js';
import { UserError } from '../core/errors.js';
import { databasePathFromOptions, openDatabase } from '../db/database.js';
import { rosterExportRows, uniqueExportFile, writeExport, writeExportFile } from '../export/export.js';
import { openSettings } from '../settings/settings.js';
import { resolveUserPath } from '../settings/paths.js';
import type { ExportOptions } from './export.js';

export async function exportRoster(options: ExportOptions, globals: GlobalOptions): Promise<void> {
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
