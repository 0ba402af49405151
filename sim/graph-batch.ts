// JSON batching (POST /v1.0/$batch, /beta/$batch) as documented: at most 20 requests, each with
// id/method/url, dependsOn ordering with 424 for failed dependencies, each inner request
// throttled on its own (inner 429 with its own Retry-After), responses in no particular order.
// The sim is read-only, so a batch carrying anything but GET is refused whole.
import type { IncomingHttpHeaders } from 'node:http';
import type { SimContext } from './context.js';
import { applyFault } from './fault-responses.js';
import { executeGraphGet } from './graph.js';
import { graphErrorBody, type GraphResult, type GraphVersion } from './graph-query.js';
import type { SimRequest } from './http.js';
import type { RequestLogEntry } from './log.js';
import type { SimTenant } from './model.js';
import type { Claims } from './tokens.js';

export const BATCH_LIMIT = 20;

interface InnerRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

export async function batchRequest(ctx: SimContext, request: SimRequest, version: GraphVersion, claims: Claims, tenant: SimTenant): Promise<GraphResult> {
  const bad = (message: string): GraphResult => ({ status: 400, body: graphErrorBody(ctx, request.headers, 'BadRequest', message) });
  let payload: unknown;
  try {
    payload = JSON.parse(request.body.toString('utf8'));
  } catch {
    return bad('Invalid batch payload format: the body is not valid JSON.');
  }
  const requests = (payload as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests)) return bad("Invalid batch payload format: 'requests' must be an array.");
  request.entry.batchInnerCount = requests.length;
  if (requests.length === 0) return bad('Invalid batch payload format: the batch contains no requests.');
  if (requests.length > BATCH_LIMIT) return bad(`The number of batch requests exceeds the limit of ${BATCH_LIMIT}.`);

  const inner: InnerRequest[] = [];
  const ids = new Set<string>();
  for (const [index, raw] of requests.entries()) {
    const item = raw as Partial<InnerRequest> | null;
    if (!item || typeof item !== 'object') return bad(`Invalid batch payload format: request ${index} is not an object.`);
    if (typeof item.id !== 'string' || item.id === '') return bad(`Invalid batch payload format: request ${index} has no 'id'.`);
    if (ids.has(item.id)) return bad(`Invalid batch payload format: duplicate request id '${item.id}'.`);
    if (typeof item.method !== 'string' || item.method === '') return bad(`Invalid batch payload format: request '${item.id}' has no 'method'.`);
    if (typeof item.url !== 'string' || item.url === '') return bad(`Invalid batch payload format: request '${item.id}' has no 'url'.`);
    if (item.body !== undefined && !item.headers) return bad(`Invalid batch payload format: request '${item.id}' has a body but no 'headers'.`);
    ids.add(item.id);
    inner.push(item as InnerRequest);
  }
  const writes = inner.filter((item) => item.method.toUpperCase() !== 'GET');
  if (writes.length > 0) {
    request.entry.refused = 'write';
    return bad(`The simulated cloud is read-only: batch request '${writes[0]!.id}' uses ${writes[0]!.method}.`);
  }
  for (const item of inner) {
    for (const dependency of item.dependsOn ?? []) {
      if (!ids.has(dependency)) return bad(`Invalid batch payload format: request '${item.id}' depends on unknown request '${dependency}'.`);
    }
  }

  const results = new Map<string, GraphResult>();
  const pending = [...inner];
  while (pending.length > 0) {
    const ready = pending.findIndex((item) => (item.dependsOn ?? []).every((d) => results.has(d)));
    if (ready < 0) return bad('Invalid batch payload format: dependsOn forms a cycle.');
    const item = pending.splice(ready, 1)[0]!;
    const failedDependency = (item.dependsOn ?? []).find((d) => (results.get(d)?.status ?? 200) >= 400);
    if (failedDependency) {
      results.set(item.id, { status: 424, body: graphErrorBody(ctx, request.headers, 'FailedDependency', `Dependent request '${failedDependency}' failed.`) });
      continue;
    }
    results.set(item.id, runInner(ctx, request, version, claims, tenant, item));
  }

  const order = permutation(inner.length, request.entry.seq);
  const responses = order.map((index) => {
    const item = inner[index]!;
    const result = results.get(item.id)!;
    return {
      id: item.id,
      status: result.status,
      headers: { 'Content-Type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8', ...capitalise(result.headers ?? {}) },
      body: result.body,
    };
  });
  return { status: 200, body: { responses } };
}

function runInner(ctx: SimContext, outer: SimRequest, version: GraphVersion, claims: Claims, tenant: SimTenant, item: InnerRequest): GraphResult {
  const relative = item.url.startsWith('/') ? item.url : `/${item.url}`;
  const entry: RequestLogEntry = {
    seq: ctx.nextSeq(),
    time: outer.entry.time,
    service: 'graph',
    method: 'GET',
    path: `/${version}${relative}`,
    tenantId: tenant.tenantId,
    status: 0,
    batchSeq: outer.entry.seq,
    clientKey: `${tenant.tenantId}|GET|/${version}${relative}`,
  };
  ctx.log.push(entry);
  const finish = (result: GraphResult): GraphResult => {
    entry.status = result.status;
    return result;
  };
  if (/^\/(v1\.0|beta)(\/|$)/i.test(relative) || /^https?:/i.test(item.url)) {
    entry.error = 'BadRequest';
    return finish({ status: 400, body: graphErrorBody(ctx, outer.headers, 'BadRequest', `Invalid request URI '${item.url}': batch request urls are relative to the batch's version (${version}); versions cannot be mixed.`) });
  }
  const fault = applyFault(ctx, entry, tenant, 'graph', true);
  if (fault?.kind === 'response') return finish({ status: fault.response.status, headers: fault.response.headers, body: fault.response.body });
  const url = new URL(relative, 'https://sim.invalid');
  let path: string;
  try {
    path = decodeURIComponent(url.pathname).replace(/\/+$/, '') || '/';
  } catch {
    path = url.pathname;
  }
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(item.headers ?? {})) headers[name.toLowerCase()] = String(value);
  return finish(executeGraphGet(ctx, { version, path, query: url.searchParams, headers, claims, tenant, entry }));
}

/** A deterministic shuffle that never keeps the request order (for two or more requests). */
function permutation(length: number, seed: number): number[] {
  const order = Array.from({ length }, (_, i) => i);
  let state = seed * 2654435761 + 1;
  for (let i = length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  if (length > 1 && order.every((value, index) => value === index)) order.push(order.shift()!);
  return order;
}

function capitalise(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase())] = value;
  }
  return out;
}
