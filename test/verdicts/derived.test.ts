import { describe, expect, it } from 'vitest';
import type { Status, Verdict } from '../../src/core/status.js';
import {
  analystView,
  blockingReason,
  daysInStage,
  integrationStatus,
  isStale,
  nextStep,
  ownerOf,
  percent,
  progress,
  stageSince,
  statusTimeline,
} from '../../src/verdicts/derived.js';
import { NOW } from './helpers.js';

function v(id: string, status: Status, extra: Partial<Verdict> = {}): Verdict {
  return {
    id,
    status,
    summary: `${id} is ${status}`,
    observedAt: NOW.toISOString(),
    reason: status === 'error' ? 'throttled' : null,
    expectedBy: null,
    blockedBy: null,
    evidence: {},
    ...extra,
  };
}

describe('integrationStatus', () => {
  it.each<[string, Status[], boolean, string]>([
    ['never checked', ['pass'], false, 'not_started'],
    ['no verdicts', [], true, 'not_started'],
    ['every applicable step done', ['pass', 'warn', 'attested', 'not_applicable'], true, 'complete'],
    ['a fail', ['pass', 'fail', 'error'], true, 'action_needed'],
    ['an overdue window', ['pass', 'overdue', 'unverifiable'], true, 'action_needed'],
    ['an error', ['pass', 'error', 'blocked'], true, 'attention'],
    ['an unverifiable step', ['pass', 'unverifiable'], true, 'attention'],
    ['waiting and blocked only', ['pass', 'waiting', 'blocked'], true, 'in_progress'],
  ])('%s', (_name, statuses, checked, expected) => {
    expect(integrationStatus(statuses.map((status, index) => v(`mde.s${index}`, status)), checked)).toBe(expected);
  });
});

describe('progress', () => {
  it('counts done over applicable, excluding not_applicable', () => {
    const result = progress([v('a', 'pass'), v('b', 'attested'), v('c', 'fail'), v('d', 'not_applicable'), v('e', 'warn')]);
    expect(result).toEqual({ done: 3, applicable: 4 });
    expect(percent(result)).toBe(75);
    expect(percent({ done: 0, applicable: 0 })).toBe(0);
  });
});

describe('nextStep and owner', () => {
  const tenant = [
    v('access.tenant', 'pass'),
    v('access.probe-access', 'pass'),
    v('access.guest-invited', 'pass'),
    v('access.guest-redeemed', 'pass'),
    v('mde.console-roles', 'pass'),
    v('mde.api-access', 'fail'),
    v('mde.app-secret', 'not_applicable'),
    v('mde.polling', 'blocked', { blockedBy: 'mde.api-access' }),
  ];

  it('returns the first applicable step not done, in guide order, with its owner and reason', () => {
    expect(nextStep(tenant.filter((verdict) => verdict.id.startsWith('mde.')), tenant)).toEqual({
      stepId: 'mde.api-access',
      title: 'Defender for Endpoint API access',
      status: 'fail',
      owner: 'customer',
      reason: 'mde.api-access is fail',
    });
    expect(nextStep(tenant.filter((verdict) => verdict.id.startsWith('access.')))).toBeNull();
  });

  it('gives a blocked step the owner of the step that blocks it, across integrations', () => {
    const verdicts = [
      v('access.probe-access', 'error', { reason: 'consent_missing' }),
      v('mdi.app-registered', 'blocked', { blockedBy: 'access.probe-access' }),
    ];
    const next = nextStep(verdicts.slice(1), verdicts)!;
    expect(next.owner).toBe('expel');
    expect(next.reason).toBe(
      `Waiting on "Tracker can read the tenant": Could not check: the tracker's app is not admin-consented in this tenant`,
    );
    const failing = [v('access.guest-invited', 'fail', { summary: 'No guest with that email' }), v('access.guest-redeemed', 'blocked', { blockedBy: 'access.guest-invited' })];
    expect(ownerOf(failing[1]!, (id) => failing.find((verdict) => verdict.id === id))).toBe('customer');
    expect(blockingReason(failing[1]!, (id) => failing.find((verdict) => verdict.id === id))).toBe(
      'Waiting on "Expel guest invited": No guest with that email',
    );
  });

  it.each<[Status, string, string]>([
    ['waiting', 'mde.polling', 'microsoft'],
    ['error', 'access.guest-role', 'expel'],
    ['unverifiable', 'm365.audit-log', 'customer'],
    ['overdue', 'mde.alerts', 'expel'],
    ['fail', 'azure.reader-roles', 'customer'],
    ['fail', 'access.tenant', 'expel'],
    ['pass', 'azure.reader-roles', 'none'],
    ['not_applicable', 'azure.reader-roles', 'none'],
  ])('a %s %s is the move of %s', (status, id, owner) => {
    expect(ownerOf(v(id, status))).toBe(owner);
  });

  it('says plainly why a step is not done', () => {
    expect(blockingReason(v('mde.polling', 'waiting', { expectedBy: '2026-11-22T11:00:00.000Z' }))).toBe(
      "Inside the guide's window until 2026-11-22T11:00:00.000Z",
    );
    expect(blockingReason(v('mde.alerts', 'overdue', { expectedBy: '2026-11-22T11:00:00.000Z' }))).toBe(
      'Overdue: expected by 2026-11-22T11:00:00.000Z',
    );
    expect(blockingReason(v('m365.audit-log', 'unverifiable'))).toBe("Needs the customer's confirmation");
    expect(blockingReason(v('mde.polling', 'error', { reason: 'not_licensed' }))).toContain('licence');
    expect(blockingReason(v('mde.polling', 'pass'))).toBe('');
    // A blocker missing from the lookup still names the blocking step.
    expect(blockingReason(v('mde.polling', 'blocked', { blockedBy: 'mde.api-access' }))).toBe(
      'Waiting on "Defender for Endpoint API access"',
    );
  });
});

describe('analystView', () => {
  it('shows the last real verdict, marked stale, with the error beside it', () => {
    const real = v('mde.polling', 'pass', { observedAt: '2026-11-20T00:00:00.000Z' });
    const error = v('mde.polling', 'error');
    expect(analystView(error, real)).toEqual({ verdict: real, stale: true, error });
    expect(analystView(real, real)).toEqual({ verdict: real, stale: false, error: null });
    expect(analystView(error, null)).toEqual({ verdict: error, stale: false, error });
  });
});

describe('time in stage and staleness', () => {
  const check = (at: string, statuses: Record<string, Status>) => ({
    at,
    steps: Object.entries(statuses).map(([id, status]) => ({ id, status })),
  });

  it('dates the stage from the first check of the latest unchanged status, ignoring errors', () => {
    const checks = [
      check('2026-11-10T00:00:00.000Z', { 'mde.api-access': 'fail', 'mde.polling': 'blocked', 'mdi.app-registered': 'fail' }),
      check('2026-11-12T00:00:00.000Z', { 'mde.api-access': 'pass', 'mde.polling': 'waiting', 'mdi.app-registered': 'pass' }),
      check('2026-11-15T00:00:00.000Z', { 'mde.api-access': 'error', 'mde.polling': 'waiting', 'mdi.app-registered': 'fail' }),
      check('2026-11-18T00:00:00.000Z', { 'mde.api-access': 'pass', 'mde.polling': 'waiting', 'mdi.app-registered': 'fail' }),
    ];
    const timeline = statusTimeline(checks, 'mde');
    expect(timeline.map((entry) => entry.status)).toEqual(['action_needed', 'in_progress', 'in_progress', 'in_progress']);
    expect(stageSince(timeline)).toBe('2026-11-12T00:00:00.000Z');
    expect(daysInStage(timeline, NOW)).toBe(10);
    expect(stageSince(statusTimeline(checks, 'mdi'))).toBe('2026-11-15T00:00:00.000Z');
    expect(daysInStage([], NOW)).toBeNull();
  });

  it('is stale when never checked or checked longer ago than the threshold', () => {
    expect(isStale(null, NOW)).toBe(true);
    expect(isStale('2026-11-21T10:00:00.000Z', NOW)).toBe(false);
    expect(isStale('2026-11-21T09:59:59.999Z', NOW)).toBe(true);
    expect(isStale('2026-11-22T06:00:00.000Z', NOW, 2)).toBe(true);
  });
});
