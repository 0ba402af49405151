// The check --json document and the summary table, built from verdicts of the rules engine.
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/core/status.js';
import { STEPS } from '../../src/integrations/catalogue.js';
import { hasErrors, storedVerdicts, tenantReport } from '../../src/check/document.js';
import { progressLine, summaryFooter, summaryTable } from '../../src/check/format.js';
import { parseIntegrationFilter } from '../../src/commands/check.js';
import { makeTenant } from '../verdicts/helpers.js';

const verdict = (id: string, status: Verdict['status'], extra: Partial<Verdict> = {}): Verdict => ({
  id,
  status,
  summary: `${id} is ${status}`,
  observedAt: '2026-11-22T10:00:01.000Z',
  reason: null,
  expectedBy: null,
  blockedBy: null,
  evidence: {},
  ...extra,
});

describe('tenantReport', () => {
  const tenant = makeTenant({ name: 'Contoso', integrations: ['azure', 'mde'] });
  const all = STEPS.map((s) =>
    s.integration === 'access' || tenant.integrations.includes(s.integration as never) ? verdict(s.id, 'pass') : verdict(s.id, 'not_applicable'),
  );

  it('lists access first, then the integrations in scope in contract order, with every step', () => {
    const report = tenantReport(tenant, all, null);
    expect(report.integrations.map((i) => i.id)).toEqual(['access', 'mde', 'azure']);
    const mde = report.integrations[1]!;
    expect(mde.steps.map((s) => s.id)).toEqual(STEPS.filter((s) => s.integration === 'mde').map((s) => s.id));
    expect(Object.keys(mde.steps[0]!)).toEqual(['id', 'status', 'summary', 'observedAt', 'reason', 'expectedBy', 'blockedBy', 'evidence']);
  });

  it('derives status and progress from the steps (not_applicable excluded)', () => {
    const withNa = all.map((v) => (v.id === 'mde.app-secret' ? verdict(v.id, 'not_applicable') : v.id === 'mde.alerts' ? verdict(v.id, 'fail') : v));
    const mde = tenantReport(tenant, withNa, null).integrations.find((i) => i.id === 'mde')!;
    expect(mde.status).toBe('action_needed');
    expect(mde.progress).toEqual({ done: 3, applicable: 4 });
    expect(mde.steps.find((s) => s.id === 'mde.app-secret')!.status).toBe('not_applicable');
  });

  it('omits integrations outside --integration, and does not store their (unprobed) verdicts', () => {
    const filter = new Set(['azure'] as const);
    expect(tenantReport(tenant, all, filter).integrations.map((i) => i.id)).toEqual(['access', 'azure']);
    const kept = storedVerdicts(tenant, all, filter);
    expect(kept.some((v) => v.id.startsWith('mde.'))).toBe(false);
    expect(kept.filter((v) => v.id.startsWith('access.')).length).toBe(STEPS.filter((s) => s.integration === 'access').length);
    // Integrations out of the tenant's scope stay stored as not_applicable: the whole catalogue.
    expect(kept.filter((v) => v.id.startsWith('mdi.')).every((v) => v.status === 'not_applicable')).toBe(true);
    expect(storedVerdicts(tenant, all, null)).toHaveLength(STEPS.length);
  });

  it('reports errors for exit code 3', () => {
    expect(hasErrors([tenantReport(tenant, all, null)])).toBe(false);
    const broken = all.map((v) => (v.id === 'azure.defender-plans' ? verdict(v.id, 'error', { reason: 'throttled' }) : v));
    expect(hasErrors([tenantReport(tenant, broken, null)])).toBe(true);
  });

  it('cleans a hostile tenant name', () => {
    const hostile = makeTenant({ name: 'Evil\u001b]0;owned\u0007 Corp', integrations: [] });
    const report = tenantReport(hostile, all, null);
    expect(report.name).toBe('Evil Corp');
    expect(summaryTable([report])).not.toMatch(/\u001b|\u0007/);
  });
});

describe('human output', () => {
  const tenant = makeTenant({ name: 'Contoso', integrations: ['mdi'] });
  const verdicts = STEPS.map((s) =>
    s.id === 'mdi.app-secret'
      ? verdict(s.id, 'fail', { summary: 'Every client secret has expired' })
      : s.integration === 'access' || s.integration === 'mdi'
        ? verdict(s.id, 'pass')
        : verdict(s.id, 'not_applicable'),
  );
  const report = tenantReport(tenant, verdicts, null);

  it('prints one row per integration with the first step not done', () => {
    const table = summaryTable([report]);
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TENANT\s+INTEGRATION\s+STATUS\s+DONE\s+NEXT STEP$/);
    expect(lines[1]).toMatch(/^Contoso\s+access\s+complete\s+\d+\/\d+$/);
    expect(lines[2]).toContain('mdi.app-secret fail: Every client secret has expired');
  });

  it('sums up errors and interruptions', () => {
    expect(summaryFooter([report], false)).toBe('1 tenant checked\n');
    expect(summaryFooter([], true)).toContain('interrupted');
  });

  it('draws the progress line for a terminal', () => {
    expect(progressLine(2, 5, 'Contoso\u001b[31m')).toBe('\rChecking tenants: 2/5 — Contoso\u001b[K');
  });
});

describe('--integration', () => {
  it('accepts repeats and commas, ignores access, refuses unknown names', () => {
    expect(parseIntegrationFilter([])).toBeNull();
    expect([...parseIntegrationFilter(['mde,azure', 'MDI'])!]).toEqual(['mde', 'azure', 'mdi']);
    expect([...parseIntegrationFilter(['access'])!]).toEqual([]);
    expect(() => parseIntegrationFilter(['sentinel'])).toThrow(/unknown integration 'sentinel'/);
  });
});
