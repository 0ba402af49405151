import { describe, expect, it } from 'vitest';
import { INTEGRATION_STATUSES, STATUSES } from '../../src/core/status.js';
import {
  INTEGRATION_PRESENTATION,
  STEP_PRESENTATION,
  formatDuration,
  formatProgress,
  formatRelative,
  windowClock,
} from '../../src/ui/state/present.js';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');
const HOUR = 3_600_000;

describe('status presentation', () => {
  it('gives every status a distinct glyph and a word, so colour is never the only cue', () => {
    const glyphs = STATUSES.map((status) => STEP_PRESENTATION[status].glyph);
    expect(new Set(glyphs).size).toBe(STATUSES.length);
    for (const status of STATUSES) expect(STEP_PRESENTATION[status].word.length).toBeGreaterThan(2);
    const integrationGlyphs = INTEGRATION_STATUSES.map((status) => INTEGRATION_PRESENTATION[status].glyph);
    expect(new Set(integrationGlyphs).size).toBe(INTEGRATION_STATUSES.length);
  });
});

describe('times', () => {
  it('formats durations in the largest sensible unit', () => {
    expect(formatDuration(30_000)).toBe('1 min');
    expect(formatDuration(45 * 60_000)).toBe('45 min');
    expect(formatDuration(14 * HOUR)).toBe('14 h');
    expect(formatDuration(47 * HOUR)).toBe('47 h');
    expect(formatDuration(72 * HOUR)).toBe('3 d');
  });
  it('formats relative times, including never and unparseable', () => {
    expect(formatRelative(null, NOW)).toBe('never');
    expect(formatRelative('garbage', NOW)).toBe('unknown');
    expect(formatRelative(new Date(NOW - 20_000).toISOString(), NOW)).toBe('just now');
    expect(formatRelative(new Date(NOW - 3 * HOUR).toISOString(), NOW)).toBe('3 h ago');
  });
  it('shows the window clock of waiting and overdue steps only', () => {
    const due = new Date(NOW + 14 * HOUR).toISOString();
    const past = new Date(NOW - 2 * HOUR).toISOString();
    expect(windowClock({ id: 'mde.alerts', status: 'waiting', expectedBy: due }, NOW)).toBe('alerts due in 14 h');
    expect(windowClock({ id: 'mdi.polling', status: 'overdue', expectedBy: past }, NOW)).toBe('polling overdue by 2 h');
    expect(windowClock({ id: 'mdi.polling', status: 'overdue', expectedBy: null }, NOW)).toBe('polling overdue');
    expect(windowClock({ id: 'mde.alerts', status: 'pass', expectedBy: due }, NOW)).toBeNull();
    expect(windowClock({ id: 'm365.audit-log', status: 'waiting', expectedBy: due }, NOW)).toBe('audit log due in 14 h');
  });
  it('formats progress', () => {
    expect(formatProgress(7, 7)).toBe('7/7');
    expect(formatProgress(0, 0)).toBe('–');
  });
});
