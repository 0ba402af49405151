// RFC 4180 CSV for files that engagement managers open in a spreadsheet: CRLF record ends,
// quoting only where needed, and text cells that a spreadsheet would run as a formula
// neutralised with a leading apostrophe (OWASP "CSV injection"). Numbers are written as
// numbers, so a negative count is not mistaken for a formula and stays numeric.
//
// csv-stringify and papaparse both miss a trigger behind leading spaces/NBSP and one after an
// embedded newline (ink-notes §4.7), and spreadsheets strip the first and re-parse the second,
// so this is hand-written and checks every line of a cell after trimming.

/** A cell: text is neutralised and quoted as needed; numbers and booleans are written as is. */
export type CsvCell = string | number | boolean | null | undefined;

export const CRLF = '\r\n';
/** UTF-8 byte order mark: lets Excel detect UTF-8 (optional, see docs/instructions-export.md). */
export const UTF8_BOM = '\ufeff';

// Characters that start a formula (=, +, -, @ and their full-width forms, which some East Asian
// spreadsheet locales also accept) once the spreadsheet has stripped leading whitespace.
const FORMULA_START = /^[\s\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]/;
// A tab or carriage return at the very start is a trigger of its own (OWASP list).
const CONTROL_START = /^[\t\r]/;
const LINE_BREAK = /\r\n|\r|\n/;

function isTrigger(line: string): boolean {
  return CONTROL_START.test(line) || FORMULA_START.test(line);
}

/**
 * Prefixes `'` to the cell and to every embedded line that a spreadsheet would evaluate as a
 * formula. Text that could not start a formula comes back unchanged.
 */
export function neutraliseFormula(text: string): string {
  if (!LINE_BREAK.test(text)) return isTrigger(text) ? `'${text}` : text;
  // Keep the original line breaks: split with a capturing group, touch only the text parts.
  const parts = text.split(/(\r\n|\r|\n)/);
  let changed = false;
  for (let i = 0; i < parts.length; i += 2) {
    const line = parts[i] ?? '';
    if (isTrigger(line)) {
      parts[i] = `'${line}`;
      changed = true;
    }
  }
  const result = changed ? parts.join('') : text;
  // A cell that opens with a CR is a trigger even though the split saw an empty first line.
  return CONTROL_START.test(result) ? `'${result}` : result;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One field as it appears in the file. */
export function csvField(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') {
    // NaN and Infinity are not numbers a spreadsheet reads back; write nothing rather than text.
    return Number.isFinite(cell) ? String(cell) : '';
  }
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  const text = neutraliseFormula(cell);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record including its CRLF terminator. */
export function csvRecord(cells: readonly CsvCell[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += csvField(cells[i]);
  }
  return line + CRLF;
}
