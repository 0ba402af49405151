// Plain HTTPS requests to the sim (Node's https with the sim's CA), so these tests exercise the
// server itself and not our access layer.
import { request as httpsRequest } from 'node:https';
import type { SimCloud } from '../../sim/index.js';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Parsed JSON body (or null when the body is not JSON). */
  json: any;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export function call(cloud: Pick<SimCloud, 'ca'>, url: string, options: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers = { ...options.headers };
    if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
    const req = httpsRequest(url, { method: options.method ?? 'GET', headers, ca: cloud.ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = null;
        try {
          json = JSON.parse(text);
        } catch {
          json = null;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** An app-only token for a tenant through the token endpoint (client secret). */
export async function appToken(cloud: SimCloud, tenant: string, resource: 'graph' | 'arm' = 'graph'): Promise<string> {
  const scope = resource === 'graph' ? 'https://graph.microsoft.com/.default' : 'https://management.azure.com/.default';
  const reply = await call(cloud, `${cloud.authorityHost}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: cloud.trackerApp.clientId, client_secret: cloud.trackerApp.clientSecret, scope }).toString(),
  });
  if (reply.status !== 200) throw new Error(`token for ${tenant}: ${reply.status} ${reply.text}`);
  return reply.json.access_token as string;
}

export function bearer(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${token}`, ...extra };
}
