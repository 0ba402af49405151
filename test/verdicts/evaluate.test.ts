import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/core/status.js';
import { AccessError } from '../../src/microsoft/types.js';
import { STEPS } from '../../src/integrations/catalogue.js';
import { evaluateTenant } from '../../src/verdicts/evaluate.js';
import type { EvaluationContext, Observation } from '../../src/verdicts/types.js';
import { NOW, attestation, fail, makeContext, makeTenant, pass, pending, scriptedObserver } from './helpers.js';

const clock = () => NOW;

async function run(ctx: EvaluationContext, script: Record<string, Observation | (() => Observation)> = {}) {
  const observer = scriptedObserver(script);
  const verdicts = await evaluateTenant(ctx, observer.observe, { clock });
  const byId = new Map(verdicts.map((verdict) => [verdict.id, verdict]));
  return { verdicts, get: (id: string) => byId.get(id)!, observer };
}

const minutesBefore = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
const hoursBefore = (hours: number) => minutesBefore(hours * 60);

describe('evaluateTenant: coverage and order', () => {
  it('returns one verdict per catalogue step, in catalogue order, with the contract fields', async () => {
    const { verdicts } = await run(makeContext());
    expect(verdicts.map((verdict) => verdict.id)).toEqual(STEPS.map((step) => step.id));
    for (const verdict of verdicts) {
      expect(Object.keys(verdict).sort()).toEqual(
        ['blockedBy', 'evidence', 'expectedBy', 'id', 'observedAt', 'reason', 'status', 'summary'].sort(),
      );
      expect(verdict.observedAt).toBe(NOW.toISOString());
    }
  });

  it('lists steps out of scope as not_applicable and never observes them', async () => {
    const ctx = makeContext({ tenant: makeTenant({ integrations: ['mde'] }) });
    const { get, observer } = await run(ctx);
    for (const id of ['access.guest-role', 'access.cross-tenant-trust', 'access.auto-redeem', 'mde.app-secret', 'mdi.polling', 'azure.alerts']) {
      expect(get(id).status).toBe('not_applicable');
      expect(observer.observed()).not.toContain(id);
    }
    expect(get('mde.console-roles').status).toBe('pass');
  });

  it('observes steps in dependency waves, all ready steps of a wave together', async () => {
    const { observer } = await run(makeContext());
    expect(observer.waves[0]).toEqual(['access.tenant']);
    expect(observer.waves[1]).toEqual(['access.probe-access']);
    expect(observer.waves[2]).toContain('access.guest-invited');
    expect(observer.waves[2]).toContain('mde.api-access');
    expect(observer.waves[2]).toContain('azure.subscriptions');
    expect(observer.waves[2]).not.toContain('access.guest-redeemed');
    const seen = observer.observed();
    expect(new Set(seen).size).toBe(seen.length);
    // Every prerequisite is observed in an earlier wave than its dependant.
    const waveOf = new Map(observer.waves.flatMap((wave, index) => wave.map((id) => [id, index] as const)));
    const tenant = makeTenant();
    for (const step of STEPS.filter((s) => waveOf.has(s.id))) {
      for (const prerequisite of step.prerequisites(tenant)) expect(waveOf.get(prerequisite)!).toBeLessThan(waveOf.get(step.id)!);
    }
  });
});

describe('evaluateTenant: blocking', () => {
  const cases: {
    name: string;
    script: Record<string, Observation>;
    expect: Record<string, Partial<Verdict>>;
    notObserved: string[];
    tenant?: Parameters<typeof makeTenant>[0];
  }[] = [
    {
      name: 'a refused guest token blocks every other step on probe access',
      script: {
        'access.probe-access': { status: 'error', reason: 'guest_not_redeemed', summary: 'AADSTS50020', evidence: { code: 'AADSTS50020' } },
      },
      expect: {
        'access.tenant': { status: 'pass' },
        'access.probe-access': { status: 'error', reason: 'guest_not_redeemed' },
        'access.guest-invited': { status: 'blocked', blockedBy: 'access.probe-access' },
        'access.guest-redeemed': { status: 'blocked', blockedBy: 'access.probe-access' },
        'mde.polling': { status: 'blocked', blockedBy: 'access.probe-access' },
        'azure.storage-diagnostics': { status: 'blocked', blockedBy: 'access.probe-access' },
        'm365.audit-log': { status: 'blocked', blockedBy: 'access.probe-access' },
      },
      notObserved: ['access.guest-invited', 'mde.api-access', 'azure.subscriptions'],
    },
    {
      name: 'a tenant that does not exist blocks probe access, which blocks the rest',
      script: { 'access.tenant': fail('AADSTS90002: tenant not found') },
      expect: {
        'access.tenant': { status: 'fail' },
        'access.probe-access': { status: 'blocked', blockedBy: 'access.tenant' },
        'access.guest-invited': { status: 'blocked', blockedBy: 'access.probe-access' },
      },
      notObserved: ['access.probe-access'],
    },
    {
      name: 'a missing guest blocks the steps about the guest, not the others',
      script: { 'access.guest-invited': fail('no guest') },
      expect: {
        'access.guest-redeemed': { status: 'blocked', blockedBy: 'access.guest-invited' },
        'access.guest-role': { status: 'blocked', blockedBy: 'access.guest-invited' },
        'mde.console-roles': { status: 'blocked', blockedBy: 'access.guest-invited' },
        'azure.reader-roles': { status: 'blocked', blockedBy: 'access.guest-invited' },
        'access.cross-tenant-trust': { status: 'pass' },
        'azure.log-storage': { status: 'pass' },
      },
      notObserved: ['access.guest-redeemed', 'azure.reader-roles'],
    },
    {
      name: 'an incomplete roster is an error (never a fail) and still blocks the guest steps',
      script: {
        'access.guest-invited': { status: 'error', reason: 'roster_incomplete', summary: 'no org GUID or guest email', evidence: {} },
      },
      expect: {
        'access.guest-invited': { status: 'error', reason: 'roster_incomplete' },
        'access.guest-redeemed': { status: 'blocked', blockedBy: 'access.guest-invited' },
      },
      notObserved: ['access.guest-redeemed'],
    },
    {
      name: 'auto-redeem is judged when the partner entry exists with trust off',
      script: { 'access.cross-tenant-trust': fail('inbound trust off', { partnerExists: true }) },
      expect: { 'access.cross-tenant-trust': { status: 'fail' }, 'access.auto-redeem': { status: 'pass' } },
      notObserved: [],
    },
    {
      name: 'auto-redeem is blocked when there is no partner entry',
      script: { 'access.cross-tenant-trust': fail('no partner entry for Expel', { partnerExists: false }) },
      expect: { 'access.auto-redeem': { status: 'blocked', blockedBy: 'access.cross-tenant-trust' } },
      notObserved: ['access.auto-redeem'],
    },
    {
      name: 'auto-redeem is blocked when the trust check could not run, whatever the evidence says',
      script: {
        'access.cross-tenant-trust': { status: 'error', reason: 'insufficient_role', summary: '403', evidence: { partnerExists: true } },
      },
      expect: { 'access.auto-redeem': { status: 'blocked', blockedBy: 'access.cross-tenant-trust' } },
      notObserved: ['access.auto-redeem'],
    },
    {
      name: 'a custom app that exists without all permissions still has its secret judged',
      tenant: { options: { mde: 'custom', mdeConsole: 'basic', azure: 'custom' } },
      script: {
        'mde.api-access': fail('missing Machine.Isolate', { appExists: true }),
        'azure.api-access': fail('no such app', { appExists: false }),
      },
      expect: {
        'mde.app-secret': { status: 'pass' },
        'azure.app-secret': { status: 'blocked', blockedBy: 'azure.api-access' },
        'mde.polling': { status: 'blocked', blockedBy: 'mde.api-access' },
        'mde.alerts': { status: 'blocked', blockedBy: 'mde.api-access' },
      },
      notObserved: ['azure.app-secret', 'mde.polling'],
    },
    {
      name: 'with a device-added date, polling and alerts do not wait for API access',
      tenant: { deviceAdded: { mdi: '2026-11-22' } },
      script: { 'mdi.app-registered': fail('no app'), 'mdi.polling': pass('signed in') },
      expect: {
        'mdi.api-permissions': { status: 'blocked', blockedBy: 'mdi.app-registered' },
        'mdi.app-secret': { status: 'blocked', blockedBy: 'mdi.app-registered' },
        'mdi.polling': { status: 'pass' },
        'mdi.alerts': { status: 'pass' },
      },
      notObserved: ['mdi.api-permissions'],
    },
    {
      name: 'azure subscription steps wait for visible subscriptions; diagnostics also for the log account',
      script: { 'azure.log-storage': fail('no StorageV2 log account') },
      expect: {
        'azure.storage-diagnostics': { status: 'blocked', blockedBy: 'azure.log-storage' },
        'azure.defender-plans': { status: 'pass' },
      },
      notObserved: ['azure.storage-diagnostics'],
    },
    {
      name: 'a warn counts as done for dependants',
      script: { 'access.guest-invited': { status: 'warn', summary: 'older guest address', evidence: {} } },
      expect: { 'access.guest-redeemed': { status: 'pass' } },
      notObserved: [],
    },
  ];

  it.each(cases)('$name', async ({ script, expect: expected, notObserved, tenant }) => {
    const { get, observer } = await run(makeContext({ tenant: makeTenant(tenant) }), script);
    for (const [id, partial] of Object.entries(expected)) expect(get(id), id).toMatchObject(partial);
    for (const id of notObserved) expect(observer.observed(), id).not.toContain(id);
    for (const id of Object.keys(expected)) {
      if (get(id).status === 'blocked') expect(get(id).evidence).toHaveProperty('blockerStatus');
    }
  });
});

describe('evaluateTenant: errors', () => {
  it('never turns an error into a fail, keeps its reason and evidence', async () => {
    const { get } = await run(makeContext(), {
      'mde.polling': { status: 'error', reason: 'not_licensed', summary: 'needs Entra ID P1', evidence: { status: 403 } },
    });
    expect(get('mde.polling')).toMatchObject({ status: 'error', reason: 'not_licensed', evidence: { status: 403 } });
  });

  it('turns a probe that throws an AccessError into an error with its reason', async () => {
    const { get } = await run(makeContext(), {
      'mdi.alerts': () => {
        throw new AccessError('throttled', 'too many requests', { status: 429 });
      },
    });
    expect(get('mdi.alerts')).toMatchObject({ status: 'error', reason: 'throttled', evidence: { status: 429 } });
    expect(get('mdi.alerts').summary).toContain('too many requests');
  });

  it('turns any other exception into an unexpected_response error, not a crash', async () => {
    const { get, verdicts } = await run(makeContext(), {
      'azure.subscriptions': () => {
        throw new TypeError('cannot read properties of undefined');
      },
    });
    expect(get('azure.subscriptions')).toMatchObject({ status: 'error', reason: 'unexpected_response' });
    expect(get('azure.reader-roles')).toMatchObject({ status: 'blocked', blockedBy: 'azure.subscriptions' });
    expect(verdicts).toHaveLength(STEPS.length);
  });

  it('redacts tokens and secrets quoted in an exception message before storing it', async () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJ0aWQiOiJ4In0.c2lnbmF0dXJl';
    const { get } = await run(makeContext(), {
      'azure.subscriptions': () => {
        throw new Error(`request failed: Authorization: Bearer ${token} body client_secret=s3cr3t-value&grant_type=x`);
      },
    });
    const summary = get('azure.subscriptions').summary;
    expect(get('azure.subscriptions')).toMatchObject({ status: 'error', reason: 'unexpected_response' });
    expect(summary).toContain('request failed');
    expect(summary).not.toContain(token);
    expect(summary).not.toContain('s3cr3t-value');
  });

  it('strips terminal escapes from summaries and evidence strings', async () => {
    const hostile = 'Evil\u001b]0;owned\u0007 \u001b[31mred\u001b[0m\nname';
    const { get } = await run(makeContext(), {
      'access.guest-invited': pass(hostile, { displayName: hostile, nested: [{ name: hostile }] }),
    });
    const verdict = get('access.guest-invited');
    expect(verdict.summary).toBe('Evil red name');
    expect(JSON.stringify(verdict.evidence)).not.toMatch(/\\u001b|\\u0007/);
    expect((verdict.evidence.nested as { name: string }[])[0]!.name).toBe('Evil red name');
  });
});

describe('evaluateTenant: windows', () => {
  const polling = (ctx: EvaluationContext) => run(ctx, { 'mde.polling': pending('no sign-in by the app yet') }).then((r) => r.get('mde.polling'));
  const alerts = (ctx: EvaluationContext) => run(ctx, { 'mde.alerts': pending('no alert yet') }).then((r) => r.get('mde.alerts'));
  const deviceAdded = (value: string) => makeContext({ tenant: makeTenant({ deviceAdded: { mde: value } }) });

  it('reads a date-only device-added date as 00:00 UTC', async () => {
    const verdict = await polling(deviceAdded('2026-11-22'));
    expect(verdict).toMatchObject({ status: 'overdue', expectedBy: '2026-11-22T01:00:00.000Z' });
    expect(verdict.evidence).toMatchObject({ t0: '2026-11-22T00:00:00.000Z', t0Source: 'device-added' });
  });

  it.each([
    ['inside the window', minutesBefore(30), 'waiting'],
    ['at the exact end of the window', minutesBefore(60), 'waiting'],
    ['one millisecond after the window', new Date(NOW.getTime() - 60 * 60_000 - 1).toISOString(), 'overdue'],
  ])('polling %s (15 min + 45 min allowance)', async (_name, t0, status) => {
    const verdict = await polling(deviceAdded(t0));
    expect(verdict.status).toBe(status);
    expect(verdict.expectedBy).toBe(new Date(Date.parse(t0) + 60 * 60_000).toISOString());
    expect(verdict.summary).toContain('no sign-in by the app yet');
  });

  it('honours the configured polling window and allowance', async () => {
    const ctx = { ...deviceAdded(minutesBefore(30)), settings: { ...makeContext().settings, pollingWindowMinutes: 10, pollingReportingAllowanceMinutes: 15 } };
    expect(await polling(ctx)).toMatchObject({ status: 'overdue', expectedBy: minutesBefore(5) });
  });

  it.each([
    ['before 36 h', 35, 'waiting', 'early'],
    ['at 36 h', 36, 'waiting', 'due'],
    ['between 36 and 72 h', 50, 'waiting', 'due'],
    ['at exactly 72 h', 72, 'waiting', 'due'],
    ['after 72 h', 72.0001, 'overdue', 'overdue'],
  ])('alerts %s', async (_name, hours, status, phase) => {
    const verdict = await alerts(deviceAdded(hoursBefore(hours)));
    expect(verdict.status).toBe(status);
    expect(verdict.evidence.alertPhase).toBe(phase);
    expect(verdict.evidence.due).toBe(phase === 'due');
    expect(verdict.expectedBy).toBe(new Date(Date.parse(hoursBefore(hours)) + 72 * 3_600_000).toISOString());
  });

  it('takes T0 from the first time API access was done in history', async () => {
    const verdict = await polling(makeContext({ firstDoneTimes: { 'mde.api-access': minutesBefore(20) } }));
    expect(verdict).toMatchObject({ status: 'waiting', expectedBy: minutesBefore(-40) });
    expect(verdict.evidence).toMatchObject({ t0Source: 'history' });
  });

  it('prefers the device-added date over history', async () => {
    const ctx = makeContext({
      tenant: makeTenant({ deviceAdded: { mde: hoursBefore(5) } }),
      firstDoneTimes: { 'mde.api-access': minutesBefore(20) },
    });
    expect(await polling(ctx)).toMatchObject({ status: 'overdue', expectedBy: hoursBefore(4) });
  });

  it.each(['pass', 'warn'] as const)('starts T0 now when API access is %s for the first time in this run', async (status) => {
    const { get } = await run(makeContext(), {
      'mde.api-access': { status, summary: 'consented', evidence: {} },
      'mde.polling': pending(),
      'mde.alerts': pending(),
    });
    expect(get('mde.polling')).toMatchObject({ status: 'waiting', expectedBy: minutesBefore(-60) });
    expect(get('mde.polling').evidence).toMatchObject({ t0: NOW.toISOString(), t0Source: 'this-run' });
    expect(get('mde.alerts')).toMatchObject({ status: 'waiting', expectedBy: hoursBefore(-72) });
  });

  it('waits without a deadline when the window has not started (device-added date in the future)', async () => {
    const verdict = await polling(deviceAdded('2026-12-01'));
    expect(verdict).toMatchObject({ status: 'waiting', expectedBy: '2026-12-01T01:00:00.000Z' });
  });
});

describe('evaluateTenant: attestations', () => {
  const audit = (ctx: EvaluationContext, observation: Observation = { status: 'unverifiable', summary: 'not visible from outside', evidence: {} }) =>
    run(ctx, { 'm365.audit-log': observation }).then((r) => r.get('m365.audit-log'));

  it('leaves an unverifiable step unverifiable without an attestation', async () => {
    expect((await audit(makeContext())).status).toBe('unverifiable');
  });

  it('turns an unverifiable step attested while the attestation is active, with who, when, note and expiry', async () => {
    const record = attestation({ expiresAt: '2026-12-31T00:00:00.000Z' });
    const verdict = await audit(makeContext({ attestations: [record] }));
    expect(verdict.status).toBe('attested');
    expect(verdict.reason).toBeNull();
    expect(verdict.summary).toContain('Ana Analyst');
    expect(verdict.evidence.attestation).toMatchObject({
      attestedBy: 'Ana Analyst',
      attestedAt: record.attestedAt,
      note: record.note,
      expiresAt: '2026-12-31T00:00:00.000Z',
      expired: false,
    });
    expect(verdict.evidence.observedStatus).toBe('unverifiable');
  });

  it.each([
    ['expired yesterday', '2026-11-21T10:00:00.000Z'],
    ['expiring this instant', NOW.toISOString()],
  ])('goes back to unverifiable when the attestation %s', async (_name, expiresAt) => {
    const verdict = await audit(makeContext({ attestations: [attestation({ expiresAt })] }));
    expect(verdict.status).toBe('unverifiable');
    expect(verdict.evidence.attestation).toMatchObject({ expired: true, expiresAt });
  });

  it('uses the newest attestation of the step', async () => {
    const older = attestation({ id: 1, attestedAt: '2026-10-01T00:00:00.000Z', expiresAt: null });
    const newer = attestation({ id: 2, attestedAt: '2026-11-01T00:00:00.000Z', expiresAt: '2026-11-10T00:00:00.000Z' });
    expect((await audit(makeContext({ attestations: [newer, older] }))).status).toBe('unverifiable');
    const other = attestation({ id: 3, stepId: 'mde.console-roles' });
    expect((await audit(makeContext({ attestations: [other] }))).status).toBe('unverifiable');
  });

  it('does not let an ordinary attestation hide a verified fail or an error', async () => {
    const ctx = makeContext({ attestations: [attestation()] });
    expect((await audit(ctx, fail('audit log off'))).status).toBe('fail');
    expect((await audit(ctx, { status: 'error', reason: 'throttled', summary: 'x', evidence: {} })).status).toBe('error');
  });

  it('lets a forced attestation stand in for an error, keeping what was observed', async () => {
    const forced = attestation({ stepId: 'mde.polling', forcedReason: 'Workbench shows the device polling' });
    const { get } = await run(makeContext({ attestations: [forced] }), {
      'mde.polling': { status: 'error', reason: 'not_licensed', summary: 'no P1', evidence: {} },
    });
    expect(get('mde.polling')).toMatchObject({ status: 'attested', reason: null });
    expect(get('mde.polling').evidence).toMatchObject({ observedStatus: 'error', observedReason: 'not_licensed' });
  });

  it('ignores attestations when the probe sees the step done', async () => {
    const forced = attestation({ stepId: 'mde.console-roles', forcedReason: 'x' });
    const { get } = await run(makeContext({ attestations: [forced] }));
    expect(get('mde.console-roles').status).toBe('pass');
    expect(get('mde.console-roles').evidence).not.toHaveProperty('attestation');
  });

  it('counts an attested step as done for its dependants', async () => {
    const ctx = makeContext({ attestations: [attestation({ stepId: 'access.guest-invited', forcedReason: 'customer screenshot' })] });
    const { get } = await run(ctx, { 'access.guest-invited': { status: 'error', reason: 'insufficient_role', summary: '403', evidence: {} } });
    expect(get('access.guest-invited').status).toBe('attested');
    expect(get('access.guest-redeemed').status).toBe('pass');
  });
});
