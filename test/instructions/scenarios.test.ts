// End to end through the built CLI (`node scripts/build.mjs` first): the simulated cloud runs in
// this process, `expel-track check` probes its scenario tenants over HTTPS (app-only, as
// docs/sim.md's expectations assume), then `instructions` and `export` read what check stored.
// Every expected value below comes from the sim's own state, not from our output.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPEL_TENANT_ID, SIM_EXPEL_APP_IDS, rosterOf, startSimCloud, type SimCloud, type SimTenant } from '../../sim/index.js';
import { openDatabase } from '../../src/db/database.js';
import { RosterStore } from '../../src/db/roster.js';
import { EXPORT_COLUMNS } from '../../src/export/format.js';
import { formatDay } from '../../src/instructions/dates.js';
import { parseStrictCsv } from '../export/rfc4180.js';
import { binPath } from '../support/cli.js';

// Every scenario except the one that answers each request 429 twice (slow by design).
const SKIPPED = new Set(['throttling-heavy']);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let sim: SimCloud;
let dir: string;
let env: NodeJS.ProcessEnv;
/** Steps that came back `error` per tenant: shown when an assertion fails (a timeout under load). */
const errors = new Map<string, string>();
const errorsOf = (id: string): string => `errors in check: ${errors.get(scenario(id).tenantId) || 'none'}`;

/** The CLI as a child process without blocking this process (the sim answers from here). */
function cli(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const scenario = (id: string): SimTenant => {
  const found = sim.tenants.find((t) => t.scenario === id);
  if (!found) throw new Error(`no scenario ${id}`);
  return found;
};

const instructions = new Map<string, string>();
async function instructionsFor(id: string): Promise<string> {
  const cached = instructions.get(id);
  if (cached !== undefined) return cached;
  const result = await cli(['instructions', scenario(id).tenantId]);
  expect(result.stderr, id).toBe('');
  expect(result.code, id).toBe(0);
  instructions.set(id, result.stdout);
  return result.stdout;
}

const todos = (md: string): string[] => md.split('\n').filter((line) => /^### \d+\. /.test(line)).map((line) => line.replace(/^### \d+\. /, ''));
const STEP_ID = /\b(?:access|mde|mdi|m365|azure)\.[a-z]+(?:-[a-z]+)*\b/;

beforeAll(async () => {
  sim = await startSimCloud();
  dir = mkdtempSync(path.join(tmpdir(), 'expel-track-scenarios-'));
  env = {
    ...process.env,
    HOME: dir,
    XDG_DATA_HOME: path.join(dir, 'data'),
    XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
    EXPEL_TRACK_DB: path.join(dir, 'roster.db'),
    EXPEL_TRACK_CONFIG_DIR: path.join(dir, 'config'),
    NO_COLOR: '1',
    EXPEL_TRACK_CLOUD: 'custom',
    EXPEL_TRACK_AUTHORITY_HOST: sim.authorityHost,
    EXPEL_TRACK_GRAPH_URL: sim.graphUrl,
    EXPEL_TRACK_ARM_URL: sim.armUrl,
    EXPEL_TRACK_AUTH: 'client-secret',
    EXPEL_TRACK_CLIENT_ID: sim.trackerApp.clientId,
    AZURE_CLIENT_ID: sim.trackerApp.clientId,
    AZURE_CLIENT_SECRET: sim.trackerApp.clientSecret,
    NODE_EXTRA_CA_CERTS: sim.caFile,
  };
  const db = openDatabase(env.EXPEL_TRACK_DB!);
  new RosterStore(db).importTenants(rosterOf(sim.tenants.filter((t) => !SKIPPED.has(t.scenario))));
  db.close();
  for (const [integration, appId] of Object.entries(SIM_EXPEL_APP_IDS)) {
    const set = await cli(['config', 'set', `expelAppIds.${integration}`, appId]);
    expect(set.stderr).toBe('');
  }
  const check = await cli(['check', '--all', '--json']);
  // 3 = some step is `error` (license-missing, the refused sign-ins): expected here.
  expect([0, 3], check.stderr).toContain(check.code);
  const document = JSON.parse(check.stdout) as {
    tenants: Array<{ tenantId: string; integrations: Array<{ steps: Array<{ id: string; status: string; reason: string | null }> }> }>;
  };
  for (const tenant of document.tenants) {
    const steps = tenant.integrations.flatMap((i) => i.steps).filter((step) => step.status === 'error');
    errors.set(tenant.tenantId, steps.map((step) => `${step.id}:${step.reason}`).join(', '));
  }
}, 240_000);

afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('instructions for the scenario tenants', () => {
  it('fresh: every first step, with the guest email, Expel tenant ID, consent links and subscriptions filled in', async () => {
    const t = scenario('fresh');
    const md = await instructionsFor('fresh');
    const guest = `${t.roster.orgGuid!.toLowerCase()}@soc.expel.io`;
    expect(todos(md), errorsOf('fresh')).toEqual([
      "Invite Expel's guest account",
      'Add Expel to your cross-tenant access settings',
      'Approve the **Expel Defender for Endpoint Integration** app',
      'Create the **Expel Defender for Identity** app registration',
      'Confirm that Microsoft 365 audit logging is on',
      'Approve the **Expel Microsoft 365 Integration** app',
      'Approve the **ExpelAzure Integration** app',
      'Give Expel access to your Azure subscriptions',
    ]);
    expect(md).toContain(`enter the email \`${guest}\``);
    expect(md).toContain(`enter Expel's tenant ID \`${EXPEL_TENANT_ID}\``);
    for (const appId of [SIM_EXPEL_APP_IDS.mde, SIM_EXPEL_APP_IDS.m365, SIM_EXPEL_APP_IDS.azure]) {
      expect(md).toContain(`<${sim.authorityHost}/${t.tenantId}/adminconsent?client_id=${appId}>`);
    }
    for (const sub of t.roster.subscriptions) expect(md).toContain(`- \`${sub.toLowerCase()}\``);
    expect(md).toContain('#### After that: Turn on automatic redemption for Expel');
    expect(md).not.toMatch(STEP_ID);
  });

  it('consent-partial: exactly the permission that lacks consent', async () => {
    const md = await instructionsFor('consent-partial');
    expect(todos(md)).toEqual(['Grant the **Expel Defender for Identity** app its API permissions']);
    expect(md).toContain('- Microsoft Graph (application): `ThreatHunting.Read.All`');
    for (const granted of ['SecurityAlert.Read.All', 'SecurityEvents.Read.All', 'SecurityIncident.Read.All']) {
      expect(md).not.toContain(granted);
    }
  });

  it('mde-secret-expired: the secret and when it expired (one item for the refused sign-ins too), alerts in progress', async () => {
    const app = scenario('mde-secret-expired').ms.apps.find((a) => a.integration === 'mde')!;
    const md = await instructionsFor('mde-secret-expired');
    expect(todos(md)).toEqual([`Replace the expired secret of **${app.displayName}**`]);
    expect(md).toContain(`expired on ${formatDay(app.secrets[0]!.endDateTime).join('')}`);
    expect(md).toMatch(/\(secret ID `[0-9a-f-]{36}`\)/);
    expect(md).toContain('**In progress, nothing for you to do:**');
  });

  it('mdi-secret-failed: a new secret for the app whose sign-ins are refused', async () => {
    const md = await instructionsFor('mdi-secret-failed');
    expect(todos(md)).toEqual(['Replace the client secret Expel uses for Microsoft Defender for Identity']);
  });

  it('azure-roles-one-subscription: only the subscription and the account still lacking the role', async () => {
    const t = scenario('azure-roles-one-subscription');
    const [first, second] = t.roster.subscriptions.map((s) => s.toLowerCase());
    const md = await instructionsFor('azure-roles-one-subscription');
    expect(todos(md)).toEqual(['Assign Log Analytics Reader on your Azure subscriptions']);
    expect(md).toContain(`- \`${second}\`: the **ExpelAzure Integration** app\n`);
    expect(md).not.toContain(first!);
  });

  it('azure-subscription-invisible: the subscription Expel cannot see', async () => {
    const t = scenario('azure-subscription-invisible');
    const [first, second] = t.roster.subscriptions.map((s) => s.toLowerCase());
    const md = await instructionsFor('azure-subscription-invisible');
    expect(todos(md)).toEqual(['Give Expel access to your Azure subscriptions']);
    const item = md.slice(md.indexOf('### 1.'), md.indexOf('#### After that'));
    expect(item).toContain(`- \`${second}\``);
    expect(item).not.toContain(first!);
  });

  it('azure-diagnostics-missing: each storage account with the services it does not log', async () => {
    const t = scenario('azure-diagnostics-missing');
    const accounts = t.ms.subscriptions.flatMap((s) => s.storageAccounts);
    const log = accounts.find((a) => a.isLogAccount)!;
    const md = await instructionsFor('azure-diagnostics-missing');
    expect(todos(md)).toEqual([`Send storage account logs to \`${log.name}\``]);
    for (const account of accounts.filter((a) => !a.isLogAccount)) {
      const missing = (['blob', 'file', 'queue', 'table'] as const).filter((s) => account.diagnostics[s] !== 'categories' && account.diagnostics[s] !== 'allLogs');
      const names = missing.map((s) => s[0]!.toUpperCase() + s.slice(1));
      if (names.length === 0) expect(md).not.toContain(`\`${account.name}\`:`);
      else expect(md).toContain(`- \`${account.name}\`: ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`}`);
    }
  });

  it('azure-log-storage-firewall: the log account and the firewall exception', async () => {
    const log = scenario('azure-log-storage-firewall').ms.subscriptions.flatMap((s) => s.storageAccounts).find((a) => a.isLogAccount)!;
    const md = await instructionsFor('azure-log-storage-firewall');
    expect(todos(md)).toEqual([`Let Expel read logs through the storage firewall of \`${log.name}\``]);
    expect(md).toContain('**Allow read access to storage logging from any network**');
  });

  it('trust-partial: the trust setting that is off, and automatic redemption', async () => {
    const md = await instructionsFor('trust-partial');
    expect(todos(md)).toEqual([
      "Trust Expel's sign-ins in your cross-tenant access settings",
      'Turn on automatic redemption for Expel',
      // Microsoft 365 is in scope too: its audit log always needs the customer's confirmation.
      'Confirm that Microsoft 365 audit logging is on',
    ]);
    expect(md).toContain('Turn on **Trust multifactor authentication from Microsoft Entra tenants**.');
    expect(md).not.toContain('Turn on **Trust compliant devices**');
  });

  it('sign-in refusals caused by the tenant: consent for our app, the guest, the inbound policy', async () => {
    const consent = await instructionsFor('tracker-not-consented');
    expect(todos(consent)).toEqual(['Approve the app Expel uses to check your setup']);
    expect(consent).toContain(`<${sim.authorityHost}/${scenario('tracker-not-consented').tenantId}/adminconsent?client_id=${sim.trackerApp.clientId}>`);
    expect(consent).toContain('Once this is done, we can check the rest of your setup');
    expect(todos(await instructionsFor('signin-guest-not-invited'))).toEqual(["Invite Expel's guest account"]);
    expect(todos(await instructionsFor('signin-guest-pending'))).toEqual(["Resend the invitation for Expel's guest account"]);
    expect(todos(await instructionsFor('signin-inbound-blocked'))).toEqual(["Allow Expel's guest account in your cross-tenant access settings"]);
    expect(todos(await instructionsFor('signin-conditional-access'))).toEqual(["Let Expel's guest account through Conditional Access"]);
    // MFA required could be our interactive sign-in as much as their policy: not a customer to-do.
    expect(todos(await instructionsFor('signin-mfa-required'))).toEqual([]);
  });

  it('guest-not-invited and guest-pending', async () => {
    expect(todos(await instructionsFor('guest-not-invited'))).toEqual(["Invite Expel's guest account"]);
    const pending = await instructionsFor('guest-pending');
    expect(todos(pending)).toEqual([]);
    expect(pending).toContain('waiting to be accepted from Expel');
  });

  it('Defender for Endpoint console, polling and alerts', async () => {
    expect(todos(await instructionsFor('mde-rbac-console'))).toEqual(["Confirm Expel's role in Microsoft Defender for Endpoint"]);
    expect(todos(await instructionsFor('polling-overdue'))).toEqual(['Check the Microsoft Defender for Endpoint security device in Workbench']);
    expect(todos(await instructionsFor('alerts-overdue'))).toEqual(['No Microsoft Defender for Endpoint alerts have reached Expel yet']);
    const waiting = await instructionsFor('polling-waiting');
    expect(todos(waiting)).toEqual([]);
    expect(waiting).toContain("Expel's Microsoft Defender for Endpoint connection should start reading data by");
  });

  it('done with caveats (expiring secret, reader-only console, older permissions) counts as all set', async () => {
    for (const id of ['mde-secret-expiring', 'mde-console-reader-only', 'mde-older-permissions', 'azure-roles-broader', 'azure-defender-partial']) {
      const md = await instructionsFor(id);
      expect(todos(md), `${id} ${errorsOf(id)}`).toEqual([]);
      expect(md, id).toContain("You're all set");
    }
  });

  it('onboarded and m365-only: only the audit log confirmation is left', async () => {
    for (const id of ['onboarded', 'm365-only']) {
      const md = await instructionsFor(id);
      expect(todos(md), id).toEqual(['Confirm that Microsoft 365 audit logging is on']);
      expect(md).toContain('Get-AdminAuditLogConfig | Format-List UnifiedAuditLogIngestionEnabled');
    }
  });

  it('domain-mismatch: confirm the tenant ID', async () => {
    const md = await instructionsFor('domain-mismatch');
    expect(todos(md)).toEqual(['Confirm your Microsoft Entra tenant ID']);
  });

  it('hostile-names: nothing from the tenant can format, link or reach the terminal', async () => {
    const md = await instructionsFor('hostile-names');
    const text = (await cli(['instructions', scenario('hostile-names').tenantId, '--format', 'text'])).stdout;
    for (const output of [md, text]) {
      expect(output).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }
    expect(md.split('\n')[0]).toMatch(/^Hello `+.*`+ team,$|^Hello [^[\]<>]* team,$/);
  });

  it('never mentions step IDs, analyst summaries or roster notes', async () => {
    for (const t of sim.tenants.filter((x) => !SKIPPED.has(x.scenario))) {
      const md = await instructionsFor(t.scenario);
      expect(md, t.scenario).not.toMatch(STEP_ID);
      if (t.roster.notes) expect(md, t.scenario).not.toContain(t.roster.notes);
    }
  }, 120_000);
});

describe('export of the scenario tenants', () => {
  it('has one row per tenant and integration, readable by a strict parser', async () => {
    const result = await cli(['export', '--out', '-']);
    expect(result.stderr).toBe('');
    const { header, records } = parseStrictCsv(result.stdout);
    expect(header).toEqual([...EXPORT_COLUMNS]);
    const checked = sim.tenants.filter((t) => !SKIPPED.has(t.scenario));
    expect(records).toHaveLength(checked.reduce((sum, t) => sum + 1 + t.roster.integrations.length, 0));
    const row = (id: string, integration: string) => {
      const tenantId = scenario(id).tenantId;
      const found = records.find((r) => r[0] === tenantId && r[5] === integration);
      return Object.fromEntries(EXPORT_COLUMNS.map((c, i) => [c, found![i]!]));
    };
    expect(row('onboarded', 'mde')).toMatchObject({ status: 'complete', percent: '100', owner: 'none' });
    expect(row('onboarded', 'm365')).toMatchObject({ status: 'attention', next_step: 'm365.audit-log', owner: 'customer' });
    expect(row('consent-partial', 'mdi')).toMatchObject({ status: 'action_needed', next_step: 'mdi.api-permissions', owner: 'customer' });
    expect(row('polling-waiting', 'mde')).toMatchObject({ status: 'in_progress', next_step: 'mde.polling', owner: 'microsoft' });
    expect(row('alerts-overdue', 'mde').first_alert_on).toBe('');
    expect(row('onboarded', 'mde').device_added_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The hostile roster name starts with "=": neutralised, no control characters left.
    const hostile = row('hostile-names', 'access').tenant_name!;
    expect(hostile.startsWith("'=")).toBe(true);
    expect(hostile).not.toMatch(/[\u0000-\u001f]/);
  });
});
