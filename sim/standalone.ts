// The standalone simulated cloud (`npm run sim`): starts it, writes the scenario roster as an
// import CSV, and prints what to paste into a shell to point expel-track at it.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SIM_EXPEL_APP_IDS } from './directory.js';
import { startSimCloud, type SimCloud } from './index.js';
import { rosterCsv } from './roster.js';
import { scenarioTenants } from './scenarios.js';
import { syntheticTenants } from './synthetic.js';

export interface StandaloneOptions {
  portBase?: number;
  latency: number;
  throttleRate: number;
  synthetic: number;
  seed: number;
}

const integer = (name: string, min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`);
  return n;
};

const rate = (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('a rate is a number from 0 to 1.');
  return n;
};

export function parseStandaloneArgs(argv: string[]): StandaloneOptions | null {
  const program = new Command('expel-track-sim')
    .description('Simulated Microsoft cloud (login, Graph, ARM) serving the expel-track scenario tenants, for manual exploration.')
    .option('--port-base <n>', 'listen on ports N (login), N+1 (Graph), N+2 (ARM) instead of random ones', integer('--port-base', 1024, 65533))
    .option('--latency <ms>', 'delay before every answer', integer('--latency', 0, 60_000), 0)
    .option('--throttle-rate <r>', 'probability of a 429 with Retry-After on each Graph/ARM request', rate, 0)
    .option('--synthetic <n>', 'also serve N synthetic tenants', integer('--synthetic', 0, 100_000), 0)
    .option('--seed <n>', 'seed of the synthetic tenants and of the faults', integer('--seed', 0, 2 ** 31), 1)
    .exitOverride()
    .showHelpAfterError();
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError && (error.code === 'commander.helpDisplayed' || error.code === 'commander.version')) return null;
    throw error;
  }
  return program.opts<StandaloneOptions>();
}

/** The text printed once the sim is up: URLs, trust, environment and roster import. */
export function describeStandalone(cloud: SimCloud, rosterFile: string, options: StandaloneOptions): string {
  const scenarioCount = cloud.tenants.filter((t) => !t.scenario.startsWith('synthetic:')).length;
  const lines = [
    'expel-track simulated Microsoft cloud is running.',
    '',
    `  login (authority host)  ${cloud.authorityHost}`,
    `  Microsoft Graph         ${cloud.graphUrl}`,
    `  Azure Resource Manager  ${cloud.armUrl}`,
    `  certificate to trust    ${cloud.caFile}`,
    `  tenants                 ${scenarioCount} scenarios${options.synthetic ? ` + ${options.synthetic} synthetic (seed ${options.seed})` : ''}`,
    ...(options.latency || options.throttleRate ? [`  faults                  latency ${options.latency} ms, throttle rate ${options.throttleRate}`] : []),
    '',
    'Point expel-track at it (paste into a shell):',
    '',
    'export EXPEL_TRACK_CLOUD=custom',
    `export EXPEL_TRACK_AUTHORITY_HOST=${cloud.authorityHost}`,
    `export EXPEL_TRACK_GRAPH_URL=${cloud.graphUrl}`,
    `export EXPEL_TRACK_ARM_URL=${cloud.armUrl}`,
    'export EXPEL_TRACK_AUTH=client-secret',
    `export EXPEL_TRACK_CLIENT_ID=${cloud.trackerApp.clientId}`,
    `export AZURE_CLIENT_ID=${cloud.trackerApp.clientId}`,
    `export AZURE_CLIENT_SECRET=${cloud.trackerApp.clientSecret}`,
    `export NODE_EXTRA_CA_CERTS=${cloud.caFile}`,
    '',
    "The Expel enterprise apps' IDs in the sim:",
    '',
    `expel-track config set expelAppIds.mde ${SIM_EXPEL_APP_IDS.mde}`,
    `expel-track config set expelAppIds.m365 ${SIM_EXPEL_APP_IDS.m365}`,
    `expel-track config set expelAppIds.azure ${SIM_EXPEL_APP_IDS.azure}`,
    '',
    'The scenario roster:',
    '',
    `expel-track tenant import ${rosterFile}`,
    '',
    'Device codes are approved automatically. Press Ctrl+C to stop.',
  ];
  return `${lines.join('\n')}\n`;
}

export async function runStandalone(argv: string[]): Promise<void> {
  let options: StandaloneOptions | null;
  try {
    options = parseStandaloneArgs(argv);
  } catch (error) {
    process.exitCode = error instanceof CommanderError ? error.exitCode || 1 : 1;
    return;
  }
  if (!options) return;
  const now = new Date();
  const tenants = [...scenarioTenants(now), ...(options.synthetic ? syntheticTenants(options.synthetic, options.seed, now) : [])];
  const base = options.portBase;
  let cloud: SimCloud;
  try {
    cloud = await startSimCloud({
      scenarios: tenants,
      latencyMs: options.latency,
      faults: { throttleRate: options.throttleRate },
      seed: options.seed,
      ...(base !== undefined ? { ports: { login: base, graph: base + 1, arm: base + 2 } } : {}),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(`expel-track sim: could not start: ${code === 'EADDRINUSE' ? `port ${base}, ${base! + 1} or ${base! + 2} is in use` : (error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'expel-track-sim-roster-'));
  const rosterFile = path.join(dir, 'sim-roster.csv');
  writeFileSync(rosterFile, rosterCsv(tenants));
  process.stdout.write(describeStandalone(cloud, rosterFile, options));

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await cloud.close();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write('expel-track sim: stopped.\n');
}
