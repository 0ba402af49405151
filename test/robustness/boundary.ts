// A tiny HTTPS server at the boundary (the access-layer tests' test server): it stands in front of
// one of the sim's services, passes requests through, and lets a test answer chosen requests itself
// (a malformed or oversized body, a 401 for an expired token) or send them elsewhere (a token
// request to another tenant). The product sees an ordinary Microsoft endpoint; nothing inside it
// is mocked.
import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { startTestServer, type LoggedRequest } from '../microsoft/support/https-server.js';

export type BoundaryRequest = LoggedRequest;

export type BoundaryAnswer =
  /** Answer without asking the sim. */
  | { status: number; headers?: Record<string, string>; body: string | Buffer }
  /** Ask the sim (at `forwardTo` instead of the path asked for), then optionally rewrite its answer's body. */
  | { forwardTo?: string; rewrite?: (body: string) => string };

export interface BoundaryProxy {
  origin: string;
  /** The proxy's certificate (PEM), to trust alongside the sim's. */
  cert: string;
  /** Every request the proxy received, in order. */
  seen: BoundaryRequest[];
  close(): Promise<void>;
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/**
 * Starts a proxy for `target` (an https origin of the sim). `answer` returns undefined to pass a
 * request through unchanged. Bodies passing through have the sim's origin replaced by the proxy's,
 * so discovery documents send the client back through the proxy.
 */
export async function startBoundaryProxy(
  target: string,
  ca: string,
  answer: (request: BoundaryRequest) => BoundaryAnswer | undefined,
): Promise<BoundaryProxy> {
  const server = await startTestServer();
  server.setHandler(async (request, res) => {
    const decision = answer(request);
    if (decision && 'status' in decision) {
      const body = typeof decision.body === 'string' ? Buffer.from(decision.body) : decision.body;
      res.writeHead(decision.status, { 'content-type': 'application/json', ...decision.headers, 'content-length': String(body.length) });
      res.end(body);
      return;
    }
    const body = Buffer.from(request.body);
    const headers: IncomingHttpHeaders = { ...request.headers, host: new URL(target).host, 'content-length': String(body.length) };
    const reply = await new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const upstream = httpsRequest(`${target}${decision?.forwardTo ?? request.path}`, { method: request.method, headers, ca }, (response) => {
        readAll(response).then((data) => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: data }), reject);
      });
      upstream.on('error', reject);
      upstream.end(body);
    });
    let out = reply.body;
    if (/json|text/.test(String(reply.headers['content-type'] ?? ''))) {
      const text = out.toString('utf8').split(target).join(server.origin);
      out = Buffer.from(decision?.rewrite ? decision.rewrite(text) : text);
    }
    const outHeaders = { ...reply.headers, 'content-length': String(out.length) };
    delete outHeaders['transfer-encoding'];
    res.writeHead(reply.status, outHeaders);
    res.end(out);
  });
  return { origin: server.origin, cert: server.ca, seen: server.log, close: () => server.close() };
}
