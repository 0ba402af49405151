import { afterEach, describe, expect, it } from 'vitest';
import type { Status, Verdict } from '../../src/core/status.js';
import { openDatabase } from '../../src/db/database.js';
import { HistoryStore } from '../../src/db/history.js';
import { ExportHistoryReader } from '../../src/export/history-reader.js';
import { INTEGRATION_ORDER } from '../../src/core/tenant.js';
import { STEPS, integrationsOf } from '../../src/integrations/catalogue.js';
import { stageOf } from '../../src/verdicts/derived.js';
import { makeTenant, tempDir } from '../db/helpers.js';
import { verdict } from '../instructions/fixtures.js';
import { seedDatabase } from './seed.js';

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

describe('ExportHistoryReader', () => {
  it('reads what HistoryStore reads (without evidence and observation times), only for the tenant’s integrations', () => {
    const { dir, cleanup: done } = tempDir();
    cleanup = done;
    const file = `${dir}/roster.db`;
    const t = makeTenant({ integrations: ['mdi'] });
    const other = makeTenant({ tenantId: '1f0b3a3c-7a55-4d0e-9c51-2b7e2f5a1d10', name: 'Other', integrations: ['mde'] });
    const runAt = ['2026-11-18T09:00:00.000Z', '2026-11-19T09:00:00.000Z', '2026-11-20T09:00:00.000Z'];
    const statusIn = (run: number, id: string): Partial<Verdict> => {
      if (id === 'mdi.api-permissions') return run === 0 ? { status: 'fail', summary: 'lacks ThreatHunting.Read.All' } : { status: 'pass' };
      if (id === 'mdi.polling' && run === 2) return { status: 'error', reason: 'throttled', summary: 'throttled' };
      if (id === 'mdi.alerts') return run === 0 ? { status: 'blocked', blockedBy: 'mdi.api-permissions' } : run === 1 ? { status: 'waiting', expectedBy: '2026-11-22T09:00:00.000Z' } : { status: 'pass' };
      return {};
    };
    const verdictsOf = (tenant: typeof t, run: number) =>
      STEPS.map((step) => ({
        ...verdict(step.id, (step.applies(tenant) ? 'pass' : 'not_applicable') as Status, { observedAt: runAt[run]!, evidence: { big: 'x'.repeat(50) } }),
        ...(tenant === t ? statusIn(run, step.id) : {}),
      }));
    seedDatabase(
      file,
      [t, other],
      runAt.map((at, run) => ({ at, verdicts: new Map([[t.tenantId, verdictsOf(t, run)], [other.tenantId, verdictsOf(other, run)]]) })),
    );

    const db = openDatabase(file);
    try {
      const store = new HistoryStore(db);
      const lean = new ExportHistoryReader(db).historyOf(t);
      const inScope = new Set(STEPS.filter((s) => integrationsOf(t).includes(s.integration)).map((s) => s.id));
      const full = store.stepStates(t.tenantId).get(t.tenantId)!.filter((state) => inScope.has(state.stepId));
      const withoutEvidence = (v: Verdict | null) => (v ? { ...v, evidence: {}, observedAt: '' } : null);
      const sortById = <T extends { stepId: string }>(list: readonly T[]) => [...list].sort((a, b) => a.stepId.localeCompare(b.stepId));
      expect(sortById(lean.states)).toEqual(
        sortById(full.map((s) => ({ ...s, latest: withoutEvidence(s.latest)!, latestReal: withoutEvidence(s.latestReal) }))),
      );
      expect(lean.states.every((s) => inScope.has(s.stepId))).toBe(true);
      expect(lean.lastChecked).toBe(store.lastChecked(t.tenantId).get(t.tenantId));

      // Stages as kept at write time, equal to the ones replayed from the whole history.
      const checks = store.checksOf(t.tenantId);
      expect(checks).toHaveLength(3);
      expect(lean.checks).toBeUndefined();
      expect(lean.stages).toEqual(store.integrationStages(t.tenantId).get(t.tenantId));
      expect(lean.stages).toEqual(new Map(INTEGRATION_ORDER.map((id) => [id, stageOf(checks, id)] as const).filter(([, stage]) => stage)));
      expect(lean.stages?.get('mdi')).toEqual({
        status: 'complete',
        since: store.lastChecked(t.tenantId).get(t.tenantId),
        firstCompletedAt: store.lastChecked(t.tenantId).get(t.tenantId),
        lastCheckedAt: store.lastChecked(t.tenantId).get(t.tenantId),
      });
      // The polling error of the last run is there, and the last real verdict beside it.
      const polling = lean.states.find((s) => s.stepId === 'mdi.polling')!;
      expect(polling.latest).toMatchObject({ status: 'error', reason: 'throttled' });
      expect(polling.latestReal).toMatchObject({ status: 'pass' });
      expect(lean.states.find((s) => s.stepId === 'mdi.api-permissions')!.firstDoneAt).toBe(runAt[1]);
    } finally {
      db.close();
    }
  });

  it('gives a tenant that was never checked an empty history', () => {
    const { dir, cleanup: done } = tempDir();
    cleanup = done;
    const t = makeTenant({ integrations: ['m365'] });
    seedDatabase(`${dir}/roster.db`, [t]);
    const db = openDatabase(`${dir}/roster.db`);
    try {
      const history = new ExportHistoryReader(db).historyOf(t);
      expect(history).toEqual({ states: [], lastChecked: null, stages: new Map() });
    } finally {
      db.close();
    }
  });
});
