// Pure roster logic: a tenant's overall status, "needs action", sorting, filtering and the
// column layout. Nothing here knows about Ink; the reducer calls it when data, sort or filter
// change, never per frame.
import { INTEGRATION_STATUSES, type IntegrationStatus } from '../../core/status.js';
import { INTEGRATION_ORDER, type IntegrationId } from '../../core/tenant.js';
import type { RosterRow } from './types.js';
import { textWidth } from './fit.js';
import { INTEGRATION_LABEL } from './present.js';

/** Worst first: what the analyst should look at before anything else. */
const URGENCY: Readonly<Record<IntegrationStatus, number>> = {
  action_needed: 0,
  attention: 1,
  not_started: 2,
  in_progress: 3,
  complete: 4,
};

/** The tenant's status is its most urgent integration's status. */
export function overallStatus(row: RosterRow): IntegrationStatus {
  let worst: IntegrationStatus = row.integrations.length === 0 ? 'not_started' : 'complete';
  for (const cell of row.integrations) if (URGENCY[cell.status] < URGENCY[worst]) worst = cell.status;
  return worst;
}

/** Something is failed, overdue, could not be checked or needs a confirmation, or sign-in broke. */
export function needsAction(row: RosterRow): boolean {
  if (row.problem !== null) return true;
  const status = overallStatus(row);
  return status === 'action_needed' || status === 'attention';
}

export const SORT_MODES = ['needs-action', 'oldest-stage', 'name'] as const;
export type SortMode = (typeof SORT_MODES)[number];

export const SORT_LABEL: Readonly<Record<SortMode, string>> = {
  'needs-action': 'needs action first',
  'oldest-stage': 'oldest stage first',
  name: 'name',
};

export function nextSortMode(mode: SortMode): SortMode {
  return SORT_MODES[(SORT_MODES.indexOf(mode) + 1) % SORT_MODES.length] ?? 'needs-action';
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

const byName = (a: RosterRow, b: RosterRow): number =>
  collator.compare(a.name, b.name) || (a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : 0);

/** Longest in stage first; never-checked tenants (no stage yet) last. */
const byStageAge = (a: RosterRow, b: RosterRow): number =>
  (b.daysInStage ?? -1) - (a.daysInStage ?? -1);

const urgencyOf = (row: RosterRow): number => (row.problem !== null ? -1 : URGENCY[overallStatus(row)]);

const COMPARATORS: Readonly<Record<SortMode, (a: RosterRow, b: RosterRow) => number>> = {
  'needs-action': (a, b) => urgencyOf(a) - urgencyOf(b) || byStageAge(a, b) || byName(a, b),
  'oldest-stage': (a, b) => byStageAge(a, b) || byName(a, b),
  name: byName,
};

/** A new array of the rows in display order. */
export function sortRows(rows: readonly RosterRow[], mode: SortMode, reversed: boolean): RosterRow[] {
  const compare = COMPARATORS[mode];
  return [...rows].sort(reversed ? (a, b) => compare(b, a) : compare);
}

const haystacks = new WeakMap<RosterRow, string>();

/** The lower-case text `/` searches: name, domain, tenant ID, engineer, engagement manager. */
function haystackOf(row: RosterRow): string {
  let text = haystacks.get(row);
  if (text === undefined) {
    text = [row.name, row.domain, row.tenantId, row.engineer, row.engagementManager]
      .filter((part): part is string => part !== null)
      .join('\n')
      .toLowerCase();
    haystacks.set(row, text);
  }
  return text;
}

export function matchesFilter(row: RosterRow, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  return needle === '' || haystackOf(row).includes(needle);
}

export function filterRows(rows: readonly RosterRow[], filter: string, needsActionOnly: boolean): RosterRow[] {
  const needle = filter.trim().toLowerCase();
  if (needle === '' && !needsActionOnly) return [...rows];
  return rows.filter(
    (row) => (!needsActionOnly || needsAction(row)) && (needle === '' || haystackOf(row).includes(needle)),
  );
}

/** Tenants per overall status, for the header. */
export function totalsByStatus(rows: Iterable<RosterRow>): Record<IntegrationStatus, number> {
  const totals = Object.fromEntries(INTEGRATION_STATUSES.map((status) => [status, 0])) as Record<
    IntegrationStatus,
    number
  >;
  for (const row of rows) totals[overallStatus(row)] += 1;
  return totals;
}

export interface RosterColumns {
  /** Integration columns shown: `access` and every integration some tenant has in scope. */
  integrations: IntegrationId[];
  /** Width of each integration column, in the order of `integrations`. */
  cells: number[];
  cursor: number;
  name: number;
  next: number;
  owner: number;
  days: number;
  checked: number;
  /** 0 when the terminal is too narrow for the engagement manager column. */
  manager: number;
}

/**
 * Widths include the blank column every cell ends with. Owner fits "Whose move"; checked fits
 * "stale 120 d" and "45 min ago" (staleness is counted in hours at least); an integration cell
 * fits its label and its progress ("✔ 7/7"). With all five integrations the roster fits 80
 * columns.
 */
const FIXED = { cursor: 2, owner: 11, days: 6, checked: 12 } as const;
const CELL_MIN = 6;
const NAME_MIN = 8;
const NEXT_MIN = 10;

/**
 * Column widths from the whole roster and the terminal width, computed when the data or the
 * width change, so columns never jump while scrolling. They add up to at most `width` whenever
 * the fixed columns leave room for the minimum name and next-step columns.
 */
export function computeColumns(rows: readonly RosterRow[], width: number): RosterColumns {
  const inScope = new Set<IntegrationId>(['access']);
  let longestName = 4;
  let longestNext = 9;
  let longestManager = 2;
  let longestProgress = 3;
  for (const row of rows) {
    for (const cell of row.integrations) {
      inScope.add(cell.id);
      // "7/7", "10/12": the widest progress decides the integration columns.
      longestProgress = Math.max(longestProgress, String(cell.done).length + String(cell.applicable).length + 1);
    }
    longestName = Math.max(longestName, textWidth(row.name));
    // The next step is shown as "<glyph> <title>".
    longestNext = Math.max(longestNext, textWidth(row.next?.title ?? '') + 2);
    longestManager = Math.max(longestManager, textWidth(row.engagementManager ?? ''));
  }
  const integrations = INTEGRATION_ORDER.filter((id) => inScope.has(id));
  const cells = integrations.map((id) => Math.max(CELL_MIN, longestProgress + 3, textWidth(INTEGRATION_LABEL[id] ?? id) + 1));
  const fixed = FIXED.cursor + cells.reduce((sum, cell) => sum + cell, 0) + FIXED.owner + FIXED.days + FIXED.checked;
  let free = Math.max(0, width - fixed);
  const name = Math.min(longestName + 1, 28, Math.max(NAME_MIN, Math.floor(free * 0.4)));
  free -= name;
  const next = Math.min(longestNext + 1, 36, Math.max(NEXT_MIN, free));
  free -= next;
  const manager = free >= 8 ? Math.min(longestManager + 1, free) : 0;
  return { integrations, cells, name, next, manager, ...FIXED };
}
