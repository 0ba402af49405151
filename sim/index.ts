// The simulated Microsoft cloud, in-process: three HTTPS listeners (login, Graph, ARM) on
// 127.0.0.1 sharing one self-signed certificate, serving the scenario tenants. Tests, the demo
// and benchmarks start it with startSimCloud(); sim/main.ts runs it standalone.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { armHandler } from './arm.js';
import { simCertificate } from './certificate.js';
import { SimContext } from './context.js';
import { SIM_TRACKER_CLIENT_ID } from './directory.js';
import { FaultInjector, type FaultOptions } from './faults.js';
import { graphHandler } from './graph.js';
import { startListener, type Handler, type Listener } from './http.js';
import type { RequestLogEntry, RetryTiming } from './log.js';
import { retryTimings } from './log.js';
import { loginHandler } from './login.js';
import type { SimTenant } from './model.js';
import { scenarioTenants } from './scenarios.js';
import { TokenSigner } from './tokens.js';

export type { FaultOptions } from './faults.js';
export type { RequestLogEntry, RetryTiming } from './log.js';
export type * from './model.js';
export { scenarioTenants, SCENARIO_IDS } from './scenarios.js';
export { syntheticTenants } from './synthetic.js';
export { rosterOf, rosterCsv } from './roster.js';
export { SIM_EXPEL_APP_IDS, SIM_TRACKER_CLIENT_ID } from './directory.js';
export { EXPEL_TENANT_ID } from './catalog.js';

export interface SimOptions {
  /** Tenants to serve (default: the named scenarios). */
  scenarios?: SimTenant[];
  /** Delay before answering each request (all three services). */
  latencyMs?: number;
  /** Faults on Graph and ARM (login is never faulted). */
  faults?: FaultOptions;
  /** Seed of the fault decisions (default 1). */
  seed?: number;
  /** Device codes are approved this long after they are issued (default 300 ms). */
  deviceCodeAutoApproveMs?: number;
  /** The sim's clock for token lifetimes (default: the real clock). */
  now?: () => Date;
  /** Fixed ports (standalone use); default random. */
  ports?: { login?: number; graph?: number; arm?: number };
}

export interface SimCloud {
  /** https://127.0.0.1:<port> of the login service. */
  authorityHost: string;
  /** https://127.0.0.1:<port> of Graph (no path; clients add /v1.0 and /beta). */
  graphUrl: string;
  /** https://127.0.0.1:<port> of ARM. */
  armUrl: string;
  /** PEM of the certificate to trust. */
  ca: string;
  /** The same PEM in a temporary file (for NODE_EXTRA_CA_CERTS). */
  caFile: string;
  /** The tracker's app, registered in every sim tenant, for client-secret auth. */
  trackerApp: { clientId: string; clientSecret: string };
  tenants: SimTenant[];
  /** Every request, in arrival order (inner $batch requests included, with batchSeq). */
  log: RequestLogEntry[];
  /** Every access/refresh/id token, device code and secret the sim issued or knows. */
  issuedSecrets(): string[];
  setFaults(faults: FaultOptions): void;
  setLatency(ms: number): void;
  clearLog(): void;
  /** For each throttled response, when the client's next identical request arrived. */
  retryTimings(): RetryTiming[];
  /** Changes a tenant's Microsoft-side state (e.g. the customer fixed a step); served from the next request. */
  updateTenant(tenantId: string, change: (tenant: SimTenant) => void): void;
  close(): Promise<void>;
}

export async function startSimCloud(options: SimOptions = {}): Promise<SimCloud> {
  const now = options.now ?? (() => new Date());
  const tenants = options.scenarios ?? scenarioTenants(now());
  const certificate = await simCertificate();
  const tracker = { clientId: SIM_TRACKER_CLIENT_ID, clientSecret: `sim~${randomBytes(24).toString('base64url')}` };
  const ctx = new SimContext(
    tenants,
    new TokenSigner(),
    new FaultInjector(options.seed ?? 1, options.faults),
    tracker,
    now,
    options.latencyMs ?? 0,
    options.deviceCodeAutoApproveMs ?? 300,
  );
  const hooks = {
    latencyMs: () => ctx.latencyMs,
    stallMs: () => ctx.faults.stallMs,
    nextSeq: () => ctx.nextSeq(),
    record: (entry: RequestLogEntry) => void ctx.log.push(entry),
  };
  const listeners: Listener[] = [];
  const start = async (service: 'login' | 'graph' | 'arm', handler: Handler, port?: number): Promise<Listener> => {
    const listener = await startListener(service, certificate, hooks, handler, port);
    listeners.push(listener);
    return listener;
  };
  let caDir: string | null = null;
  try {
    const login = await start('login', loginHandler(ctx), options.ports?.login);
    const graph = await start('graph', graphHandler(ctx), options.ports?.graph);
    const arm = await start('arm', armHandler(ctx), options.ports?.arm);
    ctx.authorityHost = login.origin;
    ctx.graphUrl = graph.origin;
    ctx.armUrl = arm.origin;
    caDir = mkdtempSync(path.join(tmpdir(), 'expel-track-sim-'));
  } catch (error) {
    await Promise.all(listeners.map((l) => l.close()));
    throw error;
  }
  const caFile = path.join(caDir, 'sim-ca.pem');
  writeFileSync(caFile, certificate.cert, { mode: 0o600 });

  return {
    authorityHost: ctx.authorityHost,
    graphUrl: ctx.graphUrl,
    armUrl: ctx.armUrl,
    ca: certificate.cert,
    caFile,
    trackerApp: tracker,
    tenants,
    log: ctx.log,
    issuedSecrets: () => [...ctx.issued],
    setFaults: (faults) => ctx.faults.set(faults),
    setLatency: (ms) => {
      ctx.latencyMs = ms;
    },
    clearLog: () => {
      ctx.log.length = 0;
    },
    retryTimings: () => retryTimings(ctx.log),
    updateTenant: (tenantId, change) => ctx.updateTenant(tenantId, change),
    close: async () => {
      await Promise.all(listeners.map((l) => l.close()));
      rmSync(caDir!, { recursive: true, force: true });
    },
  };
}
