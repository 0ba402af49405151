// Deterministic identifiers: the same label always gives the same GUID, so scenario data,
// documentation and tests agree across runs without storing every object ID by hand.
import { createHash, randomBytes } from 'node:crypto';

/** A lower-case, version-4-shaped GUID derived from `label` (stable across runs and machines). */
export function stableGuid(label: string): string {
  const hex = createHash('sha256').update(label).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A random GUID for per-request identifiers (request-id, trace IDs). */
export function randomGuid(): string {
  return stableGuid(randomBytes(16).toString('hex'));
}

export function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

export function fromBase64url(input: string): string {
  return Buffer.from(input, 'base64url').toString('utf8');
}

/** A short deterministic token of letters and digits, e.g. a secret hint or a storage name suffix. */
export function stableToken(label: string, length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const digest = createHash('sha256').update(label).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[(digest[i % digest.length] ?? 0) % alphabet.length];
  return out;
}
