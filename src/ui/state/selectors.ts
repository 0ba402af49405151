// Read-only views of the state for the screens: only what is on screen is sliced or formatted,
// so the work per frame follows the window, not the roster size.
import { detailLayout, helpHeight, historyListHeight, rosterListHeight } from './layout.js';
import { helpLines, type HelpLine } from './keymap.js';
import { formatDuration } from './present.js';
import { isRecheckRunning, type DashboardState, type DetailItem, type RecheckState } from './reducer.js';
import type { RosterRow, StepHistoryEntry } from './types.js';

const hasPrompt = (state: DashboardState): boolean => state.prompts.length > 0;

export interface Window<T> {
  items: readonly T[];
  /** Index of the first item in the full list. */
  offset: number;
  /** Index of the selected item in `items`, -1 when none is visible. */
  selected: number;
  total: number;
}

function windowOf<T>(all: readonly T[], cursor: { selected: number; offset: number }, height: number): Window<T> {
  const items = all.slice(cursor.offset, cursor.offset + height);
  const selected = cursor.selected - cursor.offset;
  return { items, offset: cursor.offset, selected: selected >= 0 && selected < items.length ? selected : -1, total: all.length };
}

export function rosterWindow(state: DashboardState): Window<RosterRow> {
  return windowOf(state.roster.visible, state.roster.cursor, rosterListHeight(state.size, hasPrompt(state)));
}

export function detailWindow(state: DashboardState): Window<DetailItem> {
  const items = state.detail?.items ?? [];
  return windowOf(items, state.detail?.cursor ?? { selected: 0, offset: 0 }, detailLayout(state.size, hasPrompt(state)).list);
}

export function historyWindow(state: DashboardState): Window<StepHistoryEntry> {
  const entries = state.history?.entries ?? [];
  return windowOf(entries, state.history?.cursor ?? { selected: 0, offset: 0 }, historyListHeight(state.size, hasPrompt(state)));
}

const HELP = helpLines();

export function helpWindow(state: DashboardState): Window<HelpLine> {
  const window = windowOf(HELP, state.help, helpHeight(state.size, hasPrompt(state)));
  return { ...window, selected: -1 };
}

export function instructionsWindow(state: DashboardState): Window<string> {
  const rows = state.instructions?.rows ?? [];
  const offset = state.instructions?.offset ?? 0;
  return { ...windowOf(rows, { selected: offset, offset }, helpHeight(state.size, hasPrompt(state))), selected: -1 };
}

export interface ProgressView {
  done: number;
  total: number;
  errors: number;
  /** 0..1 */
  fraction: number;
  /** "ETA 40 s"-style text while running and measurable, else null. */
  eta: string | null;
  running: boolean;
  label: string;
}

/** Milliseconds left, extrapolated from the pace so far; null before the first tenant finishes. */
export function etaMs(recheck: RecheckState, now: number): number | null {
  if (recheck.done === 0 || recheck.done >= recheck.total) return null;
  const perTenant = Math.max(0, now - recheck.startedAt) / recheck.done;
  return Math.round(perTenant * (recheck.total - recheck.done));
}

const LABEL: Readonly<Record<RecheckState['outcome'], string>> = {
  running: 'Re-checking',
  cancelling: 'Cancelling',
  finished: 'Re-checked',
  cancelled: 'Cancelled',
  failed: 'Re-check failed',
};

export function progressView(state: DashboardState): ProgressView | null {
  const recheck = state.recheck;
  if (recheck === null) return null;
  const running = isRecheckRunning(state);
  // A finished run stays on the status line only until something else is said there.
  if (!running && state.message !== null) return null;
  const left = running ? etaMs(recheck, state.now) : null;
  return {
    done: recheck.done,
    total: recheck.total,
    errors: recheck.errors,
    fraction: recheck.total === 0 ? 1 : recheck.done / recheck.total,
    eta: left === null ? null : left < 1000 ? 'ETA <1 s' : `ETA ${left < 60_000 ? `${Math.round(left / 1000)} s` : formatDuration(left)}`,
    running,
    label: LABEL[recheck.outcome],
  };
}
