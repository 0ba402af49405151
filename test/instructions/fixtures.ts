// Hand-built tenants and verdict lists that follow the probes' evidence shapes (src/probes/*),
// so instruction tests do not depend on a live check.
import type { Status, Verdict } from '../../src/core/status.js';
import { DEFAULT_OPTIONS, type Tenant } from '../../src/core/tenant.js';
import { STEPS } from '../../src/integrations/catalogue.js';
import type { InstructionSettings } from '../../src/instructions/index.js';

export const EXPEL_TENANT = '1cde81fd-b430-4035-b24d-709921922876';
export const TRACKER_CLIENT_ID = '0c8e2a55-1f0b-4a8c-9a57-3d1f0e8b7a11';

export const SETTINGS: InstructionSettings = {
  expelTenantId: EXPEL_TENANT,
  guestEmailDomain: 'soc.expel.io',
  trackerClientId: TRACKER_CLIENT_ID,
  authorityHost: 'https://login.microsoftonline.com',
  expelAppIds: { mde: '5a1e7b2c-0000-4000-8000-00000000a0de', m365: null },
  alertWindowHours: [36, 72],
};

export function tenant(overrides: Partial<Tenant> = {}): Tenant {
  return {
    tenantId: '6babcaad-604b-40ac-a9d7-9fd97c0b779f',
    name: 'Contoso',
    domain: 'contoso.com',
    orgGuid: 'a123bc45-aa12-123b-8c9d-0123456789ab',
    guestEmail: null,
    engagementManager: 'Dana Lee',
    engineer: 'Sam Ortiz',
    startedOn: '2026-11-01',
    notes: 'INTERNAL: customer is slow, escalate to EM',
    archived: false,
    integrations: ['mde', 'mdi', 'm365', 'azure'],
    options: { ...DEFAULT_OPTIONS },
    appNames: {},
    subscriptions: ['20ff7fc3-e762-44dd-bd96-b71116dcdc23', '7d3c1a90-52b4-4f3e-9a0e-1b2c3d4e5f60'],
    deviceAdded: {},
    ...overrides,
  };
}

export const OBSERVED = '2026-11-22T10:00:00.000Z';

export function verdict(id: string, status: Status, extra: Partial<Verdict> = {}): Verdict {
  return {
    id,
    status,
    summary: `ANALYST SUMMARY for ${id}`,
    observedAt: OBSERVED,
    reason: null,
    expectedBy: null,
    blockedBy: null,
    evidence: {},
    ...extra,
  };
}

/**
 * Every catalogue step for the tenant: `not_applicable` where it does not apply, else `pass`,
 * then the overrides by step id.
 */
export function verdictsFor(t: Tenant, overrides: Record<string, Partial<Verdict> & { status: Status }> = {}): Verdict[] {
  return STEPS.map((step) => {
    const base = step.applies(t) ? verdict(step.id, 'pass') : verdict(step.id, 'not_applicable');
    const override = overrides[step.id];
    return override ? { ...base, ...override } : base;
  });
}
