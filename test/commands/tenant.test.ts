// The built CLI as a subprocess against a temporary roster (npm test builds dist first).
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { RosterStore } from '../../src/db/roster.js';
import { makeSandbox, projectRoot, type Sandbox } from '../support/cli.js';

const CONTOSO = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';
const FABRIKAM = '1f0b3a3c-7a55-4d0e-9c51-2b7e2f5a1d10';
const fixture = (name: string): string => path.join(projectRoot, 'test/fixtures/roster', name);

describe('expel-track tenant', () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = makeSandbox();
  });
  afterEach(() => sandbox.cleanup());

  const ok = (args: string[]) => {
    const result = sandbox.run(args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return result.stdout;
  };
  const listJson = (...extra: string[]) => JSON.parse(ok(['tenant', 'list', '--json', ...extra])) as Array<Record<string, unknown>>;

  it('adds a tenant with every field and lists it back as JSON with stable camelCase keys', () => {
    const stdout = ok([
      'tenant', 'add',
      '--tenant-id', CONTOSO.toUpperCase(),
      '--name', '\u001b]0;owned\u0007Contoso\u001b[31m',
      '--domain', 'Contoso.com',
      '--org-guid', 'a123bc45-aa12-123b-8c9d-0123456789ab',
      '--guest-email', 'expel_analyst@expel.io',
      '--integrations', 'mde,mdi,azure',
      '--option', 'mde=custom', '--option', 'mde-console=rbac',
      '--app-name', 'mdi=Expel Defender for Identity',
      '--subscription', '20ff7fc3-e762-44dd-bd96-b71116dcdc23',
      '--device-added', 'mde=2026-11-20T10:00:00Z',
      '--engagement-manager', 'Erin', '--engineer', 'Sam',
      '--started-on', '2026-11-01', '--notes', 'first call done',
    ]);
    expect(stdout).toBe(`Added Contoso (${CONTOSO})\n`);
    const [tenant] = listJson();
    expect(Object.keys(tenant ?? {})).toEqual([
      'tenantId', 'name', 'domain', 'orgGuid', 'guestEmail', 'engagementManager', 'engineer', 'startedOn', 'notes',
      'archived', 'archivedAt', 'integrations', 'options', 'appNames', 'subscriptions', 'deviceAdded', 'createdAt', 'updatedAt',
    ]);
    expect(tenant).toMatchObject({
      tenantId: CONTOSO,
      name: 'Contoso',
      domain: 'contoso.com',
      integrations: ['mde', 'mdi', 'azure'],
      options: { mde: 'custom', mdeConsole: 'rbac', azure: 'enterprise' },
      appNames: { mdi: 'Expel Defender for Identity' },
      subscriptions: ['20ff7fc3-e762-44dd-bd96-b71116dcdc23'],
      deviceAdded: { mde: '2026-11-20T10:00:00.000Z' },
      archived: false,
    });
  });

  it('reports every invalid option at once, on stderr, and stores nothing', () => {
    const result = sandbox.run(['tenant', 'add', '--tenant-id', 'contoso', '--domain', 'https://contoso.com', '--integrations', 'mdi', '--option', 'mdi=enterprise']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("--tenant-id: 'contoso' is not a GUID");
    expect(result.stderr).toContain('--name: required');
    expect(result.stderr).toContain('--domain: ');
    expect(result.stderr).toContain('--option: mdi always uses a custom app registration');
    expect(listJson()).toEqual([]);
  });

  it('refuses a duplicate tenant ID', () => {
    ok(['tenant', 'add', '--tenant-id', CONTOSO, '--name', 'Contoso']);
    const result = sandbox.run(['tenant', 'add', '--tenant-id', CONTOSO, '--name', 'Again']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("already in the roster as 'Contoso'");
    expect(listJson().map((tenant) => tenant.name)).toEqual(['Contoso']);
  });

  it('shows a tenant by ID, name or domain, and explains ambiguity', () => {
    ok(['tenant', 'add', '--tenant-id', CONTOSO, '--name', 'Contoso', '--domain', 'contoso.com']);
    ok(['tenant', 'add', '--tenant-id', FABRIKAM, '--name', 'contoso', '--domain', 'fabrikam.com']);
    expect(JSON.parse(ok(['tenant', 'show', 'fabrikam.com', '--json'])).tenantId).toBe(FABRIKAM);
    expect(ok(['tenant', 'show', CONTOSO])).toMatch(/^Contoso\n {2}Tenant ID +6babcaad/);
    const ambiguous = sandbox.run(['tenant', 'show', 'CONTOSO']);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain('matches 2 tenants');
    const missing = sandbox.run(['tenant', 'show', 'northwind']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no tenant named 'northwind'");
  });

  it('edits only the given fields', () => {
    ok(['tenant', 'add', '--tenant-id', CONTOSO, '--name', 'Contoso', '--domain', 'contoso.com', '--integrations', 'mde,azure', '--option', 'azure=custom', '--notes', 'keep me']);
    expect(ok(['tenant', 'edit', 'contoso', '--engineer', 'Sam', '--option', 'mde-console=rbac'])).toBe(`Updated Contoso (${CONTOSO})\n`);
    const [edited] = listJson();
    expect(edited).toMatchObject({
      engineer: 'Sam',
      notes: 'keep me',
      domain: 'contoso.com',
      options: { mde: 'enterprise', mdeConsole: 'rbac', azure: 'custom' },
    });
    ok(['tenant', 'edit', CONTOSO, '--domain', '', '--integrations', 'mde']);
    expect(listJson()[0]).toMatchObject({ domain: null, integrations: ['mde'], options: { azure: 'enterprise' } });

    const bad = sandbox.run(['tenant', 'edit', CONTOSO, '--name', '   ']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--name: required');
    expect(sandbox.run(['tenant', 'edit', CONTOSO]).stderr).toContain('nothing to change');
    expect(listJson()[0]?.name).toBe('Contoso');
  });

  it('archives: hidden from list, shown with --all, still resolvable; unarchive restores', () => {
    ok(['tenant', 'add', '--tenant-id', CONTOSO, '--name', 'Contoso']);
    ok(['tenant', 'add', '--tenant-id', FABRIKAM, '--name', 'Fabrikam']);
    expect(ok(['tenant', 'archive', 'Contoso'])).toContain('Archived Contoso');
    expect(listJson().map((tenant) => tenant.name)).toEqual(['Fabrikam']);
    expect(listJson('--all').map((tenant) => [tenant.name, tenant.archived])).toEqual([
      ['Contoso', true],
      ['Fabrikam', false],
    ]);
    expect(ok(['tenant', 'list', '--all'])).toMatch(/STATE\n.*archived\n.*active\n$/);
    expect(ok(['tenant', 'archive', CONTOSO])).toContain('already archived');
    ok(['tenant', 'unarchive', CONTOSO]);
    expect(listJson()).toHaveLength(2);
  });

  it('prints a plain-text table when stdout is not a terminal', () => {
    ok(['tenant', 'add', '--tenant-id', CONTOSO, '--name', 'Contoso', '--integrations', 'm365']);
    const stdout = ok(['tenant', 'list']);
    expect(stdout).toBe(
      'NAME     TENANT ID                             DOMAIN  INTEGRATIONS  ENGINEER\n' +
        `Contoso  ${CONTOSO}  -       m365          -\n`,
    );
    expect(stdout).not.toContain('\u001b');
  });

  it('lists an empty roster as empty JSON and a hint on stderr', () => {
    expect(listJson()).toEqual([]);
    const human = sandbox.run(['tenant', 'list']);
    expect(human.code).toBe(0);
    expect(human.stdout).toBe('');
    expect(human.stderr).toContain('No tenants in the roster');
  });

  describe('import', () => {
    it('imports a good file and lists it back', () => {
      expect(ok(['tenant', 'import', fixture('good.csv')])).toBe(`Imported 3 tenants from ${fixture('good.csv')}\n`);
      expect(listJson().map((tenant) => tenant.name)).toEqual(['Contoso', 'Fabrikam, Inc.', 'Northwind Traders']);
    });

    it('--dry-run reports what would be imported and writes nothing', () => {
      const stdout = ok(['tenant', 'import', fixture('crlf-reordered.csv'), '--dry-run']);
      expect(stdout).toContain('Would import 2 tenants');
      expect(stdout).toContain('line 3: Tailspin "Toys"');
      expect(listJson()).toEqual([]);
    });

    it('lists every problem with line and field, exits 1 and writes nothing', () => {
      ok(['tenant', 'add', '--tenant-id', '3d2e1f0a-9b8c-4d7e-8f6a-2b3c4d5e6f70', '--name', 'Tailspin']);
      const result = sandbox.run(['tenant', 'import', fixture('bad-rows.csv')]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('12 problems; nothing was imported');
      expect(result.stderr).toContain("line 4, field org_guid: '1234' is not a GUID");
      expect(result.stderr).toContain("line 5, field tenant_id: 3d2e1f0a-9b8c-4d7e-8f6a-2b3c4d5e6f70 is already in the roster as 'Tailspin'");
      expect(result.stderr).toContain('line 6, field tenant_id: 1f0b3a3c-7a55-4d0e-9c51-2b7e2f5a1d10 is also on line 3');
      expect(listJson().map((tenant) => tenant.name)).toEqual(['Tailspin']);
    });

    it('imports a generated 10,000-row file and lists every tenant back', () => {
      const file = path.join(sandbox.dir, 'big-roster.csv');
      const rows = Array.from({ length: 10_000 }, (_, index) => {
        const id = `${index.toString(16).padStart(8, '0')}-0000-4000-8000-000000000001`;
        return `"Tenant ${index}, Ltd",${id},mde;m365,t${index}.example.com`;
      });
      writeFileSync(file, `\ufeffname,tenant_id,integrations,domain\r\n${rows.join('\r\n')}\r\n`);
      expect(ok(['tenant', 'import', file])).toBe(`Imported 10000 tenants from ${file}\n`);
      // The full listing (6 MB of JSON) is more than makeSandbox's spawnSync buffer; count in the file.
      const db = openDatabase(sandbox.db);
      try {
        expect(new RosterStore(db).list()).toHaveLength(10_000);
      } finally {
        db.close();
      }
      expect(JSON.parse(ok(['tenant', 'show', 't4242.example.com', '--json']))).toMatchObject({
        name: 'Tenant 4242, Ltd',
        integrations: ['mde', 'm365'],
      });
    });

    it('refuses a binary file, a huge file and a missing file without crashing', () => {
      const binary = path.join(sandbox.dir, 'roster.xlsx');
      writeFileSync(binary, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]));
      const huge = path.join(sandbox.dir, 'huge.csv');
      writeFileSync(huge, 'tenant_id,name\n');
      truncateSync(huge, 100 * 1024 * 1024);
      for (const [file, message] of [
        [binary, 'Excel workbook'],
        [huge, 'larger than the import limit of 32 MB'],
        [path.join(sandbox.dir, 'missing.csv'), 'no such file'],
      ] as const) {
        const result = sandbox.run(['tenant', 'import', file]);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(message);
        expect(result.stderr).not.toContain('unexpected error');
      }
      expect(listJson()).toEqual([]);
    });

    it('refuses a roster database that is not SQLite and leaves it untouched', () => {
      writeFileSync(sandbox.db, 'just some notes, not a database\n');
      const result = sandbox.run(['tenant', 'import', fixture('good.csv')]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('not a SQLite database');
      expect(readFileSync(sandbox.db, 'utf8')).toBe('just some notes, not a database\n');
    });
  });

  it('uses --db over EXPEL_TRACK_DB', () => {
    const other = path.join(sandbox.dir, 'other.db');
    ok(['--db', other, 'tenant', 'add', '--tenant-id', CONTOSO, '--name', 'Contoso']);
    expect(listJson()).toEqual([]);
    expect(JSON.parse(ok(['tenant', 'list', '--json', '--db', other]))).toHaveLength(1);
  });
});
