// The small read-only surface probes use to reach Microsoft. Probes depend on these types
// only; the implementation (credentials, transport, retries, the read-only guard) lives beside
// this file. Every failure arrives as an AccessError carrying an `error` reason of steps.md, so a
// probe can turn it into an `error` verdict without interpreting HTTP itself.
import type { ErrorReason } from '../core/status.js';

export type GraphVersion = 'v1.0' | 'beta';

export interface GraphRequest {
  /** Path below the version root, starting with '/', query string included: '/users?$filter=…'. */
  path: string;
  /** Defaults to 'v1.0'. */
  version?: GraphVersion;
  /** Extra request headers, e.g. Prefer: include-unknown-enum-members. */
  headers?: Record<string, string>;
  /** A collection read: follow @odata.nextLink to the end and return every item of `value`. */
  all?: boolean;
}

/** Errors are data: each read settles to its body or to the AccessError that explains it. */
export type ReadResult<T = unknown> = { ok: true; body: T } | { ok: false; error: AccessError };

export interface GraphReader {
  /** One GET. Throws AccessError. With `all`, resolves to `{ value: [...every page...] }`. */
  get<T = unknown>(request: GraphRequest): Promise<T>;
  /** A collection read following @odata.nextLink; resolves to every item. Throws AccessError. */
  list<T = unknown>(request: Omit<GraphRequest, 'all'>): Promise<T[]>;
  /**
   * Several GETs sent through $batch (at most 20 per batch, one version per batch), inner responses
   * matched by id, inner 429/503/504 retried individually. Never throws for one request's failure:
   * each key settles to its own ReadResult. Requests with `all` have their pages followed.
   */
  batch<K extends string>(requests: Record<K, GraphRequest>): Promise<Record<K, ReadResult>>;
}

export interface ArmReader {
  /** One GET of an ARM path ('/subscriptions/…'); api-version is appended. Throws AccessError. */
  get<T = unknown>(path: string, apiVersion: string): Promise<T>;
  /** A collection read following `nextLink`; resolves to every item of `value`. Throws AccessError. */
  list<T = unknown>(path: string, apiVersion: string): Promise<T[]>;
}

/** Result of anonymous OpenID configuration discovery for a tenant ID or a domain. */
export type DiscoveryResult =
  | { found: true; tenantId: string; issuer: string; cloudInstanceName: string | null }
  | { found: false; code: string | null };

/** Everything a probe may do in one customer tenant, already bound to that tenant's credential. */
export interface TenantSession {
  readonly tenantId: string;
  readonly graph: GraphReader;
  readonly arm: ArmReader;
  /**
   * Anonymous discovery (no token). 400/404 from the authority resolve to `{ found: false, code }`
   * (e.g. 'AADSTS90002'); network, timeout and unreadable answers throw AccessError; a value that is
   * neither a GUID nor a domain rejects with RangeError before anything is sent.
   */
  discover(tenantIdOrDomain: string): Promise<DiscoveryResult>;
  /** Counts of requests sent for this tenant so far (benchmarks and tests read it). */
  readonly stats: SessionStats;
  /**
   * Acquires (or reuses) the Graph token for this tenant and returns its non-secret claims. Throws
   * AccessError with the sign-in reason (guest_not_invited, consent_missing, wrong_tenant_token, …).
   */
  signIn(): Promise<TokenClaims>;
  /**
   * The caller is done with this session (the check runner calls it after each tenant). The access
   * layer then lets go of what only this tenant's reads needed; optional for other implementations.
   */
  close?(): void;
}

export interface SessionStats {
  /** HTTP attempts sent to Graph, ARM and discovery (each retry counts again). */
  requests: number;
  /** Of those, re-sends after 429/503/504, timeouts or connection failures (inner $batch retries included). */
  retries: number;
  /** 429/503/504 responses seen, inner $batch responses included. */
  throttled: number;
}

/** What a token says about who signed in; never the token itself. */
export interface TokenClaims {
  tenantId: string;
  /** Object ID of the signed-in user or app in this tenant. */
  objectId: string | null;
  /** UPN / preferred_username of a delegated sign-in; null for app-only tokens. */
  username: string | null;
  /** Client app that obtained the token. */
  appId: string | null;
  /** Delegated scopes (scp), app roles (roles) and directory role template IDs (wids). */
  scopes: string[];
  roles: string[];
  directoryRoleIds: string[];
  expiresOn: string | null;
}

export interface AccessErrorEvidence {
  /** HTTP status, when a response was received. */
  status?: number;
  /** Microsoft's own error code: 'Authorization_RequestDenied', 'AuthorizationFailed', 'AADSTS500213', … */
  code?: string;
  /** Which request failed, without its host or any token: 'GET v1.0 /users?$filter=…'. */
  request?: string;
  /** Short, sanitised message from the service. */
  message?: string;
  /** How long the service asked us to wait, when we gave up on a throttled read. */
  retryAfterSeconds?: number;
  /** Attempts made before giving up (transport failures). */
  attempts?: number;
}

export class AccessError extends Error {
  constructor(
    readonly reason: ErrorReason,
    message: string,
    readonly evidence: AccessErrorEvidence = {},
  ) {
    super(message);
    this.name = 'AccessError';
  }
}
