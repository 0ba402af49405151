// Runs the built CLI: `node scripts/build.mjs` (or npm test) first.
import { afterEach, describe, expect, it } from 'vitest';
import type { Status } from '../../src/core/status.js';
import { DEFAULT_OPTIONS, type Tenant } from '../../src/core/tenant.js';
import { openDatabase } from '../../src/db/database.js';
import { HistoryStore } from '../../src/db/history.js';
import { RosterStore } from '../../src/db/roster.js';
import { makeSandbox, type Sandbox } from '../support/cli.js';
import { makeTenant } from '../db/helpers.js';

const CONTOSO = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';
const FABRIKAM = '1f0b3a3c-7a55-4d0e-9c51-2b7e2f5a1d10';

function tenant(overrides: Partial<Tenant>): Tenant {
  return makeTenant({ tenantId: CONTOSO, domain: 'contoso.com', integrations: ['mde', 'm365'], ...overrides });
}

/** A sandbox whose roster holds Contoso (mde + m365) and Fabrikam (mdi), with optional latest verdicts for Contoso. */
function sandboxWith(latest: Record<string, Status> = {}): Sandbox {
  const sandbox = makeSandbox();
  const db = openDatabase(sandbox.db);
  const roster = new RosterStore(db);
  roster.add(tenant({}));
  roster.add(tenant({ tenantId: FABRIKAM, name: 'Fabrikam', domain: 'fabrikam.com', integrations: ['mdi'] }));
  if (Object.keys(latest).length > 0) {
    const history = new HistoryStore(db);
    const runId = history.startRun({ tenants: [CONTOSO] });
    history.recordTenant(
      runId,
      CONTOSO,
      Object.entries(latest).map(([id, status]) => ({
        id,
        status,
        summary: 's',
        observedAt: '2026-11-22T09:00:00.000Z',
        reason: status === 'error' ? 'not_licensed' : null,
        expectedBy: null,
        blockedBy: null,
        evidence: {},
      })),
    );
    history.finishRun(runId, 'complete');
  }
  db.close();
  return sandbox;
}

function storedAttestations(sandbox: Sandbox) {
  const db = openDatabase(sandbox.db);
  try {
    return new HistoryStore(db).attestations();
  } finally {
    db.close();
  }
}

const BASE = ['--by', 'Ana Analyst', '--note', 'Customer ran Get-AdminAuditLogConfig: True'];

describe('expel-track attest', () => {
  let sandbox: Sandbox;
  afterEach(() => sandbox?.cleanup());

  it('records a confirmation for a step that can never be checked from outside, before any check', () => {
    sandbox = sandboxWith();
    const result = sandbox.run(['attest', 'Contoso', 'm365.audit-log', ...BASE]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('m365.audit-log');
    expect(result.stdout).toContain('Ana Analyst');
    expect(result.stdout).toContain('expires:  never');
    const [stored] = storedAttestations(sandbox);
    expect(stored).toMatchObject({
      tenantId: CONTOSO,
      stepId: 'm365.audit-log',
      attestedBy: 'Ana Analyst',
      note: 'Customer ran Get-AdminAuditLogConfig: True',
      expiresAt: null,
      forcedReason: null,
    });
  });

  it('prints the stored record with --json and resolves the tenant by domain', () => {
    sandbox = sandboxWith();
    const result = sandbox.run(['attest', 'contoso.com', 'm365.audit-log', ...BASE, '--expires', '2099-01-31', '--json']);
    expect(result.code).toBe(0);
    const record = JSON.parse(result.stdout);
    expect(record).toEqual({ ...storedAttestations(sandbox)[0], expiresAt: '2099-01-31T00:00:00.000Z' });
    expect(Date.parse(record.attestedAt)).not.toBeNaN();
  });

  it('accepts a step whose latest verdict is unverifiable', () => {
    sandbox = sandboxWith({ 'access.guest-redeemed': 'unverifiable' });
    const result = sandbox.run(['attest', CONTOSO, 'access.guest-redeemed', ...BASE]);
    expect(result.code).toBe(0);
    expect(storedAttestations(sandbox)).toHaveLength(1);
  });

  it('accepts mde.console-roles for a tenant on MDE RBAC roles', () => {
    sandbox = makeSandbox();
    const db = openDatabase(sandbox.db);
    new RosterStore(db).add(tenant({ options: { ...DEFAULT_OPTIONS, mdeConsole: 'rbac' } }));
    db.close();
    expect(sandbox.run(['attest', 'Contoso', 'mde.console-roles', ...BASE]).code).toBe(0);
  });

  it('refuses a checkable step unless forced with a reason, then stores the reason', () => {
    sandbox = sandboxWith({ 'mde.polling': 'error' });
    const refused = sandbox.run(['attest', 'Contoso', 'mde.polling', ...BASE]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("latest verdict is 'error'");
    expect(refused.stderr).toContain('--force --reason');
    expect(storedAttestations(sandbox)).toHaveLength(0);

    const neverChecked = sandbox.run(['attest', 'Contoso', 'mde.api-access', ...BASE]);
    expect(neverChecked.code).toBe(1);
    expect(neverChecked.stderr).toContain('has not been checked yet');

    const forced = sandbox.run(['attest', 'Contoso', 'mde.polling', ...BASE, '--force', '--reason', 'Workbench shows polling; no P1 licence']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('forced:');
    expect(storedAttestations(sandbox)).toEqual([
      expect.objectContaining({ stepId: 'mde.polling', forcedReason: 'Workbench shows polling; no P1 licence' }),
    ]);
  });

  it.each([
    ['an unknown step', ['attest', 'Contoso', 'm365.nothing', ...BASE], 'unknown step'],
    ['a step outside the tenant scope', ['attest', 'Fabrikam', 'm365.audit-log', ...BASE], 'does not apply to Fabrikam'],
    ['an unknown tenant', ['attest', 'Nobody', 'm365.audit-log', ...BASE], "no tenant named 'Nobody'"],
    ['--force without --reason', ['attest', 'Contoso', 'm365.audit-log', ...BASE, '--force'], '--force needs --reason'],
    ['--reason without --force', ['attest', 'Contoso', 'm365.audit-log', ...BASE, '--reason', 'x'], '--reason is only for --force'],
    ['an expiry in the past', ['attest', 'Contoso', 'm365.audit-log', ...BASE, '--expires', '2001-01-01'], 'must be in the future'],
    ['an unreadable expiry', ['attest', 'Contoso', 'm365.audit-log', ...BASE, '--expires', 'next week'], '--expires'],
    ['an impossible expiry date', ['attest', 'Contoso', 'm365.audit-log', ...BASE, '--expires', '2099-02-30'], 'not a real date'],
    ['a name that is only escapes', ['attest', 'Contoso', 'm365.audit-log', '--by', '\u001b[2J', '--note', 'x'], '--by must not be empty'],
    ['an over-long note', ['attest', 'Contoso', 'm365.audit-log', '--by', 'Ana', '--note', 'x'.repeat(1001)], '--note is too long'],
    ['a missing --by', ['attest', 'Contoso', 'm365.audit-log', '--note', 'x'], "required option '--by <name>'"],
  ])('refuses %s', (_label, args, message) => {
    sandbox = sandboxWith();
    const result = sandbox.run(args);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(storedAttestations(sandbox)).toHaveLength(0);
  });

  it('cleans terminal escapes out of names and notes before storing them', () => {
    sandbox = sandboxWith();
    const result = sandbox.run([
      'attest', 'Contoso', 'm365.audit-log',
      '--by', 'Ana\u001b]0;pwned\u0007 Analyst',
      '--note', 'ok\u001b[31m red\u001b[0m\nsecond line',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('\u001b');
    expect(storedAttestations(sandbox)[0]).toMatchObject({ attestedBy: 'Ana Analyst', note: 'ok red second line' });
  });
});
