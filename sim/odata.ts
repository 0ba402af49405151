// The slice of OData the simulated Graph and ARM understand: $filter expressions (comparisons,
// and/or/not, startswith/endswith, any() over string collections, ARM's atScope()/assignedTo()),
// checked against what each endpoint documents as filterable, so an unsupported filter is
// refused the way the service refuses it instead of being silently ignored.

export type Literal =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'null'; value: null }
  | { type: 'datetime'; value: string }
  | { type: 'guid'; value: string };

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; expr: FilterNode }
  | { kind: 'cmp'; path: string; op: CompareOp; value: Literal }
  | { kind: 'fn'; name: 'startswith' | 'endswith'; path: string; value: Literal }
  | { kind: 'any'; path: string; op: CompareOp; value: Literal }
  | { kind: 'call'; name: string; args: Literal[] };

export class FilterSyntaxError extends Error {}

type Token = { t: 'ident' | 'string' | 'number' | 'punct' | 'datetime' | 'guid'; v: string };

const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new FilterSyntaxError('unterminated string literal');
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      tokens.push({ t: 'string', v: value });
      continue;
    }
    if ('(),:/'.includes(c)) {
      tokens.push({ t: 'punct', v: c });
      i++;
      continue;
    }
    const rest = text.slice(i);
    const guid = GUID.exec(rest);
    if (guid && !/[0-9a-z]/i.test(rest[guid[0].length] ?? '')) {
      tokens.push({ t: 'guid', v: guid[0] });
      i += guid[0].length;
      continue;
    }
    const datetime = DATETIME.exec(rest);
    if (datetime && datetime[1]) {
      tokens.push({ t: 'datetime', v: datetime[0] });
      i += datetime[0].length;
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(rest);
    if (number) {
      tokens.push({ t: 'number', v: number[0] });
      i += number[0].length;
      continue;
    }
    const ident = /^[A-Za-z_$@][A-Za-z0-9_.$@]*/.exec(rest);
    if (ident) {
      tokens.push({ t: 'ident', v: ident[0] });
      i += ident[0].length;
      continue;
    }
    throw new FilterSyntaxError(`syntax error at position ${i} in '${text}'`);
  }
  return tokens;
}

const OPS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const next = (): Token => {
    const token = tokens[pos++];
    if (!token) throw new FilterSyntaxError(`unexpected end of filter '${text}'`);
    return token;
  };
  const expect = (v: string): void => {
    const token = next();
    if (token.v !== v) throw new FilterSyntaxError(`expected '${v}' but found '${token.v}'`);
  };
  const isWord = (token: Token | undefined, word: string): boolean => token?.t === 'ident' && token.v.toLowerCase() === word;

  const literal = (): Literal => {
    const token = next();
    if (token.t === 'string') return { type: 'string', value: token.v };
    if (token.t === 'number') return { type: 'number', value: Number(token.v) };
    if (token.t === 'datetime') return { type: 'datetime', value: token.v };
    if (token.t === 'guid') return { type: 'guid', value: token.v };
    if (token.t === 'ident' && (token.v === 'true' || token.v === 'false')) return { type: 'bool', value: token.v === 'true' };
    if (token.t === 'ident' && token.v === 'null') return { type: 'null', value: null };
    throw new FilterSyntaxError(`expected a literal but found '${token.v}'`);
  };

  const path = (first: string): string => {
    let p = first;
    while (peek()?.v === '/' && tokens[pos + 1]?.t === 'ident' && tokens[pos + 2]?.v !== '(') {
      pos++;
      p += `/${next().v}`;
    }
    return p;
  };

  const primary = (): FilterNode => {
    const token = next();
    if (token.v === '(') {
      const inner = or();
      expect(')');
      return inner;
    }
    if (token.t !== 'ident') throw new FilterSyntaxError(`unexpected '${token.v}'`);
    const lower = token.v.toLowerCase();
    if ((lower === 'startswith' || lower === 'endswith') && peek()?.v === '(') {
      pos++;
      const target = next();
      if (target.t !== 'ident') throw new FilterSyntaxError(`${lower} needs a property`);
      const p = path(target.v);
      expect(',');
      const value = literal();
      expect(')');
      return { kind: 'fn', name: lower, path: p, value };
    }
    if (peek()?.v === '(') {
      // A function call such as ARM's atScope() or assignedTo('id').
      pos++;
      const args: Literal[] = [];
      while (peek()?.v !== ')') {
        args.push(literal());
        if (peek()?.v === ',') pos++;
      }
      expect(')');
      return { kind: 'call', name: token.v, args };
    }
    const p = path(token.v);
    if (peek()?.v === '/' && isWord(tokens[pos + 1], 'any')) {
      pos += 2;
      expect('(');
      const variable = next().v;
      expect(':');
      const ref = next();
      if (ref.v !== variable) throw new FilterSyntaxError(`any() must compare its variable '${variable}'`);
      const op = next().v.toLowerCase();
      if (!OPS.has(op)) throw new FilterSyntaxError(`unknown operator '${op}'`);
      const value = literal();
      expect(')');
      return { kind: 'any', path: p, op: op as CompareOp, value };
    }
    const opToken = next();
    const op = opToken.v.toLowerCase();
    if (!OPS.has(op)) throw new FilterSyntaxError(`unknown operator '${opToken.v}'`);
    return { kind: 'cmp', path: p, op: op as CompareOp, value: literal() };
  };

  const unary = (): FilterNode => {
    if (isWord(peek(), 'not')) {
      pos++;
      return { kind: 'not', expr: unary() };
    }
    return primary();
  };
  const and = (): FilterNode => {
    let left = unary();
    while (isWord(peek(), 'and')) {
      pos++;
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  };
  const or = (): FilterNode => {
    let left = and();
    while (isWord(peek(), 'or')) {
      pos++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };

  const tree = or();
  if (pos !== tokens.length) throw new FilterSyntaxError(`unexpected '${tokens[pos]!.v}' in filter '${text}'`);
  return tree;
}

export type PropertyType = 'string' | 'datetime' | 'bool' | 'enum' | 'number' | 'stringCollection';

export interface FilterableProperty {
  type: PropertyType;
  /** Operators the service supports on this property. */
  ops: readonly (CompareOp | 'startswith' | 'endswith' | 'any')[];
  /** Where the value lives in the object when it differs from the filter path. */
  get?: (item: Record<string, unknown>) => unknown;
}

export type FilterSchema = Record<string, FilterableProperty>;

/** Why a filter is refused: 'unsupported' (the service does not support it) or 'type' (wrong literal type). */
export class FilterRefused extends Error {
  constructor(
    readonly kind: 'unsupported' | 'type' | 'enum',
    message: string,
  ) {
    super(message);
  }
}

const OP_NAMES: Record<CompareOp, string> = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
};

/** Checks a parsed filter against an endpoint's filterable properties; throws FilterRefused. */
export function checkFilter(node: FilterNode, schema: FilterSchema, resource: string, allowOr = true): void {
  switch (node.kind) {
    case 'and':
      checkFilter(node.left, schema, resource, allowOr);
      checkFilter(node.right, schema, resource, allowOr);
      return;
    case 'or':
      if (!allowOr) throw new FilterRefused('unsupported', `Unsupported query: 'or' is not supported here.`);
      checkFilter(node.left, schema, resource, allowOr);
      checkFilter(node.right, schema, resource, allowOr);
      return;
    case 'not':
      throw new FilterRefused('unsupported', `Unsupported query: 'not' is not supported here.`);
    case 'call':
      throw new FilterRefused('unsupported', `Unsupported query: function '${node.name}' is not supported here.`);
    case 'fn':
    case 'cmp':
    case 'any': {
      const property = schema[node.path];
      const op = node.kind === 'fn' ? node.name : node.kind === 'any' ? 'any' : node.op;
      if (!property || !property.ops.includes(op)) {
        throw new FilterRefused('unsupported', `Unsupported or invalid query filter clause specified for property '${node.path}' of resource '${resource}'.`);
      }
      const value = node.value;
      if (property.type === 'datetime' && value.type !== 'datetime' && value.type !== 'null') {
        throw new FilterRefused(
          'type',
          `A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.${value.type === 'string' ? 'String' : 'Int32'}' for operator kind '${OP_NAMES[node.kind === 'cmp' ? node.op : 'eq']}'.`,
        );
      }
      if ((property.type === 'string' || property.type === 'enum' || property.type === 'stringCollection') && value.type !== 'string' && value.type !== 'null') {
        throw new FilterRefused('type', `A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.${value.type}' for operator kind 'Equal'.`);
      }
      if (property.type === 'bool' && value.type !== 'bool') {
        throw new FilterRefused('type', `A binary operator with incompatible types was detected. Found operand types 'Edm.Boolean' and 'Edm.${value.type}' for operator kind 'Equal'.`);
      }
      return;
    }
  }
}

function valueAt(item: Record<string, unknown>, path: string, schema: FilterSchema): unknown {
  const getter = schema[path]?.get;
  if (getter) return getter(item);
  let current: unknown = item;
  for (const part of path.split('/')) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function compare(actual: unknown, op: CompareOp, literal: Literal, type: PropertyType | undefined): boolean {
  if (literal.type === 'null') {
    const isNull = actual === null || actual === undefined;
    return op === 'eq' ? isNull : op === 'ne' ? !isNull : false;
  }
  if (actual === null || actual === undefined) return op === 'ne';
  let a: number | string | boolean;
  let b: number | string | boolean;
  if (type === 'datetime') {
    a = Date.parse(String(actual));
    b = Date.parse(String(literal.value));
  } else if (typeof actual === 'string') {
    // Directory string comparisons are case-insensitive.
    a = actual.toLowerCase();
    b = String(literal.value).toLowerCase();
  } else {
    a = actual as number | boolean;
    b = literal.value as number | boolean;
  }
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
  }
}

export function matches(node: FilterNode, item: Record<string, unknown>, schema: FilterSchema): boolean {
  switch (node.kind) {
    case 'and':
      return matches(node.left, item, schema) && matches(node.right, item, schema);
    case 'or':
      return matches(node.left, item, schema) || matches(node.right, item, schema);
    case 'not':
      return !matches(node.expr, item, schema);
    case 'call':
      return true;
    case 'cmp':
      return compare(valueAt(item, node.path, schema), node.op, node.value, schema[node.path]?.type);
    case 'fn': {
      const actual = valueAt(item, node.path, schema);
      if (typeof actual !== 'string') return false;
      const needle = String(node.value.value).toLowerCase();
      return node.name === 'startswith' ? actual.toLowerCase().startsWith(needle) : actual.toLowerCase().endsWith(needle);
    }
    case 'any': {
      const actual = valueAt(item, node.path, schema);
      return Array.isArray(actual) && actual.some((element) => compare(element, node.op, node.value, 'string'));
    }
  }
}

/** Every comparison leaf in a filter (to validate enum values, find principalId, …). */
export function leaves(node: FilterNode): FilterNode[] {
  if (node.kind === 'and' || node.kind === 'or') return [...leaves(node.left), ...leaves(node.right)];
  if (node.kind === 'not') return leaves(node.expr);
  return [node];
}

/** Opaque continuation token holding the offset of the next page. */
export function encodeSkipToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset, k: 'sim' })).toString('base64url');
}

export function decodeSkipToken(token: string): number | null {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; k?: unknown };
    return parsed.k === 'sim' && Number.isInteger(parsed.o) && (parsed.o as number) >= 0 ? (parsed.o as number) : null;
  } catch {
    return null;
  }
}
