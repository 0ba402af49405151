// Builders for view-model data in tests: realistic defaults, overridable per test.
import type { IntegrationCell, RosterRow, StepView, TenantDetail } from '../../src/ui/state/types.js';

export function tenantId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function cell(id: IntegrationCell['id'], status: IntegrationCell['status'], done: number, applicable: number): IntegrationCell {
  return { id, status, done, applicable };
}

export function makeRow(overrides: Partial<RosterRow> & { n?: number } = {}): RosterRow {
  const n = overrides.n ?? 1;
  const { n: _n, ...rest } = overrides;
  return {
    tenantId: tenantId(n),
    name: `Tenant ${String(n).padStart(4, '0')}`,
    domain: `tenant${n}.example.com`,
    engineer: 'Alex Analyst',
    engagementManager: 'Morgan Manager',
    integrations: [cell('access', 'complete', 7, 7), cell('mde', 'in_progress', 3, 5)],
    next: { stepId: 'mde.polling', title: 'Expel is polling', status: 'waiting', owner: 'microsoft', reason: 'Inside the window' },
    daysInStage: 2,
    lastCheckedAt: '2026-11-22T09:00:00.000Z',
    stale: false,
    problem: null,
    ...rest,
  };
}

export function makeRows(count: number, make: (n: number) => Partial<RosterRow> = () => ({})): RosterRow[] {
  return Array.from({ length: count }, (_, index) => makeRow({ n: index + 1, ...make(index + 1) }));
}

export function makeStep(overrides: Partial<StepView> = {}): StepView {
  return {
    id: 'access.tenant',
    title: 'Tenant exists',
    status: 'pass',
    summary: 'Tenant found in the public cloud',
    observedAt: '2026-11-22T09:00:00.000Z',
    reason: null,
    expectedBy: null,
    blockedBy: null,
    owner: 'none',
    evidence: [['issuer', 'https://login.microsoftonline.com/x/v2.0']],
    latestError: null,
    attestation: null,
    attestable: false,
    ...overrides,
  };
}

export function makeDetail(row: RosterRow, steps: { access: StepView[]; mde?: StepView[] }): TenantDetail {
  const integrations: TenantDetail['integrations'] = [
    { id: 'access', status: 'complete', done: steps.access.length, applicable: steps.access.length, option: null, steps: steps.access },
  ];
  if (steps.mde) {
    integrations.push({ id: 'mde', status: 'action_needed', done: 1, applicable: steps.mde.length, option: 'custom app', steps: steps.mde });
  }
  return {
    tenantId: row.tenantId,
    name: row.name,
    domain: row.domain,
    engineer: row.engineer,
    engagementManager: row.engagementManager,
    lastCheckedAt: row.lastCheckedAt,
    problem: row.problem,
    integrations,
  };
}
