// Shared fixtures for the verdict-rule tests: a tenant, a context and a scripted observer.
import type { Tenant } from '../../src/core/tenant.js';
import { makeTenant as makeRosterTenant } from '../db/helpers.js';
import type { StepDefinition } from '../../src/integrations/catalogue.js';
import { DEFAULT_WINDOW_SETTINGS, type Attestation, type EvaluationContext, type Observation } from '../../src/verdicts/types.js';

export const NOW = new Date('2026-11-22T10:00:00.000Z');

/** A tenant with every integration in scope and an org GUID; override what a test needs. */
export function makeTenant(overrides: Partial<Tenant> = {}): Tenant {
  return makeRosterTenant({
    domain: 'contoso.com',
    orgGuid: 'a123bc45-aa12-423b-8c9d-0123456789ab',
    integrations: ['mde', 'mdi', 'm365', 'azure'],
    ...overrides,
  });
}

export function makeContext(overrides: Partial<EvaluationContext> & { firstDoneTimes?: Record<string, string> } = {}): EvaluationContext {
  const { firstDoneTimes = {}, ...rest } = overrides;
  return {
    tenant: makeTenant(),
    now: NOW,
    settings: { ...DEFAULT_WINDOW_SETTINGS },
    firstDone: (stepId) => firstDoneTimes[stepId] ?? null,
    attestations: [],
    ...rest,
  };
}

export const pass = (summary = 'ok', evidence: Record<string, unknown> = {}): Observation => ({ status: 'pass', summary, evidence });
export const fail = (summary = 'not done', evidence: Record<string, unknown> = {}): Observation => ({ status: 'fail', summary, evidence });
export const pending = (summary = 'nothing yet'): Observation => ({ status: 'pending', summary, evidence: {} });

/** Observes from a script (default: pass), recording which steps were observed in which wave. */
export function scriptedObserver(script: Record<string, Observation | (() => Observation)>) {
  const waves: string[][] = [];
  let current: string[] | null = null;
  const observe = async (step: StepDefinition): Promise<Observation> => {
    if (!current) {
      current = [];
      waves.push(current);
      // A wave is every call made before the engine awaits.
      queueMicrotask(() => {
        current = null;
      });
    }
    current.push(step.id);
    const entry = script[step.id];
    return typeof entry === 'function' ? entry() : (entry ?? pass());
  };
  return { observe, waves, observed: () => waves.flat() };
}

export function attestation(overrides: Partial<Attestation> = {}): Attestation {
  return {
    id: 1,
    tenantId: '6babcaad-604b-40ac-a9d7-9fd97c0b779f',
    stepId: 'm365.audit-log',
    attestedBy: 'Ana Analyst',
    note: 'Customer ran Get-AdminAuditLogConfig: True',
    attestedAt: '2026-11-20T09:00:00.000Z',
    expiresAt: null,
    forcedReason: null,
    ...overrides,
  };
}
