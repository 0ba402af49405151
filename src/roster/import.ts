// The roster import CSV of contract.md: read safely, check the header, validate every row, and
// produce either the tenants to add or every problem (with its line and field). Writing is the
// caller's job, and only happens when there are no problems at all.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import type { Tenant } from '../core/tenant.js';
import { isBlankRecord, parseCsv, type CsvRecord } from './csv.js';
import {
  isListColumn,
  REQUIRED_COLUMNS,
  ROSTER_COLUMNS,
  splitListCell,
  type RosterColumn,
  type TenantFields,
} from './fields.js';
import { closestMatch } from './suggest.js';
import { parseGuid, quote, validateTenant, type ValidateOptions } from './validate.js';

/** Largest import file accepted. A roster of 50,000 tenants with every column filled is ~20 MB. */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

export interface ImportProblem {
  /** Physical line in the file where the record starts (1 is the header). */
  line: number;
  /** The column concerned, when there is one. */
  field?: RosterColumn;
  message: string;
}

export interface ImportRow {
  line: number;
  tenant: Tenant;
}

export interface ImportPlan {
  /** Valid rows; only to be written when `problems` is empty. */
  rows: ImportRow[];
  problems: ImportProblem[];
}

/** What the roster already holds under a tenant ID, for duplicate reports. */
export type ExistingTenantLookup = (tenantId: string) => { name: string; archived: boolean } | undefined;

/**
 * Reads an import file as UTF-8 text, refusing what is not a CSV text file (too large, binary,
 * a spreadsheet workbook, UTF-16, invalid UTF-8) with a message that says what to do. A UTF-8
 * BOM is dropped.
 */
export function readImportFile(file: string, maxBytes = MAX_IMPORT_BYTES): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new UserError(`cannot read ${file}: ${reason}`);
  }
  const tooLarge = (): UserError =>
    new UserError(
      `${file} is larger than the import limit of ${maxBytes / (1024 * 1024)} MB; split it into smaller files`,
    );
  let bytes: Buffer;
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw new UserError(`${file} is a folder, not a CSV file`);
    if (stats.isFile() && stats.size > maxBytes) throw tooLarge();
    // Read at most one byte past the limit, so pipes and growing files are bounded too.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, maxBytes + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > maxBytes) throw tooLarge();
    }
    bytes = Buffer.concat(chunks, total);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot read ${file}: ${(error as Error).message}`);
  } finally {
    closeSync(fd);
  }
  return decodeCsvBytes(bytes, file);
}

export function decodeCsvBytes(bytes: Buffer, label: string): string {
  const startsWith = (...signature: number[]): boolean => signature.every((byte, index) => bytes[index] === byte);
  if (startsWith(0x50, 0x4b, 0x03, 0x04)) {
    throw new UserError(`${label} looks like an Excel workbook (.xlsx), not CSV; save it as "CSV UTF-8" and import that`);
  }
  if (startsWith(0xd0, 0xcf, 0x11, 0xe0)) {
    throw new UserError(`${label} looks like an old Excel workbook (.xls), not CSV; save it as "CSV UTF-8" and import that`);
  }
  if (startsWith(0xff, 0xfe) || startsWith(0xfe, 0xff)) {
    throw new UserError(`${label} is UTF-16 text; save it as "CSV UTF-8" and import that`);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new UserError(`${label} is not a text file (binary data on line ${lineAtByte(bytes, nul)})`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const line = lenient.slice(0, lenient.indexOf('\uFFFD')).split(/\r\n|\r|\n/).length;
    throw new UserError(`${label} is not UTF-8 text (line ${line}); save it as "CSV UTF-8" and import that`);
  }
}

function lineAtByte(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset; index += 1) if (bytes[index] === 0x0a) line += 1;
  return line;
}

/** Validates a whole import file's text. Nothing is written; see ImportPlan. */
export function planImport(text: string, existing: ExistingTenantLookup, options: ValidateOptions = {}): ImportPlan {
  const { records, problems: syntax } = parseCsv(text);
  const problems: ImportProblem[] = syntax.map(({ line, message }) => ({ line, message }));
  const [header, ...body] = records;
  if (!header || isBlankRecord(header)) {
    problems.push({ line: 1, message: `no header row; the first line must name the columns, e.g. ${ROSTER_COLUMNS.slice(0, 4).join(',')}` });
    return { rows: [], problems };
  }
  const columns = readHeader(header, problems);
  if (!columns) return { rows: [], problems: sortProblems(problems) };

  const rows: ImportRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const record of body) {
    if (isBlankRecord(record)) continue;
    if (record.fields.length > columns.length) {
      problems.push({
        line: record.line,
        message: `${record.fields.length} values but the header has ${columns.length} columns (a value with a comma that is not quoted?)`,
      });
      continue;
    }
    const fields: TenantFields = {};
    columns.forEach((column, index) => {
      const cell = record.fields[index] ?? '';
      if (isListColumn(column)) fields[column] = splitListCell(column, cell);
      else fields[column] = cell;
    });
    const result = validateTenant(fields, options);
    if (!result.ok) {
      for (const problem of result.problems) problems.push({ line: record.line, ...problem });
    }
    const id = parseGuid(fields.tenant_id ?? '');
    if (id.ok) {
      const first = firstLineOf.get(id.value);
      const stored = existing(id.value);
      if (first !== undefined) {
        problems.push({ line: record.line, field: 'tenant_id', message: `${id.value} is also on line ${first}` });
      } else {
        firstLineOf.set(id.value, record.line);
        if (stored) {
          problems.push({
            line: record.line,
            field: 'tenant_id',
            message: `${id.value} is already in the roster as ${quote(stored.name)}${stored.archived ? ' (archived)' : ''}; change it with expel-track tenant edit`,
          });
        }
      }
    }
    if (result.ok) rows.push({ line: record.line, tenant: result.tenant });
  }
  return { rows, problems: sortProblems(problems) };
}

/** Maps header cells to columns, or reports why it cannot (and returns undefined). */
function readHeader(header: CsvRecord, problems: ImportProblem[]): RosterColumn[] | undefined {
  const before = problems.length;
  const names = header.fields.map((cell) => cell.trim().toLowerCase().replace(/[\s-]+/g, '_'));
  const [onlyCell] = header.fields;
  if (names.length === 1 && onlyCell !== undefined && /[;\t]/.test(onlyCell)) {
    const separator = onlyCell.includes(';') ? 'semicolons' : 'tabs';
    problems.push({ line: header.line, message: `the columns are separated by ${separator}; save the file as CSV with commas ("CSV UTF-8")` });
    return undefined;
  }
  const seen = new Set<string>();
  names.forEach((name, index) => {
    if (name === '') {
      problems.push({ line: header.line, message: `column ${index + 1} of the header has no name` });
    } else if (!(ROSTER_COLUMNS as readonly string[]).includes(name)) {
      const suggestion = closestColumn(name);
      problems.push({
        line: header.line,
        message: `unknown column ${quote(header.fields[index] ?? name)}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
      });
    } else if (seen.has(name)) {
      problems.push({ line: header.line, message: `column ${name} appears twice` });
    }
    seen.add(name);
  });
  for (const required of REQUIRED_COLUMNS) {
    if (!seen.has(required)) problems.push({ line: header.line, message: `required column ${required} is missing` });
  }
  if (problems.length > before) {
    const unknown = problems.slice(before).some((problem) => problem.message.startsWith('unknown column'));
    if (unknown) problems.push({ line: header.line, message: `known columns: ${ROSTER_COLUMNS.join(', ')}` });
    return undefined;
  }
  return names as RosterColumn[];
}

/** The known column a typo most likely meant, if one is close enough. */
export function closestColumn(name: string): RosterColumn | undefined {
  return closestMatch(name, ROSTER_COLUMNS);
}

function sortProblems(problems: ImportProblem[]): ImportProblem[] {
  // Stable: within a line, the order validation found them (column order).
  return problems.sort((a, b) => a.line - b.line);
}

/** `line 7, field org_guid: 'x' is not a GUID` */
export function formatImportProblem(problem: ImportProblem): string {
  return `line ${problem.line}${problem.field ? `, field ${problem.field}` : ''}: ${problem.message}`;
}
