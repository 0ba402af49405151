import { afterEach, describe, expect, it } from 'vitest';
import React from 'react';
import { App } from '../../src/app.js';
import { renderInk, KEYS, waitFor, type Rendered } from '../support/ink.js';
import { FakeSource } from './fake-source.js';
import { cell, makeDetail, makeRow, makeRows, makeStep, tenantId } from './fixtures.js';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');
const clock = (): number => NOW;
const ESC = '\u001b';

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

function start(source: FakeSource, size = { columns: 120, rows: 40 }, props: Partial<React.ComponentProps<typeof App>> = {}): Rendered {
  rendered = renderInk(<App source={source} clock={clock} batchMs={0} {...props} />, size);
  return rendered;
}

const lines = (frame: string): string[] => frame.replace(/\n$/, '').split('\n');
const selectedLine = (frame: string): string => lines(frame).find((line) => line.startsWith('›')) ?? '';

function expectFits(frame: string, size: { columns: number; rows: number }): void {
  const all = lines(frame);
  expect(all.length).toBeLessThanOrEqual(size.rows - 1);
  for (const line of all) expect([...line].length).toBeLessThanOrEqual(size.columns);
}

const rosterRows = [
  makeRow({ n: 1, name: 'Contoso', domain: 'contoso.com', integrations: [cell('access', 'complete', 7, 7), cell('mde', 'complete', 5, 5)], next: null, daysInStage: 3 }),
  makeRow({ n: 2, name: 'Fabrikam', domain: 'fabrikam.io', engagementManager: 'Sue EM', integrations: [cell('access', 'complete', 7, 7), cell('mde', 'action_needed', 3, 5)], daysInStage: 6 }),
  makeRow({ n: 3, name: 'Northwind', domain: 'northwind.test', integrations: [cell('access', 'in_progress', 4, 5)], daysInStage: 1, stale: true, lastCheckedAt: '2026-11-19T10:00:00.000Z' }),
];

describe('roster screen', () => {
  it('draws the header with totals, one row per tenant with glyph and progress, and the key hints', async () => {
    const r = start(new FakeSource(rosterRows));
    const frame = await r.waitForText('Fabrikam');
    expect(frame).toContain('3 tenants');
    expect(frame).toMatch(/✖ 1 action needed/);
    expect(frame).toMatch(/✔ 1 complete/);
    expect(frame).toContain('last full re-check never');
    expect(frame).toMatch(/Tenant\s+Access\s+MDE\s+Next step\s+Whose move\s+Stage\s+Checked\s+EM/);
    expect(selectedLine(frame)).toMatch(/› Fabrikam\s+✔ 7\/7\s+✖ 3\/5\s+… Expel is polling\s+Microsoft\s+6 d\s+1 h ago\s+Sue EM/);
    expect(frame).toMatch(/Northwind\s+… 4\/5\s+·\s/);
    expect(frame).toContain('stale 3 d');
    expect(frame).toMatch(/Contoso\s+✔ 7\/7\s+✔ 5\/5\s+✔ all done/);
    expect(lines(frame).at(-1)).toContain('/ filter');
    expect(frame).not.toContain(ESC);
    expectFits(frame, { columns: 120, rows: 40 });
  });

  it('moves the selection with j/k and arrows and renders only the window of 5,000 tenants', async () => {
    const r = start(new FakeSource(makeRows(5000)));
    let frame = await r.waitForText('Tenant 0001');
    expect(frame).not.toContain('Tenant 0100');
    expectFits(frame, { columns: 120, rows: 40 });
    await r.press('j', KEYS.down);
    await waitFor(() => selectedLine(r.lastFrame()).includes('Tenant 0003'), 'third row selected');
    await r.press('k');
    await waitFor(() => selectedLine(r.lastFrame()).includes('Tenant 0002'), 'second row selected');
    await r.press('G');
    frame = await r.waitForText('Tenant 5000');
    expect(selectedLine(frame)).toContain('Tenant 5000');
    expect(frame).not.toContain('Tenant 0001');
    expectFits(frame, { columns: 120, rows: 40 });
    await r.press('g', KEYS.pageDown);
    await waitFor(() => selectedLine(r.lastFrame()).includes('Tenant 0035'), 'a page down');
  });

  it('filters incrementally with / and clears with Esc', async () => {
    const r = start(new FakeSource(rosterRows));
    await r.waitForText('Northwind');
    await r.press('/');
    await r.type('fab');
    let frame = await r.waitForText('1 of 3 shown');
    expect(frame).toContain('/fab');
    expect(frame).not.toContain('Northwind');
    expect(lines(frame).at(-1)).toContain('Esc clear');
    await r.press(KEYS.escape);
    frame = await r.waitForText('3 of 3 shown');
    expect(frame).toContain('Northwind');
  });

  it('toggles needs-action-only with f and cycles the sort with s', async () => {
    const r = start(new FakeSource(rosterRows));
    await r.waitForText('Northwind');
    await r.press('f');
    let frame = await r.waitForText('needs action only');
    expect(frame).not.toContain('Contoso');
    await r.press('f', 's');
    frame = await r.waitForText('sort: oldest stage first');
    await r.press('s');
    frame = await r.waitForText('sort: name');
    const order = lines(frame).filter((line) => /Contoso|Fabrikam|Northwind/.test(line)).map((line) => line.match(/Contoso|Fabrikam|Northwind/)![0]);
    expect(order).toEqual(['Contoso', 'Fabrikam', 'Northwind']);
    await r.press('S');
    frame = await r.waitForText('(reversed)');
  });

  it('fills in days in stage after the first frame', async () => {
    const source = new FakeSource([makeRow({ n: 1, name: 'Contoso', daysInStage: null })]);
    source.laterRows = [makeRow({ n: 1, name: 'Contoso', daysInStage: 12 })];
    const r = start(source);
    await r.waitForText(/Contoso.*12 d/);
  });

  it('renders a hostile display name without any escape sequence', async () => {
    const hostile = makeRow({ n: 9, name: '\u001b[2J\u001b[HEvil\u001b[31m Corp\u001b]0;owned\u0007\u009b1A', engagementManager: '\u001b[5mBlink' });
    const r = start(new FakeSource([hostile]));
    const frame = await r.waitForText('Evil Corp');
    expect(frame).not.toContain(ESC);
    expect(frame).not.toContain('\u009b');
    expect(frame).not.toContain('\u0007');
    expect(frame).toContain('Blink');
  });

  it('keeps a blank column between a cut next step and whose move, at 120×40 and 80×24', async () => {
    const long = makeRows(60, (n) => ({
      name: `Contoso Pharmaceuticals International Holdings ${n}`,
      integrations: [cell('access', 'complete', 7, 7), cell('mde', 'in_progress', 3, 5), cell('mdi', 'action_needed', 2, 6), cell('m365', 'attention', 3, 4), cell('azure', 'not_started', 0, 8)],
      next: { stepId: 'mde.consent', title: 'Grant admin consent to the sign-in application registration', status: 'fail', owner: 'expel', reason: 'x' },
    }));
    for (const size of [{ columns: 120, rows: 40 }, { columns: 80, rows: 24 }]) {
      const r = start(new FakeSource(long), size);
      const frame = await r.waitForText('› Contos');
      expectFits(frame, size);
      const row = selectedLine(frame);
      expect(row).toMatch(/…\s+Expel\s/);
      expect(row).not.toMatch(/…Expel/);
      // Each value is followed by a space: the name, every integration cell, the next step.
      expect(row).toMatch(/^› Contos\S*( \S+)*… ✔ 7\/7\s+… 3\/5 ✖ 2\/6 \? 3\/4 ○ new\s+✖ [^…]+… Expel\s+\d+ d/);
      r.unmount();
      rendered = null;
    }
  });

  it('fits a resized terminal', async () => {
    const r = start(new FakeSource(makeRows(200)));
    await r.waitForText('Tenant 0001');
    r.stdout.resize(80, 15);
    await waitFor(() => lines(r.lastFrame()).length <= 14 && !r.lastFrame().includes('Tenant 0020'), 'a shorter frame');
    expectFits(r.lastFrame(), { columns: 80, rows: 15 });
    r.stdout.resize(100, 8);
    const frame = await r.waitForText('Terminal too small');
    expectFits(frame, { columns: 100, rows: 8 });
    r.stdout.resize(79, 30);
    const narrow = await r.waitForText('needs 80×10');
    expectFits(narrow, { columns: 79, rows: 30 });
  });
});

const HOUR = 3_600_000;
const fabrikam = rosterRows[1]!;
const fabrikamDetail = makeDetail(fabrikam, {
  access: [
    makeStep({ id: 'access.tenant', title: 'Tenant exists', summary: 'Found in the public cloud' }),
    makeStep({
      id: 'access.guest-redeemed',
      title: 'Guest accepted the invitation',
      summary: 'Guest accepted on 2026-11-02',
      latestError: { reason: 'throttled', summary: 'HTTP 429 after 4 retries', observedAt: '2026-11-22T09:55:00.000Z' },
    }),
  ],
  mde: [
    makeStep({ id: 'mde.console-roles', title: 'Console roles', status: 'unverifiable', summary: 'Tenant uses MDE RBAC roles', owner: 'customer', attestable: true, evidence: [] }),
    makeStep({
      id: 'mde.alerts',
      title: 'Alerts are flowing',
      status: 'waiting',
      summary: 'No alert yet',
      owner: 'microsoft',
      expectedBy: new Date(NOW + 14 * HOUR).toISOString(),
      evidence: [['serviceSource', 'microsoftDefenderForEndpoint']],
    }),
    makeStep({
      id: 'mde.polling',
      title: 'Expel is polling',
      status: 'overdue',
      summary: 'No sign-in since T0',
      owner: 'expel',
      expectedBy: new Date(NOW - 2 * HOUR).toISOString(),
    }),
  ],
});

function detailSource(): FakeSource {
  const histories = new Map([
    [
      `${fabrikam.tenantId}/access.guest-redeemed`,
      [
        { observedAt: '2026-11-22T09:55:00.000Z', status: 'error' as const, summary: 'HTTP 429 after 4 retries', reason: 'throttled' as const },
        { observedAt: '2026-11-21T09:00:00.000Z', status: 'pass' as const, summary: 'Guest accepted on 2026-11-02', reason: null },
        { observedAt: '2026-11-01T09:00:00.000Z', status: 'fail' as const, summary: 'Invitation pending', reason: null },
      ],
    ],
  ]);
  return new FakeSource(rosterRows, new Map([[fabrikam.tenantId, fabrikamDetail]]), histories);
}

describe('tenant detail', () => {
  it('opens with Enter: steps in guide order with status words, window clocks, and the stale-with-error view', async () => {
    const r = start(detailSource());
    await r.waitForText('Fabrikam');
    await r.press(KEYS.enter);
    const frame = await r.waitForText('Guest accepted the invitation');
    expect(frame).toMatch(/^Fabrikam · fabrikam\.io · 00000000-0000-4000-8000-000000000002/);
    const stepLines = lines(frame).filter((line) => /Tenant exists|Guest accepted|Console roles|Alerts are flowing|Expel is polling/.test(line));
    expect(stepLines.map((line) => line.match(/Tenant exists|Guest accepted|Console roles|Alerts are flowing|Expel is polling/)![0])).toEqual([
      'Tenant exists',
      'Guest accepted',
      'Console roles',
      'Alerts are flowing',
      'Expel is polling',
    ]);
    expect(frame).toMatch(/Access\s+✔ complete 2\/2/);
    expect(frame).toMatch(/MDE\s+✖ action needed 1\/3 · custom app/);
    expect(frame).toMatch(/Guest accepted the invitation\s+✔ pass \(stale\) ⚠/);
    expect(frame).toMatch(/Console roles\s+\? unverifiable/);
    expect(frame).toContain('alerts due in 14 h');
    expect(frame).toContain('polling overdue by 2 h');
    // The pane shows the selected (first) step.
    expect(frame).toMatch(/Status\s+✔ pass · observed 2026-11-22 09:00 UTC \(1 h ago\)/);
    expect(frame).toMatch(/Evidence\s+issuer: https:\/\/login/);
    expectFits(frame, { columns: 120, rows: 40 });

    await r.press('j');
    const stale = await r.waitForText('Latest check');
    expect(stale).toMatch(/Latest check\s+⚠ could not check: Microsoft throttled the requests \(5 min ago\) — HTTP 429 after 4 retries/);
    expect(stale).toMatch(/Summary\s+Guest accepted on 2026-11-02/);

    await r.press('j', 'j');
    const waiting = await r.waitForText('Window');
    expect(waiting).toMatch(/Window\s+alerts due in 14 h \(by 2026-11-23 00:00 UTC\)/);
    expect(waiting).toMatch(/next move: Microsoft/);

    await r.press(KEYS.escape);
    await r.waitForText('Whose move');
  });

  it('keeps a blank column between a cut step title and its status, also at 80×24', async () => {
    const long = makeDetail(fabrikam, {
      access: [makeStep({ id: 'access.tenant', title: 'Defender for Identity app registration has the API permissions', summary: 'x'.repeat(200) })],
    });
    for (const size of [{ columns: 120, rows: 40 }, { columns: 80, rows: 24 }]) {
      const r = start(new FakeSource(rosterRows, new Map([[fabrikam.tenantId, long]])), size);
      await r.waitForText('Fabrikam');
      await r.press(KEYS.enter);
      const frame = await r.waitForText('› Defender for Ident');
      expectFits(frame, size);
      const step = lines(frame).find((line) => line.includes('Defender for Ident'))!;
      expect(step).toMatch(/^› Defender for Ident[^…]*… +✔ pass +x+… *$/);
      r.unmount();
      rendered = null;
    }
  });

  it('shows a step history with h, newest first', async () => {
    const r = start(detailSource());
    await r.waitForText('Fabrikam');
    await r.press(KEYS.enter);
    await r.waitForText('Guest accepted the invitation');
    await r.press('j', 'h');
    const frame = await r.waitForText('Invitation pending');
    expect(frame).toMatch(/^History · Fabrikam · Guest accepted the invitation \(access\.guest-redeemed\)/);
    const rows = lines(frame).filter((line) => /UTC/.test(line));
    expect(rows[0]).toMatch(/2026-11-22 09:55 UTC\s+⚠ could not check\s+Microsoft throttled the requests: HTTP 429/);
    expect(rows[1]).toMatch(/2026-11-21 09:00 UTC\s+✔ pass/);
    expect(rows[2]).toMatch(/2026-11-01 09:00 UTC\s+✖ fail\s+Invitation pending/);
    await r.press(KEYS.escape);
    await r.waitForText('Console roles');
  });

  it('records an attestation with t on a step that cannot be checked from outside', async () => {
    const source = detailSource();
    const r = start(source, undefined, { analyst: 'Alex' });
    await r.waitForText('Fabrikam');
    await r.press(KEYS.enter);
    await r.waitForText('Console roles');
    await r.press('t');
    await r.waitForText('cannot be checked from outside');
    await r.press('j', 'j', 't');
    let frame = await r.waitForText('Attest: Console roles');
    expect(frame).toMatch(/› Recorded by\s+Alex/);
    await r.press(KEYS.tab);
    await r.type('Customer confirmed RBAC roles for the guest');
    await r.press(KEYS.tab, KEYS.tab);
    frame = await r.waitForText('› [ Save ]');
    await r.press(KEYS.enter);
    await waitFor(() => source.attested.length === 1, 'the attestation to be sent');
    expect(source.attested[0]).toEqual({
      tenantId: fabrikam.tenantId,
      stepId: 'mde.console-roles',
      input: { attestedBy: 'Alex', note: 'Customer confirmed RBAC roles for the guest', expires: '' },
    });
    frame = await r.waitForText('Attestation recorded.');
    expect(frame).toContain('Console roles');
  });
});

describe('re-check', () => {
  it('shows progress without blocking navigation, updates rows as tenants finish, and cancels with c', async () => {
    const source = new FakeSource(rosterRows);
    const r = start(source);
    await r.waitForText('Northwind');
    await r.press('R');
    await waitFor(() => source.rechecks.length === 1, 'the re-check to start');
    const run = source.rechecks[0]!;
    expect(run.tenantIds).toHaveLength(3);
    let frame = await r.waitForText('Re-checking');
    expect(frame).toContain('0/3');
    run.complete({
      tenantId: tenantId(3),
      row: { ...rosterRows[2]!, integrations: [cell('access', 'complete', 5, 5)], stale: false, lastCheckedAt: new Date(NOW).toISOString(), next: null },
      failure: null,
      errorSteps: 0,
    });
    run.complete({ tenantId: tenantId(1), row: null, failure: 'sign-in failed: the Expel guest has not accepted the invitation', errorSteps: 0 });
    frame = await r.waitForText('2/3');
    expect(frame).toMatch(/Re-checking █+░+ 2\/3 · 1 error · ETA/);
    expect(frame).toContain('⚠ sign-in failed');
    expect(frame).toMatch(/Northwind\s+✔ 5\/5/);
    // Navigation still works while it runs.
    const before = selectedLine(r.lastFrame());
    await r.press('j');
    await waitFor(() => selectedLine(r.lastFrame()) !== before, 'the selection to move');
    await r.press('c');
    frame = await r.waitForText('Re-check cancelled after 2 of 3 tenants.');
    expect(run.options.signal.aborted).toBe(true);
  });

  it('re-checks the selected tenant with r and reports when it finishes', async () => {
    const source = new FakeSource(rosterRows);
    const r = start(source);
    await r.waitForText('Fabrikam');
    await r.press('r');
    await waitFor(() => source.rechecks.length === 1, 'the re-check to start');
    expect(source.rechecks[0]!.tenantIds).toEqual([fabrikam.tenantId]);
    source.rechecks[0]!.complete({ tenantId: fabrikam.tenantId, row: null, failure: null, errorSteps: 2 });
    source.rechecks[0]!.finish();
    await r.waitForText('Re-check finished: 1 tenant, 1 with errors.');
  });

  it('cancels a running re-check with Esc on the roster', async () => {
    const source = new FakeSource(rosterRows);
    const r = start(source);
    await r.waitForText('Fabrikam');
    await r.press('R');
    await r.waitForText('Re-checking');
    await r.press(KEYS.escape);
    await r.waitForText('Re-check cancelled');
    expect(source.rechecks[0]!.options.signal.aborted).toBe(true);
  });

  it('shows a re-check that could not run at all as a message, and keeps going', async () => {
    const source = new FakeSource(rosterRows);
    source.recheckError = new Error("auth 'client-secret' needs AZURE_CLIENT_ID in the environment");
    const r = start(source);
    await r.waitForText('Fabrikam');
    await r.press('R');
    const frame = await r.waitForText("✖ Re-check failed: auth 'client-secret' needs AZURE_CLIENT_ID in the environment");
    expect(frame).toContain('Whose move');
    await r.press('j');
    await waitFor(() => selectedLine(r.lastFrame()).includes('Northwind'), 'the list to still answer keys');
  });

  it('starts with a re-check of everything when asked (the demo)', async () => {
    const source = new FakeSource(rosterRows);
    start(source, undefined, { recheckOnStart: true });
    await waitFor(() => source.rechecks.length === 1, 'the first re-check');
    expect(source.rechecks[0]!.tenantIds).toHaveLength(3);
  });
});

describe('help, sign-in and quitting', () => {
  it('shows help generated from the key table and goes back with Esc', async () => {
    const r = start(new FakeSource(rosterRows));
    await r.waitForText('Fabrikam');
    await r.press('?');
    const frame = await r.waitForText('Keys');
    expect(frame).toMatch(/Roster/);
    expect(frame).toMatch(/R\s+re-check every tenant in the list/);
    expect(frame).toMatch(/Ctrl\+C\s+quit from anywhere/);
    expectFits(frame, { columns: 120, rows: 40 });
    await r.press('G');
    await r.waitForText('Forms');
    await r.press(KEYS.escape);
    await r.waitForText('Whose move');
  });

  it('shows a device-code prompt inside the UI with the code and the URL', async () => {
    const source = new FakeSource(rosterRows);
    const r = start(source);
    await r.waitForText('Fabrikam');
    source.emitSignIn({
      kind: 'prompt',
      prompt: {
        tenantId: fabrikam.tenantId,
        userCode: 'HX7-\u001b[31mK2P',
        verificationUri: 'https://microsoft.com/devicelogin',
        message: 'To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code HX7K2P.',
        expiresOn: null,
      },
    });
    const frame = await r.waitForText('enter the code HX7-K2P');
    expect(frame).toContain('Sign in for Fabrikam: open https://microsoft.com/devicelogin');
    expect(frame).not.toContain(ESC);
    expectFits(frame, { columns: 120, rows: 40 });
    source.emitSignIn({ kind: 'resolved', tenantId: fabrikam.tenantId });
    await waitFor(() => !r.lastFrame().includes('Sign in for'), 'the prompt to close');
  });

  it('quits with q (exit code 0) and Ctrl+C (130)', async () => {
    const q = start(new FakeSource(rosterRows));
    await q.waitForText('Fabrikam');
    const quit = q.instance.waitUntilExit();
    await q.press('q');
    await expect(quit).resolves.toBe(0);
    rendered = null;
    const c = start(new FakeSource(rosterRows));
    await c.waitForText('Fabrikam');
    const interrupted = c.instance.waitUntilExit();
    await c.press(KEYS.ctrlC);
    await expect(interrupted).resolves.toBe(130);
  });

  it('asks before quitting while a re-check runs, and aborts it on yes', async () => {
    const source = new FakeSource(rosterRows);
    const r = start(source);
    await r.waitForText('Fabrikam');
    await r.press('R');
    await r.waitForText('Re-checking');
    await r.press('q');
    await r.waitForText('A re-check is running. Stop it and quit? (y/n)');
    await r.press('n');
    await waitFor(() => !r.lastFrame().includes('Stop it and quit'), 'the question to close');
    const exited = r.instance.waitUntilExit();
    await r.press('q', 'y');
    await expect(exited).resolves.toBe(0);
    expect(source.rechecks[0]!.options.signal.aborted).toBe(true);
  });
});

describe('instructions and export', () => {
  it('previews the instructions with i, scrolls them, writes the file with w, and exports with e', async () => {
    const source = new FakeSource(rosterRows);
    const paragraphs = Array.from({ length: 60 }, (_, n) => `${n + 1}. Step number ${n + 1}: invite the Expel guest account and make sure it can sign in to your tenant`);
    source.instructionTexts.set(fabrikam.tenantId, `Hello Fabrikam,\n\n${paragraphs.join('\n')}\n\nThanks, Expel`);
    const r = start(source);
    await r.waitForText('Fabrikam');
    await r.press('i');
    let frame = await r.waitForText('Hello Fabrikam,');
    expect(frame).toMatch(/^Instructions · Fabrikam · rows 1–\d+ of \d+/);
    expect(frame).not.toContain('Thanks, Expel');
    expectFits(frame, { columns: 120, rows: 40 });
    await r.press('G');
    frame = await r.waitForText('Thanks, Expel');
    expect(frame).not.toContain('Hello Fabrikam,');
    await r.press('w');
    await r.waitForText(`Instructions written to /exports/instructions-${fabrikam.tenantId}.md`);
    expect(source.written).toEqual([fabrikam.tenantId]);
    await r.press(KEYS.escape);
    await r.waitForText('Whose move');
    await r.press('e');
    await r.waitForText('Exported 6 rows to /exports/expel-track-export.csv');
    expect(source.exports).toBe(1);
  });

  it('says so when the instructions cannot be built', async () => {
    const r = start(new FakeSource(rosterRows));
    await r.waitForText('Fabrikam');
    await r.press('i');
    await r.waitForText('✖ Could not build the instructions: no instructions for this tenant');
  });
});

describe('add and edit tenant', () => {
  it('adds a tenant with the CLI validation, choice fields picked with ink-select-input', async () => {
    const source = new FakeSource(rosterRows);
    const r = start(source);
    await r.waitForText('Fabrikam');
    await r.press('a');
    await r.waitForText('Add tenant');
    await r.type('not-a-guid');
    await r.press(KEYS.shiftTab, KEYS.enter);
    let frame = await r.waitForText('✖ \'not-a-guid\' is not a GUID');
    expect(frame).toMatch(/› Tenant ID ✖/);
    expect(frame).toMatch(/Name ✖/);
    expect(source.saved).toHaveLength(0);
    await r.press(...Array.from({ length: 10 }, () => KEYS.backspace));
    await r.type('6babcaad-604b-40ac-a9d7-9fd97c0b779f');
    await r.press(KEYS.tab);
    await r.type('Tailspin');
    await r.press(KEYS.tab, KEYS.tab, KEYS.tab, KEYS.tab);
    frame = await r.waitForText('[ ] MDE');
    await r.press(KEYS.enter);
    await r.waitForText('[x] MDE');
    await r.press(KEYS.tab);
    frame = await r.waitForText('custom app registration');
    await r.press(KEYS.down, KEYS.enter);
    // Picking a choice moves on to the next field.
    frame = await r.waitForText(/› MDE console roles/);
    expect(frame).toMatch(/MDE app\s+custom app registration/);
    await r.press(...Array.from({ length: 9 }, () => KEYS.tab));
    await r.waitForText('› [ Save ]');
    await r.press(KEYS.enter);
    await waitFor(() => source.saved.length === 1, 'the tenant to be saved');
    expect(source.saved[0]).toMatchObject({
      mode: 'add',
      tenantId: null,
      fields: { tenant_id: '6babcaad-604b-40ac-a9d7-9fd97c0b779f', name: 'Tailspin', integrations: ['mde'], options: ['mde=custom', 'mde-console=basic'] },
    });
    await r.waitForText('Saved Tailspin.');
  });

  it('scrolls the fields on a short terminal, keeping the focused one and its choices on screen', async () => {
    const size = { columns: 80, rows: 14 };
    const r = start(new FakeSource(rosterRows), size);
    await r.waitForText('Fabrikam');
    await r.press('a');
    await r.waitForText('Add tenant');
    const labels = ['Name', 'Domain', 'Expel org GUID', 'Guest email', 'Integrations', 'MDE app', 'MDE console roles', 'Azure app', 'Custom app names', 'Azure subscriptions', 'Device added', 'Engagement manager', 'Engineer', 'Started on', 'Notes'];
    for (const label of labels) {
      await r.press(KEYS.tab);
      const frame = await r.waitForText(`› ${label}`);
      expectFits(frame, size);
    }
    await r.press(KEYS.tab);
    expectFits(await r.waitForText('› [ Save ]'), size);
  });

  it('keeps the form open with the problems the store reports, and Esc cancels', async () => {
    const source = new FakeSource(rosterRows);
    source.saveAnswer = { ok: false, errors: { tenant_id: ['already in the roster as Fabrikam'] } };
    const r = start(source);
    await r.waitForText('Fabrikam');
    await r.press('E');
    let frame = await r.waitForText('Edit tenant');
    expect(frame).toMatch(/› Name\s+Fabrikam/);
    expect(frame).toMatch(/Tenant ID\s+00000000-0000-4000-8000-000000000002/);
    // The tenant ID cannot change, so Shift+Tab from the name goes round to Save.
    await r.press(KEYS.shiftTab, KEYS.enter);
    frame = await r.waitForText('already in the roster as Fabrikam');
    expect(source.saved[0]).toMatchObject({ mode: 'edit', tenantId: fabrikam.tenantId, fields: { integrations: ['mde'], options: ['mde=custom', 'mde-console=basic'] } });
    await r.press(KEYS.escape);
    await r.waitForText('Not saved.');
  });
});
