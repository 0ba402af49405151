// Renders an InstructionDocument as Markdown (for email) or plain text (for tickets). To-do
// items are numbered through the whole document so a customer can answer "done with 3".
import type { Block, InstructionDocument, Inline, Item, Rich, Section } from './document.js';

export type InstructionFormat = 'md' | 'text';
export const INSTRUCTION_FORMATS: readonly InstructionFormat[] = ['md', 'text'];

// ---------------------------------------------------------------- Markdown

// Characters with inline meaning in CommonMark/GFM (emphasis, code, links, HTML, entities,
// strikethrough, tables) plus those that start a block when a value opens a line (#, +, -, =,
// "1.") or form an autolink (":", "@", "."). CommonMark allows any ASCII punctuation to be
// backslash-escaped; the rest (, ' " ( ) / ? ; …) is harmless once [ ] < > are escaped.
const MARKDOWN_SPECIAL = /[\\`*_~[\]<>&|#+\-.!:@=]/g;

export function escapeMarkdown(text: string): string {
  return text.replace(MARKDOWN_SPECIAL, (ch) => `\\${ch}`);
}

// Some renderers linkify domains and email addresses in plain text even after escaping (GFM's
// email autolinks, markdown-it's linkify). Inside a code span nothing is ever linkified.
const LINKISH = /@|:\/\/|www\.|[a-z0-9-]\.[a-z]{2,}/i;

/** A value in running text: escaped, or a code span when it looks like a link or address. */
export function markdownValue(text: string): string {
  return LINKISH.test(text) ? markdownCode(text) : escapeMarkdown(text);
}

/** A code span that survives backticks in its content (CommonMark: a longer fence). */
export function markdownCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

const SAFE_URL = /^https:\/\/[^\s<>`"'\\]+$/;

function markdownInline(part: Inline): string {
  if (typeof part === 'string') return part;
  switch (part.kind) {
    case 'value':
      return markdownValue(part.text);
    case 'code':
      return markdownCode(part.text);
    case 'strong':
      return part.text ? `**${markdownValue(part.text)}**` : '';
    case 'link':
      return SAFE_URL.test(part.url) ? `<${part.url}>` : escapeMarkdown(part.url);
  }
}

const md = (text: Rich): string => text.map(markdownInline).join('');

function markdownBlock(block: Block): string {
  switch (block.kind) {
    case 'para':
      return md(block.text);
    case 'labelled':
      return `**${block.label}:** ${md(block.text)}`;
    case 'steps':
      return block.items.map((item, index) => `${index + 1}. ${md(item)}`).join('\n');
    case 'bullets':
      return block.items.map((item) => `- ${md(item)}`).join('\n');
    case 'command': {
      const longest = Math.max(2, ...(block.text.match(/`+/g) ?? []).map((run) => run.length));
      const fence = '`'.repeat(longest + 1);
      return `${fence}powershell\n${block.text}\n${fence}`;
    }
  }
}

function markdownItem(item: Item, heading: string, level: number): string[] {
  const hashes = '#'.repeat(Math.min(level, 6));
  const out = [`${hashes} ${heading}${md(item.title)}`, ...item.blocks.map(markdownBlock)];
  for (const next of item.then) out.push(...markdownItem(next, 'After that: ', level + 1));
  if (item.thenNotes.length > 0) out.push(item.thenNotes.map((note) => `- ${md(note)}`).join('\n'));
  return out;
}

function markdownSection(section: Section, counter: { n: number }): string[] {
  // Headings are our own wording (integration names), never values.
  const out = [`## ${section.heading}`];
  for (const item of section.items) out.push(...markdownItem(item, `${++counter.n}. `, 3));
  if (section.inProgress.length > 0) {
    out.push('**In progress, nothing for you to do:**');
    out.push(section.inProgress.map((line) => `- ${md(line)}`).join('\n'));
  }
  return out;
}

export function renderMarkdown(doc: InstructionDocument): string {
  const counter = { n: 0 };
  const blocks = [
    md(doc.greeting),
    ...doc.intro.map(md),
    ...doc.sections.flatMap((section) => markdownSection(section, counter)),
    ...doc.closing.map(md),
    // Two trailing spaces would be invisible; a backslash is CommonMark's visible hard break.
    doc.signOff.map(md).join('\\\n'),
  ];
  return `${blocks.filter((block) => block.length > 0).join('\n\n')}\n`;
}

// ---------------------------------------------------------------- plain text

function textInline(part: Inline): string {
  if (typeof part === 'string') return part;
  return part.kind === 'link' ? part.url : part.text;
}

const plain = (text: Rich): string => text.map(textInline).join('');

function textBlock(block: Block, indent: string): string {
  switch (block.kind) {
    case 'para':
      return indent + plain(block.text);
    case 'labelled':
      return `${indent}${block.label}: ${plain(block.text)}`;
    case 'steps':
      return block.items.map((item, index) => `${indent}  ${index + 1}) ${plain(item)}`).join('\n');
    case 'bullets':
      return block.items.map((item) => `${indent}  - ${plain(item)}`).join('\n');
    case 'command':
      return block.text
        .split('\n')
        .map((line) => `${indent}    ${line}`)
        .join('\n');
  }
}

function textItem(item: Item, heading: string, indent: string): string[] {
  const inner = `${indent}   `;
  const out = [`${indent}${heading}${plain(item.title)}`, ...item.blocks.map((block) => textBlock(block, inner))];
  for (const next of item.then) out.push(...textItem(next, 'After that: ', inner));
  if (item.thenNotes.length > 0) out.push(item.thenNotes.map((note) => `${inner}- ${plain(note)}`).join('\n'));
  return out;
}

function textSection(section: Section, counter: { n: number }): string[] {
  const out = [`${section.heading}\n${'-'.repeat(section.heading.length)}`];
  for (const item of section.items) out.push(...textItem(item, `${++counter.n}. `, ''));
  if (section.inProgress.length > 0) {
    out.push(['In progress, nothing for you to do:', ...section.inProgress.map((line) => `  - ${plain(line)}`)].join('\n'));
  }
  return out;
}

export function renderText(doc: InstructionDocument): string {
  const counter = { n: 0 };
  const blocks = [
    plain(doc.greeting),
    ...doc.intro.map(plain),
    ...doc.sections.flatMap((section) => textSection(section, counter)),
    ...doc.closing.map(plain),
    doc.signOff.map(plain).join('\n'),
  ];
  return `${blocks.filter((block) => block.length > 0).join('\n\n')}\n`;
}

export function renderDocument(doc: InstructionDocument, format: InstructionFormat): string {
  return format === 'md' ? renderMarkdown(doc) : renderText(doc);
}
