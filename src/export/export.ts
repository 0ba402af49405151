// The export as a whole: rows from the roster database, streamed to a file (written under a
// temporary name and renamed, so a half-written export never sits at the final path) or to any
// stream. Used by `expel-track export` and the dashboard's `e` key.
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { Database } from '../db/database.js';
import { allCheckRecords } from '../db/history.js';
import { RosterStore } from '../db/roster.js';
import { allTenantSummaries } from '../db/summaries.js';
import { exportDocument, type ExportFormat, type ExportRow } from './format.js';
import { exportRowsFromSummaries, type RowOptions } from './rows.js';
import { pipeText } from './stream.js';

export interface RosterExportOptions extends RowOptions {
  includeArchived?: boolean;
}

/**
 * Every row, tenant by tenant, produced as the writer asks for them (the document is never held
 * whole). Five queries in all, whatever the size: the roster (three), the integration summaries
 * the history store caches as checks are written (db/summaries.ts), and every tenant's last check
 * with its integration stages. Only the clock-dependent columns (days in stage, stale) are
 * computed here.
 */
export function* rosterExportRows(db: Database, options: RosterExportOptions): Generator<ExportRow> {
  const tenants = new RosterStore(db).list({ includeArchived: options.includeArchived ?? false });
  const summaries = allTenantSummaries(db);
  const records = allCheckRecords(db);
  for (const tenant of tenants) {
    const record = records.get(tenant.tenantId);
    yield* exportRowsFromSummaries(
      tenant,
      {
        summaries: summaries.get(tenant.tenantId)?.integrations ?? new Map(),
        lastChecked: record?.lastChecked ?? null,
        stageOf: (integration) => record?.stages.get(integration) ?? null,
      },
      options,
    );
  }
}

export interface WriteOptions {
  format: ExportFormat;
  /** CSV only: start with a UTF-8 byte order mark. */
  bom?: boolean;
}

/** Streams the document to `out` (which stays open: the caller owns it). */
export function writeExport(rows: Iterable<ExportRow>, out: Writable, options: WriteOptions): Promise<void> {
  return pipeText(exportDocument(options.format, rows, { bom: options.bom ?? false }), out);
}

/** Writes the document to `file` atomically: a temporary file in the same folder, then a rename. */
export async function writeExportFile(rows: Iterable<ExportRow>, file: string, options: WriteOptions): Promise<void> {
  const target = path.resolve(file);
  mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.partial`;
  const out = createWriteStream(temporary, { mode: 0o600 });
  try {
    await new Promise<void>((resolve, reject) => {
      out.once('open', () => resolve());
      out.once('error', reject);
    });
    await writeExport(rows, out, options);
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(() => resolve());
    });
    renameSync(temporary, target);
  } catch (error) {
    out.destroy();
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** `expel-track-export-20261122T100000Z.csv` in the export folder. */
export function defaultExportFile(exportDir: string, format: ExportFormat, now: Date): string {
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  return path.join(exportDir, `expel-track-export-${stamp}.${format}`);
}

/** defaultExportFile, with `-2`, `-3`, … when an earlier export already has that name. */
export function uniqueExportFile(exportDir: string, format: ExportFormat, now: Date): string {
  const base = defaultExportFile(exportDir, format, now);
  if (!existsSync(base)) return base;
  for (let n = 2; ; n += 1) {
    const candidate = `${base.slice(0, -(format.length + 1))}-${n}.${format}`;
    if (!existsSync(candidate)) return candidate;
  }
}
