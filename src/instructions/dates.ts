// Dates in customer text: spelled-out months so 03/04 is never ambiguous, always in UTC. A date
// we formatted is our own text; anything unparseable came from outside and stays a value.
import { value, type Rich } from './document.js';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function parse(iso: string): Date | null {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(ms) ? null : new Date(ms);
}

const day = (date: Date): string => `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;

/** "25 November 2026" (UTC). */
export function formatDay(iso: string): Rich {
  const date = parse(iso);
  return [date ? day(date) : value(iso)];
}

/** "25 November 2026, 14:30 UTC". */
export function formatInstant(iso: string): Rich {
  const date = parse(iso);
  if (!date) return [value(iso)];
  const hh = String(date.getUTCHours()).padStart(2, '0');
  const mm = String(date.getUTCMinutes()).padStart(2, '0');
  return [`${day(date)}, ${hh}:${mm} UTC`];
}
