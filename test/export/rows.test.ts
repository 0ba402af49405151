import { describe, expect, it } from 'vitest';
import type { Status, Verdict } from '../../src/core/status.js';
import type { StepState } from '../../src/db/history.js';
import { exportRowsFor, utcDay, type TenantHistory } from '../../src/export/rows.js';
import { STEPS } from '../../src/integrations/catalogue.js';
import type { TenantCheck } from '../../src/verdicts/derived.js';
import { tenant } from '../instructions/fixtures.js';

const NOW = new Date('2026-11-22T12:00:00.000Z');

function v(id: string, status: Status, at: string, extra: Partial<Verdict> = {}): Verdict {
  return { id, status, summary: `${id} ${status}`, observedAt: at, reason: null, expectedBy: null, blockedBy: null, evidence: {}, ...extra };
}

describe('export rows', () => {
  it('gives a never-checked tenant one not-started row per integration, stale, with the step counts', () => {
    const t = tenant({ integrations: ['mde', 'm365'], options: { mde: 'custom', mdeConsole: 'basic', azure: 'enterprise' } });
    const rows = exportRowsFor(t, { states: [], lastChecked: null, checks: () => [] }, { now: NOW });
    expect(rows.map((r) => r.integration)).toEqual(['access', 'mde', 'm365']);
    const mde = rows[1]!;
    expect(mde).toMatchObject({
      option: 'custom',
      status: 'not_started',
      done_steps: 0,
      applicable_steps: STEPS.filter((s) => s.integration === 'mde' && s.applies(t)).length,
      percent: 0,
      next_step: null,
      owner: 'expel',
      blocking_reason: 'Not checked yet',
      last_checked: null,
      days_in_stage: null,
      stale: true,
    });
    expect(mde.applicable_steps).toBe(5); // console roles, API access, secret (custom), polling, alerts
    expect(rows[0]).toMatchObject({ option: null, device_added_on: null, first_alert_on: null });
    expect(rows[2]).toMatchObject({ option: 'enterprise' });
  });

  describe('a checked tenant', () => {
    const t = tenant({ integrations: ['mde', 'mdi'], deviceAdded: { mdi: '2026-11-20T23:30:00-05:00' }, startedOn: '2026-11-01' });
    const day1 = '2026-11-18T09:00:00.000Z';
    const day3 = '2026-11-20T09:00:00.000Z';
    const day4 = '2026-11-21T09:00:00.000Z';
    const applicable = STEPS.filter((s) => s.applies(t));
    const inScope = applicable.filter((s) => s.integration !== 'mdi');

    // Check 1 (day 1): mde API access passes, alerts still waiting. Check 2 (day 3): everything
    // in access and mde passes. Check 3 (day 4, latest): mde.console-roles could not be checked
    // (throttled) and mdi's permissions fail.
    const state = (id: string): StepState => {
      const stepVerdicts: Record<string, { latest: Verdict; latestReal: Verdict | null; firstDoneAt: string | null }> = {
        'mde.console-roles': {
          latest: v(id, 'error', day4, { reason: 'throttled' }),
          latestReal: v(id, 'pass', day3),
          firstDoneAt: day3,
        },
        'mde.api-access': { latest: v(id, 'pass', day4), latestReal: v(id, 'pass', day4), firstDoneAt: day1 },
        'mde.alerts': { latest: v(id, 'pass', day4), latestReal: v(id, 'pass', day4), firstDoneAt: day3 },
        'mdi.api-permissions': {
          latest: v(id, 'fail', day4, { summary: 'App "Expel Defender for Identity" lacks admin consent for ThreatHunting.Read.All' }),
          latestReal: v(id, 'fail', day4),
          firstDoneAt: null,
        },
        'mdi.app-secret': { latest: v(id, 'pass', day4), latestReal: v(id, 'pass', day4), firstDoneAt: day4 },
        'mdi.polling': { latest: v(id, 'blocked', day4, { blockedBy: 'mdi.api-permissions' }), latestReal: null, firstDoneAt: null },
        'mdi.alerts': { latest: v(id, 'blocked', day4, { blockedBy: 'mdi.api-permissions' }), latestReal: null, firstDoneAt: null },
      };
      const special = stepVerdicts[id];
      if (special) return { stepId: id, ...special };
      return { stepId: id, latest: v(id, 'pass', day4), latestReal: v(id, 'pass', day4), firstDoneAt: day1 };
    };
    const states = STEPS.map((s) =>
      s.applies(t) ? state(s.id) : { stepId: s.id, latest: v(s.id, 'not_applicable', day4), latestReal: v(s.id, 'not_applicable', day4), firstDoneAt: null },
    );
    const checks: TenantCheck[] = [
      { at: day1, steps: inScope.map((s) => ({ id: s.id, status: s.id === 'mde.alerts' ? 'waiting' : 'pass' })) },
      { at: day3, steps: inScope.map((s) => ({ id: s.id, status: 'pass' as Status })) },
      {
        at: day4,
        steps: applicable.map((s) => ({ id: s.id, status: states.find((x) => x.stepId === s.id)!.latest.status })),
      },
    ];
    let timelineReads = 0;
    const history: TenantHistory = {
      states,
      lastChecked: day4,
      checks: () => {
        timelineReads += 1;
        return checks;
      },
    };
    const rows = exportRowsFor(t, history, { now: NOW, staleAfterHours: 24 * 7 });
    const byIntegration = Object.fromEntries(rows.map((row) => [row.integration, row]));

    it('derives a complete integration with its milestones, keeping the last real verdict over an error', () => {
      expect(byIntegration.mde).toMatchObject({
        status: 'complete',
        done_steps: 4,
        applicable_steps: 4,
        percent: 100,
        next_step: null,
        next_step_title: null,
        owner: 'none',
        blocking_reason: null,
        device_added_on: '2026-11-18',
        first_alert_on: '2026-11-20',
        completed_on: '2026-11-20',
        days_in_stage: 2,
        last_checked: day4,
        // mde.console-roles is shown from its last real verdict: the row says so.
        stale: true,
      });
    });

    it('names the next step, whose move it is and why, for an integration with work left', () => {
      expect(byIntegration.mdi).toMatchObject({
        option: 'custom',
        status: 'action_needed',
        done_steps: 2,
        applicable_steps: 5,
        percent: 40,
        next_step: 'mdi.api-permissions',
        next_step_title: 'Defender for Identity API permissions',
        owner: 'customer',
        blocking_reason: 'App "Expel Defender for Identity" lacks admin consent for ThreatHunting.Read.All',
        // The analyst's device-added date wins over history; its UTC day is the 21st.
        device_added_on: '2026-11-21',
        first_alert_on: null,
        completed_on: null,
        days_in_stage: 1,
        stale: false,
      });
    });

    it('takes days in stage and completion from kept stages when given, without the timeline', () => {
      const stages = new Map([
        ['mde', { status: 'complete', since: day3, firstCompletedAt: day1, lastCheckedAt: day4 }],
        ['mdi', { status: 'action_needed', since: day1, firstCompletedAt: null, lastCheckedAt: day4 }],
      ] as const);
      const fromStages = exportRowsFor(
        t,
        { states, lastChecked: day4, stages, checks: () => expect.unreachable('the timeline is not read') },
        { now: NOW, staleAfterHours: 24 * 7 },
      );
      expect(fromStages.map((row) => [row.integration, row.completed_on, row.days_in_stage])).toEqual([
        ['access', null, null],
        ['mde', '2026-11-18', 2],
        ['mdi', null, 4],
      ]);
      // Everything else is the same derivation from the latest verdicts.
      const without = (list: typeof rows) => list.map(({ completed_on, days_in_stage, ...rest }) => rest);
      expect(without(fromStages)).toEqual(without(rows));
    });

    it('copies the roster columns and reads the timeline once per tenant', () => {
      expect(rows.every((row) => row.tenant_name === 'Contoso' && row.engagement_manager === 'Dana Lee' && row.started_on === '2026-11-01')).toBe(true);
      expect(timelineReads).toBe(1);
      expect(byIntegration.access).toMatchObject({ status: 'complete', completed_on: '2026-11-18' });
    });
  });

  it('turns dates and date-times into UTC days', () => {
    expect(utcDay('2026-11-20')).toBe('2026-11-20');
    expect(utcDay('2026-11-20T23:30:00-05:00')).toBe('2026-11-21');
    expect(utcDay('not a date')).toBeNull();
    expect(utcDay(null)).toBeNull();
  });
});
