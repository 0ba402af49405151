// Runs the built CLI: `node scripts/build.mjs` (or npm test) first.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/core/status.js';
import { STEPS } from '../../src/integrations/catalogue.js';
import { makeSandbox, type Sandbox } from '../support/cli.js';
import { seedDatabase } from '../export/seed.js';
import { tenant, verdict } from './fixtures.js';

let sandbox: Sandbox | null = null;
afterEach(() => {
  sandbox?.cleanup();
  sandbox = null;
});

const contoso = tenant({ integrations: ['mdi', 'm365'], notes: 'INTERNAL: do not share' });
const fabrikam = tenant({ tenantId: '1f0b3a3c-7a55-4d0e-9c51-2b7e2f5a1d10', name: 'Fabrikam', domain: 'fabrikam.com', integrations: ['mde'] });
const TRACKER = '0c8e2a55-1f0b-4a8c-9a57-3d1f0e8b7a11';

function seeded(latest: (id: string) => Partial<Verdict> | undefined): Sandbox {
  const box = makeSandbox();
  const at = '2026-11-22T09:00:00.000Z';
  const verdicts = STEPS.map((step) => ({
    ...verdict(step.id, step.applies(contoso) ? 'pass' : 'not_applicable', { observedAt: at }),
    ...latest(step.id),
  }));
  seedDatabase(box.db, [contoso, fabrikam], [{ at, verdicts: new Map([[contoso.tenantId, verdicts]]) }]);
  return box;
}

const OPEN_WORK: Record<string, Partial<Verdict>> = {
  'mdi.api-permissions': {
    status: 'fail',
    evidence: { appId: 'a', servicePrincipalId: 's', missing: ['ThreatHunting.Read.All'], missingByResource: { 'Microsoft Graph': ['ThreatHunting.Read.All'] } },
  },
  'mdi.polling': { status: 'blocked', blockedBy: 'mdi.api-permissions' },
  'mdi.alerts': { status: 'blocked', blockedBy: 'mdi.api-permissions' },
  'm365.audit-log': { status: 'unverifiable' },
};
const openWork = (id: string): Partial<Verdict> | undefined => OPEN_WORK[id];

describe('expel-track instructions', () => {
  it('prints Markdown for the open steps of a tenant found by domain', () => {
    sandbox = seeded(openWork);
    const result = sandbox.run(['instructions', 'contoso.com']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Hello Contoso team,/);
    expect(result.stdout).toContain('### 1. Grant the **Expel Defender for Identity** app its API permissions');
    expect(result.stdout).toContain('- Microsoft Graph (application): `ThreatHunting.Read.All`');
    expect(result.stdout).toContain('### 2. Confirm that Microsoft 365 audit logging is on');
    expect(result.stdout).not.toContain('SecurityAlert.Read.All');
    expect(result.stdout).not.toContain('INTERNAL');
    expect(result.stdout).not.toMatch(/\b(mdi|m365|access)\.[a-z-]+/);
  });

  it('prints plain text with --format text and writes --out files, printing their path', () => {
    sandbox = seeded(openWork);
    const text = sandbox.run(['instructions', 'Contoso', '--format', 'text']);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(/\*\*|`|^#/m);
    expect(text.stdout).toContain('1. Grant the Expel Defender for Identity app its API permissions');
    const file = path.join(sandbox.dir, 'contoso.md');
    const written = sandbox.run(['instructions', contoso.tenantId, '--out', file]);
    expect(written.code).toBe(0);
    expect(written.stdout.trim()).toBe(file);
    expect(readFileSync(file, 'utf8')).toContain('### 1. Grant the **Expel Defender for Identity** app');
  });

  it('builds the admin-consent link from the tracker app setting and the cloud', () => {
    sandbox = seeded((id) =>
      id === 'access.tenant' ? undefined : id === 'access.probe-access' ? { status: 'error', reason: 'consent_missing' } : STEPS.find((s) => s.id === id)!.applies(contoso) ? { status: 'blocked', blockedBy: 'access.probe-access' } : undefined,
    );
    const result = sandbox.run(['instructions', 'contoso.com'], { env: { EXPEL_TRACK_CLIENT_ID: TRACKER, EXPEL_TRACK_CLOUD: 'china' } });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`<https://login.chinacloudapi.cn/${contoso.tenantId}/adminconsent?client_id=${TRACKER}>`);
  });

  it('says "all set" for a tenant with nothing left', () => {
    sandbox = seeded(() => undefined);
    const result = sandbox.run(['instructions', 'contoso.com', '--format', 'text']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("You're all set");
  });

  it('refuses a tenant that was never checked, and an unknown tenant', () => {
    sandbox = seeded(openWork);
    const unchecked = sandbox.run(['instructions', 'Fabrikam']);
    expect(unchecked.code).toBe(1);
    expect(unchecked.stderr).toContain('has not been checked yet');
    expect(unchecked.stdout).toBe('');
    const unknown = sandbox.run(['instructions', 'nobody.example']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no tenant');
    const badFormat = sandbox.run(['instructions', 'Contoso', '--format', 'html']);
    expect(badFormat.code).toBe(1);
  });
});
