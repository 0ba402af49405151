import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvField, csvRecord, neutraliseFormula } from '../../src/export/csv.js';
import { EXPORT_COLUMNS, csvDocument, jsonDocument, type ExportRow } from '../../src/export/format.js';
import { pipeText } from '../../src/export/stream.js';
import { CsvSyntaxError, parseStrictCsv } from './rfc4180.js';

// The measured gaps of ink-notes §4.7 plus the OWASP list, as written to the file.
const FORMULA_CASES: Array<[input: string, field: string]> = [
  ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
  ['+1', "'+1"],
  ['-1+1', "'-1+1"],
  ['@SUM(A1)', "'@SUM(A1)"],
  ['\ttab', "'\ttab"],
  ['\r=1', `"'\r'=1"`],
  [' =1+1', "' =1+1"],
  ['   +cmd', "'   +cmd"],
  ['\u00a0=1+1', "'\u00a0=1+1"],
  ['\u3000=1', "'\u3000=1"],
  ['\uff1d1+1', "'\uff1d1+1"],
  ['line1\n=cmd', `"line1\n'=cmd"`],
  ['line1\r\n  @x\r\nok', `"line1\r\n'  @x\r\nok"`],
  ['=a\n-b', `"'=a\n'-b"`],
  // Not formulas: left alone.
  ['Contoso', 'Contoso'],
  ['a=b', 'a=b'],
  ['ends with =', 'ends with ='],
  ['', ''],
  ['e-mail', 'e-mail'],
];

describe('formula neutralisation', () => {
  it.each(FORMULA_CASES)('%j is written as %j', (input, field) => {
    expect(csvField(input)).toBe(field);
  });

  it('leaves numbers numeric, including negative ones', () => {
    expect(csvField(-5)).toBe('-5');
    expect(csvField(0)).toBe('0');
    expect(csvField(42.5)).toBe('42.5');
    expect(csvField(Number.NaN)).toBe('');
    // The same characters as text are neutralised: only typed numbers escape it.
    expect(csvField('-5')).toBe("'-5");
  });

  it('writes booleans and empty values plainly', () => {
    expect(csvField(true)).toBe('true');
    expect(csvField(false)).toBe('false');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });

  it('returns safe text unchanged (same string)', () => {
    const text = 'line one\nline two';
    expect(neutraliseFormula(text)).toBe(text);
  });
});

describe('RFC 4180 quoting', () => {
  it.each([
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\ronly', '"cr\ronly"'],
    ['plain text', 'plain text'],
    ['日本語 é', '日本語 é'],
  ])('%j → %j', (input, field) => {
    expect(csvField(input)).toBe(field);
  });

  it('ends every record with CRLF and round-trips through a strict parser', () => {
    const hostile = ['a,b', 'say "hi"', 'x\r\ny', '=1+1', ' -2', '日本', ''];
    const text = csvRecord(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7']) + csvRecord(hostile);
    expect(text.endsWith('\r\n')).toBe(true);
    const parsed = parseStrictCsv(text);
    expect(parsed.records[0]).toEqual(['a,b', 'say "hi"', 'x\r\ny', "'=1+1", "' -2", '日本', '']);
  });
});

describe('the strict test parser itself', () => {
  it.each([
    ['bare LF', 'a,b\nc,d\r\n'],
    ['bare CR', 'a,b\rc,d\r\n'],
    ['quote in unquoted field', 'a,b"c\r\n'],
    ['text after closing quote', '"a"b,c\r\n'],
    ['missing final CRLF', 'a,b\r\nc,d'],
    ['ragged record', 'a,b\r\nc\r\n'],
    ['unterminated quote', 'a,"b\r\n'],
    ['BOM when not allowed', '\ufeffa\r\n'],
  ])('rejects %s', (_name, text) => {
    expect(() => parseStrictCsv(text)).toThrow(CsvSyntaxError);
  });
});

function row(overrides: Partial<ExportRow> = {}): ExportRow {
  return {
    tenant_id: '6babcaad-604b-40ac-a9d7-9fd97c0b779f',
    tenant_name: 'Contoso',
    domain: 'contoso.com',
    engagement_manager: 'Dana Lee',
    engineer: 'Sam Ortiz',
    integration: 'mde',
    option: 'custom',
    status: 'action_needed',
    done_steps: 3,
    applicable_steps: 6,
    percent: 50,
    next_step: 'mde.api-access',
    next_step_title: 'Defender for Endpoint API access',
    owner: 'customer',
    blocking_reason: 'Permissions missing: Machine.Isolate',
    started_on: '2026-11-01',
    device_added_on: null,
    first_alert_on: null,
    completed_on: null,
    days_in_stage: 4,
    last_checked: '2026-11-22T10:00:00.000Z',
    stale: false,
    ...overrides,
  };
}

describe('export documents', () => {
  it('writes the contract header in order, optionally after a BOM', () => {
    const plain = [...csvDocument([])].join('');
    expect(plain).toBe(`${EXPORT_COLUMNS.join(',')}\r\n`);
    expect(plain.startsWith('tenant_id,tenant_name,domain,engagement_manager,engineer,integration,option,status,')).toBe(true);
    const withBom = [...csvDocument([], { bom: true })].join('');
    expect(withBom).toBe(`\ufeff${plain}`);
    expect(parseStrictCsv(withBom, { allowBom: true }).header).toEqual([...EXPORT_COLUMNS]);
  });

  it('keeps numbers numeric and neutralises hostile roster text', () => {
    const text = [...csvDocument([row({ tenant_name: '=cmd|"/c calc"!A1', engineer: '@evil', days_in_stage: 0 })])].join('');
    const { records } = parseStrictCsv(text);
    const cells = Object.fromEntries(EXPORT_COLUMNS.map((c, i) => [c, records[0]![i]]));
    expect(cells.tenant_name).toBe(`'=cmd|"/c calc"!A1`);
    expect(cells.engineer).toBe("'@evil");
    expect(cells.done_steps).toBe('3');
    expect(cells.percent).toBe('50');
    expect(cells.days_in_stage).toBe('0');
    expect(cells.stale).toBe('false');
    expect(cells.device_added_on).toBe('');
  });

  it('writes JSON as one array with one row object per line, keys in column order', () => {
    const text = [...jsonDocument([row(), row({ integration: 'mdi', stale: true, days_in_stage: null })])].join('');
    const lines = text.split('\n');
    expect(lines[0]).toBe('[');
    expect(lines.at(-2)).toBe(']');
    const parsed = JSON.parse(text) as Array<Record<string, unknown>>;
    expect(parsed).toHaveLength(2);
    expect(Object.keys(parsed[0]!)).toEqual([...EXPORT_COLUMNS]);
    expect(parsed[1]).toMatchObject({ integration: 'mdi', stale: true, days_in_stage: null, done_steps: 3 });
    expect(JSON.parse([...jsonDocument([])].join(''))).toEqual([]);
  });
});

describe('pipeText', () => {
  it('delivers every piece in order through a stream that applies backpressure', async () => {
    const out = new PassThrough({ highWaterMark: 16 });
    const received: Buffer[] = [];
    // Read slowly so the writer has to wait for 'drain'.
    const reading = (async () => {
      for await (const chunk of out) {
        received.push(chunk as Buffer);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const pieces = Array.from({ length: 5000 }, (_, i) => `row ${i} ${'x'.repeat(i % 50)}\r\n`);
    await pipeText(pieces, out);
    out.end();
    await reading;
    expect(Buffer.concat(received).toString('utf8')).toBe(pieces.join(''));
  });

  it('rejects when the reader goes away before the end', async () => {
    const out = new PassThrough({ highWaterMark: 1 });
    const pieces = (function* () {
      for (let i = 0; i < 100; i++) yield 'y'.repeat(70_000);
    })();
    const writing = pipeText(pieces, out);
    setImmediate(() => out.destroy());
    await expect(writing).rejects.toThrow();
  });
});
