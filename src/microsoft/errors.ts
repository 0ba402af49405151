// Errors as data: every sign-in or API failure becomes an AccessError with an `error` reason of
// steps.md, Microsoft's own code kept in evidence. Evidence never holds a token, a secret or an
// Authorization header: everything that came from outside passes through `safeText`.
import type { ErrorReason } from '../core/status.js';
import { safeText } from '../core/sanitize.js';

export { safeText };
import { AccessError, type AccessErrorEvidence } from './types.js';
import { TransportError } from './transport.js';

/** AADSTS codes (microsoft-apis.md §2.3) and the reason each one means for the analyst. */
export const AADSTS_REASONS: Readonly<Record<string, ErrorReason>> = {
  '50020': 'guest_not_invited',
  '50034': 'guest_not_invited',
  '51004': 'guest_not_invited',
  '90072': 'guest_not_invited',
  '50014': 'guest_not_redeemed',
  '500213': 'inbound_policy_blocked',
  '53003': 'conditional_access_blocked',
  '53000': 'conditional_access_blocked',
  '50076': 'mfa_required',
  '50079': 'mfa_required',
  '65001': 'consent_missing',
  '90094': 'consent_missing',
  '90095': 'consent_missing',
  '700016': 'consent_missing',
  '90002': 'tenant_not_found',
  '90038': 'wrong_cloud',
  '1000104': 'wrong_cloud',
};

/** Graph / ARM error codes that mean the identity lacks a role or a consented permission. */
export const INSUFFICIENT_ROLE_CODES: ReadonlySet<string> = new Set([
  'Authorization_RequestDenied',
  'PermissionScopeNotGranted',
  'AuthorizationFailed',
  'LinkedAuthorizationFailed',
  'Forbidden',
  'accessDenied',
]);

/** Graph codes that mean the tenant lacks the license a report needs (Entra ID P1/P2). */
export const LICENSE_CODES: ReadonlySet<string> = new Set(['Authentication_RequestFromNonPremiumTenantOrB2CTenant']);
const LICENSE_MESSAGE = /premium license|requires? (?:an? )?(?:azure ad|entra id|aad) premium|P1 or P2 license/i;

const REASON_SUMMARY: Partial<Record<ErrorReason, string>> = {
  guest_not_invited: 'the guest account does not exist in this tenant',
  guest_not_redeemed: 'the guest invitation has not been accepted yet',
  inbound_policy_blocked: "the tenant's cross-tenant access settings block this guest",
  conditional_access_blocked: 'a Conditional Access policy blocks this sign-in',
  mfa_required: 'the sign-in needs MFA that the tenant does not accept from the home tenant',
  consent_missing: "the tracker's client app is not consented (or not present) in this tenant",
  tenant_not_found: 'the tenant does not exist in this cloud',
  wrong_cloud: 'the tenant lives in another Microsoft cloud',
  auth_failed: 'sign-in failed',
};


/** The first AADSTS code in a text, digits only. */
export function findAadsts(text: string | undefined | null): string | null {
  const match = /AADSTS(\d{4,7})/.exec(text ?? '');
  return match?.[1] ?? null;
}

export function reasonForAadsts(code: string): ErrorReason | null {
  return AADSTS_REASONS[code] ?? null;
}

function evidence(fields: AccessErrorEvidence): AccessErrorEvidence {
  const out: AccessErrorEvidence = {};
  for (const [key, value] of Object.entries(fields) as Array<[keyof AccessErrorEvidence, unknown]>) {
    if (value === undefined || value === null || value === '') continue;
    (out as Record<string, unknown>)[key] = typeof value === 'string' ? safeText(value) : value;
  }
  return out;
}

export function accessError(reason: ErrorReason, message: string, fields: AccessErrorEvidence = {}): AccessError {
  return new AccessError(reason, safeText(message), evidence(fields));
}

// ---------------------------------------------------------------------------------------------
// Sign-in failures (@azure/identity)

interface IdentityLikeError {
  name?: string;
  message?: string;
  statusCode?: number;
  errorResponse?: { error?: string; errorDescription?: string; error_codes?: number[]; errorCodes?: number[] };
  errors?: unknown[];
}

/** Maps an AADSTS code (digits) plus the service's description to an AccessError. */
export function fromAadsts(code: string, description: string, fields: AccessErrorEvidence = {}): AccessError {
  const reason = reasonForAadsts(code) ?? 'auth_failed';
  const summary = REASON_SUMMARY[reason] ?? 'sign-in failed';
  return accessError(reason, `${summary} (AADSTS${code})`, { ...fields, code: `AADSTS${code}`, message: description });
}

/** An OAuth error body the authority answered (`{error, error_description, error_codes}`). */
export interface OAuthFailure {
  status: number;
  error: string | null;
  /** AADSTS code, digits only. */
  aadsts: string | null;
  description: string;
}

/** Reads an authority error response; null when the body is not an OAuth error. */
export function readOAuthFailure(status: number, body: string): OAuthFailure | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  const record = parsed as { error?: unknown; error_description?: unknown; error_codes?: unknown } | null;
  if (!record || typeof record.error !== 'string') return null;
  const description = typeof record.error_description === 'string' ? record.error_description : '';
  const codes = Array.isArray(record.error_codes) ? record.error_codes : [];
  const aadsts = findAadsts(description) ?? (typeof codes[0] === 'number' ? String(codes[0]) : null);
  return { status, error: record.error, aadsts, description };
}

/**
 * Maps a failure from @azure/identity (AuthenticationError, AuthenticationRequiredError,
 * CredentialUnavailableError, AggregateAuthenticationError, MSAL errors) to an AccessError.
 * MSAL sometimes keeps only text (a network error) or only the OAuth `error` word (device-code
 * polling: "post_request_failed: invalid_grant"), so `lastFailure` — the last transport error or
 * OAuth error body seen while acquiring the token — fills in what the error itself lost.
 */
export function fromAuthError(error: unknown, lastFailure?: TransportError | OAuthFailure | null): AccessError {
  if (error instanceof AccessError) return error;
  const failure = (error ?? {}) as IdentityLikeError;
  const nested = Array.isArray(failure.errors) ? failure.errors : [];
  const texts = [failure.message, failure.errorResponse?.errorDescription, ...nested.map((inner) => (inner as IdentityLikeError)?.message)]
    .filter((text): text is string => typeof text === 'string');
  const description = texts.join(' ');
  const aadsts =
    findAadsts(description) ??
    (() => {
      const codes = failure.errorResponse?.errorCodes ?? failure.errorResponse?.error_codes;
      return Array.isArray(codes) && codes.length > 0 ? String(codes[0]) : null;
    })();
  const status = typeof failure.statusCode === 'number' && failure.statusCode > 0 ? failure.statusCode : undefined;
  if (aadsts) return fromAadsts(aadsts, description, { status });
  if (lastFailure instanceof TransportError) return fromTransportError(lastFailure, 'sign-in');
  if (lastFailure?.aadsts) return fromAadsts(lastFailure.aadsts, lastFailure.description, { status: lastFailure.status });
  const name = typeof failure.name === 'string' ? failure.name : 'Error';
  const oauthError = failure.errorResponse?.error ?? lastFailure?.error ?? undefined;
  return accessError('auth_failed', `sign-in failed: ${description || name}`, {
    status: status ?? lastFailure?.status,
    code: oauthError ?? name,
    message: description || lastFailure?.description,
  });
}

// ---------------------------------------------------------------------------------------------
// API failures (Graph, ARM, discovery)

interface ServiceError {
  code: string | null;
  message: string | null;
}

/** Reads `{error:{code,message}}` (Graph, ARM) or `{error, error_description}` (authority) bodies. */
export function readServiceError(body: unknown): ServiceError {
  if (!body || typeof body !== 'object') return { code: null, message: null };
  const record = body as Record<string, unknown>;
  const inner = record.error;
  if (inner && typeof inner === 'object') {
    const { code, message } = inner as Record<string, unknown>;
    let outCode = typeof code === 'string' ? code : null;
    let outMessage = typeof message === 'string' ? message : null;
    // Some workloads wrap their own error as JSON text inside an UnknownError (§2.4).
    if (outMessage && outMessage.trimStart().startsWith('{')) {
      try {
        const wrapped = JSON.parse(outMessage) as Record<string, unknown>;
        if (typeof wrapped.errorCode === 'string') outCode = wrapped.errorCode;
        else if (typeof wrapped.code === 'string') outCode = wrapped.code;
        if (typeof wrapped.message === 'string') outMessage = wrapped.message;
      } catch {
        // Not JSON after all: keep the text as it is.
      }
    }
    return { code: outCode, message: outMessage };
  }
  if (typeof inner === 'string') {
    const description = typeof record.error_description === 'string' ? record.error_description : null;
    return { code: inner, message: description };
  }
  return { code: null, message: null };
}

function parseBody(body: Buffer | string | unknown): unknown {
  if (Buffer.isBuffer(body) || typeof body === 'string') {
    const text = body.toString();
    if (text.trim() === '') return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return body;
}

/**
 * Maps a final non-2xx response (after retries) to an AccessError. `request` is the evidence
 * label ('GET v1.0 /users?…'). The body may be raw bytes or already parsed (inner $batch responses).
 */
export function fromHttpResponse(status: number, body: Buffer | string | unknown, request: string, retryAfterMs?: number | null): AccessError {
  const parsed = parseBody(body);
  const service = readServiceError(parsed);
  const text = service.message ?? (typeof parsed === 'string' ? parsed : '');
  const fields: AccessErrorEvidence = { status, request, code: service.code ?? undefined, message: text };
  const aadsts = findAadsts(text);
  if (aadsts && reasonForAadsts(aadsts)) return fromAadsts(aadsts, text, { status, request });
  const code = service.code ?? '';
  if (LICENSE_CODES.has(code) || LICENSE_MESSAGE.test(text)) {
    return accessError('not_licensed', `the tenant lacks the license this read needs (${code || `HTTP ${status}`})`, fields);
  }
  if (INSUFFICIENT_ROLE_CODES.has(code)) {
    return accessError('insufficient_role', `the probing identity lacks a role or permission for this read (${code})`, fields);
  }
  if (status === 429 || status === 503) {
    const wait = retryAfterMs !== undefined && retryAfterMs !== null ? { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) } : {};
    return accessError('throttled', `Microsoft kept throttling this read (HTTP ${status})`, { ...fields, ...wait });
  }
  if (status === 504) return accessError('timeout', 'the service timed out (HTTP 504)', fields);
  if (status === 401) return accessError('auth_failed', `the service refused the token (${code || 'HTTP 401'})`, fields);
  if (status === 403) {
    return accessError('insufficient_role', `the service refused this read (${code || 'HTTP 403'})`, fields);
  }
  return accessError('unexpected_response', `unexpected HTTP ${status}${code ? ` (${code})` : ''}`, fields);
}

export function fromTransportError(error: TransportError, request: string, attempts?: number): AccessError {
  const fields: AccessErrorEvidence = { request, code: error.code, message: error.message, ...(attempts ? { attempts } : {}) };
  if (error.kind === 'timeout') return accessError('timeout', `no response in time: ${error.message}`, fields);
  if (error.kind === 'too_large') return accessError('unexpected_response', `response too large: ${error.message}`, fields);
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(error.code ?? '')) {
    return accessError('network', `the server's certificate is not trusted (${error.code}); for a private endpoint, point NODE_EXTRA_CA_CERTS at its CA`, fields);
  }
  return accessError('network', `network failure (${error.code ?? 'unknown'}): ${error.message}`, fields);
}

export function unexpectedResponse(request: string, message: string, status?: number): AccessError {
  return accessError('unexpected_response', message, { request, status });
}

/** A 404 from Graph or ARM (e.g. "no such service principal"): data for the probe, not a failure of the tracker. */
export function isNotFound(error: unknown): boolean {
  return error instanceof AccessError && error.evidence.status === 404;
}
