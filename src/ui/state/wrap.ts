// Word wrapping for text shown a line per terminal row (the instructions preview), so the scroll
// window counts real rows. Widths are counted in code points: the text is our own prose plus
// tenant values, and a rare wide character only shortens a line's visible end.
import { stripControls } from '../../core/sanitize.js';

/** Each line of `text` wrapped to `width` columns; continuation rows keep the line's indent. */
export function wrapLines(text: string, width: number): string[] {
  const limit = Math.max(10, width);
  const rows: string[] = [];
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = stripControls(raw).replace(/\s+$/, '');
    const indent = /^\s*/.exec(line)?.[0] ?? '';
    let rest = line;
    let prefix = '';
    if ([...line].length <= limit) {
      rows.push(line);
      continue;
    }
    while ([...prefix, ...rest].length > limit) {
      const room = limit - [...prefix].length;
      const chars = [...rest];
      const head = chars.slice(0, room + 1).join('');
      const cut = head.lastIndexOf(' ');
      const at = cut > [...indent].length ? cut : room;
      rows.push(prefix + chars.slice(0, at).join('').replace(/\s+$/, ''));
      rest = chars.slice(at).join('').replace(/^\s+/, '');
      prefix = indent;
    }
    rows.push(prefix + rest);
  }
  return rows;
}
