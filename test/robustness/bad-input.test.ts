// A corpus of bad input, each fed to the built CLI: malformed GUIDs, oversized and control-character
// names, broken CSV files (up to a 100 MB one), broken settings and database files, and hostile
// Microsoft answers (malformed, wrongly shaped, oversized, a token for another tenant, an expired
// token) served by a small HTTPS server at the boundary. Each must be refused or turned into an
// `error` with a clear reason, and nothing already stored may change.
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rosterCsv, rosterOf, scenarioTenants, syntheticTenants } from '../../sim/index.js';
import { configureForSim, makeWorkspace, runCli, seedRoster, type CliRun, type Workspace } from '../../bench/lib/sandbox.js';
import { startBoundaryProxy, type BoundaryAnswer, type BoundaryProxy, type BoundaryRequest } from './boundary.js';
import { rawDatabase, simWorkspace, type SimWorkspace } from './support.js';

const GUID = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';
/** C0 controls other than the line feed, DEL and C1 controls: none may reach the terminal. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** Everything the roster database holds, as one comparable value (rows in insertion order where there is one). */
function storedState(file: string): Record<string, unknown[]> {
  const db = rawDatabase(file);
  try {
    const ordered = { tenants: 'created_at, tenant_id', tenant_integrations: '1, 2', tenant_subscriptions: '1, 2', check_runs: 'id', check_run_tenants: '1, 2', verdicts: 'id', attestations: 'id' };
    return Object.fromEntries(Object.entries(ordered).map(([table, order]) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all()]));
  } finally {
    db.close();
  }
}

function expectRefused(run: CliRun, message: RegExp): void {
  expect(run.code, run.stderr).toBe(1);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/unexpected error|\n\s+at .+:\d+:\d+/);
  expect(run.stderr).not.toMatch(CONTROL);
}

describe('bad roster, settings and file input', () => {
  let ws: Workspace;
  const files: Record<string, string> = {};

  beforeAll(() => {
    ws = makeWorkspace('bad-input');
    seedRoster(ws.db, rosterOf(syntheticTenants(3, 4)));
    configureForSim(ws.configDir);
    const write = (name: string, content: string | Buffer): void => {
      files[name] = path.join(ws.dir, name);
      writeFileSync(files[name], content);
    };
    write('unbalanced.csv', `tenant_id,name\r\n${GUID},"Contoso\r\n`);
    write('wrong-header.csv', `tenantid,nam\r\n${GUID},Contoso\r\n`);
    write('bad-guid.csv', `tenant_id,name\r\n1234,Contoso\r\n`);
    write('semicolons.csv', `tenant_id;name\r\n${GUID};Contoso\r\n`);
    write('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`tenant_id,name\r\n${GUID},Contoso\r\n`, 'utf16le')]));
    write('binary.csv', Buffer.from([0x00, 0x01, 0x02, 0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x00]));
    write('latin1.csv', Buffer.from(`tenant_id,name\r\n${GUID},Soci\xe9t\xe9 G\xe9n\xe9rale\r\n`, 'latin1'));
    // 100 MB of valid-looking rows, written in chunks (never held in memory, never committed).
    files['huge.csv'] = path.join(ws.dir, 'huge.csv');
    const fd = openSync(files['huge.csv'], 'w');
    writeSync(fd, 'tenant_id,name\r\n');
    const chunk = `${GUID},Contoso\r\n`.repeat(20_000);
    for (let written = 0; written < 100 * 1024 * 1024; written += chunk.length) writeSync(fd, chunk);
    closeSync(fd);
  });

  afterAll(() => ws?.cleanup());

  const cases: { name: string; args: () => string[]; message: RegExp }[] = [
    { name: 'malformed tenant GUID', args: () => ['tenant', 'add', '--tenant-id', 'not-a-guid', '--name', 'X'], message: /--tenant-id: 'not-a-guid' is not a GUID/ },
    { name: 'GUID with an extra character', args: () => ['tenant', 'add', '--tenant-id', `${GUID}0`, '--name', 'X'], message: /--tenant-id: .* is not a GUID/ },
    { name: 'all-zero GUID', args: () => ['tenant', 'add', '--tenant-id', '00000000-0000-0000-0000-000000000000', '--name', 'X'], message: /--tenant-id: .*all-zero/ },
    { name: 'malformed subscription GUID', args: () => ['tenant', 'add', '--tenant-id', GUID, '--name', 'X', '--integrations', 'azure', '--subscription', '1234'], message: /--subscription: .*not a GUID/ },
    { name: 'name over 120 characters', args: () => ['tenant', 'add', '--tenant-id', GUID, '--name', 'x'.repeat(121)], message: /--name: too long \(121 characters; at most 120\)/ },
    { name: '100 KB name', args: () => ['tenant', 'add', '--tenant-id', GUID, '--name', 'x'.repeat(100_000)], message: /--name: too long/ },
    { name: 'name made only of terminal escapes', args: () => ['tenant', 'add', '--tenant-id', GUID, '--name', '\u001b[2J\u001b]0;owned\u0007\u001b[31m'], message: /--name: required/ },
    { name: 'tenant reference full of escapes', args: () => ['tenant', 'show', '\u001b]0;owned\u0007\u001b[2Jnobody'], message: /no tenant named/ },
    { name: 'CSV with an unbalanced quote', args: () => ['tenant', 'import', files['unbalanced.csv']!], message: /line 2: .*never closed/ },
    { name: 'CSV with a wrong header', args: () => ['tenant', 'import', files['wrong-header.csv']!], message: /unknown column 'tenantid' \(did you mean tenant_id\?\)/ },
    { name: 'CSV with a malformed GUID', args: () => ['tenant', 'import', files['bad-guid.csv']!], message: /line 2, field tenant_id: '1234' is not a GUID/ },
    { name: 'CSV separated by semicolons', args: () => ['tenant', 'import', files['semicolons.csv']!], message: /semicolon/i },
    { name: 'CSV in UTF-16', args: () => ['tenant', 'import', files['utf16.csv']!], message: /UTF-16/ },
    { name: 'binary file as CSV', args: () => ['tenant', 'import', files['binary.csv']!], message: /binary|not a text/i },
    { name: 'CSV in Latin-1', args: () => ['tenant', 'import', files['latin1.csv']!], message: /UTF-8/ },
    { name: '100 MB CSV', args: () => ['tenant', 'import', files['huge.csv']!], message: /larger than the import limit/ },
    { name: 'setting out of range', args: () => ['config', 'set', 'concurrency', '1000'], message: /concurrency: must be from 1 to 64/ },
    { name: 'secret-looking setting', args: () => ['config', 'set', 'clientSecret', 'abc'], message: /looks like a secret.*AZURE_CLIENT_SECRET/ },
    { name: 'unknown setting', args: () => ['config', 'set', 'concurency', '4'], message: /unknown setting 'concurency' \(did you mean concurrency\?\)/ },
  ];

  it.each(cases)('$name: refused with a clear message, nothing stored changes', { timeout: 60_000 }, async ({ args, message }) => {
    const before = storedState(ws.db);
    const config = readFileSync(path.join(ws.configDir, 'config.json'));
    expectRefused(await runCli(args(), ws.env), message);
    expect(storedState(ws.db)).toEqual(before);
    expect(readFileSync(path.join(ws.configDir, 'config.json'))).toEqual(config);
  });

  it('control: a well-formed import file passes the same checks (the refusals above are about the flaws)', async () => {
    const file = path.join(ws.dir, 'good.csv');
    writeFileSync(file, rosterCsv(syntheticTenants(2, 99)));
    const run = await runCli(['tenant', 'import', file, '--dry-run'], ws.env);
    expect(run.code, run.stderr).toBe(0);
  });

  it('a hand-broken settings file is reported and left as it was', async () => {
    const dir = path.join(ws.dir, 'broken-config');
    const env = { ...ws.env, EXPEL_TRACK_CONFIG_DIR: dir };
    await runCli(['config', 'set', 'concurrency', '4'], env);
    const file = path.join(dir, 'config.json');
    writeFileSync(file, '{"concurrency": ');
    const before = storedState(ws.db);
    expectRefused(await runCli(['check', '--all'], env), /config\.json is not valid JSON.*left as it was/s);
    expectRefused(await runCli(['config', 'set', 'concurrency', '5'], env), /not valid JSON/);
    expect(readFileSync(file, 'utf8')).toBe('{"concurrency": ');
    expect(storedState(ws.db)).toEqual(before);
  });

  it('a file that is not SQLite is refused as the database and left untouched', async () => {
    const file = path.join(ws.dir, 'notes.db');
    writeFileSync(file, 'my notes, not a database\n');
    expectRefused(await runCli(['--db', file, 'tenant', 'list'], ws.env), /is not a SQLite database.*left untouched/s);
    expect(readFileSync(file, 'utf8')).toBe('my notes, not a database\n');
  });

  it('terminal escapes in an accepted name are removed before storing and printing', async () => {
    const before = storedState(ws.db);
    const run = await runCli(['tenant', 'add', '--tenant-id', GUID, '--name', 'Evil\u001b[2J\u001b]0;owned\u0007 Corp\r\nLtd\u009b31m'], ws.env);
    expect(run.code, run.stderr).toBe(0);
    const list = await runCli(['tenant', 'list', '--json'], ws.env);
    const added = (JSON.parse(list.stdout) as { tenantId: string; name: string }[]).find((t) => t.tenantId === GUID);
    expect(added?.name).toMatch(/^Evil ?Corp Ltd/);
    expect(added?.name).not.toMatch(CONTROL);
    expect((await runCli(['tenant', 'list'], ws.env)).stdout).not.toMatch(CONTROL);
    // Only the new tenant was added; the others are as they were.
    const after = storedState(ws.db);
    expect(after.tenants!.length).toBe(before.tenants!.length + 1);
    expect(after.tenants!.filter((row) => (row as { tenant_id: string }).tenant_id !== GUID)).toEqual(before.tenants);
  });
});

interface StepDoc {
  id: string;
  status: string;
  reason: string | null;
  blockedBy: string | null;
  summary: string;
}

function stepsOf(run: CliRun): Map<string, StepDoc> {
  const document = JSON.parse(run.stdout) as { tenants: { integrations: { steps: StepDoc[] }[] }[] };
  return new Map(document.tenants.flatMap((t) => t.integrations.flatMap((i) => i.steps)).map((s) => [s.id, s]));
}

/** The step that holds a blocked step back, following blockedBy. */
function rootOf(step: StepDoc, steps: Map<string, StepDoc>): StepDoc {
  let current = step;
  for (let hops = 0; current.status === 'blocked' && current.blockedBy && hops < 16; hops++) current = steps.get(current.blockedBy) ?? current;
  return current;
}

describe('hostile Microsoft answers', () => {
  let sim: SimWorkspace;
  let tenantId: string;
  let otherTenantId: string;
  let clean: Map<string, StepDoc>;
  let caFile: string;
  const proxies: BoundaryProxy[] = [];

  beforeAll(async () => {
    const tenants = scenarioTenants();
    sim = await simWorkspace('hostile-answers', tenants);
    tenantId = tenants.find((t) => t.scenario === 'onboarded')!.tenantId.toLowerCase();
    otherTenantId = tenants.find((t) => t.scenario === 'hostile-names')!.tenantId.toLowerCase();
    const run = await sim.cli(['check', tenantId, '--json']);
    expect(run.code, run.stderr).toBe(0);
    clean = stepsOf(run);
  });

  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    await sim?.close();
  });

  /** Runs `check TENANT --json` with one service behind a boundary proxy answering as `answer` says. */
  async function checkThrough(service: 'authorityHost' | 'graphUrl' | 'armUrl', answer: (request: BoundaryRequest) => BoundaryAnswer | undefined) {
    const proxy = await startBoundaryProxy(sim.cloud[service], sim.cloud.ca, answer);
    proxies.push(proxy);
    caFile ??= path.join(sim.ws.dir, 'sim-and-boundary.pem');
    writeFileSync(caFile, `${sim.cloud.ca}\n${proxy.cert}`);
    const variable = { authorityHost: 'EXPEL_TRACK_AUTHORITY_HOST', graphUrl: 'EXPEL_TRACK_GRAPH_URL', armUrl: 'EXPEL_TRACK_ARM_URL' }[service];
    const before = storedState(sim.ws.db);
    sim.cloud.clearLog();
    const run = await sim.cli(['check', tenantId, '--json'], { env: { [variable]: proxy.origin, NODE_EXTRA_CA_CERTS: caFile } });
    const after = storedState(sim.ws.db);
    return { run, proxy, before, after, steps: run.code === 0 || run.code === 3 ? stepsOf(run) : new Map<string, StepDoc>() };
  }

  /** The answer was turned into errors with `reason` on the affected steps, and nothing stored was lost. */
  function expectContained(result: Awaited<ReturnType<typeof checkThrough>>, reason: string, affected: string[]): void {
    const { run, steps, before, after } = result;
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).not.toMatch(/unexpected error|\n\s+at .+:\d+:\d+/);
    for (const id of affected) expect(steps.get(id), id).toMatchObject({ status: 'error', reason });
    for (const [id, step] of steps) {
      // A step may only keep its verdict, become an error, or wait behind a step that errored.
      if (step.status === clean.get(id)?.status) continue;
      if (step.status === 'error') {
        expect(step.reason, id).not.toBeNull();
        expect(step.summary, id).not.toMatch(CONTROL);
        continue;
      }
      expect(step.status, `${id} was ${clean.get(id)?.status}`).toBe('blocked');
      expect(rootOf(step, steps).status, `${id} is blocked by ${step.blockedBy}`).toBe('error');
    }
    // Append-only: the roster and every earlier row are untouched; one more run was added.
    for (const table of ['tenants', 'tenant_integrations', 'tenant_subscriptions', 'attestations']) expect(after[table], table).toEqual(before[table]);
    expect(after.verdicts!.slice(0, before.verdicts!.length)).toEqual(before.verdicts);
    expect(after.check_runs!.length).toBe(before.check_runs!.length + 1);
  }

  const isBatch = (request: BoundaryRequest, version: 'v1.0' | 'beta') => request.method === 'POST' && request.path.startsWith(`/${version}/$batch`);

  it('Graph $batch answer that is not JSON', { timeout: 60_000 }, async () => {
    const result = await checkThrough('graphUrl', (r) => (isBatch(r, 'v1.0') ? { status: 200, body: '{"responses": [{"id": "1", "status": 200, "body": {' } : undefined));
    expectContained(result, 'unexpected_response', ['access.probe-access']);
  });

  it('Graph collections of the wrong shape inside a well-formed $batch', { timeout: 60_000 }, async () => {
    const result = await checkThrough('graphUrl', (r) =>
      isBatch(r, 'v1.0')
        ? {
            rewrite: (body) => {
              const batch = JSON.parse(body) as { responses: { body?: { value?: unknown } }[] };
              for (const response of batch.responses) if (response.body && 'value' in response.body) response.body.value = 'not a list';
              return JSON.stringify(batch);
            },
          }
        : undefined,
    );
    expectContained(result, 'unexpected_response', ['access.guest-invited']);
  });

  it('Graph answer larger than the response limit', { timeout: 60_000 }, async () => {
    const huge = Buffer.alloc(24 * 1024 * 1024, 0x20);
    const result = await checkThrough('graphUrl', (r) => (isBatch(r, 'beta') ? { status: 200, body: huge } : undefined));
    expectContained(result, 'unexpected_response', ['mde.polling']);
  });

  it('ARM answer that is a captive-portal HTML page', { timeout: 60_000 }, async () => {
    const result = await checkThrough('armUrl', (r) =>
      r.path.startsWith('/subscriptions?') ? { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>Sign in to the hotel Wi-Fi</body></html>' } : undefined,
    );
    expectContained(result, 'unexpected_response', ['azure.subscriptions']);
  });

  it('ARM list of the wrong shape', { timeout: 60_000 }, async () => {
    const result = await checkThrough('armUrl', (r) => (r.path.startsWith('/subscriptions?') ? { status: 200, body: '{"value": {"subscriptionId": 5}}' } : undefined));
    expectContained(result, 'unexpected_response', ['azure.subscriptions']);
  });

  it('ARM answer larger than the response limit', { timeout: 60_000 }, async () => {
    const huge = Buffer.alloc(24 * 1024 * 1024, 0x20);
    const result = await checkThrough('armUrl', (r) => (/storageAccounts\?/.test(r.path) ? { status: 200, body: huge } : undefined));
    expectContained(result, 'unexpected_response', ['azure.log-storage']);
  });

  it('a token issued for another tenant is refused and never used', { timeout: 60_000 }, async () => {
    const result = await checkThrough('authorityHost', (r) =>
      r.method === 'POST' && r.path.startsWith(`/${tenantId}/oauth2/v2.0/token`) ? { forwardTo: r.path.replace(tenantId, otherTenantId) } : undefined,
    );
    expectContained(result, 'wrong_tenant_token', ['access.probe-access']);
    expect(result.proxy.seen.some((r) => r.path.startsWith(`/${tenantId}/oauth2/v2.0/token`))).toBe(true);
    // Refused before use: not one Graph or ARM request went out with it.
    expect(sim.cloud.log.filter((entry) => entry.service !== 'login')).toEqual([]);
  });

  it('Graph refusing an expired token', { timeout: 60_000 }, async () => {
    const result = await checkThrough('graphUrl', () => ({
      status: 401,
      headers: { 'www-authenticate': 'Bearer realm="", error="invalid_token", error_description="Lifetime validation failed, the token is expired."' },
      body: JSON.stringify({ error: { code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' } }),
    }));
    expectContained(result, 'auth_failed', ['access.probe-access']);
  });
});
