// The export opened by a real spreadsheet engine: LibreOffice headless imports the CSV (UTF-8,
// comma, double quote) and writes it back as flat ODS, which says for every cell whether it became
// text, a number or a formula. Needs `soffice` (Debian: libreoffice-calc-nogui; .ci/run installs
// it). Without it the suite is skipped, unless EXPEL_TRACK_REQUIRE_SPREADSHEET=1 (CI) makes
// that a failure. Runs the built CLI: `node scripts/build.mjs` (or npm test) first.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvField, csvRecord, neutraliseFormula } from '../../src/export/csv.js';
import { EXPORT_COLUMNS } from '../../src/export/format.js';
import { STEPS } from '../../src/integrations/catalogue.js';
import { makeTenant } from '../db/helpers.js';
import { verdict } from '../instructions/fixtures.js';
import { makeSandbox, type Sandbox } from '../support/cli.js';
import { readFirstSheet, type SheetCell } from './fods.js';
import { seedDatabase } from './seed.js';

function findSoffice(): string | null {
  for (const name of ['soffice', 'libreoffice']) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  }
  return null;
}

const SOFFICE = findSoffice();
const REQUIRED = process.env.EXPEL_TRACK_REQUIRE_SPREADSHEET === '1';

describe('a spreadsheet engine is available when CI requires one', () => {
  it.runIf(REQUIRED)('finds soffice', () => {
    expect(SOFFICE, 'EXPEL_TRACK_REQUIRE_SPREADSHEET=1 but soffice is not installed').not.toBeNull();
  });
});

describe.runIf(SOFFICE !== null)('CSV opened in LibreOffice', () => {
  let work: string;
  let sandbox: Sandbox;

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'expel-track-sheet-'));
    sandbox = makeSandbox();
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    sandbox.cleanup();
  });

  /** Imports a CSV file as UTF-8 and returns the cells LibreOffice made of it. */
  function openInSpreadsheet(csvFile: string): SheetCell[][] {
    const outDir = path.join(work, `out-${path.basename(csvFile)}`);
    mkdirSync(outDir, { recursive: true });
    const result = spawnSync(
      SOFFICE!,
      [
        '--headless',
        '--norestore',
        `-env:UserInstallation=file://${path.join(work, 'profile')}`,
        // separator 44 (,), text delimiter 34 ("), charset 76 (UTF-8), start at line 1
        '--infilter=CSV:44,34,76,1',
        '--convert-to',
        'fods',
        '--outdir',
        outDir,
        csvFile,
      ],
      { encoding: 'utf8', timeout: 180_000, env: { ...process.env, HOME: work } },
    );
    const output = path.join(outDir, `${path.basename(csvFile, '.csv')}.fods`);
    let fods: string;
    try {
      fods = readFileSync(output, 'utf8');
    } catch {
      throw new Error(`LibreOffice did not convert ${csvFile}: ${result.stdout}\n${result.stderr}`);
    }
    return readFirstSheet(fods);
  }

  it('evaluates formulas in an unprotected CSV (so this test can tell the difference)', () => {
    const file = path.join(work, 'raw.csv');
    writeFileSync(file, 'a,b\r\n=1+1,-5\r\n');
    const [, row] = openInSpreadsheet(file);
    expect(row![0]!.formula).not.toBeNull();
    expect(row![0]!.text).toBe('2');
    expect(row![1]).toMatchObject({ type: 'float', value: '-5' });
  }, 180_000);

  it('keeps every formula case as text and every other cell intact', () => {
    const cells: Array<string | number> = [
      '=HYPERLINK("http://evil.example","x")',
      '+1',
      '-1+1',
      '@SUM(A1)',
      '\ttab',
      ' =1+1',
      '\u00a0=1+1',
      'line1\n=cmd',
      'a, "quoted" value',
      'two\r\nlines',
      'Zürich 日本 🚀',
      -5,
      42,
    ];
    const file = path.join(work, 'cases.csv');
    writeFileSync(file, csvRecord(cells.map((_, i) => `c${i}`)) + csvRecord(cells));
    const [header, row] = openInSpreadsheet(file);
    expect(header!.map((cell) => cell.text)).toEqual(cells.map((_, i) => `c${i}`));
    cells.forEach((original, i) => {
      const cell = row![i]!;
      expect(cell.formula, `cell ${i} ${JSON.stringify(original)}`).toBeNull();
      if (typeof original === 'number') {
        expect(cell).toMatchObject({ type: 'float', value: String(original) });
      } else {
        expect(cell.type).toBe('string');
        expect(cell.text).toBe(neutraliseFormula(original).replace(/\r\n/g, '\n'));
      }
    });
    // The neutralised ones really were changed (and the plain ones were not).
    expect(row![0]!.text.startsWith("'=")).toBe(true);
    expect(row![8]!.text).toBe('a, "quoted" value');
    expect(csvField(cells[10]!)).toBe('Zürich 日本 🚀');
  }, 180_000);

  it('opens the real export with the contract columns, text as text and counts as numbers', () => {
    const at = '2026-11-22T09:00:00.000Z';
    const hostile = makeTenant({
      tenantId: '6babcaad-604b-40ac-a9d7-9fd97c0b779f',
      name: '=HYPERLINK("http://evil.example","Zürich 日本")',
      domain: 'contoso.com',
      engagementManager: '+Dana, "EM"',
      engineer: ' @Sam',
      integrations: ['mde'],
    });
    const plain = makeTenant({ tenantId: '1f0b3a3c-7a55-4d0e-9c51-2b7e2f5a1d10', name: 'Société Générale', integrations: ['m365'] });
    const verdicts = STEPS.map((step) => verdict(step.id, step.applies(hostile) ? 'pass' : 'not_applicable', { observedAt: at }));
    verdicts.find((v) => v.id === 'mde.api-access')!.status = 'fail';
    verdicts.find((v) => v.id === 'mde.api-access')!.summary = '-App lacks Machine.Isolate, "Ti.ReadWrite"';
    seedDatabase(sandbox.db, [hostile, plain], [{ at, verdicts: new Map([[hostile.tenantId, verdicts]]) }]);
    const file = path.join(work, 'export.csv');
    const result = sandbox.run(['export', '--bom', '--out', file]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const [header, ...rows] = openInSpreadsheet(file);
    expect(header!.slice(0, EXPORT_COLUMNS.length).map((cell) => cell.text)).toEqual([...EXPORT_COLUMNS]);
    expect(rows).toHaveLength(4);
    for (const row of rows) for (const cell of row) expect(cell.formula).toBeNull();
    const column = (row: SheetCell[], name: (typeof EXPORT_COLUMNS)[number]) => row[EXPORT_COLUMNS.indexOf(name)]!;
    const mde = rows[1]!;
    expect(column(mde, 'tenant_name')).toMatchObject({ type: 'string', text: `'${hostile.name}` });
    expect(column(mde, 'engagement_manager').text).toBe(`'${hostile.engagementManager}`);
    expect(column(mde, 'engineer').text).toBe("'@Sam");
    expect(column(mde, 'blocking_reason').text).toBe(`'-App lacks Machine.Isolate, "Ti.ReadWrite"`);
    expect(column(mde, 'done_steps')).toMatchObject({ type: 'float', value: '3' });
    expect(column(mde, 'applicable_steps')).toMatchObject({ type: 'float', value: '4' });
    expect(column(mde, 'percent')).toMatchObject({ type: 'float', value: '75' });
    expect(column(mde, 'status').text).toBe('action_needed');
    expect(column(rows[2]!, 'tenant_name').text).toBe('Société Générale');
  }, 180_000);
});
