// Anonymous OpenID configuration discovery (microsoft-apis.md C-01): does this tenant ID or
// domain exist in the configured cloud, and which tenant is it? No token is involved.
import { findAadsts, readServiceError, unexpectedResponse } from './errors.js';
import { readJson, sendWithRetries, type SenderContext } from './sender.js';
import type { DiscoveryResult } from './types.js';

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i;

export function isTenantIdOrDomain(value: string): boolean {
  return new RegExp(`^${GUID.source}$`, 'i').test(value) || DOMAIN.test(value);
}

export async function discoverTenant(sender: SenderContext, authorityHost: string, tenantIdOrDomain: string): Promise<DiscoveryResult> {
  const name = tenantIdOrDomain.trim();
  if (!isTenantIdOrDomain(name)) {
    throw new RangeError(`not a tenant ID or domain: '${name.slice(0, 80)}'`);
  }
  const label = `GET /${name}/v2.0/.well-known/openid-configuration`;
  const response = await sendWithRetries(sender, {
    method: 'GET',
    url: `${authorityHost}/${encodeURIComponent(name)}/v2.0/.well-known/openid-configuration`,
    headers: { Accept: 'application/json' },
    label,
  });
  if (response.status === 400 || response.status === 404) {
    let body: unknown = null;
    try {
      body = JSON.parse(response.body.toString('utf8'));
    } catch {
      body = null;
    }
    const service = readServiceError(body);
    const codes = (body as { error_codes?: unknown } | null)?.error_codes;
    const first = Array.isArray(codes) && typeof codes[0] === 'number' ? String(codes[0]) : null;
    const aadsts = findAadsts(service.message) ?? first;
    return { found: false, code: aadsts ? `AADSTS${aadsts}` : (service.code ?? null) };
  }
  const document = readJson(response, label) as Record<string, unknown> | null;
  const issuer = document && typeof document.issuer === 'string' ? document.issuer : null;
  let tenantId: string | undefined;
  try {
    tenantId = issuer ? GUID.exec(new URL(issuer).pathname)?.[0] : undefined;
  } catch {
    tenantId = undefined;
  }
  if (!issuer || !tenantId) throw unexpectedResponse(label, 'the OpenID configuration has no issuer with a tenant ID', response.status);
  const cloudInstanceName = typeof document!.cloud_instance_name === 'string' ? document!.cloud_instance_name : null;
  return { found: true, tenantId: tenantId.toLowerCase(), issuer, cloudInstanceName };
}
