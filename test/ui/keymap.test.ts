import { describe, expect, it } from 'vitest';
import {
  KEY_BINDINGS,
  NO_KEY,
  bindingsFor,
  splitKeys,
  footerHints,
  helpLines,
  interpretKey,
  type KeyContext,
  type KeyPress,
  type KeySpec,
} from '../../src/ui/state/keymap.js';

const NONE = NO_KEY;

/** What Ink's useInput hands over for a key spec. */
function pressOf(spec: KeySpec): [string, KeyPress] {
  if ('input' in spec) return [spec.input, { ...NONE, ctrl: Boolean(spec.ctrl), shift: /^[A-Z]$/.test(spec.input) }];
  const special: Record<string, Partial<KeyPress>> = {
    up: { upArrow: true },
    down: { downArrow: true },
    pageUp: { pageUp: true },
    pageDown: { pageDown: true },
    home: { home: true },
    end: { end: true },
    return: { return: true },
    escape: { escape: true, meta: true },
    tab: { tab: true },
    shiftTab: { tab: true, shift: true },
    backspace: { delete: true },
  };
  return ['', { ...NONE, ...special[spec.special] }];
}

const CONTEXTS: KeyContext[] = ['roster', 'filter', 'detail', 'history', 'help', 'instructions', 'form.text', 'form.choice', 'form.submit', 'confirm'];

describe('the key-binding table', () => {
  it('dispatches every listed key to its own command (no binding shadows another in a context)', () => {
    for (const context of CONTEXTS) {
      for (const binding of bindingsFor(context)) {
        for (const spec of binding.keys) {
          const [input, key] = pressOf(spec);
          expect(interpretKey(context, input, key), `${context}: ${binding.label}`).toEqual({ kind: 'command', command: binding.command });
        }
      }
    }
  });

  it('has the keys the dashboard promises on the roster', () => {
    const roster = (input: string, key: Partial<KeyPress> = {}) => interpretKey('roster', input, { ...NONE, ...key });
    expect(roster('j')).toEqual({ kind: 'command', command: 'cursor.down' });
    expect(roster('', { downArrow: true })).toEqual({ kind: 'command', command: 'cursor.down' });
    expect(roster('k')).toEqual({ kind: 'command', command: 'cursor.up' });
    expect(roster('g')).toEqual({ kind: 'command', command: 'cursor.top' });
    expect(roster('G', { shift: true })).toEqual({ kind: 'command', command: 'cursor.bottom' });
    expect(roster('', { pageDown: true })).toEqual({ kind: 'command', command: 'page.down' });
    expect(roster('', { return: true })).toEqual({ kind: 'command', command: 'open' });
    expect(roster('/')).toEqual({ kind: 'command', command: 'filter.start' });
    expect(roster('r')).toEqual({ kind: 'command', command: 'recheck.selected' });
    expect(roster('R', { shift: true })).toEqual({ kind: 'command', command: 'recheck.visible' });
    expect(roster('s')).toEqual({ kind: 'command', command: 'sort.cycle' });
    expect(roster('S', { shift: true })).toEqual({ kind: 'command', command: 'sort.reverse' });
    expect(roster('f')).toEqual({ kind: 'command', command: 'filter.needsAction' });
    expect(roster('a')).toEqual({ kind: 'command', command: 'tenant.add' });
    expect(roster('E', { shift: true })).toEqual({ kind: 'command', command: 'tenant.edit' });
    expect(roster('?')).toEqual({ kind: 'command', command: 'help' });
    expect(roster('q')).toEqual({ kind: 'command', command: 'quit' });
    expect(roster('i')).toEqual({ kind: 'command', command: 'instructions.open' });
    expect(roster('e')).toEqual({ kind: 'command', command: 'export' });
    expect(interpretKey('instructions', 'w', NONE)).toEqual({ kind: 'command', command: 'instructions.write' });
  });

  it('tells c (cancel) from Ctrl+C (quit)', () => {
    expect(interpretKey('roster', 'c', NONE)).toEqual({ kind: 'command', command: 'recheck.cancel' });
    expect(interpretKey('roster', 'c', { ...NONE, ctrl: true })).toEqual({ kind: 'command', command: 'interrupt' });
    expect(interpretKey('form.text', 'c', { ...NONE, ctrl: true })).toEqual({ kind: 'command', command: 'interrupt' });
  });

  it('treats letters as text while filtering, and Backspace (reported as delete by Ink 6) as deletion', () => {
    expect(interpretKey('filter', 'j', NONE)).toEqual({ kind: 'text', text: 'j' });
    expect(interpretKey('filter', 'q', NONE)).toEqual({ kind: 'text', text: 'q' });
    expect(interpretKey('filter', '', { ...NONE, delete: true })).toEqual({ kind: 'command', command: 'text.deleteChar' });
    expect(interpretKey('filter', '', { ...NONE, escape: true, meta: true })).toEqual({ kind: 'command', command: 'back' });
    expect(interpretKey('filter', '', { ...NONE, downArrow: true })).toEqual({ kind: 'command', command: 'cursor.down' });
    expect(interpretKey('filter', 'x', { ...NONE, ctrl: true })).toBeNull();
  });

  it('types into form text fields and leaves choice fields to ink-select-input', () => {
    expect(interpretKey('form.text', 'q', NONE)).toEqual({ kind: 'text', text: 'q' });
    expect(interpretKey('form.text', 'pasted text', NONE)).toEqual({ kind: 'text', text: 'pasted text' });
    expect(interpretKey('form.text', 'u', { ...NONE, ctrl: true })).toEqual({ kind: 'command', command: 'text.clear' });
    expect(interpretKey('form.choice', 'j', NONE)).toBeNull();
    expect(interpretKey('form.choice', '', { ...NONE, return: true })).toBeNull();
    expect(interpretKey('form.submit', '', { ...NONE, return: true })).toEqual({ kind: 'command', command: 'form.submit' });
  });

  it('generates help from the table, so every described key is listed', () => {
    const lines = helpLines();
    const entries = lines.flatMap((line) => (line.kind === 'entry' ? [`${line.keys} ${line.description}`] : []));
    for (const binding of KEY_BINDINGS.filter((item) => item.contexts.some((context) => context !== 'confirm'))) {
      expect(entries).toContain(`${binding.label} ${binding.description}`);
    }
    expect(lines.filter((line) => line.kind === 'title').map((line) => (line.kind === 'title' ? line.text : ''))).toEqual([
      'Roster',
      'Filter (after /)',
      'Tenant detail',
      'Step history',
      'Instructions preview',
      'Forms',
    ]);
  });

  it('builds the footer from the same table', () => {
    expect(footerHints('roster')).toContain('/ filter');
    expect(footerHints('roster')).toContain('? help');
    expect(footerHints('detail')).toContain('h history');
    expect(footerHints('detail')).toContain('t attest');
    expect(footerHints('roster')).not.toContain('history');
  });

  it('splits plain characters that arrive in one read into the presses they were', () => {
    expect(splitKeys('j\r', NONE)).toEqual([
      { input: 'j', key: NONE },
      { input: '', key: { ...NONE, return: true } },
    ]);
    expect(splitKeys('G\u0003', NONE)).toEqual([
      { input: 'G', key: { ...NONE, shift: true } },
      { input: 'c', key: { ...NONE, ctrl: true } },
    ]);
    expect(splitKeys('j', NONE)).toEqual([{ input: 'j', key: NONE }]);
    const arrow = { ...NONE, downArrow: true };
    expect(splitKeys('', arrow)).toEqual([{ input: '', key: arrow }]);
  });
});
