// An RFC 4180 CSV reader that remembers the physical line each record starts on, so problems
// can point into the file the user has open. It never throws: syntax problems are returned.

export interface CsvRecord {
  /** 1-based physical line where the record starts. */
  line: number;
  fields: string[];
}

export interface CsvSyntaxProblem {
  line: number;
  message: string;
}

export interface CsvParseResult {
  records: CsvRecord[];
  problems: CsvSyntaxProblem[];
}

const UNQUOTED = /[^,\r\n]*/y;
const BLANKS = /[ \t]*/y;

/**
 * Parses comma-separated text: quoted fields may hold commas, doubled quotes and line breaks;
 * CRLF, LF and CR all end a record. A BOM must already be removed. A quote left open at the end
 * of the file is reported with the line where its field started, and ends parsing.
 */
export function parseCsv(text: string): CsvParseResult {
  const records: CsvRecord[] = [];
  const problems: CsvSyntaxProblem[] = [];
  let at = 0;
  let line = 1;

  const matchAt = (pattern: RegExp): string => {
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    return match ? match[0] : '';
  };

  while (at < text.length) {
    const record: CsvRecord = { line, fields: [] };
    for (;;) {
      const fieldLine = line;
      const leading = matchAt(BLANKS);
      let value: string;
      if (text[at + leading.length] === '"') {
        at += leading.length + 1;
        value = '';
        for (;;) {
          const close = text.indexOf('"', at);
          if (close < 0) {
            problems.push({
              line: fieldLine,
              message: 'a quoted field starting on this line is never closed (unbalanced ")',
            });
            return { records, problems };
          }
          const chunk = text.slice(at, close);
          line += countLineBreaks(chunk);
          value += chunk;
          if (text[close + 1] === '"') {
            value += '"';
            at = close + 2;
            continue;
          }
          at = close + 1;
          break;
        }
        at += matchAt(BLANKS).length;
        const rest = matchAt(UNQUOTED);
        if (rest !== '') {
          problems.push({ line, message: 'text after a closing quote; quote the whole field and double any " inside it' });
          value += rest;
          at += rest.length;
        }
      } else {
        value = matchAt(UNQUOTED);
        at += value.length;
        if (value.includes('"')) {
          problems.push({ line, message: 'a " inside an unquoted field; quote the field and double the " inside it' });
        }
      }
      record.fields.push(value);
      if (text[at] === ',') {
        at += 1;
        continue;
      }
      if (text[at] === '\r') at += text[at + 1] === '\n' ? 2 : 1;
      else if (text[at] === '\n') at += 1;
      if (at <= text.length) line += 1;
      break;
    }
    records.push(record);
  }
  return { records, problems };
}

function countLineBreaks(chunk: string): number {
  let count = 0;
  for (let index = 0; index < chunk.length; index += 1) {
    const char = chunk[index];
    if (char === '\n') count += 1;
    else if (char === '\r' && chunk[index + 1] !== '\n') count += 1;
  }
  return count;
}

/** A record with no content: an empty line, or only separators and spaces (spreadsheet padding). */
export function isBlankRecord(record: CsvRecord): boolean {
  return record.fields.every((field) => field.trim() === '');
}
