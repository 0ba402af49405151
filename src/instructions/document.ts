// The customer instructions as a small document tree, so one set of wording renders to both
// Markdown (email) and plain text (tickets). Literal text written in this folder is trusted;
// anything interpolated through `rich` is a value from the roster, settings or a Graph/ARM
// response: it is cleaned of control characters and, in Markdown, escaped or put in a code span,
// so a hostile display name cannot add formatting, links or HTML.
import { cleanText } from '../core/sanitize.js';

/** A run of inline text. */
export type Inline =
  /** Our own wording (trusted, written without Markdown syntax). */
  | string
  /** A value from outside: escaped in Markdown. */
  | { kind: 'value'; text: string }
  /** An identifier, address or command the customer may copy: a code span in Markdown. */
  | { kind: 'code'; text: string }
  /** A value shown in bold (names of things to click or select). */
  | { kind: 'strong'; text: string }
  /** A link we built ourselves (encoded); shown as a bare URL in both forms. */
  | { kind: 'link'; url: string };

export type Rich = readonly Inline[];

export type Block =
  | { kind: 'para'; text: Rich }
  /** A labelled paragraph: "Where: …", "How to confirm: …". */
  | { kind: 'labelled'; label: string; text: Rich }
  | { kind: 'steps'; items: readonly Rich[] }
  | { kind: 'bullets'; items: readonly Rich[] }
  | { kind: 'command'; text: string };

export interface Item {
  title: Rich;
  blocks: readonly Block[];
  /** Steps that could not be checked until this one is done: shown under it, not as to-dos. */
  then: readonly Item[];
  /** One-line notes under `then` (e.g. a dependent that needs nothing from the customer). */
  thenNotes: readonly Rich[];
}

export interface Section {
  heading: string;
  items: readonly Item[];
  /** Steps that are under way and need nothing from the customer. */
  inProgress: readonly Rich[];
}

export interface InstructionDocument {
  /** all-set: nothing left at all; nothing-to-do: only waiting steps; remaining: customer to-dos. */
  kind: 'all-set' | 'nothing-to-do' | 'remaining';
  greeting: Rich;
  intro: readonly Rich[];
  sections: readonly Section[];
  /** Closing paragraphs before the sign-off. */
  closing: readonly Rich[];
  signOff: readonly Rich[];
}

export const value = (text: string): Inline => ({ kind: 'value', text: cleanText(text) });
export const code = (text: string): Inline => ({ kind: 'code', text: cleanText(text) });
export const strong = (text: string): Inline => ({ kind: 'strong', text: cleanText(text) });
export const link = (url: string): Inline => ({ kind: 'link', url });

/**
 * Tagged template: literal parts are our wording, `${…}` parts are values. A string
 * interpolation becomes an escaped value; an Inline or Rich passes through as built.
 */
export function rich(strings: TemplateStringsArray, ...values: ReadonlyArray<string | number | Inline | Rich>): Inline[] {
  const out: Inline[] = [];
  strings.forEach((literal, index) => {
    if (literal) out.push(literal);
    if (index >= values.length) return;
    const part = values[index]!;
    if (typeof part === 'string') out.push(value(part));
    else if (typeof part === 'number') out.push(String(part));
    else if (Array.isArray(part)) out.push(...(part as Rich));
    else out.push(part as Inline);
  });
  return out;
}

/** Joins rich runs: "a, b and c". */
export function joinRich(parts: readonly Rich[], last = ' and '): Inline[] {
  const out: Inline[] = [];
  parts.forEach((part, index) => {
    if (index > 0) out.push(index === parts.length - 1 ? last : ', ');
    out.push(...part);
  });
  return out;
}

export const para = (text: Rich): Block => ({ kind: 'para', text });
export const labelled = (label: string, text: Rich): Block => ({ kind: 'labelled', label, text });
export const stepsBlock = (items: readonly Rich[]): Block => ({ kind: 'steps', items });
export const bullets = (items: readonly Rich[]): Block => ({ kind: 'bullets', items });
export const command = (text: string): Block => ({ kind: 'command', text });

/** A portal path, e.g. where(['Microsoft Entra admin center', 'Users', …]). Segments may be values. */
export function where(segments: ReadonlyArray<string | Inline>): Block {
  const text: Inline[] = [];
  segments.forEach((segment, index) => {
    if (index > 0) text.push(' › ');
    text.push(segment);
  });
  return labelled('Where', text);
}

export const confirm = (text: Rich): Block => labelled('How to confirm', text);
