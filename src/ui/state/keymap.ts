// The one key-binding table. It drives input dispatch, the `?` help screen and the footer
// hints, so what the screen says a key does is what it does (Gemini CLI's keyBindings idea).

/** Where keyboard focus is; each context has its own bindings. */
export type KeyContext =
  | 'roster'
  | 'filter'
  | 'detail'
  | 'history'
  | 'help'
  | 'instructions'
  | 'form.text'
  | 'form.choice'
  | 'form.submit'
  | 'confirm';

export type Command =
  | 'cursor.up'
  | 'cursor.down'
  | 'cursor.top'
  | 'cursor.bottom'
  | 'page.up'
  | 'page.down'
  | 'open'
  | 'back'
  | 'filter.start'
  | 'filter.accept'
  | 'text.deleteChar'
  | 'text.clear'
  | 'filter.needsAction'
  | 'sort.cycle'
  | 'sort.reverse'
  | 'help'
  | 'recheck.selected'
  | 'recheck.visible'
  | 'recheck.cancel'
  | 'history'
  | 'tenant.add'
  | 'tenant.edit'
  | 'attest'
  | 'instructions.open'
  | 'instructions.write'
  | 'export'
  | 'form.next'
  | 'form.previous'
  | 'form.submit'
  | 'form.cancel'
  | 'confirm.yes'
  | 'confirm.no'
  | 'quit'
  | 'interrupt';

export type SpecialKey =
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'home'
  | 'end'
  | 'return'
  | 'escape'
  | 'tab'
  | 'shiftTab'
  | 'backspace';

export type KeySpec = { input: string; ctrl?: true } | { special: SpecialKey };

export interface Binding {
  command: Command;
  keys: readonly KeySpec[];
  /** How the keys are written in help and hints: "j ↓". */
  label: string;
  /** What the key does, for the help screen. */
  description: string;
  contexts: readonly KeyContext[];
  /** A short word for the footer; bindings without one appear only in help. */
  hint?: string;
}

/** The subset of Ink's `Key` that dispatch reads (kept structural so this file has no Ink import). */
export interface KeyPress {
  upArrow: boolean;
  downArrow: boolean;
  pageUp: boolean;
  pageDown: boolean;
  home: boolean;
  end: boolean;
  return: boolean;
  escape: boolean;
  ctrl: boolean;
  shift: boolean;
  tab: boolean;
  backspace: boolean;
  delete: boolean;
  meta: boolean;
}

const LISTS: readonly KeyContext[] = ['roster', 'detail', 'history'];
const BROWSING: readonly KeyContext[] = ['roster', 'detail', 'history', 'help', 'instructions'];
const SCROLLING = BROWSING;
const FORM: readonly KeyContext[] = ['form.text', 'form.choice', 'form.submit'];
const key = (special: SpecialKey): KeySpec => ({ special });
const char = (input: string): KeySpec => ({ input });

export const KEY_BINDINGS: readonly Binding[] = [
  { command: 'cursor.down', keys: [char('j'), key('down')], label: 'j ↓', description: 'move down', contexts: SCROLLING, hint: 'move' },
  { command: 'cursor.up', keys: [char('k'), key('up')], label: 'k ↑', description: 'move up', contexts: SCROLLING },
  { command: 'cursor.down', keys: [key('down')], label: '↓', description: 'move down while filtering', contexts: ['filter'] },
  { command: 'cursor.up', keys: [key('up')], label: '↑', description: 'move up while filtering', contexts: ['filter'] },
  { command: 'cursor.top', keys: [char('g'), key('home')], label: 'g Home', description: 'first row', contexts: SCROLLING },
  { command: 'cursor.bottom', keys: [char('G'), key('end')], label: 'G End', description: 'last row', contexts: SCROLLING },
  { command: 'page.down', keys: [key('pageDown')], label: 'PgDn', description: 'next page', contexts: [...SCROLLING, 'filter'] },
  { command: 'page.up', keys: [key('pageUp')], label: 'PgUp', description: 'previous page', contexts: [...SCROLLING, 'filter'] },
  { command: 'open', keys: [key('return')], label: 'Enter', description: "open the tenant's steps", contexts: ['roster'], hint: 'open' },
  { command: 'back', keys: [key('escape')], label: 'Esc', description: 'clear the filter, else cancel a running re-check', contexts: ['roster'] },
  { command: 'back', keys: [key('escape')], label: 'Esc', description: 'back to the previous screen', contexts: ['detail', 'history', 'help', 'instructions'], hint: 'back' },
  { command: 'filter.start', keys: [char('/')], label: '/', description: 'filter by name, domain, tenant ID, engineer or EM', contexts: ['roster'], hint: 'filter' },
  { command: 'filter.accept', keys: [key('return')], label: 'Enter', description: 'keep the filter and return to the list', contexts: ['filter'], hint: 'keep' },
  { command: 'back', keys: [key('escape')], label: 'Esc', description: 'clear the filter', contexts: ['filter'], hint: 'clear' },
  { command: 'text.deleteChar', keys: [key('backspace')], label: 'Backspace', description: 'delete the last character', contexts: ['filter', 'form.text'] },
  { command: 'text.clear', keys: [{ input: 'u', ctrl: true }], label: 'Ctrl+U', description: 'clear the text', contexts: ['filter', 'form.text'] },
  { command: 'filter.needsAction', keys: [char('f')], label: 'f', description: 'show only tenants that need action', contexts: ['roster'], hint: 'needs action' },
  { command: 'sort.cycle', keys: [char('s')], label: 's', description: 'sort: needs action first, oldest stage, name', contexts: ['roster'], hint: 'sort' },
  { command: 'sort.reverse', keys: [char('S')], label: 'S', description: 'reverse the sort', contexts: ['roster'] },
  { command: 'recheck.selected', keys: [char('r')], label: 'r', description: 're-check the selected tenant', contexts: ['roster', 'detail'], hint: 're-check' },
  { command: 'recheck.visible', keys: [char('R')], label: 'R', description: 're-check every tenant in the list (after filters)', contexts: ['roster'], hint: 'all' },
  { command: 'recheck.cancel', keys: [char('c')], label: 'c', description: 'cancel the running re-check', contexts: LISTS },
  { command: 'history', keys: [char('h')], label: 'h', description: "the selected step's history", contexts: ['detail'], hint: 'history' },
  { command: 'attest', keys: [char('t')], label: 't', description: "record the customer's confirmation for the selected step", contexts: ['detail'], hint: 'attest' },
  { command: 'instructions.open', keys: [char('i')], label: 'i', description: 'customer instructions for the steps left (preview)', contexts: ['roster', 'detail'], hint: 'instructions' },
  { command: 'instructions.write', keys: [char('w')], label: 'w', description: 'write the instructions as a Markdown file and show its path', contexts: ['instructions'], hint: 'write file' },
  { command: 'export', keys: [char('e')], label: 'e', description: 'export every tenant to CSV in the export folder and show its path', contexts: ['roster'], hint: 'export' },
  { command: 'tenant.add', keys: [char('a')], label: 'a', description: 'add a tenant', contexts: ['roster'] },
  { command: 'tenant.edit', keys: [char('E')], label: 'E', description: 'edit the tenant', contexts: ['roster', 'detail'] },
  { command: 'help', keys: [char('?')], label: '?', description: 'this help', contexts: BROWSING, hint: 'help' },
  { command: 'form.next', keys: [key('tab'), key('down')], label: 'Tab ↓', description: 'next field', contexts: ['form.text', 'form.submit'], hint: 'next' },
  { command: 'form.previous', keys: [key('shiftTab'), key('up')], label: 'Shift+Tab ↑', description: 'previous field', contexts: ['form.text', 'form.submit'] },
  { command: 'form.next', keys: [key('return')], label: 'Enter', description: 'next field (in a text field)', contexts: ['form.text'] },
  { command: 'form.next', keys: [key('tab')], label: 'Tab', description: 'next field (in a choice field ↑ ↓ move and Enter picks)', contexts: ['form.choice'], hint: 'next' },
  { command: 'form.previous', keys: [key('shiftTab')], label: 'Shift+Tab', description: 'previous field', contexts: ['form.choice'] },
  { command: 'form.submit', keys: [key('return')], label: 'Enter', description: 'save (on the Save button)', contexts: ['form.submit'], hint: 'save' },
  { command: 'form.cancel', keys: [key('escape')], label: 'Esc', description: 'cancel without saving', contexts: FORM, hint: 'cancel' },
  { command: 'confirm.yes', keys: [char('y')], label: 'y', description: 'yes', contexts: ['confirm'], hint: 'yes' },
  { command: 'confirm.no', keys: [char('n'), key('escape')], label: 'n Esc', description: 'no', contexts: ['confirm'], hint: 'no' },
  { command: 'quit', keys: [char('q')], label: 'q', description: 'quit (asks first while a re-check runs)', contexts: BROWSING, hint: 'quit' },
  {
    command: 'interrupt',
    keys: [{ input: 'c', ctrl: true }],
    label: 'Ctrl+C',
    description: 'quit from anywhere (asks first while a re-check runs; twice forces)',
    contexts: [...BROWSING, 'filter', ...FORM, 'confirm'],
  },
];

function specialOf(input: string, key: KeyPress): SpecialKey | null {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.pageUp) return 'pageUp';
  if (key.pageDown) return 'pageDown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'return';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shiftTab' : 'tab';
  // Ink 6 reports the physical Backspace (0x7f) as `delete` (ink-notes §3.3).
  if (key.backspace || key.delete) return 'backspace';
  void input;
  return null;
}

function matches(spec: KeySpec, input: string, key: KeyPress, special: SpecialKey | null): boolean {
  if ('special' in spec) return special === spec.special;
  if (special !== null) return false;
  return spec.input === input && Boolean(spec.ctrl) === key.ctrl;
}

const byContext = new Map<KeyContext, Binding[]>();
for (const binding of KEY_BINDINGS) {
  for (const context of binding.contexts) {
    const list = byContext.get(context) ?? [];
    list.push(binding);
    byContext.set(context, list);
  }
}

export function bindingsFor(context: KeyContext): readonly Binding[] {
  return byContext.get(context) ?? [];
}

/** Where printable keys are typed text rather than commands. */
const TEXT_CONTEXTS: ReadonlySet<KeyContext> = new Set<KeyContext>(['filter', 'form.text']);

/** A key press with no special key or modifier (the base of every synthesised one). */
export const NO_KEY: Readonly<KeyPress> = {
  upArrow: false,
  downArrow: false,
  pageUp: false,
  pageDown: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
};

/** Control characters a terminal sends for keys, as Ink would have reported them one at a time. */
const CONTROL_KEYS: Readonly<Record<string, [string, Partial<KeyPress>]>> = {
  '\r': ['', { return: true }],
  '\t': ['', { tab: true }],
  '\u007f': ['', { delete: true }],
  '\b': ['', { backspace: true }],
  '\u0003': ['c', { ctrl: true }],
  '\u0015': ['u', { ctrl: true }],
};

/**
 * Ink hands over plain characters that arrive in one read as one input ("j\r" when keys come fast
 * or over a slow link, or a paste). Split them into the key presses they were, so no command is
 * lost; typed text still arrives in order, character by character.
 */
export function splitKeys(input: string, key: KeyPress): Array<{ input: string; key: KeyPress }> {
  const plain = !Object.entries(key).some(([name, on]) => on && name !== 'shift');
  const chars = Array.from(input);
  if (!plain || chars.length <= 1) return [{ input, key }];
  return chars.map((char) => {
    const control = CONTROL_KEYS[char];
    if (control !== undefined) return { input: control[0], key: { ...NO_KEY, ...control[1] } };
    return { input: char, key: { ...NO_KEY, shift: /^[A-Z]$/.test(char) } };
  });
}

export type KeyIntent = { kind: 'command'; command: Command } | { kind: 'text'; text: string };

/**
 * What a key press means in a context: a command from the table, typed text (filter and form
 * text fields), or
 * nothing. Pure, so the table itself is what the tests exercise.
 */
export function interpretKey(context: KeyContext, input: string, key: KeyPress): KeyIntent | null {
  const special = specialOf(input, key);
  for (const binding of bindingsFor(context)) {
    if (binding.keys.some((spec) => matches(spec, input, key, special))) {
      return { kind: 'command', command: binding.command };
    }
  }
  if (TEXT_CONTEXTS.has(context) && special === null && !key.ctrl && !key.meta && input !== '') {
    return { kind: 'text', text: input };
  }
  return null;
}

/** "j ↓ move · Enter open · …" for the footer of a context. */
export function footerHints(context: KeyContext): string {
  return bindingsFor(context)
    .filter((binding) => binding.hint !== undefined)
    .map((binding) => `${binding.label.split(' ')[0]} ${binding.hint}`)
    .join(' · ');
}

export interface HelpSection {
  title: string;
  entries: Array<{ keys: string; description: string }>;
}

const HELP_SECTIONS: ReadonlyArray<{ title: string; context: KeyContext }> = [
  { title: 'Roster', context: 'roster' },
  { title: 'Filter (after /)', context: 'filter' },
  { title: 'Tenant detail', context: 'detail' },
  { title: 'Step history', context: 'history' },
  { title: 'Instructions preview', context: 'instructions' },
  { title: 'Forms', context: 'form.text' },
];

/** The help screen's content, generated from the table. */
export function helpSections(): HelpSection[] {
  return HELP_SECTIONS.map(({ title, context }) => {
    const seen = new Set<string>();
    const entries: HelpSection['entries'] = [];
    const bindings = context === 'form.text' ? [...bindingsFor('form.text'), ...bindingsFor('form.choice'), ...bindingsFor('form.submit')] : bindingsFor(context);
    for (const binding of bindings) {
      const id = `${binding.label}|${binding.command}`;
      if (seen.has(id)) continue;
      seen.add(id);
      entries.push({ keys: binding.label, description: binding.description });
    }
    return { title, entries };
  });
}

export type HelpLine = { kind: 'title'; text: string } | { kind: 'entry'; keys: string; description: string } | { kind: 'blank' };

/** The help screen as lines, so it scrolls like any other list. */
export function helpLines(): HelpLine[] {
  const lines: HelpLine[] = [];
  for (const section of helpSections()) {
    if (lines.length > 0) lines.push({ kind: 'blank' });
    lines.push({ kind: 'title', text: section.title });
    for (const entry of section.entries) lines.push({ kind: 'entry', ...entry });
  }
  return lines;
}

/** The keys as Markdown tables, one per section: docs/dashboard.md carries this (a test keeps them equal). */
export function helpMarkdown(): string {
  const escape = (text: string): string => text.replace(/\|/g, '\\|');
  return helpSections()
    .map((section) => {
      const rows = section.entries.map((entry) => `| ${escape(entry.keys.split(' ').map((key) => `\`${key}\``).join(' '))} | ${escape(entry.description)} |`);
      return [`### ${section.title}`, '', '| keys | what it does |', '|---|---|', ...rows].join('\n');
    })
    .join('\n\n');
}
