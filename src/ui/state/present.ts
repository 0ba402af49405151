// How statuses and times read on screen. Every status has a glyph AND a word, so nothing is
// conveyed by colour alone (NO_COLOR, colour-blind users, screenshots in tickets).
import type { IntegrationStatus, Owner, Status } from '../../core/status.js';

/** Colour names understood by Ink's <Text color>. */
export type Tone = 'green' | 'yellow' | 'red' | 'cyan' | 'magenta' | 'gray';

export interface Presentation {
  glyph: string;
  word: string;
  tone: Tone;
}

export const STEP_PRESENTATION: Readonly<Record<Status, Presentation>> = {
  pass: { glyph: '✔', word: 'pass', tone: 'green' },
  warn: { glyph: '▲', word: 'warn', tone: 'yellow' },
  fail: { glyph: '✖', word: 'fail', tone: 'red' },
  waiting: { glyph: '…', word: 'waiting', tone: 'cyan' },
  overdue: { glyph: '!', word: 'overdue', tone: 'red' },
  blocked: { glyph: '⊘', word: 'blocked', tone: 'gray' },
  unverifiable: { glyph: '?', word: 'unverifiable', tone: 'magenta' },
  attested: { glyph: '✎', word: 'attested', tone: 'green' },
  error: { glyph: '⚠', word: 'could not check', tone: 'yellow' },
  not_applicable: { glyph: '·', word: 'not applicable', tone: 'gray' },
};

export const INTEGRATION_PRESENTATION: Readonly<Record<IntegrationStatus, Presentation>> = {
  complete: { glyph: '✔', word: 'complete', tone: 'green' },
  in_progress: { glyph: '…', word: 'in progress', tone: 'cyan' },
  action_needed: { glyph: '✖', word: 'action needed', tone: 'red' },
  attention: { glyph: '?', word: 'attention', tone: 'magenta' },
  not_started: { glyph: '○', word: 'not started', tone: 'gray' },
};

export const OWNER_WORD: Readonly<Record<Owner, string>> = {
  customer: 'customer',
  expel: 'Expel',
  microsoft: 'Microsoft',
  none: '—',
};

export const INTEGRATION_LABEL: Readonly<Record<string, string>> = {
  access: 'Access',
  mde: 'MDE',
  mdi: 'MDI',
  m365: 'M365',
  azure: 'Azure',
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A compact, rounded duration: "45 min", "14 h", "3 d". */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < HOUR) return `${Math.max(1, Math.round(abs / MINUTE))} min`;
  if (abs < 48 * HOUR) return `${Math.round(abs / HOUR)} h`;
  return `${Math.round(abs / DAY)} d`;
}

/** "just now", "5 min ago", "3 h ago", "2 d ago"; "never" for null. Future times read "just now". */
export function formatRelative(iso: string | null, now: number): string {
  if (iso === null) return 'never';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return 'unknown';
  const ago = now - at;
  if (ago < MINUTE) return 'just now';
  return `${formatDuration(ago)} ago`;
}

/** "2026-11-22 10:00 UTC": absolute times are shown in UTC, like the stored evidence. */
export function formatTimestamp(iso: string | null): string {
  if (iso === null) return '—';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return 'unknown';
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The short name of a step for sentences: 'mde.alerts' -> 'alerts'. */
export function stepShortName(stepId: string): string {
  const dot = stepId.indexOf('.');
  return (dot >= 0 ? stepId.slice(dot + 1) : stepId).replace(/-/g, ' ');
}

/**
 * The window clock of a waiting or overdue step: "alerts due in 14 h", "polling overdue by 2 h".
 * Null for other statuses or when the step carries no deadline.
 */
export function windowClock(
  step: { id: string; status: Status; expectedBy: string | null },
  now: number,
): string | null {
  if (step.status !== 'waiting' && step.status !== 'overdue') return null;
  const name = stepShortName(step.id);
  const due = step.expectedBy === null ? Number.NaN : Date.parse(step.expectedBy);
  if (Number.isNaN(due)) return step.status === 'overdue' ? `${name} overdue` : null;
  const left = due - now;
  if (left > 0) return `${name} due in ${formatDuration(left)}`;
  return `${name} overdue by ${formatDuration(-left)}`;
}

/** "7/7" style progress; "–" when nothing applies. */
export function formatProgress(done: number, applicable: number): string {
  return applicable === 0 ? '–' : `${done}/${applicable}`;
}
