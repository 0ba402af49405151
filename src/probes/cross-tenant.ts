// access.cross-tenant-trust and access.auto-redeem: the customer's cross-tenant access partner
// entry for Expel's tenant. Any partner property that is null inherits the tenant default
// (Microsoft documents this for inboundTrust and automaticUserConsentSettings alike).
// Evidence always says whether the partner entry exists: auto-redeem is judged whenever it does.
import { PREREQUISITE_EVIDENCE } from '../integrations/catalogue.js';
import { errorObservation, fail, pass, sameId, type Evidence, type Observation } from './observation.js';

const PARTNER_EXISTS = PREREQUISITE_EVIDENCE.partnerExists;

export interface InboundTrust {
  isMfaAccepted?: boolean | null;
  isCompliantDeviceAccepted?: boolean | null;
  isHybridAzureADJoinedDeviceAccepted?: boolean | null;
}

export interface AutomaticUserConsentSettings {
  inboundAllowed?: boolean | null;
  outboundAllowed?: boolean | null;
}

export interface CrossTenantPolicy {
  tenantId?: string;
  inboundTrust?: InboundTrust | null;
  automaticUserConsentSettings?: AutomaticUserConsentSettings | null;
}

export const PARTNERS_PATH = '/policies/crossTenantAccessPolicy/partners';
export const DEFAULT_POLICY_PATH = '/policies/crossTenantAccessPolicy/default';

const TRUST_FIELDS = [
  ['isMfaAccepted', 'MFA'],
  ['isCompliantDeviceAccepted', 'compliant devices'],
  ['isHybridAzureADJoinedDeviceAccepted', 'hybrid-joined devices'],
] as const;

export function findPartner(partners: readonly CrossTenantPolicy[], expelTenantId: string): CrossTenantPolicy | null {
  return partners.find((p) => sameId(p.tenantId, expelTenantId)) ?? null;
}

/**
 * The tenant default, which may be unavailable (read failed). `undefined` from here means
 * "inherits a default we could not read".
 */
export type DefaultPolicy = { ok: true; policy: CrossTenantPolicy } | { ok: false; failure: Observation };

function inherit(
  own: boolean | null | undefined,
  fallback: () => boolean | null | undefined,
): { value: boolean | undefined; inherited: boolean } {
  if (typeof own === 'boolean') return { value: own, inherited: false };
  const inherited = fallback();
  return { value: typeof inherited === 'boolean' ? inherited : undefined, inherited: true };
}

export function evaluateCrossTenantTrust(
  expelTenantId: string,
  partner: CrossTenantPolicy | null,
  defaults: DefaultPolicy,
): Observation {
  if (!partner) return noPartner(expelTenantId);
  const evidence: Evidence = { expelTenantId, [PARTNER_EXISTS]: true };
  const needsDefault = TRUST_FIELDS.some(([field]) => typeof partner.inboundTrust?.[field] !== 'boolean');
  if (needsDefault && !defaults.ok) return withPartner(defaults.failure);
  const missing: string[] = [];
  for (const [field, label] of TRUST_FIELDS) {
    const { value, inherited } = inherit(partner.inboundTrust?.[field], () =>
      defaults.ok ? (defaults.policy.inboundTrust?.[field] ?? false) : undefined,
    );
    evidence[field] = value ?? null;
    if (inherited) evidence[`${field}Inherited`] = true;
    if (value !== true) missing.push(label);
  }
  if (missing.length > 0) {
    return fail(`Inbound trust for Expel does not accept ${missing.join(', ')}`, evidence);
  }
  return pass('Inbound trust for Expel accepts MFA, compliant and hybrid-joined devices', evidence);
}

export function evaluateAutoRedeem(
  expelTenantId: string,
  partner: CrossTenantPolicy | null,
  defaults: DefaultPolicy,
): Observation {
  if (!partner) return noPartner(expelTenantId);
  const own = partner.automaticUserConsentSettings?.inboundAllowed;
  if (typeof own !== 'boolean' && !defaults.ok) return withPartner(defaults.failure);
  // Microsoft documents the default's value as always false; read it anyway.
  const { value, inherited } = inherit(own, () =>
    defaults.ok ? (defaults.policy.automaticUserConsentSettings?.inboundAllowed ?? false) : undefined,
  );
  const evidence: Evidence = { expelTenantId, [PARTNER_EXISTS]: true, inboundAllowed: value ?? null };
  if (inherited) evidence.inboundAllowedInherited = true;
  if (value === true) return pass('Automatic redemption of Expel invitations is allowed (inbound)', evidence);
  return fail('Automatic redemption of Expel invitations is not allowed (inbound)', evidence);
}

const noPartner = (expelTenantId: string): Observation =>
  fail(`No cross-tenant access partner entry for Expel's tenant ${expelTenantId}`, { expelTenantId, [PARTNER_EXISTS]: false });

function withPartner(failure: Observation): Observation {
  if (failure.status !== 'error') return failure;
  return errorObservation(failure.reason, failure.summary, { ...failure.evidence, [PARTNER_EXISTS]: true });
}
