// The record of every request the sim answered, for tests and benchmarks to assert on.

export type SimService = 'login' | 'graph' | 'arm';

export interface RequestLogEntry {
  /** Arrival order. */
  seq: number;
  /** Arrival time, epoch ms of the real clock. */
  time: number;
  service: SimService;
  method: string;
  /** Path and query as sent; for an inner $batch request, '/v1.0' or '/beta' + its url. */
  path: string;
  /** Tenant the request was for: from the token (graph, arm) or the URL (login). */
  tenantId: string | null;
  /** HTTP status answered; 0 when the connection was dropped or a stall ended without an answer. */
  status: number;
  /** Retry-After header sent with a 429. */
  retryAfter?: string;
  /** Epoch ms from which the Retry-After allowed a retry. */
  retryAt?: number;
  fault?: 'throttle' | 'unavailable' | 'drop' | 'stall';
  /** On a $batch request: how many inner requests it carried. */
  batchInnerCount?: number;
  /** On an inner request: the seq of its $batch. */
  batchSeq?: number;
  /** A write (any method but GET, or a $batch with a non-GET inner request) that was refused. */
  refused?: 'write';
  /** Identity used for fault decisions and retry checks: tenant|method|path. */
  clientKey: string;
  /** Microsoft error code answered (AADSTS code, Graph or ARM code), when any. */
  error?: string;
  /** login: the grant type of a token request. */
  grantType?: string;
}

export interface RetryTiming {
  clientKey: string;
  /** seq of the throttled response. */
  seq: number;
  /** What the Retry-After asked for, in ms after the throttled request arrived. */
  retryAfterMs: number;
  /** When the next identical request arrived, in ms after the throttled one; null if none did. */
  waitedMs: number | null;
  honoured: boolean | null;
}

/** For each throttled response, when the client's next identical request came. */
export function retryTimings(log: readonly RequestLogEntry[]): RetryTiming[] {
  const out: RetryTiming[] = [];
  log.forEach((entry, index) => {
    if (entry.retryAt === undefined) return;
    const next = log.slice(index + 1).find((later) => later.clientKey === entry.clientKey && later.seq > entry.seq);
    out.push({
      clientKey: entry.clientKey,
      seq: entry.seq,
      retryAfterMs: entry.retryAt - entry.time,
      waitedMs: next ? next.time - entry.time : null,
      honoured: next ? next.time >= entry.retryAt : null,
    });
  });
  return out;
}
