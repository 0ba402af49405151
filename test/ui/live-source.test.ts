// The real DashboardSource against the simulated cloud: the real access layer, probes, rules,
// history store and roster store, on the demo's temporary roster.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../src/commands/demo.js';
import { HistoryStore } from '../../src/db/history.js';
import { RosterStore } from '../../src/db/roster.js';
import { createSignInHub, LiveSource, type SignInHub } from '../../src/ui/live-source.js';
import type { TenantRecheckResult } from '../../src/ui/state/reducer.js';
import type { RosterRow } from '../../src/ui/state/types.js';
import type { SignInEvent } from '../../src/ui/source.js';

let demo: Demo;
let source: LiveSource;
let hub: SignInHub;
let history: HistoryStore;
let exportDir: string;

const scenario = (id: string): string => {
  const tenant = demo.sim.tenants.find((candidate) => candidate.scenario === id);
  if (!tenant) throw new Error(`no scenario ${id}`);
  return tenant.tenantId;
};

beforeAll(async () => {
  demo = await startDemo({ latencyMs: 0 });
  // Faults below should become `error` verdicts at once rather than after backed-off retries.
  demo.session.settings.maxRetries = 0;
  exportDir = mkdtempSync(path.join(tmpdir(), 'expel-track-exports-'));
  demo.session.settings.exportDir = exportDir;
  hub = createSignInHub();
  history = new HistoryStore(demo.session.db);
  source = new LiveSource({
    db: demo.session.db,
    roster: new RosterStore(demo.session.db),
    history,
    settings: demo.session.settings,
    access: () => demo.session.access(hub),
    signIn: hub,
    ...(demo.session.env === undefined ? {} : { env: demo.session.env }),
  });
});

afterAll(async () => {
  if (exportDir) rmSync(exportDir, { recursive: true, force: true });
  await source?.shutdown();
  demo?.session.db.close();
  await demo?.close();
});

async function recheck(ids: string[], signal = new AbortController().signal): Promise<TenantRecheckResult[]> {
  const results: TenantRecheckResult[] = [];
  const { outcome } = await source.recheck(ids, { signal, onTenantDone: (result) => results.push(result) });
  expect(outcome).toBe('finished');
  return results;
}

describe('the live source over the simulated cloud', () => {
  it('loads every tenant of the roster, never checked, without touching Microsoft', async () => {
    const { rows, lastFullCheckAt } = await source.loadRoster();
    expect(rows).toHaveLength(demo.sim.tenants.length);
    expect(lastFullCheckAt).toBeNull();
    const contoso = rows.find((row) => row.tenantId === scenario('onboarded'))!;
    expect(contoso.integrations.map((cell) => [cell.id, cell.status])).toEqual([
      ['access', 'not_started'],
      ['mde', 'not_started'],
      ['mdi', 'not_started'],
      ['m365', 'not_started'],
      ['azure', 'not_started'],
    ]);
    expect(contoso).toMatchObject({ lastCheckedAt: null, next: null, problem: null, daysInStage: null });
  });

  it('re-checks tenants, reporting each with its fresh row: statuses, next step and whose move', async () => {
    const ids = [scenario('onboarded'), scenario('guest-not-invited'), scenario('signin-guest-pending')];
    const results = await recheck(ids);
    expect(results.map((result) => result.tenantId).sort()).toEqual([...ids].sort());
    const rowOf = (id: string): RosterRow => results.find((result) => result.tenantId === id)!.row!;

    const contoso = rowOf(scenario('onboarded'));
    expect(contoso.integrations.map((cell) => `${cell.id}:${cell.status}:${cell.done}/${cell.applicable}`)).toEqual([
      'access:complete:7/7',
      'mde:complete:5/5',
      'mdi:complete:5/5',
      'm365:attention:3/4',
      'azure:complete:8/8',
    ]);
    expect(contoso.next).toMatchObject({ stepId: 'm365.audit-log', status: 'unverifiable', owner: 'customer' });
    expect(contoso.lastCheckedAt).not.toBeNull();
    expect(contoso.daysInStage).toBe(0);

    const northwind = rowOf(scenario('guest-not-invited'));
    expect(northwind.next).toMatchObject({ stepId: 'access.guest-invited', status: 'fail', owner: 'customer' });
    expect(northwind.problem).toBeNull();

    // A refused sign-in is a visible state of the tenant, not a crash.
    const fincher = results.find((result) => result.tenantId === scenario('signin-guest-pending'))!;
    expect(fincher.row?.problem).toBe('Cannot read the tenant: the Expel guest has not accepted the invitation');
    expect(fincher.errorSteps).toBeGreaterThan(0);
    expect(history.runs(1)[0]).toMatchObject({ state: 'complete', tenantCount: 3 });
  });

  it('shows the detail of a tenant in guide order, with attestable steps marked', async () => {
    const detail = await source.loadTenant(scenario('onboarded'));
    expect(detail.integrations.map((integration) => integration.id)).toEqual(['access', 'mde', 'mdi', 'm365', 'azure']);
    expect(detail.integrations[1]).toMatchObject({ option: 'custom app', status: 'complete' });
    const access = detail.integrations[0]!.steps.map((step) => step.id);
    expect(access).toEqual([
      'access.tenant',
      'access.probe-access',
      'access.guest-invited',
      'access.guest-redeemed',
      'access.guest-role',
      'access.cross-tenant-trust',
      'access.auto-redeem',
    ]);
    const audit = detail.integrations[3]!.steps.find((step) => step.id === 'm365.audit-log')!;
    expect(audit).toMatchObject({ status: 'unverifiable', attestable: true, owner: 'customer', latestError: null });
    const tenantStep = detail.integrations[0]!.steps[0]!;
    expect(tenantStep).toMatchObject({ status: 'pass', attestable: false });
    expect(tenantStep.evidence.length).toBeGreaterThan(0);
  });

  it('keeps the last real verdict when a later check could not see, and marks it stale with the error', async () => {
    const id = scenario('onboarded');
    demo.sim.setFaults({ unavailableRate: 1 });
    try {
      await recheck([id]);
    } finally {
      demo.sim.setFaults({});
    }
    const detail = await source.loadTenant(id);
    const steps = detail.integrations.flatMap((integration) => integration.steps);
    const stale = steps.filter((step) => step.latestError !== null);
    expect(stale.length).toBeGreaterThan(0);
    for (const step of stale) {
      expect(step.status).not.toBe('error');
      expect(step.latestError?.reason).not.toBeNull();
    }
    const history = await source.loadStepHistory(id, stale[0]!.id);
    expect(history[0]?.status).toBe('error');
    expect(history.some((entry) => entry.status !== 'error')).toBe(true);
  });

  it('records an attestation for an unverifiable step with the attest command rules, and refuses others', async () => {
    const id = scenario('onboarded');
    const refused = await source.attest(id, 'access.tenant', { attestedBy: 'Alex', note: 'said so', expires: '' });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.errors['']?.[0]).toContain('--force');
    const badDate = await source.attest(id, 'm365.audit-log', { attestedBy: 'Alex', note: 'ok', expires: '2020-01-01' });
    expect(!badDate.ok && badDate.errors.expires?.[0]).toMatch(/future|passed/);
    const saved = await source.attest(id, 'm365.audit-log', {
      attestedBy: 'Alex',
      note: 'Get-AdminAuditLogConfig: UnifiedAuditLogIngestionEnabled True',
      expires: '2099-01-01',
    });
    expect(saved).toMatchObject({ ok: true });
    const detail = await source.loadTenant(id);
    const audit = detail.integrations[3]!.steps.find((step) => step.id === 'm365.audit-log')!;
    expect(audit.attestation).toMatchObject({ attestedBy: 'Alex', expiresAt: '2099-01-01T00:00:00.000Z' });
    // From the next check it counts as done.
    const [result] = await recheck([id]);
    expect(result!.row!.integrations.find((cell) => cell.id === 'm365')).toMatchObject({ status: 'complete', done: 4 });
  });

  it('adds and edits tenants with the roster validation, refusing duplicates', async () => {
    const bad = await source.saveTenant('add', null, { tenant_id: 'nope', name: '' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && Object.keys(bad.errors).sort()).toEqual(['name', 'tenant_id']);
    const fields = { tenant_id: '6babcaad-604b-40ac-a9d7-9fd97c0b779f', name: 'Tailspin New', integrations: ['mde'], options: ['mde=custom'] };
    const added = await source.saveTenant('add', null, fields);
    expect(added).toMatchObject({ ok: true, message: 'Added Tailspin New.' });
    expect(added.ok && added.row?.integrations.map((cell) => cell.id)).toEqual(['access', 'mde']);
    const again = await source.saveTenant('add', null, fields);
    expect(!again.ok && again.errors.tenant_id?.[0]).toContain('already in the roster as Tailspin New');
    const stored = await source.tenantFields(fields.tenant_id);
    const edited = await source.saveTenant('edit', fields.tenant_id, { ...stored, name: 'Tailspin Renamed', integrations: ['mde', 'azure'] });
    expect(edited).toMatchObject({ ok: true, row: { name: 'Tailspin Renamed' } });
    expect(edited.ok && edited.row?.integrations.map((cell) => cell.id)).toEqual(['access', 'mde', 'azure']);
  });

  it('previews and writes the customer instructions the instructions command builds', async () => {
    const id = scenario('guest-not-invited');
    const text = await source.instructions(id);
    expect(text).toContain('Northwind Traders');
    expect(text).toMatch(/guest/i);
    expect(text).not.toContain('access.guest-invited');
    const file = await source.writeInstructions(id);
    expect(path.dirname(file)).toBe(exportDir);
    expect(file).toMatch(/instructions-northwind-traders-\d{8}T\d{6}Z\.md$/);
    expect(readFileSync(file, 'utf8')).toContain('Northwind Traders');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('exports every tenant to CSV in the export folder', async () => {
    const { file, rows } = await source.exportRoster();
    expect(path.dirname(file)).toBe(exportDir);
    const lines = readFileSync(file, 'utf8').trim().split('\r\n');
    expect(lines[0]).toMatch(/^tenant_id,tenant_name,/);
    expect(rows).toBe(lines.length - 1);
    expect(rows).toBeGreaterThan(demo.sim.tenants.length);
  });

  it('loads complete rows, days in stage included, from the summaries cached with the verdicts', async () => {
    const { rows } = await source.loadRoster();
    const checked = rows.find((row) => row.tenantId === scenario('onboarded'))!;
    expect(checked.daysInStage).toBe(0);
    expect(checked.lastCheckedAt).not.toBeNull();
    // Nothing is left to fill in after the first frame.
    const batches: RosterRow[][] = [];
    await source.completeRows(rows.map((row) => row.tenantId), { signal: new AbortController().signal, onRows: (batch) => batches.push(batch) });
    expect(batches).toEqual([]);
  });

  it('stops a re-check when cancelled: the run is closed incomplete', async () => {
    const controller = new AbortController();
    const ids = demo.sim.tenants.map((tenant) => tenant.tenantId);
    const run = source.recheck(ids, { signal: controller.signal, onTenantDone: () => controller.abort() });
    await expect(run).resolves.toEqual({ outcome: 'cancelled' });
    expect(history.runs(1)[0]?.state).toBe('incomplete');
  });
});

describe('device-code sign-in', () => {
  it('shows the prompt through the hub and closes it when the tenant is done', async () => {
    const events: SignInEvent[] = [];
    const deviceHub = createSignInHub();
    const unsubscribe = deviceHub.subscribe((event) => events.push(event));
    const { createAccessLayer } = await import('../../src/microsoft/index.js');
    const deviceSource = new LiveSource({
      db: demo.session.db,
      roster: new RosterStore(demo.session.db),
      history,
      settings: demo.session.settings,
      access: async () =>
        createAccessLayer({
          cloud: 'custom',
          endpoints: { authorityHost: demo.sim.authorityHost, graphUrl: demo.sim.graphUrl, armUrl: demo.sim.armUrl },
          ca: demo.sim.ca,
          auth: 'device-code',
          clientId: demo.sim.trackerApp.clientId,
          env: {},
          onDeviceCode: (prompt) => deviceHub.prompt(prompt),
        }),
      signIn: deviceHub,
    });
    const id = scenario('onboarded');
    const results: TenantRecheckResult[] = [];
    await deviceSource.recheck([id], { signal: new AbortController().signal, onTenantDone: (result) => results.push(result) });
    await deviceSource.shutdown();
    unsubscribe();
    const prompt = events.find((event) => event.kind === 'prompt');
    expect(prompt?.kind === 'prompt' && prompt.prompt).toMatchObject({ tenantId: id });
    expect(prompt?.kind === 'prompt' && prompt.prompt.userCode.length).toBeGreaterThan(0);
    expect(prompt?.kind === 'prompt' && prompt.prompt.verificationUri).toMatch(/^https:\/\//);
    expect(events.at(-1)).toEqual({ kind: 'resolved', tenantId: id });
    expect(results[0]?.row?.problem).toBeNull();
  });
});
