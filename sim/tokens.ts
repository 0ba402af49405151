// Access tokens as compact JWTs signed with a per-run HMAC key. Clients never verify them (they
// only decode the claims, as real clients do); the sim's own Graph and ARM listeners do.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { base64url, fromBase64url } from './ids.js';

export type Claims = Record<string, unknown>;

export class TokenSigner {
  private readonly key = randomBytes(32);

  sign(claims: Claims): string {
    const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256', kid: 'sim' }));
    const payload = base64url(JSON.stringify(claims));
    const signature = createHmac('sha256', this.key).update(`${header}.${payload}`).digest('base64url');
    return `${header}.${payload}.${signature}`;
  }

  /** The claims of a token this signer issued, or null when malformed or signed by anyone else. */
  verify(token: string): Claims | null {
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    const [header, payload, signature] = parts as [string, string, string];
    const expected = createHmac('sha256', this.key).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return decodeJwtPayload(token);
  }
}

/** Decodes a JWT payload without verifying it (client assertions, diagnostics). */
export function decodeJwtPayload(token: string): Claims | null {
  return decodeJwtPart(token, 1);
}

export function decodeJwtHeader(token: string): Claims | null {
  return decodeJwtPart(token, 0);
}

function decodeJwtPart(token: string, index: 0 | 1): Claims | null {
  const part = token.split('.')[index];
  if (!part) return null;
  try {
    const claims: unknown = JSON.parse(fromBase64url(part));
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Claims) : null;
  } catch {
    return null;
  }
}

/** Which API a token is for, from its audience. */
export type Audience = 'graph' | 'arm';

export const AUDIENCES: Record<Audience, readonly string[]> = {
  graph: ['https://graph.microsoft.com', 'https://graph.microsoft.com/', '00000003-0000-0000-c000-000000000000'],
  arm: [
    'https://management.azure.com',
    'https://management.azure.com/',
    'https://management.core.windows.net',
    'https://management.core.windows.net/',
  ],
};

/** The API a resource URI (the part of a scope before the last '/') names, or null when the sim serves no such API. */
export function audienceOfResource(resource: string): Audience | null {
  for (const audience of ['graph', 'arm'] as const) {
    if (AUDIENCES[audience].includes(resource) || AUDIENCES[audience].includes(`${resource}/`)) return audience;
  }
  return null;
}
