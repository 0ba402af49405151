import { describe, expect, it } from 'vitest';
import { NO_KEY, type Command } from '../../src/ui/state/keymap.js';
import {
  initialState,
  keyContext,
  reducer,
  selectedRow,
  selectedStep,
  type Action,
  type DashboardState,
  type Effect,
} from '../../src/ui/state/reducer.js';
import { progressView, rosterWindow } from '../../src/ui/state/selectors.js';
import { rosterListHeight } from '../../src/ui/state/layout.js';
import { tenantForm } from '../../src/ui/state/tenant-form.js';
import { cell, makeDetail, makeRow, makeRows, makeStep, tenantId } from './fixtures.js';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');
const SIZE = { columns: 120, rows: 40 };

function run(state: DashboardState, ...actions: Action[]): DashboardState {
  return actions.reduce(reducer, state);
}
const cmd = (command: Command, now = NOW): Action => ({ type: 'command', command, now });
const effects = (state: DashboardState): Effect[] => state.outbox.map((item) => item.effect);
const lastEffect = (state: DashboardState): Effect | undefined => effects(state).at(-1);


function toSave(state: DashboardState): DashboardState {
  let next = state;
  while (keyContext(next) !== 'form.submit') next = reducer(next, cmd('form.next'));
  return next;
}

/** Tabs to a form field, clears it with Ctrl+U and types the value, as the analyst would. */
function fill(state: DashboardState, name: string, value: string): DashboardState {
  let next = state;
  for (let guard = 0; next.form?.fields[next.form.focus]?.name !== name; guard += 1) {
    if (guard > 40) throw new Error(`no field ${name}`);
    next = reducer(next, cmd('form.next'));
  }
  next = reducer(next, { type: 'key', input: 'u', key: { ...NO_KEY, ctrl: true }, now: NOW });
  return reducer(next, { type: 'key', input: value, key: NO_KEY, now: NOW });
}

function loaded(rows = makeRows(50)): DashboardState {
  return run(initialState({ size: SIZE, now: NOW }), { type: 'roster/loaded', rows, lastFullCheckAt: null });
}

describe('loading the roster', () => {
  it('asks for the roster on start and shows it once loaded', () => {
    const start = initialState({ size: SIZE, now: NOW });
    expect(effects(start)).toEqual([{ kind: 'loadRoster' }]);
    expect(start.loading).toBe(true);
    const state = run(start, { type: 'roster/loaded', rows: makeRows(3), lastFullCheckAt: '2026-11-21T08:00:00.000Z' });
    expect(state.loading).toBe(false);
    expect(state.roster.visible).toHaveLength(3);
    expect(state.roster.lastFullCheckAt).toBe('2026-11-21T08:00:00.000Z');
    // Days in stage are slow to derive for a whole roster: asked for after the first frame.
    expect(lastEffect(state)).toEqual({ kind: 'completeRows', tenantIds: state.roster.visible.map((row) => row.tenantId) });
  });

  it('strips terminal escapes from every string as it arrives', () => {
    const hostile = makeRow({
      name: 'Evil\u001b[2J\u001b[31mCorp\u001b]0;pwned\u0007',
      engineer: 'x\u001b[1Ay',
      next: { stepId: 'mde.alerts', title: 'Alerts\u001b[5m', status: 'waiting', owner: 'microsoft', reason: '\u009b31m' },
      problem: 'sign-in failed\r\n\u001b[H',
    });
    const row = loaded([hostile]).roster.visible[0]!;
    expect(row.name).toBe('EvilCorp');
    expect(row.engineer).toBe('xy');
    expect(row.next?.title).toBe('Alerts');
    expect(row.problem).toBe('sign-in failed');
    expect(JSON.stringify(row)).not.toMatch(/\\u001b|\\u009b/);
  });

  it('counts tenants per status for the header', () => {
    const rows = [
      makeRow({ n: 1, integrations: [cell('access', 'complete', 7, 7)] }),
      makeRow({ n: 2, integrations: [cell('access', 'action_needed', 5, 7)] }),
    ];
    expect(loaded(rows).roster.totals).toMatchObject({ complete: 1, action_needed: 1 });
  });
});

describe('moving through 5,000 tenants', () => {
  const height = rosterListHeight(SIZE, false);
  const big = loaded(makeRows(5000));

  it('keeps the window in the state and renders only what fits', () => {
    const window = rosterWindow(big);
    expect(window.items).toHaveLength(height);
    expect(window.total).toBe(5000);
    const moved = run(big, ...Array.from({ length: height + 2 }, () => cmd('cursor.down')));
    expect(moved.roster.cursor).toEqual({ selected: height + 2, offset: 3 });
  });

  it('jumps to the ends and pages', () => {
    const bottom = run(big, cmd('cursor.bottom'));
    expect(bottom.roster.cursor).toEqual({ selected: 4999, offset: 5000 - height });
    expect(run(bottom, cmd('cursor.top')).roster.cursor).toEqual({ selected: 0, offset: 0 });
    expect(run(big, cmd('page.down')).roster.cursor).toEqual({ selected: height, offset: height });
  });

  it('keeps the selection visible when the terminal shrinks', () => {
    const down = run(big, ...Array.from({ length: 30 }, () => cmd('cursor.down')));
    const small = run(down, { type: 'resize', size: { columns: 80, rows: 12 } });
    const window = rosterWindow(small);
    expect(window.selected).toBeGreaterThanOrEqual(0);
    expect(window.items.length).toBe(rosterListHeight({ columns: 80, rows: 12 }, false));
    expect(small.roster.columns.manager).toBe(0);
  });
});

describe('filter, needs-action toggle and sort', () => {
  const rows = [
    makeRow({ n: 1, name: 'Contoso', integrations: [cell('access', 'complete', 7, 7)], daysInStage: 5 }),
    makeRow({ n: 2, name: 'Fabrikam', integrations: [cell('access', 'action_needed', 4, 7)], daysInStage: 1 }),
    makeRow({ n: 3, name: 'Contoso East', integrations: [cell('access', 'attention', 6, 7)], daysInStage: 9 }),
  ];
  const names = (state: DashboardState): string[] => state.roster.visible.map((row) => row.name);
  const type = (text: string): Action[] => [...text].map((char) => ({ type: 'filter/text', text: char }) as Action);

  it('filters incrementally while typing and clears with Esc', () => {
    const typing = run(loaded(rows), cmd('filter.start'), ...type('cont'));
    expect(keyContext(typing)).toBe('filter');
    expect(names(typing)).toEqual(['Contoso East', 'Contoso']);
    const narrower = run(typing, ...type('oso e'));
    expect(names(narrower)).toEqual(['Contoso East']);
    const widened = run(narrower, cmd('text.deleteChar'), cmd('text.deleteChar'));
    expect(names(widened)).toEqual(['Contoso East', 'Contoso']);
    const cleared = run(widened, cmd('back'));
    expect(cleared.roster.filter).toBe('');
    expect(keyContext(cleared)).toBe('roster');
    expect(names(cleared)).toHaveLength(3);
  });

  it('reads a burst of keys in one read in order, each in the context the previous one left', () => {
    const state = run(loaded(rows), { type: 'key', input: '/fab\r', key: NO_KEY, now: NOW });
    expect(state.roster.filter).toBe('fab');
    expect(keyContext(state)).toBe('roster');
    expect(names(state)).toEqual(['Fabrikam']);
    const opened = run(state, { type: 'key', input: 'g\r', key: NO_KEY, now: NOW });
    expect(keyContext(opened)).toBe('detail');
  });

  it('keeps a filter after Enter, and Esc on the roster clears it', () => {
    const kept = run(loaded(rows), cmd('filter.start'), ...type('fab'), cmd('filter.accept'));
    expect(keyContext(kept)).toBe('roster');
    expect(names(kept)).toEqual(['Fabrikam']);
    expect(names(run(kept, cmd('back')))).toHaveLength(3);
  });

  it('shows only tenants needing action with f', () => {
    const state = run(loaded(rows), cmd('filter.needsAction'));
    expect(names(state)).toEqual(['Fabrikam', 'Contoso East']);
    expect(names(run(state, cmd('filter.needsAction')))).toHaveLength(3);
  });

  it('cycles the sort and reverses it, keeping the selected tenant selected', () => {
    const start = loaded(rows);
    expect(names(start)).toEqual(['Fabrikam', 'Contoso East', 'Contoso']);
    const onContoso = run(start, cmd('cursor.bottom'));
    expect(selectedRow(onContoso)?.name).toBe('Contoso');
    const byStage = run(onContoso, cmd('sort.cycle'));
    expect(byStage.roster.sort).toBe('oldest-stage');
    expect(names(byStage)).toEqual(['Contoso East', 'Contoso', 'Fabrikam']);
    expect(selectedRow(byStage)?.name).toBe('Contoso');
    const byName = run(byStage, cmd('sort.cycle'));
    expect(names(byName)).toEqual(['Contoso', 'Contoso East', 'Fabrikam']);
    expect(names(run(byName, cmd('sort.reverse')))).toEqual(['Fabrikam', 'Contoso East', 'Contoso']);
    expect(run(byName, cmd('sort.cycle')).roster.sort).toBe('needs-action');
  });
});

describe('tenant detail and history', () => {
  const row = makeRow({ n: 7 });
  const detail = makeDetail(row, {
    access: [makeStep({ id: 'access.tenant' }), makeStep({ id: 'access.probe-access', title: 'Tracker can read the tenant' })],
    mde: [
      makeStep({ id: 'mde.console-roles', title: 'Console roles', status: 'unverifiable', attestable: true }),
      makeStep({ id: 'mde.alerts', title: 'Alerts are flowing', status: 'waiting', expectedBy: '2026-11-23T00:00:00.000Z' }),
    ],
  });

  function opened(): DashboardState {
    const state = run(loaded([row]), cmd('open'));
    expect(lastEffect(state)).toEqual({ kind: 'loadDetail', tenantId: row.tenantId });
    expect(keyContext(state)).toBe('detail');
    return run(state, { type: 'detail/loaded', tenantId: row.tenantId, detail });
  }

  it('opens on the first step and steps over integration headers', () => {
    const state = opened();
    expect(selectedStep(state)?.step.id).toBe('access.tenant');
    const down = run(state, cmd('cursor.down'), cmd('cursor.down'));
    expect(selectedStep(down)?.step.id).toBe('mde.console-roles');
    expect(selectedStep(run(down, cmd('cursor.up')))?.step.id).toBe('access.probe-access');
    expect(selectedStep(run(state, cmd('cursor.bottom')))?.step.id).toBe('mde.alerts');
    expect(selectedStep(run(state, cmd('cursor.bottom'), cmd('cursor.top')))?.step.id).toBe('access.tenant');
  });

  it('opens the selected step history with h and goes back with Esc', () => {
    const state = run(opened(), cmd('history'));
    expect(lastEffect(state)).toEqual({ kind: 'loadHistory', tenantId: row.tenantId, stepId: 'access.tenant' });
    expect(keyContext(state)).toBe('history');
    const withEntries = run(state, {
      type: 'history/loaded',
      tenantId: row.tenantId,
      stepId: 'access.tenant',
      entries: [{ observedAt: '2026-11-22T09:00:00.000Z', status: 'pass', summary: 'ok\u001b[31m', reason: null }],
    });
    expect(withEntries.history?.entries?.[0]?.summary).toBe('ok');
    const back = run(withEntries, cmd('back'));
    expect(keyContext(back)).toBe('detail');
    expect(back.history).toBeNull();
    const roster = run(back, cmd('back'));
    expect(keyContext(roster)).toBe('roster');
    expect(roster.detail).toBeNull();
  });

  it('refuses to attest a step the probes check, and opens the form for one they cannot', () => {
    const refused = run(opened(), cmd('attest'));
    expect(keyContext(refused)).toBe('detail');
    expect(refused.message?.text).toContain('cannot be checked from outside');
    const form = run(opened(), cmd('cursor.down'), cmd('cursor.down'), cmd('attest'));
    expect(keyContext(form)).toBe('form.text');
    expect(form.form?.purpose).toEqual({ kind: 'attest', tenantId: row.tenantId, stepId: 'mde.console-roles' });
  });

  it('validates the attest form and sends the attestation', () => {
    const form = run(opened(), cmd('cursor.down'), cmd('cursor.down'), cmd('attest'));
    const empty = run(form, cmd('form.next'), cmd('form.next'), cmd('form.next'), cmd('form.submit'));
    expect(empty.form?.errors.by).toEqual(['required']);
    expect(empty.form?.errors.note).toEqual(['required']);
    expect(empty.form?.focus).toBe(0);
    let filled = fill(empty, 'by', 'Dana (customer IT)');
    filled = fill(filled, 'note', 'Get-AdminAuditLogConfig shows UnifiedAuditLogIngestionEnabled True');
    filled = run(fill(filled, 'expires', '2027-05-01'), cmd('form.submit'));
    expect(lastEffect(filled)).toEqual({
      kind: 'attest',
      tenantId: row.tenantId,
      stepId: 'mde.console-roles',
      input: {
        attestedBy: 'Dana (customer IT)',
        note: 'Get-AdminAuditLogConfig shows UnifiedAuditLogIngestionEnabled True',
        expires: '2027-05-01',
      },
    });
    const saved = run(filled, { type: 'form/saved', message: 'Attested.', row: null });
    expect(keyContext(saved)).toBe('detail');
    expect(lastEffect(saved)).toEqual({ kind: 'loadDetail', tenantId: row.tenantId });
  });
});

describe('re-check', () => {
  const rows = makeRows(4, (n) => ({ integrations: [cell('access', 'not_started', 0, 7)], daysInStage: n }));

  it('re-checks the selected tenant with r', () => {
    const state = run(loaded(rows), cmd('recheck.selected'));
    expect(lastEffect(state)).toEqual({ kind: 'recheck', runId: 1, tenantIds: [selectedRow(state)!.tenantId] });
    expect(state.recheck).toMatchObject({ total: 1, done: 0, outcome: 'running', full: false });
  });

  it('re-checks every visible tenant with R, updates rows in batches, and records a full re-check', () => {
    const started = run(loaded(rows), cmd('recheck.visible'));
    const recheck = lastEffect(started);
    expect(recheck).toMatchObject({ kind: 'recheck', runId: 1 });
    expect(recheck?.kind === 'recheck' && recheck.tenantIds).toHaveLength(4);
    expect(started.recheck?.full).toBe(true);
    const updated = makeRow({ n: 2, integrations: [cell('access', 'complete', 7, 7)], daysInStage: 0 });
    const progressed = run(started, {
      type: 'recheck/progress',
      runId: 1,
      results: [
        { tenantId: tenantId(2), row: updated, failure: null, errorSteps: 0 },
        { tenantId: tenantId(3), row: null, failure: 'sign-in failed: the Expel guest has not accepted the invitation', errorSteps: 0 },
      ],
    });
    expect(progressed.recheck).toMatchObject({ done: 2, errors: 1 });
    expect(progressed.roster.byId.get(tenantId(2))?.integrations[0]?.status).toBe('complete');
    expect(progressed.roster.byId.get(tenantId(3))?.problem).toContain('sign-in failed');
    const view = progressView({ ...progressed, now: NOW + 10_000 });
    expect(view).toMatchObject({ done: 2, total: 4, errors: 1, running: true, eta: 'ETA 10 s' });
    const finished = run(progressed, { type: 'recheck/finished', runId: 1, outcome: 'finished', now: NOW + 20_000 });
    expect(finished.roster.lastFullCheckAt).toBe(new Date(NOW + 20_000).toISOString());
    expect(finished.message?.text).toBe('Re-check finished: 2 tenants, 1 with errors.');
  });

  it('is not a full re-check when a filter narrows the list', () => {
    const state = run(loaded(rows), cmd('filter.needsAction'), cmd('filter.needsAction'), cmd('filter.start'), { type: 'filter/text', text: '0001' }, cmd('filter.accept'), cmd('recheck.visible'));
    expect(state.recheck).toMatchObject({ total: 1, full: false });
  });

  it('cancels with c or Esc, and ignores stale progress from an older run', () => {
    const started = run(loaded(rows), cmd('recheck.visible'));
    const cancelled = run(started, cmd('recheck.cancel'));
    expect(cancelled.recheck?.outcome).toBe('cancelling');
    expect(lastEffect(cancelled)).toEqual({ kind: 'cancelRecheck', runId: 1 });
    expect(run(started, cmd('back')).recheck?.outcome).toBe('cancelling');
    const done = run(cancelled, { type: 'recheck/finished', runId: 1, outcome: 'cancelled', now: NOW + 1 });
    expect(done.message?.text).toBe('Re-check cancelled after 0 of 4 tenants.');
    expect(done.roster.lastFullCheckAt).toBeNull();
    const stale = run(done, { type: 'recheck/progress', runId: 0, results: [{ tenantId: tenantId(1), row: null, failure: 'x', errorSteps: 0 }] });
    expect(stale).toBe(done);
  });

  it('does not start a second re-check while one runs', () => {
    const state = run(loaded(rows), cmd('recheck.visible'), cmd('recheck.selected'));
    expect(effects(state).filter((effect) => effect.kind === 'recheck')).toHaveLength(1);
    expect(state.message?.text).toContain('already running');
  });

  it('reloads the open detail when its tenant finishes', () => {
    const state = run(loaded(rows), cmd('open'), cmd('recheck.selected'));
    const id = state.detail!.tenantId;
    const progressed = run(state, { type: 'recheck/progress', runId: 1, results: [{ tenantId: id, row: null, failure: null, errorSteps: 0 }] });
    expect(lastEffect(progressed)).toEqual({ kind: 'loadDetail', tenantId: id });
  });
});

describe('instructions preview and export', () => {
  it('opens the preview from the detail, wraps it to the width, rewraps on resize, and writes it', () => {
    const row = makeRow({ n: 5 });
    const opened = run(loaded([row]), cmd('open'), cmd('instructions.open'));
    expect(lastEffect(opened)).toEqual({ kind: 'loadInstructions', tenantId: row.tenantId });
    expect(keyContext(opened)).toBe('instructions');
    expect(run(opened, cmd('instructions.write')).outbox.at(-1)?.effect).toEqual({ kind: 'loadInstructions', tenantId: row.tenantId });
    const text = `Dear customer,\n\n${'please do this next thing '.repeat(20)}`;
    const shown = run(opened, { type: 'instructions/loaded', tenantId: row.tenantId, text });
    const wide = shown.instructions!.rows.length;
    const narrow = run(shown, { type: 'resize', size: { columns: 60, rows: 40 } }).instructions!.rows;
    expect(narrow.length).toBeGreaterThan(wide);
    for (const line of narrow) expect(line.length).toBeLessThanOrEqual(59);
    expect(lastEffect(run(shown, cmd('instructions.write')))).toEqual({ kind: 'writeInstructions', tenantId: row.tenantId });
    const back = run(shown, cmd('back'));
    expect(keyContext(back)).toBe('detail');
    expect(back.instructions).toBeNull();
  });

  it('exports from the roster', () => {
    const state = run(loaded(), cmd('export'));
    expect(lastEffect(state)).toEqual({ kind: 'exportRoster' });
    expect(state.message?.text).toBe('Exporting every tenant…');
  });
});

describe('quitting', () => {
  it('quits with 0 on q and 130 on Ctrl+C', () => {
    expect(run(loaded(), cmd('quit')).exit).toEqual({ code: 0 });
    expect(run(loaded(), cmd('interrupt')).exit).toEqual({ code: 130 });
  });

  it('asks first while a re-check runs', () => {
    const running = run(loaded(), cmd('recheck.visible'));
    const asking = run(running, cmd('quit'));
    expect(asking.exit).toBeNull();
    expect(keyContext(asking)).toBe('confirm');
    expect(run(asking, cmd('confirm.no')).confirm).toBeNull();
    const yes = run(asking, cmd('confirm.yes'));
    expect(yes.exit).toEqual({ code: 0 });
    expect(lastEffect(yes)).toMatchObject({ kind: 'cancelRecheck' });
    const interrupted = run(running, cmd('interrupt'));
    expect(interrupted.exit).toBeNull();
    expect(run(interrupted, cmd('interrupt')).exit).toEqual({ code: 130 });
  });
});

describe('add and edit tenant', () => {
  it('validates with the roster rules and saves the fields the CLI would', () => {
    const form = run(loaded(), cmd('tenant.add'));
    expect(keyContext(form)).toBe('form.text');
    const bad = fill(fill(form, 'tenant_id', 'not-a-guid'), 'domain', 'https://x.com');
    const onSave = toSave(bad);
    expect(keyContext(onSave)).toBe('form.submit');
    const rejected = run(onSave, cmd('form.submit'));
    expect(rejected.form?.focus).toBe(0);
    expect(rejected.form?.errors.tenant_id?.[0]).toContain('not a GUID');
    expect(rejected.form?.errors.name?.[0]).toContain('required');
    expect(rejected.form?.errors.domain?.[0]).toContain('URL');

    let typed = fill(rejected, 'tenant_id', '6babcaad-604b-40ac-a9d7-9fd97c0b779f');
    typed = fill(typed, 'name', 'Con\u0007toso');
    typed = fill(typed, 'domain', 'contoso.com');
    typed = fill(typed, 'subscriptions', '20ff7fc3-e762-44dd-bd96-b71116dcdc23');
    const good = run(
      typed,
      { type: 'form/toggle', name: 'integrations', value: 'mde' },
      { type: 'form/toggle', name: 'integrations', value: 'azure' },
      { type: 'form/choose', name: 'option.mde', value: 'custom' },
    );
    expect(good.form?.errors).toEqual({});
    const sent = run(toSave(good), cmd('form.submit'));
    const effect = lastEffect(sent);
    expect(effect).toMatchObject({ kind: 'saveTenant', mode: 'add', tenantId: null });
    expect(effect?.kind === 'saveTenant' && effect.fields).toMatchObject({
      tenant_id: '6babcaad-604b-40ac-a9d7-9fd97c0b779f',
      name: 'Contoso',
      integrations: ['mde', 'azure'],
      options: ['mde=custom', 'mde-console=basic', 'azure=enterprise'],
      subscriptions: ['20ff7fc3-e762-44dd-bd96-b71116dcdc23'],
    });
    const refused = run(sent, { type: 'form/rejected', errors: { tenant_id: ['already in the roster'] } });
    expect(refused.form?.saving).toBe(false);
    expect(refused.form?.errors.tenant_id).toEqual(['already in the roster']);
    const saved = run(sent, { type: 'form/saved', message: 'Added Contoso.', row: makeRow({ n: 99, name: 'Contoso' }) });
    expect(keyContext(saved)).toBe('roster');
    expect(saved.roster.byId.has(tenantId(99))).toBe(true);
  });

  it('asks the source for the stored fields when editing', () => {
    const state = run(loaded(), cmd('tenant.edit'));
    expect(lastEffect(state)).toEqual({ kind: 'openTenantEdit', tenantId: selectedRow(state)!.tenantId });
  });

  it('cancels with Esc without saving', () => {
    const state = run(loaded(), cmd('tenant.add'), cmd('form.cancel'));
    expect(keyContext(state)).toBe('roster');
    expect(state.form).toBeNull();
  });
});

describe('sign-in prompts', () => {
  it('shows a cleaned device-code prompt, shrinking the list while it is up', () => {
    const rows = makeRows(100);
    const bottom = run(loaded(rows), cmd('page.down'));
    const prompted = run(bottom, {
      type: 'signin/prompt',
      prompt: {
        tenantId: tenantId(1),
        userCode: 'ABCD-EFGH\u001b[2J',
        verificationUri: 'https://microsoft.com/devicelogin',
        message: 'To sign in, use a web browser',
        expiresOn: null,
      },
    });
    expect(prompted.prompts[0]?.userCode).toBe('ABCD-EFGH');
    expect(rosterWindow(prompted).items).toHaveLength(rosterListHeight(SIZE, true));
    expect(rosterWindow(prompted).selected).toBeGreaterThanOrEqual(0);
    expect(run(prompted, { type: 'signin/resolved', tenantId: tenantId(1) }).prompts).toEqual([]);
  });
});

describe('opening a form on stored values', () => {
  it('shows text values without terminal escapes, even when stored around the validation', () => {
    const hostile = 'Evil\u001b]0;pwned\u0007 \u001b[31mCorp\u202e';
    const form = tenantForm({ name: hostile, notes: 'ok' }, tenantId(1));
    const state = reducer(loaded(), { type: 'form/open', form });
    const texts = state.form!.fields.filter((field) => field.kind === 'text').map((field) => field.value as string);
    expect(texts).toContain('Evil Corp');
    expect(texts).toContain('ok');
    expect(JSON.stringify(texts)).not.toMatch(/\\u001b|\\u0007|\\u202e/);
  });

  it('keeps pasted control characters out of the filter', () => {
    let state = run(loaded(), cmd('filter.start'));
    state = reducer(state, { type: 'filter/text', text: 'ab\u202ec\u001b[2J' });
    expect(state.roster.filter).toBe('abc');
  });
});
