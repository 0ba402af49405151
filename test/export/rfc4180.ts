// A deliberately strict RFC 4180 reader for tests: it throws on anything the RFC does not allow
// (bare LF or CR, a quote inside an unquoted field, text after a closing quote, ragged rows, a
// missing final CRLF), so a writer that is merely "accepted by lenient parsers" fails here.

export interface StrictCsv {
  bom: boolean;
  header: string[];
  records: string[][];
}

export class CsvSyntaxError extends Error {}

export function parseStrictCsv(text: string, options: { allowBom?: boolean } = {}): StrictCsv {
  let bom = false;
  let i = 0;
  if (text.startsWith('\ufeff')) {
    if (!options.allowBom) throw new CsvSyntaxError('unexpected byte order mark');
    bom = true;
    i = 1;
  }
  const rows: string[][] = [];
  let row: string[] = [];
  const fail = (what: string): never => {
    const line = text.slice(0, i).split('\r\n').length;
    throw new CsvSyntaxError(`${what} at offset ${i} (record ${line})`);
  };
  if (i >= text.length) fail('empty file');
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) fail('unterminated quoted field');
        const ch = text[i]!;
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += ch;
        i++;
      }
      const next = text[i];
      if (next !== ',' && next !== '\r' && next !== undefined) fail('text after a closing quote');
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
        const ch = text[i]!;
        if (ch === '"') fail('quote inside an unquoted field');
        if (ch === '\n') fail('bare LF');
        field += ch;
        i++;
      }
    }
    row.push(field);
    if (text[i] === ',') {
      i++;
      if (i >= text.length) fail('file ends after a comma');
      continue;
    }
    if (text[i] === '\r') {
      if (text[i + 1] !== '\n') fail('bare CR');
      i += 2;
      rows.push(row);
      row = [];
      continue;
    }
    fail('missing CRLF after the last record');
  }
  const [header, ...records] = rows;
  if (!header) throw new CsvSyntaxError('no header');
  records.forEach((record, index) => {
    if (record.length !== header.length) {
      throw new CsvSyntaxError(`record ${index + 2} has ${record.length} fields, the header ${header.length}`);
    }
  });
  return { bom, header, records };
}
