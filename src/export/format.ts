// The export's columns (contract.md "Export columns": this order is a contract; add new columns
// at the end only) and the two file formats, produced piece by piece so a caller can stream them.
import type { IntegrationStatus, Owner } from '../core/status.js';
import type { IntegrationId } from '../core/tenant.js';
import { CRLF, UTF8_BOM, csvRecord, type CsvCell } from './csv.js';

export const EXPORT_COLUMNS = [
  'tenant_id',
  'tenant_name',
  'domain',
  'engagement_manager',
  'engineer',
  'integration',
  'option',
  'status',
  'done_steps',
  'applicable_steps',
  'percent',
  'next_step',
  'next_step_title',
  'owner',
  'blocking_reason',
  'started_on',
  'device_added_on',
  'first_alert_on',
  'completed_on',
  'days_in_stage',
  'last_checked',
  'stale',
] as const;
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

/** One tenant × integration. Dates are YYYY-MM-DD (UTC); `last_checked` is an ISO date-time. */
export interface ExportRow {
  tenant_id: string;
  tenant_name: string;
  domain: string | null;
  engagement_manager: string | null;
  engineer: string | null;
  integration: IntegrationId;
  /** `enterprise` or `custom` for integrations that have a choice (mdi: custom, m365: enterprise); null for access. */
  option: string | null;
  status: IntegrationStatus;
  done_steps: number;
  applicable_steps: number;
  /** Whole percent of applicable steps done, rounded to the nearest (see derived.ts percent). */
  percent: number;
  /** Step id (steps.md) of the next step not done, in guide order. */
  next_step: string | null;
  next_step_title: string | null;
  owner: Owner;
  blocking_reason: string | null;
  started_on: string | null;
  device_added_on: string | null;
  first_alert_on: string | null;
  completed_on: string | null;
  days_in_stage: number | null;
  last_checked: string | null;
  stale: boolean;
}

// Compile-time guard: every column is a field of the row and every field is a column.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const columnsMatchRow: Exact<ExportColumn, keyof ExportRow> = true;
void columnsMatchRow;

export type ExportFormat = 'csv' | 'json';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json'];

export interface CsvOptions {
  /** Start the file with a UTF-8 byte order mark (Excel needs it to detect UTF-8). */
  bom?: boolean;
}

function cellsOf(row: ExportRow): CsvCell[] {
  return EXPORT_COLUMNS.map((column) => row[column]);
}

/** The CSV file: header then one record per row, CRLF line ends. */
export function* csvDocument(rows: Iterable<ExportRow>, options: CsvOptions = {}): Generator<string> {
  yield (options.bom ? UTF8_BOM : '') + EXPORT_COLUMNS.join(',') + CRLF;
  for (const row of rows) yield csvRecord(cellsOf(row));
}

/**
 * The JSON file: one array, one row object per line (keys in column order, real numbers,
 * booleans and nulls), so it is a single valid JSON document that can also be read line by line.
 */
export function* jsonDocument(rows: Iterable<ExportRow>): Generator<string> {
  yield '[';
  let first = true;
  for (const row of rows) {
    const ordered: Record<string, unknown> = {};
    for (const column of EXPORT_COLUMNS) ordered[column] = row[column];
    yield (first ? '\n' : ',\n') + JSON.stringify(ordered);
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}

export function exportDocument(format: ExportFormat, rows: Iterable<ExportRow>, options: CsvOptions = {}): Generator<string> {
  return format === 'csv' ? csvDocument(rows, options) : jsonDocument(rows);
}
