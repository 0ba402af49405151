// The one HTTPS transport everything that talks to Microsoft goes through: @azure/identity (via
// the HttpClient adapter in identity.ts), the Graph client (via the final middleware in graph.ts),
// ARM and anonymous discovery. It sends exactly one attempt; retries live in sender.ts.
//
// Trust: Node's default CA store, which includes NODE_EXTRA_CA_CERTS. An extra PEM (`ca`) can be
// added for in-process use with the simulated cloud; it is added to, never replaces, the default.
import https from 'node:https';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import { assertReadOnly, type GuardRules } from './guard.js';

export interface TransportRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
  /** Overrides the transport's default timeout for this attempt. */
  timeoutMs?: number;
}

export interface TransportResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Buffer;
}

export type TransportFailure = 'timeout' | 'network' | 'too_large';

/** One attempt failed without a usable response. `code` is Node's error code (ECONNRESET, …). */
export class TransportError extends Error {
  constructor(readonly kind: TransportFailure, message: string, readonly code?: string) {
    super(message);
    this.name = 'TransportError';
  }
}

/** Raised when the caller's AbortSignal fires; never an AccessError (a cancelled run records nothing). */
export class AbortError extends Error {
  constructor(message = 'The operation was aborted.') {
    super(message);
    this.name = 'AbortError';
  }
}

export const isAbortError = (error: unknown): boolean => error instanceof Error && error.name === 'AbortError';

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError();
}

export interface TransportOptions {
  guard: GuardRules;
  /** Extra trusted certificate(s), PEM. */
  ca?: string | string[];
  timeoutMs: number;
  maxResponseBytes: number;
  /** Sockets per origin kept by the agent. */
  maxSockets?: number;
  env?: NodeJS.ProcessEnv;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 20 * 1024 * 1024;

function trustedCertificates(extra: string | string[], env: NodeJS.ProcessEnv): string[] {
  const list = [...tls.rootCertificates];
  const extraFile = env.NODE_EXTRA_CA_CERTS;
  if (extraFile) {
    try {
      list.push(readFileSync(extraFile, 'utf8'));
    } catch {
      // Node itself only warns about an unreadable NODE_EXTRA_CA_CERTS; do the same (skip it).
    }
  }
  return list.concat(extra);
}

function flattenHeaders(raw: NodeJSHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}
type NodeJSHeaders = Record<string, string | string[] | undefined>;

export class Transport {
  private readonly agent: https.Agent;

  constructor(private readonly options: TransportOptions) {
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: options.maxSockets ?? 32,
      ...(options.ca ? { ca: trustedCertificates(options.ca, options.env ?? process.env) } : {}),
    });
  }

  get guard(): GuardRules {
    return this.options.guard;
  }

  /** One attempt. Throws WriteRefusedError (before connecting), TransportError or AbortError. */
  send(request: TransportRequest): Promise<TransportResponse> {
    assertReadOnly(request.method, request.url, request.body, this.options.guard);
    throwIfAborted(request.signal);
    const url = new URL(request.url);
    const timeoutMs = request.timeoutMs ?? this.options.timeoutMs;
    const limit = this.options.maxResponseBytes;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      // We never ask for compressed bodies, so the size cap counts real bytes.
      if (name.toLowerCase() !== 'accept-encoding') headers[name] = value;
    }
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    if (body) headers['content-length'] = String(body.length);

    return new Promise<TransportResponse>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | null, response?: TransportResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
        if (error) {
          req.destroy();
          reject(error);
        } else resolve(response!);
      };
      const onAbort = (): void => finish(new AbortError());
      const req = https.request(
        {
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[|\]$/g, ''),
          port: url.port || 443,
          path: `${url.pathname}${url.search}`,
          method: request.method.toUpperCase(),
          headers,
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const declared = Number(res.headers['content-length']);
          if (Number.isFinite(declared) && declared > limit) {
            finish(new TransportError('too_large', `response of ${declared} bytes exceeds the ${limit}-byte limit`));
            return;
          }
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > limit) {
              finish(new TransportError('too_large', `response exceeds the ${limit}-byte limit`));
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => {
            if (!res.complete) {
              finish(new TransportError('network', 'the connection closed before the response was complete', 'ECONNRESET'));
              return;
            }
            finish(null, { status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), body: Buffer.concat(chunks) });
          });
          res.on('aborted', () => finish(new TransportError('network', 'the response was cut off', 'ECONNRESET')));
          res.on('error', (error: NodeJS.ErrnoException) => finish(networkError(error)));
        },
      );
      const timer = setTimeout(
        () => finish(new TransportError('timeout', `no complete response within ${Math.round(timeoutMs / 100) / 10} s`, 'ETIMEDOUT')),
        timeoutMs,
      );
      request.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (error: NodeJS.ErrnoException) => finish(networkError(error)));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function networkError(error: NodeJS.ErrnoException): TransportError {
  const code = error.code ?? 'ECONNRESET';
  return new TransportError('network', error.message || code, code);
}
