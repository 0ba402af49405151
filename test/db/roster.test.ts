import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { RosterStore } from '../../src/db/roster.js';
import { catchError, guidFor, makeTenant } from './helpers.js';

const CONTOSO = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';
const FABRIKAM = '1f0b3a3c-7a55-4d0e-9c51-2b7e2f5a1d10';

describe('RosterStore', () => {
  let db: Database;
  let store: RosterStore;
  let clock: number;
  beforeEach(() => {
    db = openDatabase(':memory:');
    clock = Date.parse('2026-11-22T10:00:00Z');
    store = new RosterStore(db, () => new Date((clock += 1000)));
  });
  afterEach(() => db.close());

  it('stores and returns every field of a tenant', () => {
    const tenant = makeTenant({
      domain: 'contoso.com',
      orgGuid: 'a123bc45-aa12-123b-8c9d-0123456789ab',
      guestEmail: 'expel_analyst@expel.io',
      engagementManager: 'Erin',
      engineer: 'Sam',
      startedOn: '2026-11-01',
      notes: 'call on Tuesdays',
      integrations: ['mde', 'mdi', 'm365', 'azure'],
      options: { mde: 'custom', mdeConsole: 'rbac', azure: 'enterprise' },
      appNames: { mdi: 'Expel Defender for Identity', mde: 'Expel MDE' },
      subscriptions: ['20ff7fc3-e762-44dd-bd96-b71116dcdc23', '30ff7fc3-e762-44dd-bd96-b71116dcdc23'],
      deviceAdded: { mde: '2026-11-20T10:00:00.000Z', mdi: '2026-11-21' },
    });
    const added = store.add(tenant);
    expect(added).toEqual({ ...tenant, createdAt: '2026-11-22T10:00:01.000Z', updatedAt: '2026-11-22T10:00:01.000Z', archivedAt: null });
    expect(store.get(CONTOSO)).toEqual(added);
    expect(store.list()).toEqual([added]);
  });

  it('refuses a duplicate tenant ID with a UserError naming the stored tenant', () => {
    store.add(makeTenant());
    expect(() => store.add(makeTenant({ name: 'Other' }))).toThrow(UserError);
    expect(() => store.add(makeTenant({ name: 'Other' }))).toThrow(/already in the roster as 'Contoso'/);
    expect(store.list()).toHaveLength(1);
  });

  it('updates only the given fields and rewrites integrations', () => {
    store.add(makeTenant({ integrations: ['mde', 'azure'], options: { mde: 'custom', mdeConsole: 'basic', azure: 'custom' }, appNames: { azure: 'X' } }));
    const updated = store.update(CONTOSO, { engineer: 'Sam', integrations: ['mde'], appNames: {} });
    expect(updated.engineer).toBe('Sam');
    expect(updated.name).toBe('Contoso');
    expect(updated.integrations).toEqual(['mde']);
    expect(updated.options.mde).toBe('custom');
    expect(updated.options.azure).toBe('enterprise'); // azure left scope: back to the default
    expect(updated.appNames).toEqual({});
    expect(updated.updatedAt > updated.createdAt).toBe(true);
    expect(() => store.update(FABRIKAM, { name: 'x' })).toThrow(/no tenant with ID/);
  });

  it('archives without deleting anything, hides archived tenants from the default list, and can undo', () => {
    store.add(makeTenant({ integrations: ['mde'] }));
    store.add(makeTenant({ tenantId: FABRIKAM, name: 'Fabrikam' }));
    db.prepare("INSERT INTO check_runs (started_at, state, scope) VALUES ('t', 'complete', '{}')").run();
    db.prepare(
      `INSERT INTO verdicts (run_id, tenant_id, step_id, status, summary, evidence, observed_at)
       VALUES (1, ?, 'mde.onboarded', 'pass', 'ok', '{}', 't')`,
    ).run(CONTOSO);

    const archived = store.archive(CONTOSO);
    expect(archived.archived).toBe(true);
    expect(archived.archivedAt).not.toBeNull();
    expect(archived.integrations).toEqual(['mde']);
    expect(store.list().map((tenant) => tenant.name)).toEqual(['Fabrikam']);
    expect(store.list({ includeArchived: true }).map((tenant) => tenant.name)).toEqual(['Contoso', 'Fabrikam']);
    expect(db.prepare('SELECT count(*) FROM verdicts WHERE tenant_id = ?').pluck().get(CONTOSO)).toBe(1);

    const restored = store.unarchive(CONTOSO);
    expect(restored.archived).toBe(false);
    expect(restored.archivedAt).toBeNull();
  });

  describe('resolve', () => {
    beforeEach(() => {
      store.add(makeTenant({ domain: 'contoso.com' }));
      store.add(makeTenant({ tenantId: FABRIKAM, name: 'Fabrikam', domain: 'fabrikam.com' }));
    });

    it('finds by tenant ID (any case), name or domain, case-insensitively', () => {
      expect(store.resolve(CONTOSO.toUpperCase()).name).toBe('Contoso');
      expect(store.resolve('  contoso ').tenantId).toBe(CONTOSO);
      expect(store.resolve('FABRIKAM.COM').tenantId).toBe(FABRIKAM);
    });

    it('lists the candidates when a name is ambiguous', () => {
      store.add(makeTenant({ tenantId: guidFor(1), name: 'contoso', domain: 'contoso.net' }));
      const error = catchError(() => store.resolve('Contoso'));
      expect(error).toBeInstanceOf(UserError);
      expect(error.message).toContain('matches 2 tenants');
      expect(error.message).toContain(CONTOSO);
      expect(error.message).toContain(guidFor(1));
    });

    it('prefers the active tenant over an archived one with the same name', () => {
      store.add(makeTenant({ tenantId: guidFor(2), name: 'Contoso' }));
      store.archive(CONTOSO);
      expect(store.resolve('contoso').tenantId).toBe(guidFor(2));
      expect(store.resolve(CONTOSO).archived).toBe(true);
    });

    it('says clearly when nothing matches', () => {
      expect(() => store.resolve('Northwind')).toThrow(/no tenant named 'Northwind'/);
      expect(() => store.resolve(guidFor(9))).toThrow(/no tenant with ID/);
      expect(() => store.resolve('  ')).toThrow(/no tenant given/);
    });
  });

  it('imports all tenants in one transaction, or none when one is a duplicate', () => {
    store.add(makeTenant());
    const batch = [makeTenant({ tenantId: guidFor(1), name: 'A' }), makeTenant({ name: 'Dup' })];
    expect(() => store.importTenants(batch)).toThrow(/already in the roster/);
    expect(store.list()).toHaveLength(1);
    expect(store.importTenants([makeTenant({ tenantId: guidFor(1), name: 'A' })])).toBe(1);
    expect(store.list()).toHaveLength(2);
  });

  it('lists 10,000 tenants with their integrations and subscriptions in bulk', () => {
    const tenants = Array.from({ length: 10_000 }, (_, index) =>
      makeTenant({
        tenantId: guidFor(index),
        name: `Tenant ${String(index).padStart(5, '0')}`,
        integrations: index % 2 ? ['mde', 'azure'] : ['m365'],
        subscriptions: index % 2 ? [guidFor(index, 'ffff')] : [],
      }),
    );
    store.importTenants(tenants);
    const listed = store.list();
    expect(listed).toHaveLength(10_000);
    expect(listed[0]?.name).toBe('Tenant 00000');
    expect(listed[1]?.integrations).toEqual(['mde', 'azure']);
    expect(listed[1]?.subscriptions).toEqual([guidFor(1, 'ffff')]);
    expect(listed[9_999]?.integrations).toEqual(['mde', 'azure']);
  });
});
