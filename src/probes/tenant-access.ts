// access.tenant (anonymous OpenID discovery) and access.probe-access (a token plus one directory
// read). Pure evaluation here; the reads happen in the probe context.
import type { DiscoveryResult } from '../microsoft/types.js';
import { errorObservation, fail, pass, sameId, shown, type Evidence, type Observation } from './observation.js';

/** Discovery codes that mean "this tenant or domain does not exist in this cloud". */
const NOT_FOUND_CODES = new Set(['AADSTS90002', 'AADSTS50059']);
const OTHER_CLOUD_CODES = new Set(['AADSTS90038', 'AADSTS1000104']);

export interface DomainDiscovery {
  domain: string;
  result: DiscoveryResult;
}

export function evaluateTenantDiscovery(
  tenantId: string,
  byId: DiscoveryResult,
  byDomain: DomainDiscovery | null,
): Observation {
  const evidence: Evidence = {};
  if (!byId.found) {
    const code = byId.code ?? null;
    if (code !== null && OTHER_CLOUD_CODES.has(code)) {
      return errorObservation('wrong_cloud', `Tenant ${tenantId} lives in another Microsoft cloud (${code})`, { code });
    }
    if (code !== null && !NOT_FOUND_CODES.has(code)) {
      return errorObservation('unexpected_response', `Discovery of tenant ${tenantId} failed with ${shown(code)}`, {
        code: shown(code),
      });
    }
    if (code === null) {
      // Only an answer that says so (AADSTS90002) proves the tenant does not exist.
      return errorObservation('unexpected_response', `Discovery of tenant ${tenantId} gave no usable answer`, {});
    }
    return fail(`Tenant ${tenantId} does not exist in the configured cloud`, { code });
  }
  if (!sameId(byId.tenantId, tenantId)) {
    return fail(`Discovery of ${tenantId} answered for another tenant (${shown(byId.tenantId)})`, {
      discoveredTenantId: shown(byId.tenantId),
    });
  }
  evidence.issuer = shown(byId.issuer, 200);
  if (byId.cloudInstanceName) evidence.cloudInstanceName = shown(byId.cloudInstanceName);
  if (byDomain === null) return pass(`Tenant ${tenantId} exists`, evidence);

  const domain = shown(byDomain.domain);
  evidence.domain = domain;
  if (!byDomain.result.found) {
    const domainCode = byDomain.result.code ?? null;
    if (domainCode === null || !NOT_FOUND_CODES.has(domainCode)) {
      return errorObservation('unexpected_response', `Discovery of domain ${domain} gave no usable answer`, {
        ...evidence,
        domainCode: domainCode === null ? null : shown(domainCode),
      });
    }
    return fail(`Domain ${domain} does not resolve to a tenant`, { ...evidence, domainCode: byDomain.result.code });
  }
  if (!sameId(byDomain.result.tenantId, tenantId)) {
    return fail(`Domain ${domain} belongs to tenant ${shown(byDomain.result.tenantId)}, not ${tenantId}`, {
      ...evidence,
      domainTenantId: shown(byDomain.result.tenantId),
    });
  }
  return pass(`Tenant ${tenantId} exists and ${domain} resolves to it`, evidence);
}

export interface OrganizationRead {
  value?: Array<{ id?: string; displayName?: string | null }>;
}

/** The directory read succeeded: the tracker holds a working token for this tenant. */
export function evaluateProbeAccess(tenantId: string, organization: OrganizationRead): Observation {
  const org = Array.isArray(organization.value) ? organization.value[0] : undefined;
  if (org?.id && !sameId(org.id, tenantId)) {
    // The token was accepted but the directory is someone else's: never trust what follows.
    return errorObservation('wrong_tenant_token', `The directory read answered for tenant ${shown(org.id)}`, {
      organizationId: shown(org.id),
    });
  }
  const evidence: Evidence = {};
  if (org?.id) evidence.organizationId = org.id;
  if (org?.displayName) evidence.organizationName = shown(org.displayName);
  const name = org?.displayName ? ` (${shown(org.displayName)})` : '';
  return pass(`Signed in to tenant ${tenantId}${name} and read the directory`, evidence);
}
