import { describe, expect, it } from 'vitest';
import { fitSpans, fitText, mergeSpans, textWidth } from '../../src/ui/state/fit.js';

describe('fixed-width cells', () => {
  it('counts terminal columns: ASCII, glyphs, wide characters and combining marks', () => {
    expect(textWidth('Contoso')).toBe(7);
    expect(textWidth('✔ 7/7')).toBe(5);
    expect(textWidth('東京')).toBe(4);
    expect(textWidth('e\u0301')).toBe(1);
  });

  it('pads a short value and always leaves the last column blank', () => {
    expect(fitText('Expel', 11)).toBe('Expel      ');
    expect(fitText('Whose move', 11)).toBe('Whose move ');
  });

  it('cuts a long value with an ellipsis and still leaves one blank column before the next', () => {
    const cell = fitText('Grant admin consent to the sign-in application', 20);
    expect(cell).toBe('Grant admin consen… ');
    expect(textWidth(cell)).toBe(20);
  });

  it('cuts wide characters without exceeding the width', () => {
    const cell = fitText('東京東京東京', 6);
    expect(textWidth(cell)).toBe(6);
    expect(cell.endsWith(' ')).toBe(true);
    expect(cell).toContain('…');
  });

  it('keeps the colours of the spans it cuts', () => {
    const spans = fitSpans([{ text: '✔ pass', tone: 'green' }, { text: ' (stale) ⚠', tone: 'yellow' }], 12);
    expect(spans.map((span) => span.text).join('')).toBe('✔ pass (st… ');
    expect(spans[0]).toEqual({ text: '✔ pass', tone: 'green' });
    expect(spans[1]).toEqual({ text: ' (st…', tone: 'yellow' });
  });

  it('joins neighbours of the same colour', () => {
    expect(mergeSpans([{ text: 'a' }, { text: 'b' }, { text: 'c', tone: 'red' }, { text: '' }])).toEqual([{ text: 'ab' }, { text: 'c', tone: 'red' }]);
  });
});
