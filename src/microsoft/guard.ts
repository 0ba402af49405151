// Read-only by construction: the transport asks this guard before it opens a connection, so a
// refused request never sends a byte. GET is always allowed; the only POSTs are the sign-in
// authority's token and device-code endpoints (they read credentials, they change nothing in a
// customer tenant) and Graph $batch whose inner requests are all GET.

export class WriteRefusedError extends Error {
  constructor(readonly method: string, readonly target: string, why: string) {
    super(`read-only: refused ${method} ${target}: ${why}`);
    this.name = 'WriteRefusedError';
  }
}

export interface GuardRules {
  /** Origins of the sign-in authority (and its aliases) that may receive token POSTs. */
  authorityOrigins: readonly string[];
  /** Origin of Microsoft Graph, the only place a $batch may go. */
  graphOrigin: string;
}

/** Graph's limit per $batch (json-batching); the guard also refuses larger bodies. */
export const BATCH_LIMIT = 20;

const TOKEN_PATH = /^\/[^/]+\/oauth2\/(?:v2\.0\/)?(?:token|devicecode)$/i;
const BATCH_PATH = /^\/(?:v1\.0|beta)\/(?:\$|%24)batch$/i;
const ABSOLUTE_OR_NETWORK_PATH = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

function describe(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function bodyText(body: unknown): string | null {
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return null;
}

function checkBatchBody(method: string, target: string, body: unknown): void {
  const text = bodyText(body);
  if (text === null) throw new WriteRefusedError(method, target, 'the $batch body must be JSON text');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new WriteRefusedError(method, target, 'the $batch body is not valid JSON');
  }
  const requests = (parsed as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) {
    throw new WriteRefusedError(method, target, 'the $batch body has no requests');
  }
  if (requests.length > BATCH_LIMIT) {
    throw new WriteRefusedError(method, target, `a $batch holds at most ${BATCH_LIMIT} requests`);
  }
  for (const inner of requests as unknown[]) {
    const entry = inner as { id?: unknown; method?: unknown; url?: unknown; body?: unknown } | null;
    if (!entry || typeof entry !== 'object') throw new WriteRefusedError(method, target, 'a $batch request is not an object');
    if (typeof entry.method !== 'string' || entry.method.toUpperCase() !== 'GET') {
      throw new WriteRefusedError(method, target, `inner request ${String(entry.id)} uses ${String(entry.method)}; only GET is allowed`);
    }
    if (entry.body !== undefined && entry.body !== null) {
      throw new WriteRefusedError(method, target, `inner request ${String(entry.id)} carries a body`);
    }
    if (typeof entry.url !== 'string' || ABSOLUTE_OR_NETWORK_PATH.test(entry.url)) {
      throw new WriteRefusedError(method, target, `inner request ${String(entry.id)} must use a relative URL`);
    }
  }
}

/** Throws WriteRefusedError unless the request only reads. */
export function assertReadOnly(method: string, rawUrl: string, body: unknown, rules: GuardRules): void {
  const verb = method.toUpperCase();
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new WriteRefusedError(verb, '(invalid URL)', 'the URL cannot be parsed');
  }
  if (verb === 'GET') {
    if (body !== undefined && body !== null && bodyText(body) !== '') {
      throw new WriteRefusedError(verb, describe(url), 'a GET must not carry a body');
    }
    return;
  }
  const target = describe(url);
  if (verb !== 'POST') throw new WriteRefusedError(verb, target, 'only GET is allowed');
  if (rules.authorityOrigins.includes(url.origin) && TOKEN_PATH.test(url.pathname)) return;
  if (url.origin === rules.graphOrigin && BATCH_PATH.test(url.pathname)) {
    checkBatchBody(verb, target, body);
    return;
  }
  throw new WriteRefusedError(verb, target, 'POST is allowed only to the authority token endpoints and Graph $batch');
}
