// Reads the first sheet of a Flat OpenDocument Spreadsheet (.fods, what LibreOffice writes with
// --convert-to fods): each cell's type, formula (if any) and text, enough to see what a
// spreadsheet made of an imported CSV. Handles repeated rows/cells and the text:s/tab/line-break
// elements; not a general ODF reader.

export interface SheetCell {
  /** office:value-type: 'string', 'float', 'percentage', 'boolean', … or '' for an empty cell. */
  type: string;
  /** table:formula when the spreadsheet treated the cell as a formula. */
  formula: string | null;
  /** office:value for numbers, else null. */
  value: string | null;
  /** The displayed text: paragraphs joined with \n. */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? whole;
  });
}

function attribute(attrs: string, name: string): string | null {
  const match = new RegExp(`\\b${name}="([^"]*)"`).exec(attrs);
  return match ? decode(match[1]!) : null;
}

function paragraphText(inner: string): string {
  return decode(
    inner
      .replace(/<text:s(?:\s+text:c="(\d+)")?\s*\/>/g, (_m, count: string | undefined) => ' '.repeat(count ? Number(count) : 1))
      .replace(/<text:tab\s*\/>/g, '\t')
      .replace(/<text:line-break\s*\/>/g, '\n')
      .replace(/<[^>]+>/g, ''),
  );
}

function cellText(content: string): string {
  const paragraphs = [...content.matchAll(/<text:p(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/text:p>)/g)].map((m) => paragraphText(m[1] ?? ''));
  return paragraphs.join('\n');
}

export function readFirstSheet(fods: string): SheetCell[][] {
  const table = /<table:table\s[^>]*>([\s\S]*?)<\/table:table>/.exec(fods);
  if (!table) throw new Error('no table in the document');
  const rows: SheetCell[][] = [];
  for (const rowMatch of table[1]!.matchAll(/<table:table-row(\s[^>]*)?(?:\/>|>([\s\S]*?)<\/table:table-row>)/g)) {
    const rowRepeat = Number(attribute(rowMatch[1] ?? '', 'table:number-rows-repeated') ?? '1');
    const cells: SheetCell[] = [];
    const cellPattern = /<table:(?:covered-)?table-cell(\s[^>]*?)?(?:\/>|>([\s\S]*?)<\/table:(?:covered-)?table-cell>)/g;
    for (const cellMatch of (rowMatch[2] ?? '').matchAll(cellPattern)) {
      const attrs = cellMatch[1] ?? '';
      const repeat = Number(attribute(attrs, 'table:number-columns-repeated') ?? '1');
      const cell: SheetCell = {
        type: attribute(attrs, 'office:value-type') ?? '',
        formula: attribute(attrs, 'table:formula'),
        value: attribute(attrs, 'office:value'),
        text: cellText(cellMatch[2] ?? ''),
      };
      // Trailing empty cells can be repeated up to the sheet's width: keep only a few.
      for (let i = 0; i < Math.min(repeat, 256); i++) cells.push(cell);
    }
    for (let i = 0; i < Math.min(rowRepeat, 1024); i++) rows.push(cells);
  }
  // Drop trailing empty rows LibreOffice may add.
  while (rows.length > 0 && rows[rows.length - 1]!.every((cell) => cell.type === '' && cell.text === '')) rows.pop();
  return rows;
}
