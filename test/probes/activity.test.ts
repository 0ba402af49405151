// Pure evaluation of sign-in activity (C-10) and alerts (C-11).
import { describe, expect, it } from 'vitest';
import { alertsPath, evaluateAlerts, type SecurityAlert } from '../../src/probes/alerts.js';
import { evaluatePolling, signInWindowStart, signInsPath, type SignInRecord } from '../../src/probes/sign-in-activity.js';

const APP = '2f0c8e4a-9b1d-4c7e-8a6f-3d5b1c9e7a20';
const NOW = new Date('2026-11-22T10:00:00Z');
const T0 = new Date('2026-11-20T00:00:00Z');
const since = signInWindowStart(T0, NOW);

const signIn = (createdDateTime: string, errorCode: number): SignInRecord => ({
  id: createdDateTime,
  createdDateTime,
  appId: APP,
  resourceDisplayName: 'Microsoft Graph',
  servicePrincipalCredentialKeyId: 'c1a5e9f2-7b3d-4e8a-9f01-2b3c4d5e6f70',
  status: { errorCode, failureReason: null },
});

describe('polling (service-principal sign-ins)', () => {
  it('starts the window at the earlier of T0 and 24 hours ago', () => {
    expect(signInWindowStart(T0, NOW).toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(signInWindowStart(new Date('2026-11-22T09:00:00Z'), NOW).toISOString()).toBe('2026-11-21T10:00:00.000Z');
  });

  it('asks beta signIns for service-principal sign-ins of the app since the window start', () => {
    const path = decodeURIComponent(signInsPath(APP, since));
    expect(path).toContain(`appId eq '${APP}'`);
    expect(path).toContain("signInEventTypes/any(t: t eq 'servicePrincipal')");
    expect(path).toContain('createdDateTime ge 2026-11-20T00:00:00.000Z');
    const older = decodeURIComponent(signInsPath(APP, since, new Date('2026-11-21T10:00:00Z')));
    expect(older).toContain('createdDateTime ge 2026-11-20T00:00:00.000Z and createdDateTime le 2026-11-21T10:00:00.000Z');
  });

  it('passes on the documented successful sign-in', () => {
    const result = evaluatePolling('App', APP, [signIn('2026-11-21T16:05:11Z', 0)], { since });
    expect(result.status).toBe('pass');
    expect(result.evidence.lastSuccess).toMatchObject({ createdDateTime: '2026-11-21T16:05:11Z' });
  });

  it('fails on AADSTS7000215/7000222 after T0 with no later success', () => {
    for (const code of [7000215, 7000222]) {
      const records = [signIn('2026-11-20T08:00:00Z', 0), signIn('2026-11-21T08:00:00Z', code)];
      const result = evaluatePolling('App', APP, records, { since });
      expect(result.status).toBe('fail');
      expect(result.summary).toContain(`AADSTS${code}`);
    }
  });

  it('passes when a success follows the bad-secret failure (order of the list does not matter)', () => {
    const records = [signIn('2026-11-21T09:00:00Z', 0), signIn('2026-11-21T08:00:00Z', 7000222)];
    expect(evaluatePolling('App', APP, records, { since }).status).toBe('pass');
    expect(evaluatePolling('App', APP, [...records].reverse(), { since }).status).toBe('pass');
  });

  it('is pending with nothing, with only other failures, or with sign-ins before the window', () => {
    expect(evaluatePolling('App', APP, [], { since }).status).toBe('pending');
    expect(evaluatePolling('App', APP, [signIn('2026-11-21T08:00:00Z', 50126)], { since }).status).toBe('pending');
    expect(evaluatePolling('App', APP, [signIn('2026-11-19T08:00:00Z', 0)], { since }).status).toBe('pending');
  });

  it("ignores another app's sign-ins a careless filter let through", () => {
    const other = { ...signIn('2026-11-21T08:00:00Z', 0), appId: 'someone-else' };
    expect(evaluatePolling('App', APP, [other], { since }).status).toBe('pending');
  });
});

// The documented alert (C-11), moved into the test's window.
const documentedAlert: SecurityAlert = {
  id: 'da637551227677560813_-961444813',
  serviceSource: 'microsoftDefenderForEndpoint',
  detectionSource: 'antivirus',
  title: 'Suspicious execution of hidden file',
  createdDateTime: '2026-11-21T12:19:27.7211305Z',
};

describe('alerts', () => {
  it('filters alerts_v2 by serviceSource and createdDateTime ge T0', () => {
    const path = decodeURIComponent(alertsPath('microsoftSentinel', T0, 1));
    expect(path.startsWith('/security/alerts_v2?$filter=')).toBe(true);
    expect(path).toContain("serviceSource eq 'microsoftSentinel' and createdDateTime ge 2026-11-20T00:00:00.000Z");
    expect(path).toContain('$top=1');
  });

  it('passes on an alert from the source since T0', () => {
    const result = evaluateAlerts('Defender for Endpoint', ['microsoftDefenderForEndpoint'], [documentedAlert], T0);
    expect(result.status).toBe('pass');
    expect(result.evidence).toMatchObject({ alertId: documentedAlert.id, serviceSource: 'microsoftDefenderForEndpoint' });
  });

  it('is pending for alerts before T0, from other sources, or shown as unknownFutureValue', () => {
    const before = { ...documentedAlert, createdDateTime: '2026-11-19T00:00:00Z' };
    const other = { ...documentedAlert, serviceSource: 'microsoftDefenderForIdentity' };
    const hidden = { ...documentedAlert, serviceSource: 'unknownFutureValue' };
    for (const alert of [before, other, hidden]) {
      expect(evaluateAlerts('x', ['microsoftDefenderForEndpoint'], [alert], T0).status).toBe('pending');
    }
  });

  it('accepts any of several sources (Azure: Sentinel or Defender for Cloud) and cleans hostile titles', () => {
    const cloud = { ...documentedAlert, serviceSource: 'microsoftDefenderForCloud', title: 'Bad\u001b[31m title\u0007' };
    const result = evaluateAlerts('Azure', ['microsoftSentinel', 'microsoftDefenderForCloud'], [cloud], T0);
    expect(result.status).toBe('pass');
    expect(result.evidence.title).toBe('Bad title');
  });
});
