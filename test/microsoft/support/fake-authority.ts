// Just enough of a sign-in authority for MSAL's client-credentials flow (microsoft-apis.md §11.4):
// per-tenant OpenID configuration and a token endpoint. `issueTid` lets a test hand back a
// token for another tenant than the one asked for.
import type { ServerResponse } from 'node:http';
import { fakeJwt, json, startTestServer, type LoggedRequest, type TestServer } from './https-server.js';

export interface FakeAuthorityOptions {
  origin: string;
  /** The tenant written into the token; default: the tenant in the token URL. */
  issueTid?: (requestedTenant: string) => string;
  /** Replaces the access token for a tenant (e.g. an opaque string, or claims without tid). */
  accessToken?: (requestedTenant: string) => string | null;
  /** AADSTS failure per tenant: [HTTP status, AADSTS code, description]. */
  failure?: (tenant: string) => [number, number, string] | null;
}

export const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;
const CONFIG_PATH = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/;

/** Handles authority requests; returns false for anything else. */
export function authorityRoutes(options: FakeAuthorityOptions): (request: LoggedRequest, res: ServerResponse) => boolean {
  return (request, res) => {
    const path = request.path.split('?')[0] ?? '';
    const config = CONFIG_PATH.exec(path);
    if (request.method === 'GET' && config) {
      const tenant = config[1]!;
      const base = `${options.origin}/${tenant}`;
      json(res, 200, {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        issuer: `${options.origin}/${tenant}/v2.0`,
        response_types_supported: ['code'],
      });
      return true;
    }
    const token = TOKEN_PATH.exec(path);
    if (request.method === 'POST' && token) {
      const tenant = token[1]!;
      const failure = options.failure?.(tenant);
      if (failure) {
        const [status, code, description] = failure;
        json(res, status, { error: 'invalid_request', error_description: `AADSTS${code}: ${description}`, error_codes: [code] });
        return true;
      }
      const tid = options.issueTid?.(tenant) ?? tenant;
      const now = Math.floor(Date.now() / 1000);
      const scope = new URLSearchParams(request.body).get('scope') ?? '';
      json(res, 200, {
        token_type: 'Bearer',
        expires_in: 3599,
        access_token:
          options.accessToken?.(tenant) ??
          fakeJwt({ tid, aud: scope.replace('/.default', ''), appid: 'app', oid: 'sp-object', roles: ['Directory.Read.All'], iat: now, exp: now + 3599 }),
      });
      return true;
    }
    return false;
  };
}

export interface FakeCloud {
  server: TestServer;
  /** Answers everything that is not the authority. */
  route: (handler: (request: LoggedRequest, res: ServerResponse) => void) => void;
}

/** A test server that is the authority, Graph and ARM at once; tests script the non-authority part. */
export async function startFakeCloud(): Promise<FakeCloud> {
  const server = await startTestServer();
  const auth = authorityRoutes({ origin: server.origin });
  let handler: (request: LoggedRequest, res: ServerResponse) => void = (_, res) => json(res, 404, { error: { code: 'NotFound' } });
  server.setHandler((req, res) => {
    if (auth(req, res)) return;
    handler(req, res);
  });
  return {
    server,
    route: (next) => {
      handler = next;
    },
  };
}
