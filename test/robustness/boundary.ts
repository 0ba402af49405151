// A tiny HTTPS server at the boundary: it stands in front of one of the sim's services, passes
// requests through, and lets a test answer chosen requests itself (a malformed or oversized body,
// a 401 for an expired token) or send them elsewhere (a token request to another tenant). The
// product sees an ordinary Microsoft endpoint; nothing inside it is mocked.
import { request as httpsRequest, createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { generate } from 'selfsigned';

export interface BoundaryRequest {
  method: string;
  /** Path and query as received. */
  path: string;
  body: Buffer;
}

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

let certificate: Promise<{ key: string; cert: string }> | null = null;

function proxyCertificate(): Promise<{ key: string; cert: string }> {
  certificate ??= generate([{ name: 'commonName', value: 'expel-track robustness boundary' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - 3600_000),
    notAfterDate: new Date(Date.now() + 7 * 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  return certificate;
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
  const { key, cert } = await proxyCertificate();
  const seen: BoundaryRequest[] = [];
  let origin = '';
  const server: Server = createServer({ key, cert }, (req, res) => {
    void (async () => {
      const request: BoundaryRequest = { method: req.method ?? 'GET', path: req.url ?? '/', body: await readAll(req) };
      seen.push(request);
      const decision = answer(request);
      if (decision && 'status' in decision) {
        const body = typeof decision.body === 'string' ? Buffer.from(decision.body) : decision.body;
        res.writeHead(decision.status, { 'content-type': 'application/json', ...decision.headers, 'content-length': String(body.length) });
        res.end(body);
        return;
      }
      const path = decision?.forwardTo ?? request.path;
      const headers: IncomingHttpHeaders = { ...req.headers, host: new URL(target).host };
      delete headers['content-length'];
      const upstream = httpsRequest(`${target}${path}`, { method: request.method, headers: { ...headers, 'content-length': String(request.body.length) }, ca }, async (reply) => {
        let body = await readAll(reply);
        if (/json|text/.test(String(reply.headers['content-type'] ?? ''))) {
          const text = body.toString('utf8').split(target).join(origin);
          body = Buffer.from(decision?.rewrite ? decision.rewrite(text) : text);
        }
        const out = { ...reply.headers, 'content-length': String(body.length) };
        delete out['transfer-encoding'];
        res.writeHead(reply.statusCode ?? 502, out);
        res.end(body);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(request.body);
    })().catch(() => res.destroy());
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    origin,
    cert,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
