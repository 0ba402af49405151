import { describe, expect, it } from 'vitest';
import {
  computeColumns,
  filterRows,
  needsAction,
  nextSortMode,
  overallStatus,
  sortRows,
  totalsByStatus,
} from '../../src/ui/state/roster.js';
import { cell, makeRow, makeRows } from './fixtures.js';

const complete = [cell('access', 'complete', 7, 7), cell('mde', 'complete', 5, 5)];
const failing = [cell('access', 'complete', 7, 7), cell('mde', 'action_needed', 3, 5)];
const unknown = [cell('access', 'attention', 6, 7)];
const fresh = [cell('access', 'not_started', 0, 7)];

describe('overall status and needs action', () => {
  it('takes the most urgent integration', () => {
    expect(overallStatus(makeRow({ integrations: complete }))).toBe('complete');
    expect(overallStatus(makeRow({ integrations: failing }))).toBe('action_needed');
    expect(overallStatus(makeRow({ integrations: [...unknown, cell('mde', 'in_progress', 1, 5)] }))).toBe('attention');
  });
  it('needs action for fail/overdue, could-not-check/unverifiable, or a tenant problem', () => {
    expect(needsAction(makeRow({ integrations: failing }))).toBe(true);
    expect(needsAction(makeRow({ integrations: unknown }))).toBe(true);
    expect(needsAction(makeRow({ integrations: complete }))).toBe(false);
    expect(needsAction(makeRow({ integrations: fresh }))).toBe(false);
    expect(needsAction(makeRow({ integrations: complete, problem: 'sign-in failed' }))).toBe(true);
  });
});

describe('sorting', () => {
  const rows = [
    makeRow({ n: 1, name: 'Bravo', integrations: complete, daysInStage: 30 }),
    makeRow({ n: 2, name: 'alpha', integrations: failing, daysInStage: 1 }),
    makeRow({ n: 3, name: 'Charlie', integrations: unknown, daysInStage: 9 }),
    makeRow({ n: 4, name: 'Delta', integrations: fresh, daysInStage: null }),
    makeRow({ n: 5, name: 'Echo', integrations: failing, daysInStage: 12 }),
  ];
  const names = (sorted: typeof rows): string[] => sorted.map((row) => row.name);

  it('cycles needs action first → oldest stage → name', () => {
    expect(nextSortMode('needs-action')).toBe('oldest-stage');
    expect(nextSortMode('oldest-stage')).toBe('name');
    expect(nextSortMode('name')).toBe('needs-action');
  });
  it('puts action needed first, then attention, then the rest, oldest stage first within a group', () => {
    expect(names(sortRows(rows, 'needs-action', false))).toEqual(['Echo', 'alpha', 'Charlie', 'Delta', 'Bravo']);
  });
  it('sorts by days in stage with never-checked tenants last', () => {
    expect(names(sortRows(rows, 'oldest-stage', false))).toEqual(['Bravo', 'Echo', 'Charlie', 'alpha', 'Delta']);
  });
  it('sorts names case-insensitively and reverses', () => {
    expect(names(sortRows(rows, 'name', false))).toEqual(['alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']);
    expect(names(sortRows(rows, 'name', true))).toEqual(['Echo', 'Delta', 'Charlie', 'Bravo', 'alpha']);
  });
  it('does not modify its input', () => {
    const before = names(rows);
    sortRows(rows, 'name', true);
    expect(names(rows)).toEqual(before);
  });
});

describe('filtering', () => {
  const rows = [
    makeRow({ n: 1, name: 'Contoso', domain: 'contoso.com', engineer: 'Ana', engagementManager: 'Raj', integrations: failing }),
    makeRow({ n: 2, name: 'Fabrikam', domain: 'fabrikam.io', engineer: 'Bo', engagementManager: 'Sue', integrations: complete }),
    makeRow({ n: 3, name: 'Northwind', domain: null, engineer: null, engagementManager: null, integrations: complete }),
  ];
  const names = (list: typeof rows): string[] => list.map((row) => row.name);

  it('matches name, domain, tenant ID, engineer and EM, case-insensitively', () => {
    expect(names(filterRows(rows, 'CONTOSO', false))).toEqual(['Contoso']);
    expect(names(filterRows(rows, '.io', false))).toEqual(['Fabrikam']);
    expect(names(filterRows(rows, rows[2]!.tenantId.slice(-6), false))).toEqual(['Northwind']);
    expect(names(filterRows(rows, 'bo', false))).toEqual(['Fabrikam']);
    expect(names(filterRows(rows, 'raj', false))).toEqual(['Contoso']);
    expect(names(filterRows(rows, '  ', false))).toEqual(['Contoso', 'Fabrikam', 'Northwind']);
  });
  it('combines with the needs-action toggle', () => {
    expect(names(filterRows(rows, '', true))).toEqual(['Contoso']);
    expect(names(filterRows(rows, 'fabrikam', true))).toEqual([]);
  });
});

describe('totals and columns', () => {
  it('counts tenants by overall status', () => {
    const totals = totalsByStatus([
      makeRow({ integrations: failing }),
      makeRow({ integrations: failing }),
      makeRow({ integrations: complete }),
      makeRow({ integrations: fresh }),
    ]);
    expect(totals).toEqual({ complete: 1, in_progress: 0, action_needed: 2, attention: 0, not_started: 1 });
  });
  it('makes a column per integration in scope anywhere, in catalogue order, and fits the width', () => {
    const rows = [
      makeRow({ n: 1, integrations: [cell('access', 'complete', 7, 7), cell('azure', 'in_progress', 2, 9)] }),
      makeRow({ n: 2, integrations: [cell('access', 'complete', 7, 7), cell('mde', 'complete', 5, 5)] }),
    ];
    const columns = computeColumns(rows, 120);
    expect(columns.integrations).toEqual(['access', 'mde', 'azure']);
    const used =
      columns.cursor + columns.name + columns.cells.reduce((a, b) => a + b, 0) + columns.next + columns.owner + columns.days + columns.checked + columns.manager;
    expect(used).toBeLessThanOrEqual(120);
    expect(columns.manager).toBeGreaterThan(0);
  });
  it('drops the engagement manager column on narrow terminals rather than overflow', () => {
    const rows = makeRows(3, () => ({ name: 'A very long customer name indeed, Ltd', engagementManager: 'Someone' }));
    const columns = computeColumns(rows, 70);
    expect(columns.manager).toBe(0);
  });
});
