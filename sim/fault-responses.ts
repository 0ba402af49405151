// What an injected fault looks like on the wire for each service.
import type { SimContext } from './context.js';
import { errorDate } from './context.js';
import type { SimResponse } from './http.js';
import { randomGuid } from './ids.js';
import type { RequestLogEntry } from './log.js';
import type { SimTenant } from './model.js';

export type FaultResult = { kind: 'response'; response: SimResponse } | { kind: 'outcome'; outcome: { action: 'drop' } | { action: 'stall' } };

/** Decides and shapes the fault for a request (or an inner $batch request); null = no fault. */
export function applyFault(ctx: SimContext, entry: RequestLogEntry, tenant: SimTenant, service: 'graph' | 'arm', inBatch: boolean): FaultResult | null {
  const fault = ctx.faults.decide(entry.clientKey, tenant.ms, inBatch);
  if (!fault) return null;
  entry.fault = fault;
  if (fault === 'drop' || fault === 'stall') return { kind: 'outcome', outcome: { action: fault } };
  if (fault === 'unavailable') {
    entry.error = service === 'graph' ? 'serviceNotAvailable' : 'ServiceUnavailable';
    return {
      kind: 'response',
      response: {
        status: 503,
        body:
          service === 'graph'
            ? { error: { code: 'serviceNotAvailable', message: 'The service is temporarily unavailable. Please retry later.', innerError: innerError(ctx) } }
            : { error: { code: 'ServiceUnavailable', message: 'The server is currently unable to handle the request due to a temporary overloading or maintenance.' } },
      },
    };
  }
  const { header, retryAt } = ctx.faults.retryAfter(Date.now());
  entry.retryAfter = header;
  entry.retryAt = retryAt;
  entry.error = service === 'graph' ? 'TooManyRequests' : 'SubscriptionRequestsThrottled';
  const seconds = Math.max(1, Math.ceil((retryAt - Date.now()) / 1000));
  return {
    kind: 'response',
    response: {
      status: 429,
      headers: { 'retry-after': header, ...(service === 'arm' ? { 'x-ms-ratelimit-remaining-subscription-reads': '0' } : {}) },
      body:
        service === 'graph'
          ? { error: { code: 'TooManyRequests', message: 'Too many requests. Please retry after the time given in the Retry-After header.', innerError: innerError(ctx) } }
          : {
              error: {
                code: 'SubscriptionRequestsThrottled',
                message: `Number of 'read' requests for subscription actor '${tenant.tenantId}' exceeded. Please try again after '${seconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`,
              },
            },
    },
  };
}

function innerError(ctx: SimContext): Record<string, string> {
  return { date: errorDate(new Date(ctx.nowMs())), 'request-id': randomGuid(), 'client-request-id': randomGuid() };
}
