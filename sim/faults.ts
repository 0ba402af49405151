// Fault injection that tests can rely on: each decision is a pure function of the seed, the
// request's identity (tenant, method, path) and how many times that identical request has been
// seen, so concurrent interleavings do not change which request is throttled.
import { createHash } from 'node:crypto';

export interface FaultOptions {
  /** Probability of 429 with Retry-After (outside $batch, and inside unless batchInnerThrottleRate is set). */
  throttleRate?: number;
  /** Retry-After value on 429: seconds (default 1), or 'http-date' for an HTTP date ~2 s ahead. */
  retryAfterSeconds?: number | 'http-date';
  /** Probability of 503 Service Unavailable (no Retry-After: clients back off on their own). */
  unavailableRate?: number;
  /** Probability of the connection being destroyed without a response. */
  dropRate?: number;
  /** Probability of a request that gets no answer for stallMs, after which the socket is destroyed. */
  stallRate?: number;
  /** How long a stalled request hangs (default 30 s). */
  stallMs?: number;
  /** Probability of an inner $batch response being 429 with its own Retry-After. */
  batchInnerThrottleRate?: number;
}

export type Fault = 'throttle' | 'unavailable' | 'drop' | 'stall';

export class FaultInjector {
  private options: FaultOptions;
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly seed: number,
    options: FaultOptions = {},
  ) {
    this.options = { ...options };
  }

  set(options: FaultOptions): void {
    this.options = { ...options };
  }

  get current(): Readonly<FaultOptions> {
    return this.options;
  }

  /** The fault for the next occurrence of `key` (null = answer normally). */
  decide(key: string, tenant: { throttleRate: number; throttleFirst: number } = { throttleRate: 0, throttleFirst: 0 }, inBatch = false): Fault | null {
    const occurrence = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, occurrence);
    const o = this.options;
    const draw = (kind: string): number => uniform(`${this.seed}|${kind}|${key}|${occurrence}`);
    if (!inBatch) {
      if (draw('drop') < (o.dropRate ?? 0)) return 'drop';
      if (draw('stall') < (o.stallRate ?? 0)) return 'stall';
      if (draw('unavailable') < (o.unavailableRate ?? 0)) return 'unavailable';
    }
    const rate = inBatch ? (o.batchInnerThrottleRate ?? o.throttleRate ?? 0) : (o.throttleRate ?? 0);
    if (occurrence <= tenant.throttleFirst) return 'throttle';
    if (draw('throttle') < Math.max(rate, tenant.throttleRate)) return 'throttle';
    return null;
  }

  /** The Retry-After header value and the epoch ms from which a retry is allowed. */
  retryAfter(nowMs: number): { header: string; retryAt: number } {
    const setting = this.options.retryAfterSeconds ?? 1;
    if (setting === 'http-date') {
      // HTTP dates have 1 s resolution: round up so the instant is never in the past.
      const retryAt = Math.ceil(nowMs / 1000) * 1000 + 2000;
      return { header: new Date(retryAt).toUTCString(), retryAt };
    }
    return { header: String(setting), retryAt: nowMs + setting * 1000 };
  }

  get stallMs(): number {
    return this.options.stallMs ?? 30_000;
  }
}

function uniform(text: string): number {
  return createHash('sha1').update(text).digest().readUInt32BE(0) / 0x1_0000_0000;
}
