// A small HTTPS server for access-layer tests: mocking at the HTTP boundary, with a
// self-signed certificate for 127.0.0.1 and a log of every request it received.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { generate } from 'selfsigned';

export interface LoggedRequest {
  method: string;
  /** Path and query, as received. */
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Date.now() when the request arrived (ordering and minimum gaps only; never upper bounds). */
  at: number;
}

export type Handler = (request: LoggedRequest, response: ServerResponse) => void | Promise<void>;

export interface TestServer {
  origin: string;
  ca: string;
  log: LoggedRequest[];
  /** TCP connections accepted so far. */
  connections(): number;
  /** Most requests that were being handled at the same time. */
  maxInFlight(): number;
  setHandler(handler: Handler): void;
  close(): Promise<void>;
}

let certificate: Promise<{ cert: string; key: string }> | null = null;

function testCertificate(): Promise<{ cert: string; key: string }> {
  certificate ??= generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  }).then((pems) => ({ cert: pems.cert, key: pems.private }));
  return certificate;
}

export async function startTestServer(initial: Handler = (_, res) => json(res, 404, {})): Promise<TestServer> {
  const { cert, key } = await testCertificate();
  const log: LoggedRequest[] = [];
  let handler = initial;
  let connections = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const sockets = new Set<Socket>();
  const server = https.createServer({ cert, key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry: LoggedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      log.push(entry);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      res.on('close', () => inFlight--);
      Promise.resolve(handler(entry, res)).catch((error: unknown) => {
        if (!res.headersSent) json(res, 500, { error: { code: 'TestServerError', message: String(error) } });
      });
    });
  });
  server.on('secureConnection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `https://127.0.0.1:${port}`,
    ca: cert,
    log,
    connections: () => connections,
    maxInFlight: () => maxInFlight,
    setHandler: (next) => {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** An unsigned JWT with these claims (what MSAL and our tid check read; nobody verifies signatures here). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'none' })}.${part(claims)}.c2ln`;
}
