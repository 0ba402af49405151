// Fixed-width text for table columns, worked out once per row instead of by Ink on every frame.
// Ink truncates a <Text> that is wider than its box with slice-ansi on each render, which was
// most of a roster frame's cost; text that already fits is written as is. Every cell keeps its
// last column blank, so a truncated value ("…the sign-…") never runs into the next column.

/** A piece of a line with one colour (none: the line's own). */
export interface Span {
  text: string;
  tone?: import('./present.js').Tone;
}

const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200b-\u200f\u2060\ufe00-\ufe0f]/u;
// East Asian Wide and Fullwidth blocks, and emoji shown as pictures: two terminal columns.
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]|\p{Emoji_Presentation}/u;

function charWidth(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x300) return 1;
  if (ZERO_WIDTH.test(char)) return 0;
  return WIDE.test(char) ? 2 : 1;
}

/** Terminal columns a string takes (control characters are already stripped from shown text). */
export function textWidth(text: string): number {
  // Plain ASCII, the common case, without looking at each character.
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

/**
 * The spans cut or padded to exactly `width` columns, the last one always blank: a value longer
 * than `width − 1` ends in "…". Empty spans are dropped; the padding joins the last span.
 */
export function fitSpans(spans: readonly Span[], width: number): Span[] {
  if (width <= 0) return [];
  if (width === 1) return [{ text: ' ' }];
  const room = width - 1;
  const total = spans.reduce((sum, span) => sum + textWidth(span.text), 0);
  const out: Span[] = [];
  let used = 0;
  if (total <= room) {
    for (const span of spans) if (span.text !== '') out.push({ ...span });
    used = total;
  } else {
    const limit = room - 1; // one column for the ellipsis
    for (const span of spans) {
      let text = '';
      for (const char of span.text) {
        const w = charWidth(char);
        if (used + w > limit) break;
        text += char;
        used += w;
      }
      const full = text.length === span.text.length;
      if (!full) text += '…';
      if (text !== '') out.push({ ...span, text });
      if (!full) {
        used += 1;
        break;
      }
    }
  }
  const pad = ' '.repeat(Math.max(0, width - used));
  const last = out[out.length - 1];
  if (last !== undefined && last.tone === undefined) last.text += pad;
  else out.push({ text: pad });
  return out;
}

/** One value in a column of `width`: cut with "…" or padded, last column blank. */
export function fitText(text: string, width: number): string {
  return fitSpans([{ text }], width).map((span) => span.text).join('');
}

/** Adjacent spans of the same colour joined, so Ink styles (and counts) fewer pieces. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const span of spans) {
    const last = out[out.length - 1];
    if (last !== undefined && last.tone === span.tone) last.text += span.text;
    else if (span.text !== '') out.push({ ...span });
  }
  return out;
}
