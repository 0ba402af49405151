import { describe, expect, it } from 'vitest';
import { cleanText, stripControls } from '../../src/core/sanitize.js';

describe('stripControls', () => {
  it.each([
    ['colour change', 'Con\u001b[31mtoso\u001b[0m', 'Contoso'],
    ['cursor movement', 'A\u001b[2J\u001b[HB', 'AB'],
    ['window title (OSC with BEL)', '\u001b]0;pwned\u0007Fabrikam', 'Fabrikam'],
    ['hyperlink (OSC with ST)', '\u001b]8;;https://evil\u001b\\link\u001b]8;;\u001b\\', 'link'],
    ['8-bit CSI', 'x\u009b31my', 'xy'],
    ['bell and backspace', 'a\u0007b\u0008c', 'abc'],
    ['bidi override', 'abc\u202edef', 'abcdef'],
    ['newline becomes a space', 'line1\nline2', 'line1 line2'],
  ])('removes %s', (_label, input, expected) => {
    expect(stripControls(input)).toBe(expected);
  });

  it('keeps ordinary unicode text', () => {
    expect(stripControls('Ünïcødé — 日本 ✔')).toBe('Ünïcødé — 日本 ✔');
  });
});

describe('cleanText', () => {
  it('collapses whitespace and trims', () => {
    expect(cleanText('  Contoso \t Ltd \u001b[1m ')).toBe('Contoso Ltd');
  });
});
