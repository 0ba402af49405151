// Collection and entity reads the way Microsoft Graph answers them: $filter checked against the
// endpoint's documented filterable properties, $select projection, $top / $skip / $count,
// server-driven paging through @odata.nextLink, and Graph's error envelope.
import { errorDate, type SimContext } from './context.js';
import { ENTITY_PROPERTIES } from './entities.js';
import { headerValue } from './http.js';
import { randomGuid } from './ids.js';
import type { RequestLogEntry } from './log.js';
import type { SimTenant } from './model.js';
import type { Directory, GraphObject } from './directory.js';
import {
  FilterRefused,
  FilterSyntaxError,
  checkFilter,
  decodeSkipToken,
  encodeSkipToken,
  matches,
  parseFilter,
  type FilterNode,
  type FilterSchema,
} from './odata.js';
import type { Claims } from './tokens.js';
import type { IncomingHttpHeaders } from 'node:http';

/** Items per page when the client does not ask ($top), and the most the sim serves per page. */
export const DEFAULT_PAGE_SIZE = 5;
export const MAX_PAGE_SIZE = 10;

export type GraphVersion = 'v1.0' | 'beta';

export interface GraphCall {
  ctx: SimContext;
  version: GraphVersion;
  /** Decoded path below the version, e.g. '/users'. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  claims: Claims;
  tenant: SimTenant;
  dir: Directory;
  entry: RequestLogEntry;
}

export interface GraphResult {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function graphErrorBody(ctx: SimContext, headers: IncomingHttpHeaders, code: string, message: string): unknown {
  return {
    error: {
      code,
      message,
      innerError: {
        date: errorDate(new Date(ctx.nowMs())),
        'request-id': randomGuid(),
        'client-request-id': headerValue(headers, 'client-request-id') ?? randomGuid(),
      },
    },
  };
}

export const notFound = (id: string): GraphError =>
  new GraphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

export const segmentNotFound = (segment: string): GraphError =>
  new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);

export interface CollectionOptions {
  /** OData type for messages: 'microsoft.graph.user'. */
  type: string;
  /** Entity set path for @odata.context: 'users'. */
  contextPath: string;
  filter: FilterSchema;
  /** Properties returned without $select; undefined = every property. */
  defaults?: readonly string[];
  /** Properties $select may name beyond the object's own keys. */
  extraSelectable?: readonly string[];
  /** 'directory' refuses with Request_UnsupportedQuery; 'security' with BadRequest. */
  flavour: 'directory' | 'security' | 'reports';
  maxTop?: number;
  allowSkip?: boolean;
  allowCount?: boolean;
  /** $orderby values accepted ('createdDateTime desc'…) and how to sort for each. */
  orderBy?: Record<string, (a: GraphObject, b: GraphObject) => number>;
  allowOr?: boolean;
  /** Extra check of a parsed filter (enum values…); throws GraphError. */
  inspectFilter?: (filter: FilterNode) => void;
  /** $expand values accepted and how to apply each. */
  expand?: Record<string, (item: GraphObject) => GraphObject>;
  /** Turns a stored item into what this request sees (Prefer gating…). */
  present?: (item: GraphObject) => GraphObject;
}

const SYSTEM_OPTIONS = new Set(['$filter', '$select', '$top', '$skip', '$skiptoken', '$count', '$orderby', '$expand', '$search', '$format']);

function unsupported(flavour: CollectionOptions['flavour'], message: string): GraphError {
  return new GraphError(400, flavour === 'directory' ? 'Request_UnsupportedQuery' : 'BadRequest', message);
}

function checkSystemOptions(call: GraphCall, allowed: Set<string>): void {
  for (const key of call.query.keys()) {
    if (!key.startsWith('$')) continue;
    if (!SYSTEM_OPTIONS.has(key)) throw new GraphError(400, 'BadRequest', `Query option '${key}' is not supported.`);
    if (!allowed.has(key)) throw new GraphError(400, 'BadRequest', `Query option '${key}' is not allowed on this resource.`);
  }
}

function selection(call: GraphCall, options: Pick<CollectionOptions, 'type' | 'extraSelectable' | 'defaults'>): string[] | null {
  const raw = call.query.get('$select');
  if (raw === null) return null;
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const known = new Set([...(ENTITY_PROPERTIES[options.type] ?? []), ...(options.defaults ?? []), ...(options.extraSelectable ?? [])]);
  for (const name of names) {
    if (!known.has(name)) {
      throw new GraphError(400, 'BadRequest', `Could not find a property named '${name}' on type '${options.type}'.`);
    }
  }
  return names;
}

function project(item: GraphObject, select: string[] | null, defaults: readonly string[] | undefined): GraphObject {
  const keys = select ?? defaults;
  if (!keys) return item;
  const out: GraphObject = {};
  // $select returns what was asked for, plus the key, as Graph does for directory objects.
  if ('id' in item) out.id = item.id;
  for (const key of keys) if (key in item) out[key] = item[key];
  for (const key of keys) if (!(key in item) && key !== 'id') out[key] = null;
  if ('@odata.type' in item) out['@odata.type'] = item['@odata.type'];
  return out;
}

function contextUrl(call: GraphCall, path: string, select: string[] | null, entity: boolean): string {
  const suffix = select ? `(${select.join(',')})` : '';
  return `${call.ctx.graphUrl}/${call.version}/$metadata#${path}${suffix}${entity ? '/$entity' : ''}`;
}

function parseTop(call: GraphCall, options: CollectionOptions): number | null {
  const raw = call.query.get('$top');
  if (raw === null) return null;
  const top = Number(raw);
  const max = options.maxTop ?? 999;
  if (!/^\d+$/.test(raw) || top < 1 || top > max) {
    throw new GraphError(400, options.flavour === 'directory' ? 'Request_BadRequest' : 'BadRequest', `Invalid page size specified: '${raw}'. Must be between 1 and ${max} inclusive.`);
  }
  return top;
}

export function parseAndCheckFilter(call: GraphCall, options: CollectionOptions): FilterNode | null {
  const raw = call.query.get('$filter');
  if (raw === null) return null;
  let node: FilterNode;
  try {
    node = parseFilter(raw);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw new GraphError(400, 'BadRequest', `Invalid filter clause: ${error.message}`);
    throw error;
  }
  try {
    checkFilter(node, options.filter, options.type, options.allowOr ?? true);
  } catch (error) {
    if (error instanceof FilterRefused) {
      throw error.kind === 'unsupported' ? unsupported(options.flavour, error.message) : new GraphError(400, 'BadRequest', error.message);
    }
    throw error;
  }
  options.inspectFilter?.(node);
  return node;
}

/** A collection response: filter, order, page, project. */
export function collection(call: GraphCall, items: readonly GraphObject[], options: CollectionOptions): GraphResult {
  const allowed = new Set(['$filter', '$select', '$top', '$skiptoken']);
  if (options.allowSkip) allowed.add('$skip');
  if (options.allowCount !== false) allowed.add('$count');
  if (options.orderBy) allowed.add('$orderby');
  if (options.expand) allowed.add('$expand');
  checkSystemOptions(call, allowed);

  const filter = parseAndCheckFilter(call, options);
  const top = parseTop(call, options);
  const select = selection(call, options);

  const count = call.query.get('$count');
  if (count !== null && count !== 'true' && count !== 'false') throw new GraphError(400, 'BadRequest', `'${count}' is not a valid count option.`);
  const wantCount = count === 'true';
  if (wantCount && options.flavour === 'directory' && headerValue(call.headers, 'consistencylevel')?.toLowerCase() !== 'eventual') {
    throw new GraphError(400, 'Request_BadRequest', '$count is not currently supported.');
  }
  if (filter && options.flavour === 'directory' && hasEndsWith(filter) && headerValue(call.headers, 'consistencylevel')?.toLowerCase() !== 'eventual') {
    throw new GraphError(400, 'Request_UnsupportedQuery', 'Unsupported Query.');
  }

  let presented = items.map((item) => (options.present ? options.present(item) : item));
  if (filter) presented = presented.filter((item) => matches(filter, item, options.filter));

  const orderBy = call.query.get('$orderby');
  if (orderBy !== null) {
    const sorter = options.orderBy?.[orderBy.trim().replace(/\s+/g, ' ')];
    if (!sorter) throw unsupported(options.flavour, `Sorting not supported for '${orderBy}'.`);
    presented = [...presented].sort(sorter);
  }

  const expand = call.query.get('$expand');
  if (expand !== null) {
    const names = expand.split(',').map((s) => s.trim());
    for (const name of names) {
      const apply = options.expand?.[name];
      if (!apply) throw new GraphError(400, 'BadRequest', `Could not find a navigation property named '${name}' on type '${options.type}'.`);
      presented = presented.map(apply);
    }
  }

  const skipToken = call.query.get('$skiptoken');
  let offset = 0;
  if (skipToken !== null) {
    const decoded = decodeSkipToken(skipToken);
    if (decoded === null) throw new GraphError(400, options.flavour === 'directory' ? 'Directory_InvalidSkipToken' : 'BadRequest', 'The specified page token value has expired or is invalid.');
    offset = decoded;
  }
  const skip = call.query.get('$skip');
  if (skip !== null) {
    if (!/^\d+$/.test(skip)) throw new GraphError(400, 'BadRequest', `Invalid value for $skip: '${skip}'.`);
    if (skipToken === null) offset += Number(skip);
  }

  const pageSize = Math.min(top ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const page = presented.slice(offset, offset + pageSize);
  const body: GraphObject = { '@odata.context': contextUrl(call, options.contextPath, select, false) };
  if (wantCount) body['@odata.count'] = presented.length;
  if (offset + pageSize < presented.length) {
    const next = new URLSearchParams();
    for (const [key, value] of call.query) if (key !== '$skiptoken' && key !== '$skip') next.append(key, value);
    next.set('$skiptoken', encodeSkipToken(offset + pageSize));
    body['@odata.nextLink'] = `${call.ctx.graphUrl}/${call.version}${call.path}?${next.toString().replace(/\+/g, '%20').replace(/%24/g, '$')}`;
  }
  body.value = page.map((item) => project(item, select, options.defaults));
  return { status: 200, body };
}

function hasEndsWith(node: FilterNode): boolean {
  if (node.kind === 'and' || node.kind === 'or') return hasEndsWith(node.left) || hasEndsWith(node.right);
  if (node.kind === 'not') return hasEndsWith(node.expr);
  return node.kind === 'fn' && node.name === 'endswith';
}

/** A single entity response with $select (and optional $expand). */
export function entity(
  call: GraphCall,
  item: GraphObject,
  options: Pick<CollectionOptions, 'type' | 'contextPath' | 'defaults' | 'extraSelectable' | 'present' | 'expand'>,
): GraphResult {
  const allowed = new Set(['$select']);
  if (options.expand) allowed.add('$expand');
  checkSystemOptions(call, allowed);
  let presented = options.present ? options.present(item) : item;
  const expand = call.query.get('$expand');
  if (expand !== null) {
    for (const name of expand.split(',').map((s) => s.trim())) {
      const apply = options.expand?.[name];
      if (!apply) throw new GraphError(400, 'BadRequest', `Could not find a navigation property named '${name}' on type '${options.type}'.`);
      presented = apply(presented);
    }
  }
  const select = selection(call, options);
  return {
    status: 200,
    body: { '@odata.context': contextUrl(call, options.contextPath, select, true), ...project(presented, select, options.defaults) },
  };
}
