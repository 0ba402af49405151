import { describe, expect, it } from 'vitest';
import { wrapLines } from '../../src/ui/state/wrap.js';

describe('wrapLines', () => {
  it('wraps at word boundaries and keeps the indent on continuation rows', () => {
    const rows = wrapLines('  - Open the Entra admin center and invite the Expel guest account now', 30);
    expect(rows).toEqual(['  - Open the Entra admin', '  center and invite the Expel', '  guest account now']);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(30);
  });
  it('keeps short lines and blank lines, and cuts words longer than a row', () => {
    expect(wrapLines('Hello\n\nWorld', 40)).toEqual(['Hello', '', 'World']);
    expect(wrapLines('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });
  it('strips control characters', () => {
    expect(wrapLines('a\u001b[31mred\u0007', 40)).toEqual(['ared']);
  });
});
