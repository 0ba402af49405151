// Reading a re-check off the simulated cloud's request log: per tenant, how many HTTP requests it
// cost, its longest chain of dependent round trips, and whether any read was asked for twice.
import type { RequestLogEntry } from '../../sim/index.js';

export interface TenantTraffic {
  tenantId: string;
  /** HTTP requests on the wire (a $batch counts once). */
  requests: number;
  /** Reads carried inside $batch requests. */
  batchedReads: number;
  /** Longest chain of requests each of which arrived at least one latency after the previous one. */
  waves: number;
  /** First to last arrival, plus one latency for the last answer (ms). */
  spanMs: number;
  /** Reads repeated although the earlier identical one was answered without a fault. */
  repeats: string[];
}

/**
 * The wave count is the length of the longest chain of requests in which each could have waited
 * for the answer to the one before: a request that arrives less than `latencyMs` after the first
 * request of the current wave cannot have depended on any answer of that wave (no answer leaves the
 * sim earlier), so it belongs to the same wave. Taking the earliest request as the next wave's start
 * is the classic greedy choice, so the count is the longest such chain. It can only over-count the
 * true dependency chain (a request held back by the per-tenant limit or a busy CPU looks dependent),
 * never under-count it, so the lower bound built from it is generous to the tracker.
 */
export function waveCount(arrivals: readonly number[], latencyMs: number): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let waves = 0;
  let start = Number.NEGATIVE_INFINITY;
  for (const time of sorted) {
    if (time >= start + latencyMs) {
      waves += 1;
      start = time;
    }
  }
  return waves;
}

/** Identity of a read for the repeat check: token POSTs carry a fresh client-request-id, so they never repeat. */
function readKey(entry: RequestLogEntry): string | null {
  if (entry.method !== 'GET') return null;
  return `${entry.service} ${entry.path}`;
}

export function trafficByTenant(log: readonly RequestLogEntry[], latencyMs: number): TenantTraffic[] {
  const groups = new Map<string, RequestLogEntry[]>();
  for (const entry of log) {
    if (entry.tenantId === null) continue;
    const key = entry.tenantId.toLowerCase();
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(entry);
  }
  const out: TenantTraffic[] = [];
  for (const [tenantId, entries] of groups) {
    const wire = entries.filter((e) => e.batchSeq === undefined);
    const times = wire.map((e) => e.time);
    const answered = new Set<string>();
    const repeats: string[] = [];
    for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
      const key = readKey(entry);
      if (key === null) continue;
      if (answered.has(key)) repeats.push(key);
      // Only a clean answer makes a second identical read redundant; faults are meant to be retried.
      if (entry.fault === undefined && entry.status > 0 && entry.status < 500 && entry.status !== 429) answered.add(key);
    }
    out.push({
      tenantId,
      requests: wire.length,
      batchedReads: entries.length - wire.length,
      waves: waveCount(times, latencyMs),
      spanMs: Math.max(...times) - Math.min(...times) + latencyMs,
      repeats,
    });
  }
  return out;
}
