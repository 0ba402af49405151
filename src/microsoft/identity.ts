// Sign-in with @azure/identity, one credential (and one saved AuthenticationRecord) per customer
// tenant: a single credential reused across tenants can hand back the previous tenant's cached
// token (microsoft-apis.md §11.2). Every token is decoded and refused unless its `tid` is the
// tenant asked for. All identity HTTP goes through our transport (and its read-only guard).
//
// Token cache: MSAL's in-memory cache, per process. Persisting it needs OS encryption
// (@azure/identity-cache-persistence with keytar/libsecret), which is not installed; tokens are
// never written to disk in plain text. See docs/access.md.
import {
  AzureCliCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DeviceCodeCredential,
  InteractiveBrowserCredential,
  deserializeAuthenticationRecord,
  serializeAuthenticationRecord,
  type AuthenticationRecord,
  type DeviceCodeCredentialOptions,
  type TokenCredential,
} from '@azure/identity';
import { existsSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import { cleanText } from '../core/sanitize.js';
import type { AuthMethod, CloudEndpoints } from './clouds.js';
import { isGuid } from './clouds.js';
import { accessError, fromAuthError, readOAuthFailure, type OAuthFailure } from './errors.js';
import { WriteRefusedError } from './guard.js';
import type { RequestLimits } from './limiter.js';
import type { AuthRecordStore } from './records.js';
import type { RetryPolicy } from './retry.js';
import { AbortError, TransportError, isAbortError, throwIfAborted, type Transport } from './transport.js';
import type { TokenClaims } from './types.js';

// The HttpClient contract of @azure/core-rest-pipeline, taken from @azure/identity's own option
// types so we do not import a package we do not depend on directly.
type HttpClient = NonNullable<DeviceCodeCredentialOptions['httpClient']>;
type PipelineRequest = Parameters<HttpClient['sendRequest']>[0];
type PipelineResponse = Awaited<ReturnType<HttpClient['sendRequest']>>;
type HttpHeaders = PipelineResponse['headers'];
type RawHttpHeaders = ReturnType<HttpHeaders['toJSON']>;

/** What the UI shows for a device-code sign-in. Text is cleaned of terminal escapes. */
export interface DeviceCodePrompt {
  tenantId: string;
  userCode: string;
  verificationUri: string;
  message: string;
}

class ResponseHeaders implements HttpHeaders {
  private readonly map = new Map<string, { name: string; value: string }>();
  constructor(raw: Record<string, string> = {}) {
    for (const [name, value] of Object.entries(raw)) this.set(name, value);
  }
  get(name: string): string | undefined {
    return this.map.get(name.toLowerCase())?.value;
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  set(name: string, value: string | number | boolean): void {
    this.map.set(name.toLowerCase(), { name, value: String(value) });
  }
  delete(name: string): void {
    this.map.delete(name.toLowerCase());
  }
  toJSON(options: { preserveCase?: boolean } = {}): RawHttpHeaders {
    const out: RawHttpHeaders = {};
    for (const [key, entry] of this.map) out[options.preserveCase ? entry.name : key] = entry.value;
    return out;
  }
  *[Symbol.iterator](): IterableIterator<[string, string]> {
    for (const [key, entry] of this.map) yield [key, entry.value];
  }
}

/**
 * @azure/identity's HttpClient, sending through our transport. MSAL can lose what went wrong
 * (network errors become text, device-code polling keeps only the OAuth `error` word), so the
 * last transport failure or OAuth error body is kept for the error mapping.
 */
export class TransportHttpClient implements HttpClient {
  lastFailure: TransportError | OAuthFailure | null = null;
  lastRefusal: WriteRefusedError | null = null;
  tokenRequests = 0;

  constructor(
    private readonly transport: Transport,
    private readonly limits: RequestLimits,
    private readonly tenantKey: string,
  ) {}

  async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
    const body = request.body;
    if (body !== undefined && body !== null && typeof body !== 'string' && !Buffer.isBuffer(body)) {
      throw new WriteRefusedError(request.method, request.url, 'only text bodies are sent to the authority');
    }
    const signal = request.abortSignal as AbortSignal | undefined;
    const release = await this.limits.acquire(this.tenantKey, signal);
    try {
      this.tokenRequests++;
      const response = await this.transport.send({
        method: request.method,
        url: request.url,
        headers: request.headers.toJSON({ preserveCase: true }),
        body: body ?? undefined,
        signal,
        timeoutMs: request.timeout > 0 ? request.timeout : undefined,
      });
      const bodyAsText = response.body.toString('utf8');
      this.lastFailure = response.status >= 400 ? readOAuthFailure(response.status, bodyAsText) : null;
      return { request, status: response.status, headers: new ResponseHeaders(response.headers), bodyAsText };
    } catch (error) {
      if (error instanceof TransportError) this.lastFailure = error;
      if (error instanceof WriteRefusedError) this.lastRefusal = error;
      throw error;
    } finally {
      release();
    }
  }
}

/** The payload of a JWT, or null when it is not one. Never logs or keeps the token. */
export function decodeTokenClaims(token: string): Record<string, unknown> | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? cleanText(value) : null);
const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string').map(cleanText) : typeof value === 'string' ? value.split(' ').filter(Boolean).map(cleanText) : [];

export function summariseClaims(claims: Record<string, unknown>, expiresOnTimestamp: number | null): TokenClaims {
  return {
    tenantId: String(claims.tid ?? '').toLowerCase(),
    objectId: text(claims.oid),
    username: text(claims.upn) ?? text(claims.preferred_username) ?? text(claims.unique_name),
    appId: text(claims.appid) ?? text(claims.azp),
    scopes: list(claims.scp),
    roles: list(claims.roles),
    directoryRoleIds: list(claims.wids),
    expiresOn: expiresOnTimestamp ? new Date(expiresOnTimestamp).toISOString() : null,
  };
}

export interface CredentialSettings {
  endpoints: CloudEndpoints;
  auth: AuthMethod;
  clientId: string | undefined;
  env: NodeJS.ProcessEnv;
  policy: RetryPolicy;
  transport: Transport;
  limits: RequestLimits;
  records: AuthRecordStore;
  onDeviceCode?: (prompt: DeviceCodePrompt) => void;
  /** How long `az account get-access-token` may run. */
  cliTimeoutMs: number;
}

/** Checks, before any tenant is touched, that the chosen auth method has what it needs. */
export function validateAuthEnvironment(auth: AuthMethod, env: NodeJS.ProcessEnv): void {
  if (auth !== 'client-secret' && auth !== 'client-certificate') return;
  const clientId = env.AZURE_CLIENT_ID?.trim();
  if (!clientId) throw new UserError(`auth '${auth}' needs AZURE_CLIENT_ID in the environment`);
  if (!isGuid(clientId)) throw new UserError('AZURE_CLIENT_ID must be a GUID');
  if (auth === 'client-secret' && !env.AZURE_CLIENT_SECRET) {
    throw new UserError("auth 'client-secret' needs AZURE_CLIENT_SECRET in the environment (it is never stored)");
  }
  if (auth === 'client-certificate') {
    const certificatePath = env.AZURE_CLIENT_CERTIFICATE_PATH;
    if (!certificatePath) throw new UserError("auth 'client-certificate' needs AZURE_CLIENT_CERTIFICATE_PATH in the environment");
    if (!existsSync(certificatePath)) throw new UserError(`AZURE_CLIENT_CERTIFICATE_PATH does not exist: ${cleanText(certificatePath)}`);
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  throwIfAborted(signal);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AbortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export interface CheckedToken {
  token: string;
  claims: TokenClaims;
}

/** The sign-in of one customer tenant: one credential, one authentication record, tid-checked tokens. */
export class TenantCredential {
  readonly http: TransportHttpClient;
  private credential: TokenCredential | null = null;
  private recordReady: Promise<void> | null = null;
  /** Known after the first look, so reads do not touch the records file each time. */
  private hasRecord = false;

  constructor(readonly tenantId: string, private readonly settings: CredentialSettings) {
    if (!isGuid(tenantId)) throw new RangeError(`a tenant session needs a tenant ID (GUID); got '${cleanText(tenantId).slice(0, 80)}'`);
    this.tenantId = tenantId.toLowerCase();
    this.http = new TransportHttpClient(settings.transport, settings.limits, this.tenantId);
  }

  private get recordKey(): string {
    return `${this.settings.endpoints.authorityHost}|${this.settings.clientId ?? 'default'}|${this.tenantId}`;
  }

  private create(): TokenCredential {
    const { endpoints, env, policy, clientId } = this.settings;
    const common = {
      authorityHost: endpoints.authorityHost,
      disableInstanceDiscovery: endpoints.disableInstanceDiscovery,
      httpClient: this.http,
      retryOptions: { maxRetries: policy.maxRetries, retryDelayInMs: policy.baseDelayMs, maxRetryDelayInMs: policy.maxDelayMs },
    };
    const stored = this.settings.records.load(this.recordKey);
    let authenticationRecord: AuthenticationRecord | undefined;
    if (stored) {
      try {
        authenticationRecord = deserializeAuthenticationRecord(stored);
      } catch {
        authenticationRecord = undefined; // a damaged record only costs one more sign-in
      }
    }
    this.hasRecord = authenticationRecord !== undefined;
    switch (this.settings.auth) {
      case 'device-code': {
        const onDeviceCode = this.settings.onDeviceCode;
        if (!onDeviceCode) {
          throw accessError('auth_failed', 'device-code sign-in needs a screen to show the code: run it from the dashboard, or choose another auth method (EXPEL_TRACK_AUTH)', { code: 'no_device_code_prompt' });
        }
        return new DeviceCodeCredential({
          ...common,
          tenantId: this.tenantId,
          clientId,
          authenticationRecord,
          userPromptCallback: (info) =>
            onDeviceCode({
              tenantId: this.tenantId,
              userCode: cleanText(info.userCode),
              verificationUri: cleanText(info.verificationUri),
              message: cleanText(info.message),
            }),
        });
      }
      case 'browser':
        return new InteractiveBrowserCredential({ ...common, tenantId: this.tenantId, clientId, authenticationRecord });
      case 'azure-cli':
        return new AzureCliCredential({ tenantId: this.tenantId, processTimeoutInMs: this.settings.cliTimeoutMs });
      case 'client-secret':
        validateAuthEnvironment('client-secret', env);
        return new ClientSecretCredential(this.tenantId, env.AZURE_CLIENT_ID!.trim(), env.AZURE_CLIENT_SECRET!, common);
      case 'client-certificate':
        validateAuthEnvironment('client-certificate', env);
        return new ClientCertificateCredential(
          this.tenantId,
          env.AZURE_CLIENT_ID!.trim(),
          { certificatePath: env.AZURE_CLIENT_CERTIFICATE_PATH!, certificatePassword: env.AZURE_CLIENT_CERTIFICATE_PASSWORD || undefined },
          { ...common, sendCertificateChain: env.AZURE_CLIENT_SEND_CERTIFICATE_CHAIN === 'true' || env.AZURE_CLIENT_SEND_CERTIFICATE_CHAIN === '1' },
        );
    }
  }

  /** Interactive methods sign in once per tenant through `authenticate` so the record can be saved. */
  private ensureRecord(credential: TokenCredential, scope: string, signal: AbortSignal | undefined): Promise<void> {
    const interactive = credential instanceof DeviceCodeCredential || credential instanceof InteractiveBrowserCredential;
    if (!interactive || this.hasRecord) return Promise.resolve();
    if (!this.recordReady) {
      this.recordReady = (async () => {
        const record = await (credential as DeviceCodeCredential).authenticate(scope, { abortSignal: signal });
        if (record) this.settings.records.save(this.recordKey, serializeAuthenticationRecord(record));
        this.hasRecord = true;
      })();
      // A failed or cancelled sign-in may be tried again by the next read.
      this.recordReady.catch(() => {
        this.recordReady = null;
      });
    }
    return this.recordReady;
  }

  /** A token for `scope` whose tid is this tenant. Throws AccessError (or AbortError). */
  async getToken(scope: string, signal?: AbortSignal): Promise<CheckedToken> {
    throwIfAborted(signal);
    this.http.lastFailure = null;
    this.http.lastRefusal = null;
    let accessToken: { token: string; expiresOnTimestamp: number } | null;
    try {
      this.credential ??= this.create();
      const credential = this.credential;
      await raceAbort(this.ensureRecord(credential, scope, signal), signal);
      accessToken = await raceAbort(credential.getToken(scope, { tenantId: this.tenantId, abortSignal: signal }), signal);
    } catch (error) {
      if (isAbortError(error) || signal?.aborted) throw new AbortError();
      if (this.http.lastRefusal) throw this.http.lastRefusal;
      if (error instanceof UserError) throw error;
      throw fromAuthError(error, this.http.lastFailure);
    }
    if (!accessToken?.token) throw accessError('auth_failed', 'sign-in returned no token', { code: 'no_token' });
    const claims = decodeTokenClaims(accessToken.token);
    const tid = typeof claims?.tid === 'string' ? claims.tid.toLowerCase() : null;
    if (!claims || tid !== this.tenantId) {
      throw accessError(
        'wrong_tenant_token',
        tid ? `refused a token issued for tenant ${tid}; this session is for ${this.tenantId}` : 'refused a token without a readable tenant (tid) claim',
        { code: tid ? 'tid_mismatch' : 'tid_missing', message: tid ? `token tid ${tid}, expected ${this.tenantId}` : undefined },
      );
    }
    return { token: accessToken.token, claims: summariseClaims(claims, accessToken.expiresOnTimestamp) };
  }
}
