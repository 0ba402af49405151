// The access layer: created once per process from configuration, it hands out TenantSessions
// (types.ts) bound to one customer tenant's credential. Everything below shares one transport
// (one read-only guard), one set of concurrency limits and one retry policy.
import { UserError } from '../core/errors.js';
import { SessionArmReader } from './arm.js';
import { resolveCloudConfig, type AuthMethod, type CloudEndpoints, type CloudSettings } from './clouds.js';
import { discoverTenant } from './discovery.js';
import { SessionGraphReader, createGraphClient } from './graph.js';
import { TenantCredential, validateAuthEnvironment, type DeviceCodePrompt } from './identity.js';
import { RequestLimits } from './limiter.js';
import { FileAuthRecordStore, MemoryAuthRecordStore, type AuthRecordStore } from './records.js';
import { systemClock, type Clock, type RetryPolicy } from './retry.js';
import type { SenderContext } from './sender.js';
import { DEFAULT_MAX_RESPONSE_BYTES, Transport } from './transport.js';
import type { DiscoveryResult, SessionStats, TenantSession } from './types.js';

export interface AccessOptions extends CloudSettings {
  /** Per attempt, until the whole response has arrived. Default 30. */
  requestTimeoutSeconds?: number;
  /** Retries after the first attempt, for 429/503/504, timeouts and dropped connections. Default 4. */
  maxRetries?: number;
  /** Requests in flight to Microsoft across all tenants. Default 8. */
  concurrency?: number;
  /** Requests in flight per tenant. Default 4. */
  perTenantConcurrency?: number;
  /** Extra trusted CA certificate(s), PEM — e.g. the simulated cloud's. Added to Node's store (NODE_EXTRA_CA_CERTS still applies). */
  ca?: string | string[];
  /** File for saved AuthenticationRecords (no secrets); omitted = kept in memory for this process. */
  authRecordFile?: string;
  /** Shows the device code to the analyst (the UI's job; nothing is printed to the console). */
  onDeviceCode?: (prompt: DeviceCodePrompt) => void;
  /** The environment to read EXPEL_TRACK_* and AZURE_* from. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Backoff when the service gives no Retry-After: base and ceiling in ms. Defaults 1000 and 30000. */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** A Retry-After longer than this ends the read as `throttled` instead of waiting. Default 120. */
  maxRetryAfterSeconds?: number;
  /** Responses larger than this are refused as `unexpected_response`. Default 20 MB. */
  maxResponseBytes?: number;
  /** Time source for retry waits (tests use a fake one). */
  clock?: Clock;
  random?: () => number;
}

export interface AccessLimits {
  requestTimeoutSeconds: number;
  maxRetries: number;
  concurrency: number;
  perTenantConcurrency: number;
}

export interface AccessLayer {
  readonly endpoints: CloudEndpoints;
  readonly auth: AuthMethod;
  /** The tracker's client app for delegated sign-in (undefined = @azure/identity's default app). */
  readonly clientId: string | undefined;
  readonly limits: AccessLimits;
  /** A session for one customer tenant (tenant ID, a GUID). Reads stop when `signal` aborts. */
  openTenantSession(tenantId: string, signal?: AbortSignal): TenantSession;
  /** Anonymous OpenID discovery of a tenant ID or domain; same rules as TenantSession.discover. */
  discover(tenantIdOrDomain: string, signal?: AbortSignal): Promise<DiscoveryResult>;
  /** Closes idle connections. */
  close(): void;
}

function integer(value: number | undefined, fallback: number, name: string, min: number, max: number): number {
  const result = value ?? fallback;
  if (!Number.isFinite(result) || result < min || result > max) {
    throw new UserError(`${name} must be a number from ${min} to ${max}; got ${String(value)}`);
  }
  return result;
}

/** Sign-in methods whose credential holds the analyst's sign-in (kept across re-checks). */
const INTERACTIVE: ReadonlySet<AuthMethod> = new Set<AuthMethod>(['device-code', 'browser']);

class Layer implements AccessLayer {
  readonly endpoints: CloudEndpoints;
  readonly auth: AuthMethod;
  readonly clientId: string | undefined;
  readonly limits: AccessLimits;
  private readonly transport: Transport;
  private readonly requestLimits: RequestLimits;
  private readonly policy: RetryPolicy;
  private readonly records: AuthRecordStore;
  private readonly credentials = new Map<string, TenantCredential>();
  /** Sessions open per tenant; an app-only credential is let go when its tenant's last one closes. */
  private readonly openSessions = new Map<string, number>();
  private readonly discoveryStats: SessionStats = { requests: 0, retries: 0, throttled: 0 };

  constructor(private readonly options: AccessOptions) {
    const env = options.env ?? process.env;
    const resolved = resolveCloudConfig(options, env);
    validateAuthEnvironment(resolved.auth, env);
    this.endpoints = resolved.endpoints;
    this.auth = resolved.auth;
    this.clientId = resolved.clientId;
    this.limits = {
      requestTimeoutSeconds: integer(options.requestTimeoutSeconds, 30, 'requestTimeoutSeconds', 0.001, 600),
      maxRetries: Math.floor(integer(options.maxRetries, 4, 'maxRetries', 0, 10)),
      concurrency: Math.floor(integer(options.concurrency, 8, 'concurrency', 1, 64)),
      perTenantConcurrency: Math.floor(integer(options.perTenantConcurrency, 4, 'perTenantConcurrency', 1, 64)),
    };
    const timeoutMs = Math.round(this.limits.requestTimeoutSeconds * 1000);
    this.transport = new Transport({
      guard: { authorityOrigins: this.endpoints.authorityOrigins, graphOrigin: this.endpoints.graphUrl },
      ca: options.ca,
      timeoutMs,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      maxSockets: this.limits.concurrency,
      env,
    });
    this.requestLimits = new RequestLimits(this.limits.concurrency, this.limits.perTenantConcurrency);
    this.policy = {
      maxRetries: this.limits.maxRetries,
      baseDelayMs: options.retryBaseDelayMs ?? 1000,
      maxDelayMs: options.retryMaxDelayMs ?? 30_000,
      maxRetryAfterMs: (options.maxRetryAfterSeconds ?? 120) * 1000,
      random: options.random ?? Math.random,
      clock: options.clock ?? systemClock,
    };
    this.records = options.authRecordFile ? new FileAuthRecordStore(options.authRecordFile) : new MemoryAuthRecordStore();
  }

  private credentialFor(tenantId: string): TenantCredential {
    const key = tenantId.toLowerCase();
    let credential = this.credentials.get(key);
    if (!credential) {
      credential = new TenantCredential(key, {
        endpoints: this.endpoints,
        auth: this.auth,
        clientId: this.clientId,
        env: this.options.env ?? process.env,
        policy: this.policy,
        transport: this.transport,
        limits: this.requestLimits,
        records: this.records,
        onDeviceCode: this.options.onDeviceCode,
        cliTimeoutMs: Math.max(10_000, this.limits.requestTimeoutSeconds * 1000),
      });
      this.credentials.set(key, credential);
    }
    return credential;
  }

  /**
   * App-only sign-in (client secret, certificate, Azure CLI) gets a fresh token on the next check
   * for one request, so its credential (an MSAL client with its token cache) is dropped once no
   * session of the tenant is open: a re-check of 5,000 tenants then holds only the tenants in
   * flight. Interactive sign-in (device code, browser) keeps its credential for the life of the
   * process: its in-memory token cache is what lets a re-check reuse the analyst's sign-in instead
   * of prompting again (the saved authentication record alone does not hold a token). That costs
   * memory per signed-in tenant, which interactive use keeps small.
   */
  private release(key: string, credential: TenantCredential): void {
    const open = (this.openSessions.get(key) ?? 1) - 1;
    if (open > 0) {
      this.openSessions.set(key, open);
      return;
    }
    this.openSessions.delete(key);
    if (!INTERACTIVE.has(this.auth) && this.credentials.get(key) === credential) this.credentials.delete(key);
  }

  openTenantSession(tenantId: string, signal?: AbortSignal): TenantSession {
    const credential = this.credentialFor(tenantId);
    const key = credential.tenantId;
    this.openSessions.set(key, (this.openSessions.get(key) ?? 0) + 1);
    let closed = false;
    const stats: SessionStats = { requests: 0, retries: 0, throttled: 0 };
    const sender: SenderContext = {
      transport: this.transport,
      policy: this.policy,
      limits: this.requestLimits,
      tenantKey: credential.tenantId,
      stats,
      signal,
    };
    const { graphScope, armScope, graphUrl, armUrl, authorityHost } = this.endpoints;
    const graphAccess = { getToken: (s?: AbortSignal) => credential.getToken(graphScope, s), graphOrigin: graphUrl, sender };
    const graph = new SessionGraphReader(createGraphClient(graphAccess, graphScope), graphAccess);
    const arm = new SessionArmReader({ getToken: (s?: AbortSignal) => credential.getToken(armScope, s), armOrigin: armUrl, sender });
    return {
      tenantId: credential.tenantId,
      graph,
      arm,
      stats,
      discover: (tenantIdOrDomain: string) => discoverTenant(sender, authorityHost, tenantIdOrDomain),
      signIn: async () => (await credential.getToken(graphScope, signal)).claims,
      close: () => {
        if (closed) return;
        closed = true;
        this.release(key, credential);
      },
    };
  }

  discover(tenantIdOrDomain: string, signal?: AbortSignal): Promise<DiscoveryResult> {
    const sender: SenderContext = {
      transport: this.transport,
      policy: this.policy,
      limits: this.requestLimits,
      tenantKey: 'discovery',
      stats: this.discoveryStats,
      signal,
    };
    return discoverTenant(sender, this.endpoints.authorityHost, tenantIdOrDomain);
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * Builds the access layer from settings (a plain object: cloud, auth, clientId,
 * requestTimeoutSeconds, maxRetries, concurrency, perTenantConcurrency) and the environment.
 * Throws UserError for bad configuration (bad endpoint URL, missing AZURE_* for app auth, …).
 */
export function createAccessLayer(options: AccessOptions = {}): AccessLayer {
  return new Layer(options);
}

/** The factory in function form: a session for `tenantId` from `access`. */
export function openTenantSession(tenantId: string, access: AccessLayer, signal?: AbortSignal): TenantSession {
  return access.openTenantSession(tenantId, signal);
}
