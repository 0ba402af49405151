import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { openDatabase } from '../../src/db/database.js';
import { RosterStore } from '../../src/db/roster.js';
import { parseCsv } from '../../src/roster/csv.js';
import {
  closestColumn,
  formatImportProblem,
  planImport,
  readImportFile,
  type ExistingTenantLookup,
  type ImportPlan,
} from '../../src/roster/import.js';
import { catchError, guidFor, tempDir } from '../db/helpers.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/roster');
const fixture = (name: string): string => readImportFile(path.join(fixtures, name));
const NOW = new Date('2026-11-22T12:00:00Z');
const nothingStored: ExistingTenantLookup = () => undefined;
const plan = (text: string, existing = nothingStored): ImportPlan => planImport(text, existing, { now: NOW });
const messages = (result: ImportPlan): string[] => result.problems.map(formatImportProblem);

describe('parseCsv', () => {
  it('handles quoted commas, doubled quotes and line breaks inside quotes, tracking physical lines', () => {
    const { records, problems } = parseCsv('a,b\r\n"x, y","say ""hi"""\n"multi\r\nline\nvalue",z\nlast,row');
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 3, fields: ['multi\r\nline\nvalue', 'z'] },
      { line: 6, fields: ['last', 'row'] },
    ]);
  });

  it('keeps empty fields, including a trailing one, and ignores a final line break', () => {
    expect(parseCsv('a,,c,\n').records).toEqual([{ line: 1, fields: ['a', '', 'c', ''] }]);
    expect(parseCsv('').records).toEqual([]);
  });

  it('reports an unbalanced quote with the line where the field started', () => {
    const { records, problems } = parseCsv('a,b\n1,2\n3,"open\nstill open\n');
    expect(records).toHaveLength(2);
    expect(problems).toEqual([{ line: 3, message: expect.stringContaining('never closed') }]);
  });

  it('reports stray quotes and text after a closing quote without losing its place', () => {
    const { records, problems } = parseCsv('a,b\nx"y,1\n"q"tail,2\n3,4');
    expect(records.map((record) => record.line)).toEqual([1, 2, 3, 4]);
    expect(problems.map((problem) => problem.line)).toEqual([2, 3]);
  });
});

describe('readImportFile', () => {
  let temp: ReturnType<typeof tempDir>;
  afterEach(() => temp?.cleanup());
  const write = (name: string, content: string | Buffer): string => {
    const file = path.join(temp.dir, name);
    writeFileSync(file, content);
    return file;
  };

  it('drops a UTF-8 BOM', () => {
    expect(fixture('bom.csv').startsWith('tenant_id,name')).toBe(true);
  });

  it.each<[string, Buffer, RegExp]>([
    ['binary.bin', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff]), /not a text file/],
    ['book.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), /Excel workbook/],
    ['utf16.csv', Buffer.from('\ufefftenant_id,name', 'utf16le'), /UTF-16/],
    ['latin1.csv', Buffer.from('tenant_id,name\nx,Soci\xe9t\xe9\n', 'latin1'), /not UTF-8 text \(line 2\)/],
  ])('refuses %s with a clear message', (name, content, message) => {
    temp = tempDir();
    const error = catchError(() => readImportFile(write(name, content)));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(message);
  });

  it('refuses a file over the size limit without reading it whole', () => {
    temp = tempDir();
    const file = write('big.csv', Buffer.alloc(2048, 0x61));
    expect(() => readImportFile(file, 1024)).toThrow(/larger than the import limit/);
  });

  it('refuses a missing file and a folder', () => {
    temp = tempDir();
    expect(() => readImportFile(path.join(temp.dir, 'nope.csv'))).toThrow(/no such file/);
    expect(() => readImportFile(temp.dir)).toThrow(/folder/);
  });
});

describe('planImport', () => {
  it('turns a good file into tenants (quoted commas, doubled quotes, multi-line notes)', () => {
    const result = plan(fixture('good.csv'));
    expect(result.problems).toEqual([]);
    expect(result.rows.map((row) => row.line)).toEqual([2, 3, 5]);
    const [contoso, fabrikam, northwind] = result.rows.map((row) => row.tenant);
    expect(contoso).toMatchObject({
      name: 'Contoso',
      integrations: ['mde', 'mdi', 'm365', 'azure'],
      options: { mde: 'custom', mdeConsole: 'rbac', azure: 'enterprise' },
      appNames: { mdi: 'Expel Defender for Identity', azure: 'Expel Cloud Service' },
      deviceAdded: { mde: '2026-11-20T10:00:00.000Z', mdi: '2026-11-21' },
      notes: 'Kick-off done, waiting on "Global Admin"',
    });
    expect(fabrikam).toMatchObject({ name: 'Fabrikam, Inc.', notes: 'two lines of notes', integrations: ['m365'] });
    expect(northwind).toMatchObject({ name: 'Northwind Traders', domain: null, integrations: [] });
  });

  it('accepts CRLF line ends, any column order and a blank last line', () => {
    const result = plan(fixture('crlf-reordered.csv'));
    expect(result.problems).toEqual([]);
    expect(result.rows.map((row) => [row.line, row.tenant.name])).toEqual([
      [2, 'Woodgrove'],
      [3, 'Tailspin "Toys"'],
    ]);
  });

  it('reports every bad row with its line and field', () => {
    const result = plan(fixture('bad-rows.csv'));
    expect(messages(result)).toEqual([
      "line 2, field tenant_id: 'not-a-guid' is not a GUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
      'line 3, field name: required (a display name, not empty after removing control characters)',
      "line 4, field domain: 'https://woodgrove.com' is a URL; give only the domain name, e.g. contoso.com",
      "line 4, field org_guid: '1234' is not a GUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
      "line 4, field guest_email: 'nobody' is not an email address",
      "line 4, field integrations: unknown integration 'sentinel' (known: mde, mdi, m365, azure)",
      "line 4, field options: mdi always uses a custom app registration; 'enterprise' is not possible",
      "line 4, field device_added: mde: '2026-02-30' is not a real date",
      "line 4, field started_on: '2026-13-01' is not a real date",
      "line 5, field options: mdi always uses a custom app registration; 'enterprise' is not possible",
      'line 6, field tenant_id: 1f0b3a3c-7a55-4d0e-9c51-2b7e2f5a1d10 is also on line 3',
    ]);
  });

  it('reports tenants already in the roster instead of merging them', () => {
    const existing: ExistingTenantLookup = (id) => (id === '1f0b3a3c-7a55-4d0e-9c51-2b7e2f5a1d10' ? { name: 'Fabrikam', archived: true } : undefined);
    const result = plan(fixture('good.csv'), existing);
    expect(messages(result)).toEqual([
      "line 3, field tenant_id: 1f0b3a3c-7a55-4d0e-9c51-2b7e2f5a1d10 is already in the roster as 'Fabrikam' (archived); change it with expel-track tenant edit",
    ]);
  });

  it('names an unknown column and suggests the closest known one', () => {
    const result = plan('tenat_id,name,domian,colour\nx,y,z,w\n');
    expect(messages(result)).toEqual([
      "line 1: unknown column 'tenat_id' (did you mean tenant_id?)",
      "line 1: unknown column 'domian' (did you mean domain?)",
      "line 1: unknown column 'colour'",
      'line 1: required column tenant_id is missing',
      expect.stringMatching(/^line 1: known columns: tenant_id, name, domain/),
    ]);
    expect(closestColumn('engagementmanager')).toBe('engagement_manager');
    expect(closestColumn('xyz')).toBeUndefined();
  });

  it('accepts friendly header spellings (case, spaces, hyphens)', () => {
    const result = plan(`Tenant ID,Name,Guest-Email\n${guidFor(1)},A,a@b.io\n`);
    expect(result.problems).toEqual([]);
    expect(result.rows[0]?.tenant.guestEmail).toBe('a@b.io');
  });

  it('explains a file without a header row', () => {
    const result = plan(`${guidFor(1)},Contoso\n${guidFor(2)},Fabrikam\n`);
    expect(messages(result)[0]).toMatch(/unknown column '0000abcd-0000-4000-8000-000000000001'/);
    expect(messages(result)).toContain('line 1: required column name is missing');
  });

  it('explains semicolon-separated files and empty files', () => {
    expect(messages(plan('tenant_id;name\nx;y\n'))).toEqual([
      'line 1: the columns are separated by semicolons; save the file as CSV with commas ("CSV UTF-8")',
    ]);
    expect(messages(plan(''))[0]).toMatch(/no header row/);
    expect(messages(plan('tenant_id,name,name\n'))).toEqual(['line 1: column name appears twice']);
  });

  it('reports rows with more values than columns, and an unbalanced quote at the end', () => {
    const text = `tenant_id,name\n${guidFor(1)},Contoso, Ltd\n${guidFor(2)},"Fabrikam\n${guidFor(3)},Tailspin\n`;
    expect(messages(plan(text))).toEqual([
      'line 2: 3 values but the header has 2 columns (a value with a comma that is not quoted?)',
      'line 3: a quoted field starting on this line is never closed (unbalanced ")',
    ]);
  });

  it('skips blank and comma-only lines', () => {
    const result = plan(`tenant_id,name\n\n${guidFor(1)},A\n,\n \n`);
    expect(result.problems).toEqual([]);
    expect(result.rows).toHaveLength(1);
  });

  it('imports a generated 10,000-row file in one transaction and lists it back', () => {
    const lines = ['tenant_id,name,domain,integrations,options,subscriptions'];
    for (let index = 0; index < 10_000; index += 1) {
      lines.push(`${guidFor(index)},"Tenant ${index}, Ltd",t${index}.example.com,mde;azure,mde=custom;azure=custom,${guidFor(index, 'ffff')}`);
    }
    const result = plan(`${lines.join('\r\n')}\r\n`);
    expect(result.problems).toEqual([]);
    const db = openDatabase(':memory:');
    try {
      const store = new RosterStore(db);
      expect(store.importTenants(result.rows.map((row) => row.tenant))).toBe(10_000);
      const listed = store.list();
      expect(listed).toHaveLength(10_000);
      const sample = store.get(guidFor(4242));
      expect(sample).toMatchObject({
        name: 'Tenant 4242, Ltd',
        domain: 't4242.example.com',
        integrations: ['mde', 'azure'],
        options: { mde: 'custom', azure: 'custom' },
        subscriptions: [guidFor(4242, 'ffff')],
      });
    } finally {
      db.close();
    }
  });
});
