// Temporary folders for database tests; nothing here touches the user's data directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Status, Verdict } from '../../src/core/status.js';
import { DEFAULT_OPTIONS, type IntegrationId, type Tenant } from '../../src/core/tenant.js';
import { STEPS } from '../../src/integrations/catalogue.js';

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'expel-track-db-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A valid tenant with every optional field empty; override what a test needs. */
export function makeTenant(overrides: Partial<Tenant> = {}): Tenant {
  return {
    tenantId: '6babcaad-604b-40ac-a9d7-9fd97c0b779f',
    name: 'Contoso',
    domain: null,
    orgGuid: null,
    guestEmail: null,
    engagementManager: null,
    engineer: null,
    startedOn: null,
    notes: null,
    archived: false,
    integrations: [],
    options: { ...DEFAULT_OPTIONS },
    appNames: {},
    subscriptions: [],
    deviceAdded: {},
    ...overrides,
  };
}

/** A deterministic GUID per number, for bulk fixtures. */
export function guidFor(n: number, prefix = '0000'): string {
  const hex = n.toString(16).padStart(12, '0');
  return `${prefix}abcd-0000-4000-8000-${hex}`;
}

/** The error an action throws (fails the test when it throws nothing). */
export function catchError(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

/** A stored verdict of `status` observed at `at`, with the fields that status carries. */
export function verdictAt(id: string, status: Status, at: string): Verdict {
  return {
    id,
    status,
    summary: `${id} ${status}`,
    observedAt: at,
    reason: status === 'error' ? 'throttled' : null,
    expectedBy: status === 'waiting' ? '2026-11-20T00:00:00.000Z' : null,
    blockedBy: status === 'blocked' ? 'access.guest-invited' : null,
    evidence: {},
  };
}

/** What `check` stores for a tenant: every step, not_applicable outside its scope, `pass` unless told. */
export function checkOf(tenant: Tenant, at: string, statuses: Record<string, Status> = {}, leaveOut: IntegrationId[] = []): Verdict[] {
  return STEPS.filter((step) => !leaveOut.includes(step.integration)).map((step) =>
    verdictAt(step.id, step.applies(tenant) ? (statuses[step.id] ?? 'pass') : 'not_applicable', at),
  );
}
