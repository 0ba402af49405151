// The `check --json` document of contract.md: schema "expel-track/check@1"; per tenant, `access`
// first, then the integrations in scope in the order mde, mdi, m365, azure, every step of each
// listed group (not_applicable included). Integration status and progress are derived from the
// steps by the rules engine's functions, never computed here.
import { cleanText } from '../core/sanitize.js';
import type { IntegrationStatus, Verdict } from '../core/status.js';
import { INTEGRATION_ORDER, type IntegrationId, type ScopedIntegrationId, type Tenant } from '../core/tenant.js';
import { stepById, stepsOf } from '../integrations/catalogue.js';
import { integrationStatus, progress, type Progress } from '../verdicts/derived.js';

export const CHECK_SCHEMA = 'expel-track/check@1';

/** A step in the document: exactly a Verdict, its keys in the contract's order. */
export type StepReport = Verdict;

export interface IntegrationReport {
  id: IntegrationId;
  status: IntegrationStatus;
  progress: Progress;
  steps: StepReport[];
}

export interface TenantReport {
  tenantId: string;
  name: string;
  integrations: IntegrationReport[];
}

export interface CheckDocument {
  schema: typeof CHECK_SCHEMA;
  startedAt: string;
  finishedAt: string;
  tenants: TenantReport[];
}

/** The integrations reported for a tenant: access, then those in scope and in the filter, in contract order. */
export function reportedIntegrations(tenant: Tenant, filter: ReadonlySet<ScopedIntegrationId> | null): IntegrationId[] {
  return INTEGRATION_ORDER.filter(
    (id) => id === 'access' || (tenant.integrations.includes(id) && (filter === null || filter.has(id))),
  );
}

/**
 * The verdicts a run stores: the whole catalogue (steps.md: not_applicable steps are stored too,
 * so consumers see every step), except the integrations --integration left out, which were not
 * probed in this run.
 */
export function storedVerdicts(
  tenant: Tenant,
  verdicts: readonly Verdict[],
  filter: ReadonlySet<ScopedIntegrationId> | null,
): Verdict[] {
  return verdicts.filter((verdict) => {
    const integration = stepById(verdict.id)?.integration;
    if (integration === undefined) return false;
    if (integration === 'access' || filter === null || !tenant.integrations.includes(integration)) return true;
    return filter.has(integration);
  });
}

const stepReport = (v: Verdict): StepReport => ({
  id: v.id,
  status: v.status,
  summary: v.summary,
  observedAt: v.observedAt,
  reason: v.reason,
  expectedBy: v.expectedBy,
  blockedBy: v.blockedBy,
  evidence: v.evidence,
});

export function tenantReport(
  tenant: Tenant,
  verdicts: readonly Verdict[],
  filter: ReadonlySet<ScopedIntegrationId> | null,
): TenantReport {
  const byId = new Map(verdicts.map((v) => [v.id, v]));
  const integrations = reportedIntegrations(tenant, filter).map((id): IntegrationReport => {
    const steps = stepsOf(id).map((step) => {
      const verdict = byId.get(step.id);
      if (!verdict) throw new Error(`no verdict for ${step.id} of tenant ${tenant.tenantId}`);
      return stepReport(verdict);
    });
    return { id, status: integrationStatus(steps, true), progress: progress(steps), steps };
  });
  return { tenantId: tenant.tenantId, name: cleanText(tenant.name), integrations };
}

/** True when some reported step could not be checked (exit code 3). */
export const hasErrors = (reports: readonly TenantReport[]): boolean =>
  reports.some((t) => t.integrations.some((i) => i.steps.some((s) => s.status === 'error')));
