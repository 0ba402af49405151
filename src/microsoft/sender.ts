// One logical read = one or more attempts through the transport: each attempt holds a global and
// a per-tenant slot, 429/503/504 wait for Retry-After (or back off), timeouts and dropped
// connections are tried again, and what is left after the retries becomes an AccessError.
import { fromHttpResponse, fromTransportError, unexpectedResponse } from './errors.js';
import { assertReadOnly } from './guard.js';
import type { RequestLimits } from './limiter.js';
import { RETRYABLE_STATUSES, decideRetry, type RetryPolicy } from './retry.js';
import { TransportError, throwIfAborted, type Transport, type TransportResponse } from './transport.js';
import type { SessionStats } from './types.js';

export interface SenderContext {
  transport: Transport;
  policy: RetryPolicy;
  limits: RequestLimits;
  /** Key of the per-tenant limit (the tenant ID; 'discovery' for anonymous reads). */
  tenantKey: string;
  stats: SessionStats;
  signal?: AbortSignal;
}

export interface SendSpec {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Evidence label: 'GET v1.0 /users?…' — never the host's token or headers. */
  label: string;
}

/** Connection failures worth another attempt; DNS "no such host" and TLS failures are not. */
const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

const isRetryableFailure = (failure: TransportError): boolean =>
  failure.kind === 'timeout' || (failure.kind === 'network' && RETRYABLE_NETWORK_CODES.has(failure.code ?? ''));

/**
 * Sends with retries. Resolves to the final response when its status is not retryable (2xx, 4xx,
 * 500…); throws AccessError when retries run out (throttled, timeout, network), AbortError on
 * abort, WriteRefusedError for a write.
 */
export async function sendWithRetries(context: SenderContext, spec: SendSpec): Promise<TransportResponse> {
  const { policy, signal } = context;
  // The transport checks again before connecting; checking here keeps refused writes out of the stats.
  assertReadOnly(spec.method, spec.url, spec.body, context.transport.guard);
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(signal);
    const release = await context.limits.acquire(context.tenantKey, signal);
    let response: TransportResponse | undefined;
    let failure: TransportError | undefined;
    try {
      context.stats.requests++;
      if (attempt > 0) context.stats.retries++;
      response = await context.transport.send({ method: spec.method, url: spec.url, headers: spec.headers, body: spec.body, signal });
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      failure = error;
    } finally {
      release();
    }
    if (response) {
      if (!RETRYABLE_STATUSES.has(response.status)) return response;
      context.stats.throttled++;
      const decision = decideRetry(attempt, response.headers['retry-after'], policy);
      if (!decision.retry) throw fromHttpResponse(response.status, response.body, spec.label, decision.retryAfterMs);
      await policy.clock.sleep(decision.delayMs, signal);
      continue;
    }
    if (!failure || !isRetryableFailure(failure)) throw fromTransportError(failure!, spec.label, attempt + 1);
    const decision = decideRetry(attempt, null, policy);
    if (!decision.retry) throw fromTransportError(failure, spec.label, attempt + 1);
    await policy.clock.sleep(decision.delayMs, signal);
  }
}

/**
 * The JSON body of a final response. Non-2xx becomes the mapped AccessError; a 2xx that is not
 * JSON (a captive portal's HTML, a truncated body) becomes `unexpected_response`.
 */
export function readJson(response: TransportResponse, label: string): unknown {
  if (response.status < 200 || response.status > 299) throw fromHttpResponse(response.status, response.body, label);
  if (response.status === 204 || response.body.length === 0) {
    if (response.status === 204) return null;
    throw unexpectedResponse(label, `empty body with HTTP ${response.status}`, response.status);
  }
  const type = response.headers['content-type'] ?? '';
  if (type && !/json/i.test(type)) {
    throw unexpectedResponse(label, `expected JSON, got ${type.split(';')[0]}`, response.status);
  }
  try {
    return JSON.parse(response.body.toString('utf8')) as unknown;
  } catch {
    throw unexpectedResponse(label, 'the response is not valid JSON', response.status);
  }
}

/** 'GET v1.0 /users?$filter=…' from a full URL, without the origin. Capped for evidence. */
export function requestLabel(method: string, url: string, origin: string): string {
  let rest = url.startsWith(origin) ? url.slice(origin.length) : url;
  const version = /^\/(v1\.0|beta)(\/.*)$/.exec(rest);
  if (version) rest = `${version[1]} ${version[2]}`;
  const label = `${method} ${rest}`;
  return label.length > 300 ? `${label.slice(0, 299)}…` : label;
}
