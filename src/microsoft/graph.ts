// Microsoft Graph through @microsoft/microsoft-graph-client: the client's own
// AuthenticationHandler with a TokenCredentialAuthenticationProvider (tokens from this tenant's
// credential, tid-checked), then our final handler, which sends through the shared transport
// with retries and hands the client a fetch Response. Paging, $batch and the Prefer header for
// security reads live in the reader below.
import { AuthenticationHandler, Client, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { accessError, fromHttpResponse, unexpectedResponse } from './errors.js';
import { BATCH_LIMIT } from './guard.js';
import { checkNextLink, pageItems } from './paging.js';
import type { CheckedToken } from './identity.js';
import { RETRYABLE_STATUSES, decideRetry } from './retry.js';
import { readJson, requestLabel, sendWithRetries, type SenderContext } from './sender.js';
import { AbortError, isAbortError } from './transport.js';
import { AccessError, type GraphReader, type GraphRequest, type GraphVersion, type ReadResult } from './types.js';

export const PREFER_UNKNOWN_ENUMS = 'include-unknown-enum-members';

export interface GraphAccess {
  /** A tid-checked token for the Graph scope. */
  getToken(signal?: AbortSignal): Promise<CheckedToken>;
  graphOrigin: string;
  sender: SenderContext;
}

/** Per-request slot where the first handler parks the real error; the client would flatten it into a GraphError. */
class ErrorSlot {
  error: unknown = undefined;
}

function slotOf(context: Context): ErrorSlot | undefined {
  return context.middlewareControl?.getMiddlewareOptions(ErrorSlot) as ErrorSlot | undefined;
}

class ErrorCaptureHandler implements Middleware {
  private next!: Middleware;
  async execute(context: Context): Promise<void> {
    try {
      await this.next.execute(context);
    } catch (error) {
      const slot = slotOf(context);
      if (slot && slot.error === undefined) slot.error = error;
      throw error;
    }
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

function plainHeaders(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  if (raw instanceof Headers) {
    raw.forEach((value, name) => (out[name] = value));
  } else if (Array.isArray(raw)) {
    for (const pair of raw as Array<[string, string]>) out[pair[0]] = String(pair[1]);
  } else {
    for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
      if (value !== undefined && value !== null) out[name] = String(value);
    }
  }
  return out;
}

/** The last link of the chain: our transport instead of fetch. Non-2xx responses become AccessErrors here. */
class TransportHandler implements Middleware {
  constructor(private readonly access: GraphAccess) {}
  async execute(context: Context): Promise<void> {
    const request = context.request as unknown;
    const url = typeof request === 'string' ? request : (request as { url: string }).url;
    const options = context.options ?? {};
    const method = (options.method ?? 'GET').toUpperCase();
    const body = options.body;
    if (body !== undefined && body !== null && typeof body !== 'string') {
      throw accessError('unexpected_response', 'only JSON text bodies are sent to Graph', { request: method });
    }
    const label = requestLabel(method, url, this.access.graphOrigin);
    // The method is passed through as is: the transport's guard refuses anything but reads.
    const response = await sendWithRetries(this.access.sender, {
      method: method as 'GET' | 'POST',
      url,
      headers: plainHeaders(options.headers),
      body: typeof body === 'string' ? body : undefined,
      label,
    });
    readJson(response, label); // non-2xx and non-JSON bodies throw here, with the raw body at hand
    const headers = new Headers();
    headers.set('content-type', response.headers['content-type'] ?? 'application/json');
    context.response = new Response(response.status === 204 ? null : response.body.toString('utf8'), { status: response.status, headers });
  }
}

/** TokenCredential for the Graph auth provider: this tenant's checked token, nothing else. */
class CheckedGraphCredential implements TokenCredential {
  constructor(private readonly access: GraphAccess) {}
  async getToken(): Promise<AccessToken> {
    const checked = await this.access.getToken(this.access.sender.signal);
    const expiresOn = checked.claims.expiresOn ? Date.parse(checked.claims.expiresOn) : Date.now() + 60_000;
    return { token: checked.token, expiresOnTimestamp: expiresOn };
  }
}

export function createGraphClient(access: GraphAccess, scope: string): Client {
  const authProvider = new TokenCredentialAuthenticationProvider(new CheckedGraphCredential(access), { scopes: [scope] });
  return Client.initWithMiddleware({
    baseUrl: `${access.graphOrigin}/`,
    defaultVersion: 'v1.0',
    // Hostnames only (the client compares without the port); the origin check on nextLinks keeps the port honest.
    customHosts: new Set([new URL(access.graphOrigin).hostname]),
    middleware: [new ErrorCaptureHandler(), new AuthenticationHandler(authProvider), new TransportHandler(access)],
  });
}

/** Rethrows what really failed under the Graph client (AccessError, AbortError, WriteRefusedError, …). */
function surface(error: unknown, slot: ErrorSlot, label: string): never {
  const real = slot.error ?? error;
  if (real instanceof AccessError) throw real;
  if (isAbortError(real)) throw new AbortError();
  if (real instanceof Error && real.name !== 'GraphError' && real.name !== 'SyntaxError') throw real;
  throw unexpectedResponse(label, `the Graph client could not read the response: ${real instanceof Error ? real.message : String(real)}`);
}

const isSecurityPath = (path: string): boolean => /^\/?security\//i.test(path);

/** Request headers for a Graph path (below the version root): the caller's, plus Prefer on security reads. */
export function graphHeaders(path: string, headers: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'authorization') out[name] = value;
  }
  if (isSecurityPath(path)) {
    const key = Object.keys(out).find((name) => name.toLowerCase() === 'prefer');
    if (!key) out.Prefer = PREFER_UNKNOWN_ENUMS;
    else if (!out[key]!.toLowerCase().includes(PREFER_UNKNOWN_ENUMS)) out[key] = `${out[key]}, ${PREFER_UNKNOWN_ENUMS}`;
  }
  return out;
}

function checkPath(path: string): void {
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//') || /^\/(?:v1\.0|beta)\//.test(path) || path.includes('#')) {
    throw new RangeError(`a Graph path starts with '/', below the version root, e.g. '/users?$top=5'; got '${String(path).slice(0, 100)}'`);
  }
}

interface BatchItem {
  key: string;
  id: string;
  request: GraphRequest;
  path: string;
  label: string;
  attempt: number;
  readyAt: number;
}

export class SessionGraphReader implements GraphReader {
  constructor(private readonly client: Client, private readonly access: GraphAccess) {}

  private async fetch(target: string, version: GraphVersion, headers: Record<string, string>, label: string): Promise<unknown> {
    const slot = new ErrorSlot();
    let call = this.client.api(target);
    if (!target.startsWith('https://')) call = call.version(version);
    try {
      return (await call.headers(headers).middlewareOptions([slot]).get()) as unknown;
    } catch (error) {
      surface(error, slot, label);
    }
  }

  async get<T = unknown>(request: GraphRequest): Promise<T> {
    if (request.all) return { value: await this.list(request) } as T;
    checkPath(request.path);
    const version = request.version ?? 'v1.0';
    return (await this.fetch(request.path, version, graphHeaders(request.path, request.headers), `GET ${version} ${request.path}`)) as T;
  }

  async list<T = unknown>(request: Omit<GraphRequest, 'all'>): Promise<T[]> {
    checkPath(request.path);
    const version = request.version ?? 'v1.0';
    const label = `GET ${version} ${request.path}`;
    const first = await this.fetch(request.path, version, graphHeaders(request.path, request.headers), label);
    return (await this.followPages(first, request, label)) as T[];
  }

  /** Collects `value` of `page` and of every page after it. */
  private async followPages(page: unknown, request: Omit<GraphRequest, 'all'>, label: string): Promise<unknown[]> {
    const items: unknown[] = [];
    const seen = new Set<string>();
    let current = page;
    for (;;) {
      items.push(...pageItems(current, label));
      const next = (current as Record<string, unknown>)['@odata.nextLink'];
      if (next === undefined || next === null) return items;
      const link = checkNextLink(next, this.access.graphOrigin, label, seen);
      const pathBelowVersion = new URL(link).pathname.replace(/^\/(?:v1\.0|beta)/, '');
      current = await this.fetch(link, request.version ?? 'v1.0', graphHeaders(pathBelowVersion, request.headers), label);
    }
  }

  async batch<K extends string>(requests: Record<K, GraphRequest>): Promise<Record<K, ReadResult>> {
    const results = {} as Record<K, ReadResult>;
    const byVersion = new Map<GraphVersion, BatchItem[]>();
    let counter = 0;
    for (const key of Object.keys(requests) as K[]) {
      const request = requests[key];
      checkPath(request.path);
      const version = request.version ?? 'v1.0';
      const item: BatchItem = { key, id: String(++counter), request, path: request.path, label: `GET ${version} ${request.path}`, attempt: 0, readyAt: 0 };
      const group = byVersion.get(version) ?? [];
      group.push(item);
      byVersion.set(version, group);
    }
    await Promise.all(
      [...byVersion].map(async ([version, items]) => {
        const settled = await this.runBatches(version, items);
        for (const [key, result] of settled) results[key as K] = result;
      }),
    );
    return results;
  }

  /** Sends `items` in $batch rounds of ≤20 until each has settled; retryable inner failures wait for their own Retry-After. */
  private async runBatches(version: GraphVersion, items: BatchItem[]): Promise<Map<string, ReadResult>> {
    const { policy, signal, stats } = this.access.sender;
    const settled = new Map<string, ReadResult>();
    const followUps: Array<Promise<void>> = [];
    let pending = items;
    while (pending.length > 0) {
      const now = policy.clock.now();
      const ready = pending.filter((item) => item.readyAt <= now);
      if (ready.length === 0) {
        await policy.clock.sleep(Math.min(...pending.map((item) => item.readyAt)) - now, signal);
        continue;
      }
      const waiting = pending.filter((item) => item.readyAt > now);
      const retry: BatchItem[] = [];
      const chunks: BatchItem[][] = [];
      for (let i = 0; i < ready.length; i += BATCH_LIMIT) chunks.push(ready.slice(i, i + BATCH_LIMIT));
      await Promise.all(
        chunks.map(async (chunk) => {
          for (const item of chunk) if (item.attempt > 0) stats.retries++;
          let responses: Map<string, { status: number; headers: Record<string, string>; body: unknown }>;
          try {
            responses = await this.sendBatch(version, chunk);
          } catch (error) {
            if (!(error instanceof AccessError)) throw error;
            for (const item of chunk) settled.set(item.key, { ok: false, error });
            return;
          }
          for (const item of chunk) {
            const inner = responses.get(item.id);
            if (!inner) {
              settled.set(item.key, { ok: false, error: unexpectedResponse(item.label, 'the $batch reply has no response for this request') });
              continue;
            }
            if (RETRYABLE_STATUSES.has(inner.status)) {
              stats.throttled++;
              const retryAfter = Object.entries(inner.headers).find(([name]) => name.toLowerCase() === 'retry-after')?.[1];
              const decision = decideRetry(item.attempt, retryAfter, policy);
              if (decision.retry) {
                item.attempt++;
                item.readyAt = policy.clock.now() + decision.delayMs;
                retry.push(item);
              } else {
                settled.set(item.key, { ok: false, error: fromHttpResponse(inner.status, inner.body, item.label, decision.retryAfterMs) });
              }
              continue;
            }
            if (inner.status < 200 || inner.status > 299) {
              settled.set(item.key, { ok: false, error: fromHttpResponse(inner.status, inner.body, item.label) });
              continue;
            }
            if (item.request.all) {
              const followUp = this.followPages(inner.body, item.request, item.label).then(
                (value) => void settled.set(item.key, { ok: true, body: { value } }),
                (error: unknown) => {
                  if (!(error instanceof AccessError)) throw error;
                  settled.set(item.key, { ok: false, error });
                },
              );
              // Awaited after the rounds; the no-op keeps an early abort from counting as unhandled meanwhile.
              followUp.catch(() => undefined);
              followUps.push(followUp);
            } else {
              settled.set(item.key, { ok: true, body: inner.body });
            }
          }
        }),
      );
      pending = [...waiting, ...retry];
    }
    await Promise.all(followUps);
    return settled;
  }

  private async sendBatch(version: GraphVersion, chunk: BatchItem[]): Promise<Map<string, { status: number; headers: Record<string, string>; body: unknown }>> {
    const label = `POST ${version} /$batch`;
    const content = {
      requests: chunk.map((item) => {
        const headers = graphHeaders(item.path, item.request.headers);
        return { id: item.id, method: 'GET', url: item.path, ...(Object.keys(headers).length > 0 ? { headers } : {}) };
      }),
    };
    const slot = new ErrorSlot();
    let reply: unknown;
    try {
      reply = await this.client.api('/$batch').version(version).middlewareOptions([slot]).post(content);
    } catch (error) {
      surface(error, slot, label);
    }
    const responses = (reply as { responses?: unknown } | null)?.responses;
    if (!Array.isArray(responses)) throw unexpectedResponse(label, 'the $batch reply has no responses array');
    const out = new Map<string, { status: number; headers: Record<string, string>; body: unknown }>();
    for (const entry of responses as unknown[]) {
      const inner = entry as { id?: unknown; status?: unknown; headers?: unknown; body?: unknown } | null;
      if (!inner || typeof inner.id !== 'string' || typeof inner.status !== 'number') continue;
      const headers: Record<string, string> = {};
      if (inner.headers && typeof inner.headers === 'object') {
        for (const [name, value] of Object.entries(inner.headers as Record<string, unknown>)) headers[name] = String(value);
      }
      out.set(inner.id, { status: inner.status, headers, body: inner.body ?? null });
    }
    return out;
  }
}
