// The dashboard's whole state and the one reducer that changes it. Input handlers only turn
// keys into actions; anything that needs I/O is written to the outbox as an Effect, which the
// app's effect runner performs and answers with further actions. Pure and Ink-free, so every
// behaviour of the screens can be tested as data.
import type { IntegrationStatus } from '../../core/status.js';
import { attestForm, validateAttestForm, type AttestInput } from './attest-form.js';
import { cleanText, stripControls } from '../../core/sanitize.js';
import { cleanDetail, cleanErrors, cleanHistoryEntry, cleanPrompt, cleanRow } from './clean.js';
import { focusKind, formOffset, moveFocus, setFieldValue, toggleFieldValue, type FormState } from './form.js';
import { helpLines, interpretKey, splitKeys, type Command, type KeyContext, type KeyPress } from './keymap.js';
import {
  detailLayout,
  formHeight,
  helpHeight,
  historyListHeight,
  rosterListHeight,
  type TerminalSize,
} from './layout.js';
import {
  computeColumns,
  filterRows,
  matchesFilter,
  nextSortMode,
  sortRows,
  totalsByStatus,
  type RosterColumns,
  type SortMode,
} from './roster.js';
import { tenantFieldsOf, tenantForm, validateTenantForm } from './tenant-form.js';
import type { TenantFields } from '../../roster/fields.js';
import type {
  IntegrationDetail,
  RosterRow,
  SignInPrompt,
  StepHistoryEntry,
  StepView,
  TenantDetail,
} from './types.js';
import { applyMotion, moveTo, refit, type ListCursor, type Motion } from './window.js';
import { wrapLines } from './wrap.js';

export type Screen =
  | { kind: 'roster' }
  | { kind: 'detail' }
  | { kind: 'history' }
  | { kind: 'help' }
  | { kind: 'instructions' }
  | { kind: 'form' };

export type DetailItem =
  | { kind: 'integration'; integration: IntegrationDetail }
  | { kind: 'step'; integration: IntegrationDetail; step: StepView };

export interface RosterState {
  byId: ReadonlyMap<string, RosterRow>;
  /** Every tenant, in the current sort order. */
  sorted: readonly RosterRow[];
  /** The sorted tenants that pass the filter and the needs-action toggle: the list on screen. */
  visible: readonly RosterRow[];
  sort: SortMode;
  reversed: boolean;
  filter: string;
  /** The `/` prompt has the keyboard. */
  filtering: boolean;
  needsActionOnly: boolean;
  cursor: ListCursor;
  columns: RosterColumns;
  totals: Record<IntegrationStatus, number>;
  lastFullCheckAt: string | null;
}

export interface DetailState {
  tenantId: string;
  data: TenantDetail | null;
  items: DetailItem[];
  error: string | null;
  cursor: ListCursor;
}

export interface HistoryState {
  tenantId: string;
  stepId: string;
  stepTitle: string;
  entries: StepHistoryEntry[] | null;
  error: string | null;
  cursor: ListCursor;
}

export interface InstructionsState {
  tenantId: string;
  /** The text as the source gave it (cleaned of controls); null while loading. */
  text: string | null;
  /** `text` wrapped to the terminal width: one entry per screen row. */
  rows: string[];
  error: string | null;
  offset: number;
}

export type RecheckOutcome = 'running' | 'cancelling' | 'finished' | 'cancelled' | 'failed';

export interface RecheckState {
  runId: number;
  total: number;
  done: number;
  /** Tenants that could not be checked fully (a failure, or any step `error`). */
  errors: number;
  startedAt: number;
  finishedAt: number | null;
  outcome: RecheckOutcome;
  /** Every active tenant, unfiltered: finishing it sets the "last full re-check" time. */
  full: boolean;
}

/** What one tenant's re-check produced, as the source reports it. */
export interface TenantRecheckResult {
  tenantId: string;
  /** The tenant's refreshed row; null when it could not be rebuilt. */
  row: RosterRow | null;
  /** Why the tenant could not be checked at all (sign-in refused, runner error); null if it was. */
  failure: string | null;
  /** Steps whose verdict this time is `error`. */
  errorSteps: number;
}

export type Effect =
  | { kind: 'loadRoster' }
  | { kind: 'completeRows'; tenantIds: string[] }
  | { kind: 'loadDetail'; tenantId: string }
  | { kind: 'loadHistory'; tenantId: string; stepId: string }
  | { kind: 'recheck'; runId: number; tenantIds: string[] }
  | { kind: 'cancelRecheck'; runId: number }
  | { kind: 'openTenantEdit'; tenantId: string }
  | { kind: 'saveTenant'; mode: 'add' | 'edit'; tenantId: string | null; fields: TenantFields }
  | { kind: 'attest'; tenantId: string; stepId: string; input: AttestInput }
  | { kind: 'loadInstructions'; tenantId: string }
  | { kind: 'writeInstructions'; tenantId: string }
  | { kind: 'exportRoster' };

export interface Message {
  text: string;
  tone: 'info' | 'error';
}

export interface ConfirmState {
  question: string;
  exitCode: number;
}

export interface DashboardState {
  size: TerminalSize;
  /** The clock relative times are computed from (ms); advanced by `tick`. */
  now: number;
  loading: boolean;
  loadError: string | null;
  roster: RosterState;
  screens: Screen[];
  detail: DetailState | null;
  history: HistoryState | null;
  help: ListCursor;
  instructions: InstructionsState | null;
  form: FormState | null;
  recheck: RecheckState | null;
  prompts: SignInPrompt[];
  confirm: ConfirmState | null;
  message: Message | null;
  /** Default "confirmed by" in the attest form: the analyst's own name when known. */
  analyst: string;
  /** Set once: the lifecycle root exits with this code. */
  exit: { code: number } | null;
  outbox: Array<{ seq: number; effect: Effect }>;
  nextSeq: number;
}

export type Action =
  | { type: 'resize'; size: TerminalSize }
  | { type: 'tick'; now: number }
  | { type: 'roster/loaded'; rows: RosterRow[]; lastFullCheckAt: string | null }
  | { type: 'roster/failed'; message: string }
  | { type: 'roster/rowsUpdated'; rows: RosterRow[] }
  /** A key press as Ink reports it; the reducer reads it in the current context (no stale closures). */
  | { type: 'key'; input: string; key: KeyPress; now: number }
  | { type: 'command'; command: Command; now: number }
  | { type: 'filter/text'; text: string }
  | { type: 'detail/loaded'; tenantId: string; detail: TenantDetail }
  | { type: 'detail/failed'; tenantId: string; message: string }
  | { type: 'history/loaded'; tenantId: string; stepId: string; entries: StepHistoryEntry[] }
  | { type: 'history/failed'; tenantId: string; stepId: string; message: string }
  | { type: 'recheck/progress'; runId: number; results: TenantRecheckResult[] }
  | { type: 'recheck/finished'; runId: number; outcome: 'finished' | 'cancelled' | 'failed'; now: number; message?: string }
  | { type: 'signin/prompt'; prompt: SignInPrompt }
  | { type: 'signin/resolved'; tenantId: string }
  | { type: 'form/open'; form: FormState }
  | { type: 'form/choose'; name: string; value: string }
  | { type: 'form/toggle'; name: string; value: string }
  | { type: 'form/saved'; message: string; row: RosterRow | null }
  | { type: 'form/rejected'; errors: Record<string, string[]> }
  | { type: 'instructions/loaded'; tenantId: string; text: string }
  | { type: 'instructions/failed'; tenantId: string; message: string }
  | { type: 'message'; message: Message | null }
  | { type: 'outbox/drained'; through: number };

export interface InitOptions {
  size: TerminalSize;
  now: number;
  analyst?: string;
}

const EMPTY_TOTALS = totalsByStatus([]);

export function initialState(options: InitOptions): DashboardState {
  const state: DashboardState = {
    size: options.size,
    now: options.now,
    loading: true,
    loadError: null,
    roster: {
      byId: new Map(),
      sorted: [],
      visible: [],
      sort: 'needs-action',
      reversed: false,
      filter: '',
      filtering: false,
      needsActionOnly: false,
      cursor: { selected: 0, offset: 0 },
      columns: computeColumns([], options.size.columns),
      totals: EMPTY_TOTALS,
      lastFullCheckAt: null,
    },
    screens: [{ kind: 'roster' }],
    detail: null,
    history: null,
    help: { selected: 0, offset: 0 },
    instructions: null,
    form: null,
    recheck: null,
    prompts: [],
    confirm: null,
    message: null,
    analyst: options.analyst ?? '',
    exit: null,
    outbox: [],
    nextSeq: 1,
  };
  return emit(state, { kind: 'loadRoster' });
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function emit(state: DashboardState, effect: Effect): DashboardState {
  return { ...state, outbox: [...state.outbox, { seq: state.nextSeq, effect }], nextSeq: state.nextSeq + 1 };
}

export const currentScreen = (state: DashboardState): Screen['kind'] =>
  state.screens[state.screens.length - 1]?.kind ?? 'roster';

function push(state: DashboardState, kind: Screen['kind']): DashboardState {
  return { ...state, screens: [...state.screens, { kind }] };
}

function pop(state: DashboardState): DashboardState {
  if (state.screens.length <= 1) return state;
  const screens = state.screens.slice(0, -1);
  const leaving = currentScreen(state);
  return {
    ...state,
    screens,
    detail: screens.some((screen) => screen.kind === 'detail') ? state.detail : null,
    history: leaving === 'history' ? null : state.history,
    instructions: leaving === 'instructions' ? null : state.instructions,
    form: leaving === 'form' ? null : state.form,
  };
}

const info = (text: string): Message => ({ text, tone: 'info' });
const problem = (text: string): Message => ({ text, tone: 'error' });

export const isRecheckRunning = (state: DashboardState): boolean =>
  state.recheck !== null && (state.recheck.outcome === 'running' || state.recheck.outcome === 'cancelling');

/** Which bindings apply right now. */
export function keyContext(state: DashboardState): KeyContext {
  if (state.confirm !== null) return 'confirm';
  switch (currentScreen(state)) {
    case 'roster':
      return state.roster.filtering ? 'filter' : 'roster';
    case 'detail':
      return 'detail';
    case 'history':
      return 'history';
    case 'help':
      return 'help';
    case 'instructions':
      return 'instructions';
    case 'form':
      return state.form === null ? 'roster' : (`form.${focusKind(state.form)}` as KeyContext);
  }
}

export const selectedRow = (state: DashboardState): RosterRow | null =>
  state.roster.visible[state.roster.cursor.selected] ?? null;

export function selectedStep(state: DashboardState): Extract<DetailItem, { kind: 'step' }> | null {
  const item = state.detail?.items[state.detail.cursor.selected];
  return item?.kind === 'step' ? item : null;
}

const hasPrompt = (state: DashboardState): boolean => state.prompts.length > 0;

// ---------------------------------------------------------------------------------------------
// Roster list

function rosterHeight(state: DashboardState): number {
  return rosterListHeight(state.size, hasPrompt(state));
}

/**
 * Rebuilds the visible list after the data, sort or filter changed, keeping the selected tenant
 * selected when it is still in the list.
 */
function relist(state: DashboardState, roster: RosterState, sorted: readonly RosterRow[], visible?: readonly RosterRow[]): DashboardState {
  const previous = state.roster.visible[state.roster.cursor.selected]?.tenantId;
  const nextVisible = visible ?? filterRows(sorted, roster.filter, roster.needsActionOnly);
  let selected = previous === undefined ? 0 : nextVisible.findIndex((row) => row.tenantId === previous);
  if (selected < 0) selected = Math.min(roster.cursor.selected, Math.max(0, nextVisible.length - 1));
  const cursor = moveTo(roster.cursor, selected, rosterHeight(state), nextVisible.length);
  return { ...state, roster: { ...roster, sorted, visible: nextVisible, cursor } };
}

function resort(state: DashboardState, roster: RosterState): DashboardState {
  return relist(state, roster, sortRows([...roster.byId.values()], roster.sort, roster.reversed));
}

/** New filter text: narrowing (text appended) only re-tests the rows already visible. */
function setFilter(state: DashboardState, filter: string): DashboardState {
  const roster = state.roster;
  const narrowing = filter.startsWith(roster.filter) && roster.filter.trim() !== '';
  const base = narrowing ? roster.visible : roster.sorted;
  const visible = narrowing ? base.filter((row) => matchesFilter(row, filter)) : filterRows(base, filter, roster.needsActionOnly);
  const next = relist(state, { ...roster, filter }, roster.sorted, visible);
  // Typing a filter jumps to the best match, like incremental search elsewhere.
  return { ...next, roster: { ...next.roster, cursor: moveTo(next.roster.cursor, 0, rosterHeight(next), visible.length) } };
}

function withRows(state: DashboardState, rows: readonly RosterRow[]): DashboardState {
  const byId = new Map(state.roster.byId);
  for (const row of rows) byId.set(row.tenantId, cleanRow(row));
  const all = [...byId.values()];
  const roster = { ...state.roster, byId, totals: totalsByStatus(all), columns: computeColumns(all, state.size.columns) };
  return resort(state, roster);
}

// ---------------------------------------------------------------------------------------------
// Detail and history lists

function detailItems(detail: TenantDetail): DetailItem[] {
  const items: DetailItem[] = [];
  for (const integration of detail.integrations) {
    items.push({ kind: 'integration', integration });
    for (const step of integration.steps) items.push({ kind: 'step', integration, step });
  }
  return items;
}

/** Moves in the detail list, stepping over integration headers. */
function moveDetail(state: DashboardState, motion: Motion): DashboardState {
  const detail = state.detail;
  if (detail === null || detail.items.length === 0) return state;
  const height = detailLayout(state.size, hasPrompt(state)).list;
  const total = detail.items.length;
  let cursor = applyMotion(detail.cursor, motion, height, total);
  const direction = motion === 'up' || motion === 'pageUp' || motion === 'bottom' ? -1 : 1;
  cursor = landOnStep(detail.items, cursor, direction, height);
  // A header scrolled out of view above the first step would hide which integration it is.
  if (cursor.selected === 1 && detail.items[0]?.kind === 'integration') cursor = { ...cursor, offset: 0 };
  return { ...state, detail: { ...detail, cursor } };
}

function landOnStep(items: DetailItem[], cursor: ListCursor, direction: 1 | -1, height: number): ListCursor {
  let index = cursor.selected;
  if (items[index]?.kind !== 'step') {
    const ahead = findStep(items, index, direction);
    index = ahead >= 0 ? ahead : findStep(items, index, direction === 1 ? -1 : 1);
    if (index < 0) index = cursor.selected;
  }
  return moveTo(cursor, index, height, items.length);
}

function findStep(items: DetailItem[], from: number, direction: 1 | -1): number {
  for (let index = from; index >= 0 && index < items.length; index += direction) {
    if (items[index]?.kind === 'step') return index;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Re-check

function startRecheck(state: DashboardState, tenantIds: string[], full: boolean, now: number): DashboardState {
  if (isRecheckRunning(state)) return { ...state, message: info('A re-check is already running (c cancels it).') };
  if (tenantIds.length === 0) return { ...state, message: info('No tenants to re-check.') };
  const runId = (state.recheck?.runId ?? 0) + 1;
  const recheck: RecheckState = {
    runId,
    total: tenantIds.length,
    done: 0,
    errors: 0,
    startedAt: now,
    finishedAt: null,
    outcome: 'running',
    full,
  };
  return emit({ ...state, recheck, message: null }, { kind: 'recheck', runId, tenantIds });
}

function cancelRecheck(state: DashboardState): DashboardState {
  if (!isRecheckRunning(state) || state.recheck === null) return state;
  if (state.recheck.outcome === 'cancelling') return state;
  return emit({ ...state, recheck: { ...state.recheck, outcome: 'cancelling' } }, { kind: 'cancelRecheck', runId: state.recheck.runId });
}

function onRecheckProgress(state: DashboardState, runId: number, results: TenantRecheckResult[]): DashboardState {
  if (state.recheck === null || state.recheck.runId !== runId) return state;
  const errors = results.filter((result) => result.failure !== null || result.errorSteps > 0).length;
  const recheck = { ...state.recheck, done: state.recheck.done + results.length, errors: state.recheck.errors + errors };
  const rows: RosterRow[] = [];
  for (const result of results) {
    const row = result.row ?? state.roster.byId.get(result.tenantId);
    if (row !== undefined) rows.push({ ...row, problem: result.failure ?? row.problem });
  }
  let next = withRows({ ...state, recheck }, rows);
  const openTenant = next.detail?.tenantId;
  if (openTenant !== undefined && results.some((result) => result.tenantId === openTenant)) {
    next = emit(next, { kind: 'loadDetail', tenantId: openTenant });
  }
  return next;
}

function onRecheckFinished(
  state: DashboardState,
  action: Extract<Action, { type: 'recheck/finished' }>,
): DashboardState {
  const recheck = state.recheck;
  if (recheck === null || recheck.runId !== action.runId) return state;
  const outcome = action.outcome;
  const lastFullCheckAt =
    outcome === 'finished' && recheck.full ? new Date(action.now).toISOString() : state.roster.lastFullCheckAt;
  const text =
    (action.message === undefined ? undefined : cleanText(action.message)) ??
    (outcome === 'finished'
      ? `Re-check finished: ${recheck.done} tenant${recheck.done === 1 ? '' : 's'}, ${recheck.errors} with errors.`
      : outcome === 'cancelled'
        ? `Re-check cancelled after ${recheck.done} of ${recheck.total} tenants.`
        : 'Re-check failed.');
  return {
    ...state,
    roster: { ...state.roster, lastFullCheckAt },
    recheck: { ...recheck, outcome, finishedAt: action.now },
    message: outcome === 'failed' ? problem(text) : info(text),
  };
}

// ---------------------------------------------------------------------------------------------
// Quitting

function requestExit(state: DashboardState, code: number): DashboardState {
  if (state.exit !== null) return state;
  if (isRecheckRunning(state)) {
    if (state.confirm !== null && code === 130) return { ...state, exit: { code } };
    return { ...state, confirm: { question: 'A re-check is running. Stop it and quit?', exitCode: code } };
  }
  return { ...state, exit: { code } };
}

// ---------------------------------------------------------------------------------------------
// Forms

function formRows(state: DashboardState): number {
  return formHeight(state.size, hasPrompt(state)) - 1; // the Save line
}

function withForm(state: DashboardState, form: FormState): DashboardState {
  return { ...state, form: refitForm(state, form) };
}

/** Keeps the focused field inside the window of fields, like every other list. */
function refitForm(state: DashboardState, form: FormState): FormState {
  return { ...form, offset: formOffset(form, formRows(state)) };
}

function submitForm(state: DashboardState, now: number): DashboardState {
  const form = state.form;
  if (form === null || form.saving) return state;
  if (form.purpose.kind === 'attest') {
    const result = validateAttestForm(form);
    if (!result.ok) return withForm(state, focusFirstError({ ...form, errors: result.byField }));
    return emit(
      { ...state, form: { ...form, errors: {}, saving: true } },
      { kind: 'attest', tenantId: form.purpose.tenantId, stepId: form.purpose.stepId, input: result.input },
    );
  }
  const result = validateTenantForm(form, new Date(now));
  if (!result.ok) return withForm(state, focusFirstError({ ...form, errors: result.byField }));
  const editing = form.purpose.kind === 'tenant-edit';
  return emit(
    { ...state, form: { ...form, errors: {}, saving: true } },
    {
      kind: 'saveTenant',
      mode: editing ? 'edit' : 'add',
      tenantId: form.purpose.kind === 'tenant-edit' ? form.purpose.tenantId : null,
      fields: tenantFieldsOf(form),
    },
  );
}

/** Edits the focused text field; typed and pasted text never keeps control characters. */
function typeIntoField(state: DashboardState, edit: (value: string) => string): DashboardState {
  const field = state.form?.fields[state.form.focus];
  if (state.form === null || field === undefined || field.kind !== 'text' || field.readOnly) return state;
  return { ...state, form: setFieldValue(state.form, field.name, stripControls(edit(field.value))) };
}

function focusFirstError(form: FormState): FormState {
  const index = form.fields.findIndex((field) => (form.errors[field.name]?.length ?? 0) > 0);
  return index < 0 ? form : { ...form, focus: index };
}

// ---------------------------------------------------------------------------------------------
// Commands

const MOTIONS: Partial<Record<Command, Motion>> = {
  'cursor.up': 'up',
  'cursor.down': 'down',
  'cursor.top': 'top',
  'cursor.bottom': 'bottom',
  'page.up': 'pageUp',
  'page.down': 'pageDown',
};

function onCommand(state: DashboardState, command: Command, now: number): DashboardState {
  // Anything the analyst does replaces the previous one-line message.
  const base = state.message === null ? state : { ...state, message: null };
  if (command === 'interrupt') return requestExit(base, 130);
  if (state.confirm !== null) {
    if (command === 'confirm.yes') {
      const exiting = { ...cancelRecheck(base), confirm: null };
      return { ...exiting, exit: { code: state.confirm.exitCode } };
    }
    if (command === 'confirm.no') return { ...base, confirm: null };
    return state;
  }
  if (command === 'quit') return requestExit(base, 0);

  switch (currentScreen(state)) {
    case 'roster':
      return rosterCommand(base, command, now);
    case 'detail':
      return detailCommand(base, command, now);
    case 'history':
      return historyCommand(base, command);
    case 'help':
      return helpCommand(base, command);
    case 'instructions':
      return instructionsCommand(base, command);
    case 'form':
      return formCommand(base, command, now);
  }
}

function rosterCommand(state: DashboardState, command: Command, now: number): DashboardState {
  const roster = state.roster;
  const motion = MOTIONS[command];
  if (motion !== undefined) {
    return { ...state, roster: { ...roster, cursor: applyMotion(roster.cursor, motion, rosterHeight(state), roster.visible.length) } };
  }
  switch (command) {
    case 'open': {
      const row = selectedRow(state);
      if (row === null) return state;
      return openDetail(state, row.tenantId);
    }
    case 'back':
      if (roster.filtering || roster.filter !== '') return setFilterMode(setFilter(state, ''), false);
      if (isRecheckRunning(state)) return cancelRecheck(state);
      return state;
    case 'filter.start':
      return setFilterMode(state, true);
    case 'filter.accept':
      return setFilterMode(state, false);
    case 'text.deleteChar':
      return setFilter(state, [...roster.filter].slice(0, -1).join(''));
    case 'text.clear':
      return setFilter(state, '');
    case 'filter.needsAction': {
      const needsActionOnly = !roster.needsActionOnly;
      const next = relist(state, { ...roster, needsActionOnly }, roster.sorted);
      return { ...next, message: info(needsActionOnly ? 'Showing only tenants that need action.' : 'Showing every tenant.') };
    }
    case 'sort.cycle':
      return resort(state, { ...roster, sort: nextSortMode(roster.sort), reversed: false });
    case 'sort.reverse':
      return resort(state, { ...roster, reversed: !roster.reversed });
    case 'recheck.selected': {
      const row = selectedRow(state);
      return row === null ? state : startRecheck(state, [row.tenantId], false, now);
    }
    case 'recheck.visible':
      return startRecheck(
        state,
        roster.visible.map((row) => row.tenantId),
        roster.filter.trim() === '' && !roster.needsActionOnly,
        now,
      );
    case 'recheck.cancel':
      return cancelRecheck(state);
    case 'tenant.add':
      return push(withForm(state, tenantForm(null)), 'form');
    case 'tenant.edit': {
      const row = selectedRow(state);
      return row === null ? state : emit(state, { kind: 'openTenantEdit', tenantId: row.tenantId });
    }
    case 'help':
      return push({ ...state, help: { selected: 0, offset: 0 } }, 'help');
    case 'instructions.open': {
      const row = selectedRow(state);
      return row === null ? state : openInstructions(state, row.tenantId);
    }
    case 'export':
      return emit({ ...state, message: info('Exporting every tenant…') }, { kind: 'exportRoster' });
    default:
      return state;
  }
}

function openInstructions(state: DashboardState, tenantId: string): DashboardState {
  const instructions: InstructionsState = { tenantId, text: null, rows: [], error: null, offset: 0 };
  return emit(push({ ...state, instructions }, 'instructions'), { kind: 'loadInstructions', tenantId });
}

function setFilterMode(state: DashboardState, filtering: boolean): DashboardState {
  return { ...state, roster: { ...state.roster, filtering } };
}

function openDetail(state: DashboardState, tenantId: string): DashboardState {
  const detail: DetailState = { tenantId, data: null, items: [], error: null, cursor: { selected: 0, offset: 0 } };
  return emit(push({ ...state, detail }, 'detail'), { kind: 'loadDetail', tenantId });
}

function detailCommand(state: DashboardState, command: Command, now: number): DashboardState {
  const detail = state.detail;
  if (detail === null) return pop(state);
  const motion = MOTIONS[command];
  if (motion !== undefined) return moveDetail(state, motion);
  switch (command) {
    case 'back':
      return pop(state);
    case 'recheck.selected':
      return startRecheck(state, [detail.tenantId], false, now);
    case 'recheck.cancel':
      return cancelRecheck(state);
    case 'history': {
      const item = selectedStep(state);
      if (item === null) return state;
      const history: HistoryState = {
        tenantId: detail.tenantId,
        stepId: item.step.id,
        stepTitle: item.step.title,
        entries: null,
        error: null,
        cursor: { selected: 0, offset: 0 },
      };
      return emit(push({ ...state, history }, 'history'), { kind: 'loadHistory', tenantId: detail.tenantId, stepId: item.step.id });
    }
    case 'attest': {
      const item = selectedStep(state);
      if (item === null) return state;
      if (!item.step.attestable) {
        return {
          ...state,
          message: info(
            `Only steps that cannot be checked from outside are attested here; "${item.step.title}" is checked by the probes.`,
          ),
        };
      }
      return push(withForm(state, attestForm(detail.tenantId, item.step.id, item.step.title, state.analyst)), 'form');
    }
    case 'tenant.edit':
      return emit(state, { kind: 'openTenantEdit', tenantId: detail.tenantId });
    case 'instructions.open':
      return openInstructions(state, detail.tenantId);
    case 'help':
      return push({ ...state, help: { selected: 0, offset: 0 } }, 'help');
    default:
      return state;
  }
}

function historyCommand(state: DashboardState, command: Command): DashboardState {
  const history = state.history;
  if (history === null) return pop(state);
  const motion = MOTIONS[command];
  if (motion !== undefined) {
    const height = historyListHeight(state.size, hasPrompt(state));
    return { ...state, history: { ...history, cursor: applyMotion(history.cursor, motion, height, history.entries?.length ?? 0) } };
  }
  if (command === 'back') return pop(state);
  if (command === 'recheck.cancel') return cancelRecheck(state);
  if (command === 'help') return push({ ...state, help: { selected: 0, offset: 0 } }, 'help');
  return state;
}

/** Where a scroll key moves a text window with no selected line (help, instructions); null for other keys. */
function scrolled(offset: number, command: Command, height: number, total: number): number | null {
  const maxOffset = Math.max(0, total - height);
  const targets: Partial<Record<Command, number>> = {
    'cursor.up': offset - 1,
    'cursor.down': offset + 1,
    'page.up': offset - height,
    'page.down': offset + height,
    'cursor.top': 0,
    'cursor.bottom': maxOffset,
  };
  const target = targets[command];
  return target === undefined ? null : Math.min(Math.max(0, target), maxOffset);
}

function helpCommand(state: DashboardState, command: Command): DashboardState {
  if (command === 'back' || command === 'help') return pop(state);
  const offset = scrolled(state.help.offset, command, helpHeight(state.size, hasPrompt(state)), helpLines().length);
  return offset === null ? state : { ...state, help: { selected: offset, offset } };
}

function instructionsCommand(state: DashboardState, command: Command): DashboardState {
  const instructions = state.instructions;
  if (instructions === null || command === 'back') return pop(state);
  if (command === 'help') return push({ ...state, help: { selected: 0, offset: 0 } }, 'help');
  if (command === 'instructions.write') {
    if (instructions.text === null) return state;
    return emit({ ...state, message: info('Writing the instructions…') }, { kind: 'writeInstructions', tenantId: instructions.tenantId });
  }
  const offset = scrolled(instructions.offset, command, helpHeight(state.size, hasPrompt(state)), instructions.rows.length);
  return offset === null ? state : { ...state, instructions: { ...instructions, offset } };
}

/** The preview's rows for the current width, the window kept in range. */
function rewrap(state: DashboardState, instructions: InstructionsState): InstructionsState {
  const rows = instructions.text === null ? [] : wrapLines(instructions.text, state.size.columns - 1);
  const maxOffset = Math.max(0, rows.length - helpHeight(state.size, hasPrompt(state)));
  return { ...instructions, rows, offset: Math.min(instructions.offset, maxOffset) };
}

function formCommand(state: DashboardState, command: Command, now: number): DashboardState {
  const form = state.form;
  if (form === null) return pop(state);
  switch (command) {
    case 'form.next':
      return withForm(state, moveFocus(form, 1));
    case 'form.previous':
      return withForm(state, moveFocus(form, -1));
    case 'form.cancel':
      return { ...pop(state), message: info('Not saved.') };
    case 'form.submit':
      return submitForm(state, now);
    case 'text.deleteChar':
      return typeIntoField(state, (value) => [...value].slice(0, -1).join(''));
    case 'text.clear':
      return typeIntoField(state, () => '');
    default:
      return state;
  }
}

// ---------------------------------------------------------------------------------------------
// The reducer

export function reducer(state: DashboardState, action: Action): DashboardState {
  switch (action.type) {
    case 'resize': {
      const resized = { ...state, size: action.size };
      return refitAll({ ...resized, roster: { ...resized.roster, columns: computeColumns([...state.roster.byId.values()], action.size.columns) } });
    }
    case 'tick':
      return { ...state, now: action.now };
    case 'roster/loaded': {
      const loaded = { ...state, loading: false, loadError: null, roster: { ...state.roster, byId: new Map(), lastFullCheckAt: action.lastFullCheckAt } };
      const withData = withRows(loaded, action.rows);
      return action.rows.length === 0 ? withData : emit(withData, { kind: 'completeRows', tenantIds: action.rows.map((row) => row.tenantId) });
    }
    case 'roster/failed':
      return { ...state, loading: false, loadError: cleanText(action.message) };
    case 'roster/rowsUpdated':
      return withRows(state, action.rows);
    case 'key':
      return splitKeys(action.input, action.key).reduce((current, press) => onKey(current, press.input, press.key, action.now), state);
    case 'command':
      return onCommand(state, action.command, action.now);
    case 'filter/text':
      return setFilter(state, state.roster.filter + stripControls(action.text));
    case 'detail/loaded': {
      if (state.detail === null || state.detail.tenantId !== action.tenantId) return state;
      const data = cleanDetail(action.detail);
      const items = detailItems(data);
      const previousStep = selectedStep(state)?.step.id;
      let index = previousStep === undefined ? -1 : items.findIndex((item) => item.kind === 'step' && item.step.id === previousStep);
      if (index < 0) index = items.findIndex((item) => item.kind === 'step');
      const height = detailLayout(state.size, hasPrompt(state)).list;
      const cursor = moveTo(state.detail.cursor, Math.max(0, index), height, items.length);
      return { ...state, detail: { ...state.detail, data, items, error: null, cursor: index <= 1 ? { ...cursor, offset: 0 } : cursor } };
    }
    case 'detail/failed':
      if (state.detail === null || state.detail.tenantId !== action.tenantId) return state;
      return { ...state, detail: { ...state.detail, error: cleanText(action.message) } };
    case 'history/loaded': {
      const history = state.history;
      if (history === null || history.tenantId !== action.tenantId || history.stepId !== action.stepId) return state;
      return { ...state, history: { ...history, entries: action.entries.map(cleanHistoryEntry), cursor: { selected: 0, offset: 0 } } };
    }
    case 'history/failed': {
      const history = state.history;
      if (history === null || history.tenantId !== action.tenantId || history.stepId !== action.stepId) return state;
      return { ...state, history: { ...history, error: cleanText(action.message) } };
    }
    case 'recheck/progress':
      return onRecheckProgress(state, action.runId, action.results);
    case 'recheck/finished':
      return onRecheckFinished(state, action);
    case 'signin/prompt': {
      const prompt = cleanPrompt(action.prompt);
      const prompts = [...state.prompts.filter((item) => item.tenantId !== prompt.tenantId), prompt];
      return refitAll({ ...state, prompts });
    }
    case 'signin/resolved':
      return refitAll({ ...state, prompts: state.prompts.filter((item) => item.tenantId !== action.tenantId) });
    case 'form/open':
      // Stored values are shown for editing: a value written around the validation (or by an
      // older version) must not reach the terminal with its escape sequences.
      return push(withForm(state, withCleanTextValues(action.form)), 'form');
    case 'form/choose':
      return state.form === null ? state : withForm(state, moveFocus(setFieldValue(state.form, action.name, action.value), 1));
    case 'form/toggle':
      return state.form === null ? state : { ...state, form: toggleFieldValue(state.form, action.name, action.value) };
    case 'form/saved': {
      const closed = currentScreen(state) === 'form' ? pop(state) : state;
      const next = action.row === null ? closed : withRows(closed, [action.row]);
      const reload = next.detail !== null ? emit(next, { kind: 'loadDetail', tenantId: next.detail.tenantId }) : next;
      return { ...reload, message: info(cleanText(action.message)) };
    }
    case 'form/rejected':
      return state.form === null ? state : withForm(state, focusFirstError({ ...state.form, errors: cleanErrors(action.errors), saving: false }));
    case 'instructions/loaded': {
      if (state.instructions === null || state.instructions.tenantId !== action.tenantId) return state;
      return { ...state, instructions: rewrap(state, { ...state.instructions, text: action.text, error: null }) };
    }
    case 'instructions/failed':
      if (state.instructions === null || state.instructions.tenantId !== action.tenantId) return state;
      return { ...state, instructions: { ...state.instructions, error: cleanText(action.message) } };
    case 'message':
      return { ...state, message: action.message === null ? null : { ...action.message, text: cleanText(action.message.text) } };
    case 'outbox/drained':
      return { ...state, outbox: state.outbox.filter((item) => item.seq > action.through) };
  }
}

/** One key press, read in the context of the state it arrives in. */
function onKey(state: DashboardState, input: string, key: KeyPress, now: number): DashboardState {
  const intent = interpretKey(keyContext(state), input, key);
  if (intent === null) return state;
  if (intent.kind === 'text') {
    if (currentScreen(state) === 'form') return typeIntoField(state, (value) => value + intent.text);
    return reducer(state, { type: 'filter/text', text: intent.text });
  }
  return onCommand(state, intent.command, now);
}

/** After the window height changed (resize, a prompt appeared or left): keep every cursor visible. */
function refitAll(state: DashboardState): DashboardState {
  const prompt = hasPrompt(state);
  const roster = { ...state.roster, cursor: refit(state.roster.cursor, rosterListHeight(state.size, prompt), state.roster.visible.length) };
  const detail =
    state.detail === null
      ? null
      : { ...state.detail, cursor: refit(state.detail.cursor, detailLayout(state.size, prompt).list, state.detail.items.length) };
  const history =
    state.history === null
      ? null
      : {
          ...state.history,
          cursor: refit(state.history.cursor, historyListHeight(state.size, prompt), state.history.entries?.length ?? 0),
        };
  const instructions = state.instructions === null ? null : rewrap(state, state.instructions);
  const next = { ...state, roster, detail, history, instructions };
  return next.form === null ? next : withForm(next, next.form);
}

function withCleanTextValues(form: FormState): FormState {
  return {
    ...form,
    fields: form.fields.map((field) => (field.kind === 'text' ? { ...field, value: stripControls(field.value) } : field)),
  };
}
