// When to try again: Retry-After (seconds or an HTTP date) on 429/503/504, exponential backoff
// with jitter where the service gives no hint (microsoft-apis.md §9). Pure functions plus an
// abortable sleep, so tests can drive them with a fake clock.
import { AbortError } from './transport.js';

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with AbortError as soon as `signal` fires. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortError());
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const systemClock: Clock = { now: () => Date.now(), sleep: abortableSleep };

export interface RetryPolicy {
  /** Retries after the first attempt (so maxRetries + 1 attempts at most). */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the read ends as `throttled`. */
  maxRetryAfterMs: number;
  random: () => number;
  clock: Clock;
}

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

/** Milliseconds to wait per a Retry-After header value, or null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined | null, nowMs: number): number | null {
  if (value === undefined || value === null) return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Only the HTTP-date form (RFC 9110 IMF-fixdate and its obsolete variants) carries letters.
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/** Exponential backoff with jitter for retry number `retryIndex` (0 = the first retry): in [d/2, d]. */
export function backoffDelay(retryIndex: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.round(ceiling / 2 + (ceiling / 2) * policy.random());
}

export type RetryDecision =
  | { retry: true; delayMs: number; fromHeader: boolean }
  | { retry: false; why: 'exhausted' | 'retry_after_too_long'; retryAfterMs: number | null };

/** Whether to send retry number `retryIndex` (0-based) after a retryable outcome. */
export function decideRetry(retryIndex: number, retryAfter: string | undefined | null, policy: RetryPolicy): RetryDecision {
  const fromHeader = parseRetryAfter(retryAfter, policy.clock.now());
  if (retryIndex >= policy.maxRetries) return { retry: false, why: 'exhausted', retryAfterMs: fromHeader };
  if (fromHeader !== null) {
    if (fromHeader > policy.maxRetryAfterMs) return { retry: false, why: 'retry_after_too_long', retryAfterMs: fromHeader };
    return { retry: true, delayMs: fromHeader, fromHeader: true };
  }
  return { retry: true, delayMs: backoffDelay(retryIndex, policy), fromHeader: false };
}
