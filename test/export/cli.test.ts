// Runs the built CLI: `node scripts/build.mjs` (or npm test) first.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/core/status.js';
import type { Tenant } from '../../src/core/tenant.js';
import { EXPORT_COLUMNS } from '../../src/export/format.js';
import { STEPS } from '../../src/integrations/catalogue.js';
import { guidFor, makeTenant } from '../db/helpers.js';
import { verdict } from '../instructions/fixtures.js';
import { makeSandbox, type Sandbox } from '../support/cli.js';
import { parseStrictCsv } from './rfc4180.js';
import { seedDatabase } from './seed.js';

const CONTOSO = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';
const FABRIKAM = '1f0b3a3c-7a55-4d0e-9c51-2b7e2f5a1d10';

let sandbox: Sandbox | null = null;
afterEach(() => {
  sandbox?.cleanup();
  sandbox = null;
});

/** Every catalogue step for a tenant: not_applicable or pass, then overrides. */
function verdictsOf(t: Tenant, at: string, overrides: Record<string, Partial<Verdict>> = {}): Verdict[] {
  return STEPS.map((step) => ({
    ...verdict(step.id, step.applies(t) ? 'pass' : 'not_applicable', { observedAt: at }),
    ...overrides[step.id],
  }));
}

const contoso = makeTenant({
  tenantId: CONTOSO,
  name: '=HYPERLINK("http://evil.example","Zürich 日本")',
  domain: 'contoso.com',
  engagementManager: ' -2+3',
  engineer: '@Sam, "the engineer"',
  startedOn: '2026-11-01',
  integrations: ['mde', 'mdi'],
});
const fabrikam = makeTenant({ tenantId: FABRIKAM, name: 'Fabrikam', integrations: ['m365'] });

function seededSandbox(): Sandbox {
  const box = makeSandbox();
  const at = '2026-11-22T09:00:00.000Z';
  seedDatabase(box.db, [contoso, fabrikam], [
    {
      at,
      verdicts: new Map([
        [
          CONTOSO,
          verdictsOf(contoso, at, {
            'mdi.api-permissions': { status: 'fail', summary: 'App lacks admin consent for ThreatHunting.Read.All' },
            'mdi.polling': { status: 'blocked', blockedBy: 'mdi.api-permissions' },
            'mdi.alerts': { status: 'blocked', blockedBy: 'mdi.api-permissions' },
          }),
        ],
      ]),
    },
  ]);
  return box;
}

const records = (csv: string) => {
  const parsed = parseStrictCsv(csv);
  expect(parsed.header).toEqual([...EXPORT_COLUMNS]);
  return parsed.records.map(
    (record) => Object.fromEntries(EXPORT_COLUMNS.map((column, i) => [column, record[i]!])) as Record<(typeof EXPORT_COLUMNS)[number], string>,
  );
};

describe('expel-track export', () => {
  it('writes RFC 4180 CSV to stdout with the contract columns, one row per tenant and integration', () => {
    sandbox = seededSandbox();
    const result = sandbox.run(['export', '--out', '-']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('tenant_id,tenant_name,domain,')).toBe(true);
    const rows = records(result.stdout);
    // Sorted by name: the formula-looking name sorts first; access first within a tenant.
    expect(rows.map((r) => `${r.tenant_id.slice(0, 8)} ${r.integration}`)).toEqual([
      '6babcaad access',
      '6babcaad mde',
      '6babcaad mdi',
      '1f0b3a3c access',
      '1f0b3a3c m365',
    ]);
    const mdi = rows[2]!;
    expect(mdi).toMatchObject({
      tenant_name: `'=HYPERLINK("http://evil.example","Zürich 日本")`,
      engagement_manager: "'-2+3",
      engineer: '@Sam, "the engineer"'.replace(/^/, "'"),
      option: 'custom',
      status: 'action_needed',
      done_steps: '2',
      applicable_steps: '5',
      percent: '40',
      next_step: 'mdi.api-permissions',
      owner: 'customer',
      blocking_reason: 'App lacks admin consent for ThreatHunting.Read.All',
      started_on: '2026-11-01',
      last_checked: '2026-11-22T09:00:00.000Z',
    });
    expect(rows[1]).toMatchObject({ status: 'complete', percent: '100', owner: 'none', next_step: '' });
    expect(rows[4]).toMatchObject({ status: 'not_started', owner: 'expel', blocking_reason: 'Not checked yet', stale: 'true' });
  });

  it('writes JSON as one array of row objects with typed values', () => {
    sandbox = seededSandbox();
    const result = sandbox.run(['export', '--format', 'json', '--out', '-']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(5);
    expect(Object.keys(rows[0]!)).toEqual([...EXPORT_COLUMNS]);
    expect(rows[2]).toMatchObject({ tenant_name: contoso.name, done_steps: 2, percent: 40, stale: false, device_added_on: null });
  });

  it('adds a byte order mark only when asked, and only for CSV', () => {
    sandbox = seededSandbox();
    const withBom = sandbox.run(['export', '--out', '-', '--bom']);
    expect(withBom.stdout.startsWith('\ufefftenant_id,')).toBe(true);
    expect(parseStrictCsv(withBom.stdout, { allowBom: true }).records).toHaveLength(5);
    const wrong = sandbox.run(['export', '--out', '-', '--bom', '--format', 'json']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('--bom only applies to --format csv');
  });

  it('writes a timestamped file in the export folder by default, never overwriting an earlier one', () => {
    sandbox = seededSandbox();
    const first = sandbox.run(['export']);
    const second = sandbox.run(['export']);
    expect(first.code).toBe(0);
    const firstPath = first.stdout.trim();
    const secondPath = second.stdout.trim();
    expect(firstPath).not.toBe(secondPath);
    expect(path.dirname(firstPath)).toBe(path.join(sandbox.dir, 'data', 'expel-track', 'exports'));
    expect(path.basename(firstPath)).toMatch(/^expel-track-export-\d{8}T\d{6}Z(-\d+)?\.csv$/);
    const bytes = readFileSync(firstPath);
    expect(bytes.includes(Buffer.from('\r\n'))).toBe(true);
    expect(records(bytes.toString('utf8'))).toHaveLength(5);
    expect(readdirSync(path.dirname(firstPath)).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('writes to --out, creating its folder', () => {
    sandbox = seededSandbox();
    const file = path.join(sandbox.dir, 'reports', 'status.json');
    const result = sandbox.run(['export', '--format', 'json', '--out', file]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(file);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveLength(5);
  });

  it('rejects an unknown format', () => {
    sandbox = seededSandbox();
    const result = sandbox.run(['export', '--format', 'xlsx', '--out', '-']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('xlsx');
    expect(result.stdout).toBe('');
  });

  it('exports 10,000 tenants with every row correct', () => {
    sandbox = makeSandbox();
    const at = '2026-11-21T08:00:00.000Z';
    const tenants = Array.from({ length: 10_000 }, (_, i) =>
      makeTenant({ tenantId: guidFor(i), name: `Tenant ${String(i).padStart(5, '0')}`, integrations: ['mde'] }),
    );
    // Even tenants checked once: odd-numbered ones still lack the MDE API access.
    const checked = new Map(
      tenants
        .filter((_, i) => i % 2 === 0)
        .map((t, index) => [
          t.tenantId,
          verdictsOf(t, at, index % 2 === 1 ? { 'mde.api-access': { status: 'fail' }, 'mde.polling': { status: 'blocked', blockedBy: 'mde.api-access' }, 'mde.alerts': { status: 'blocked', blockedBy: 'mde.api-access' } } : {}),
        ]),
    );
    seedDatabase(sandbox.db, tenants, [{ at, verdicts: checked }]);
    const file = path.join(sandbox.dir, 'big.csv');
    const result = sandbox.run(['export', '--out', file]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const rows = records(readFileSync(file, 'utf8'));
    expect(rows).toHaveLength(20_000);
    expect(new Set(rows.map((r) => r.tenant_id)).size).toBe(10_000);
    rows.forEach((row, index) => {
      const n = Math.floor(index / 2);
      expect(row.tenant_id).toBe(guidFor(n));
      expect(row.integration).toBe(index % 2 === 0 ? 'access' : 'mde');
      const expected =
        n % 2 === 1 ? 'not_started' : row.integration === 'access' || n % 4 === 0 ? 'complete' : 'action_needed';
      expect(row.status, `${row.tenant_name} ${row.integration}`).toBe(expected);
    });
    expect(existsSync(`${file}.partial`)).toBe(false);
  });
});
