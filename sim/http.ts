// The HTTPS plumbing shared by the three listeners: read the request, log it, apply latency,
// run the service's handler, and carry out what it decided (answer, drop the connection, stall).
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { SimCertificate } from './certificate.js';
import type { RequestLogEntry, SimService } from './log.js';

export interface SimRequest {
  service: SimService;
  method: string;
  /** Path and query exactly as received. */
  rawPath: string;
  /** Decoded path without query. */
  pathname: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The log entry of this request; handlers fill in tenantId, error, fault… */
  entry: RequestLogEntry;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as given. */
  body?: unknown;
}

/** What a handler wants done with the connection instead of answering. */
export type SimOutcome = SimResponse | { action: 'drop' } | { action: 'stall' };

export type Handler = (request: SimRequest) => Promise<SimOutcome> | SimOutcome;

export interface ListenerHooks {
  latencyMs(): number;
  stallMs(): number;
  nextSeq(): number;
  record(entry: RequestLogEntry): void;
}

const MAX_BODY = 1024 * 1024;

export interface Listener {
  server: Server;
  origin: string;
  close(): Promise<void>;
}

export async function startListener(
  service: SimService,
  certificate: SimCertificate,
  hooks: ListenerHooks,
  handler: Handler,
  port = 0,
): Promise<Listener> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (ms <= 0 || closing) return resolve();
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const server = createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
    void serve(req, res);
  });
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that hangs up mid-handshake is not the sim's problem.
  server.on('tlsClientError', () => undefined);

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawPath = req.url ?? '/';
    const url = new URL(rawPath, 'https://sim.invalid');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      pathname = url.pathname;
    }
    const entry: RequestLogEntry = {
      seq: hooks.nextSeq(),
      time: Date.now(),
      service,
      method: req.method ?? 'GET',
      path: rawPath,
      tenantId: null,
      status: 0,
      clientKey: `-|${req.method ?? 'GET'}|${rawPath}`,
    };
    hooks.record(entry);
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      entry.status = 413;
      send(res, { status: 413, body: { error: { code: 'RequestEntityTooLarge', message: 'Request body too large.' } } });
      return;
    }
    await wait(hooks.latencyMs());
    if (closing) return void req.socket.destroy();
    let outcome: SimOutcome;
    try {
      outcome = await handler({ service, method: entry.method, rawPath, pathname, query: url.searchParams, headers: req.headers, body, entry });
    } catch (error) {
      outcome = {
        status: 500,
        body: { error: { code: 'InternalServerError', message: `simulated cloud bug: ${(error as Error).message}` } },
      };
    }
    if ('action' in outcome) {
      entry.fault = outcome.action;
      if (outcome.action === 'stall') await wait(hooks.stallMs());
      req.socket.destroy();
      return;
    }
    entry.status = outcome.status;
    send(res, outcome);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    origin: `https://127.0.0.1:${actualPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, response: SimResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload = '';
  if (response.body !== undefined) {
    if (typeof response.body === 'string') {
      payload = response.body;
      headers['content-type'] ??= 'text/plain; charset=utf-8';
    } else {
      payload = JSON.stringify(response.body);
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
  }
  headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(response.status, headers);
  res.end(payload);
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const value = headerValue(headers, 'authorization');
  const match = value ? /^Bearer\s+(\S+)$/i.exec(value) : null;
  return match?.[1] ?? null;
}
