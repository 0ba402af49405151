// Errors as data: the mapping table from AADSTS codes and Graph/ARM error bodies to the
// `error` reasons of steps.md, with Microsoft's code kept and no secret in evidence.
import { describe, expect, it } from 'vitest';
import { ERROR_REASONS } from '../../src/core/status.js';
import { AADSTS_REASONS, fromAuthError, fromHttpResponse, fromTransportError, isNotFound, safeText } from '../../src/microsoft/errors.js';
import { TransportError } from '../../src/microsoft/transport.js';
import { AccessError } from '../../src/microsoft/types.js';

describe('sign-in failures', () => {
  it.each([
    ['50020', 'guest_not_invited'],
    ['50034', 'guest_not_invited'],
    ['51004', 'guest_not_invited'],
    ['90072', 'guest_not_invited'],
    ['50014', 'guest_not_redeemed'],
    ['500213', 'inbound_policy_blocked'],
    ['53003', 'conditional_access_blocked'],
    ['53000', 'conditional_access_blocked'],
    ['50076', 'mfa_required'],
    ['50079', 'mfa_required'],
    ['65001', 'consent_missing'],
    ['90094', 'consent_missing'],
    ['90095', 'consent_missing'],
    ['700016', 'consent_missing'],
    ['90002', 'tenant_not_found'],
    ['90038', 'wrong_cloud'],
    ['1000104', 'wrong_cloud'],
    ['500212', 'auth_failed'],
    ['7000215', 'auth_failed'],
  ])('AADSTS%s → %s (message of AuthenticationRequiredError)', (code, reason) => {
    const wrapped = Object.assign(new Error(`AuthenticationRequiredError: AADSTS${code}: something happened. Trace ID: 1 Correlation ID: 2`), {
      name: 'AuthenticationRequiredError',
    });
    const error = fromAuthError(wrapped);
    expect(error).toBeInstanceOf(AccessError);
    expect(error.reason).toBe(reason);
    expect(error.evidence.code).toBe(`AADSTS${code}`);
  });

  it('every mapped reason is a steps.md reason', () => {
    for (const reason of Object.values(AADSTS_REASONS)) expect(ERROR_REASONS).toContain(reason);
  });

  it('reads an AuthenticationError body (error_codes when the text has no AADSTS)', () => {
    const error = fromAuthError({ name: 'AuthenticationError', message: 'x', statusCode: 400, errorResponse: { error: 'invalid_grant', errorDescription: 'blocked', errorCodes: [500213] } });
    expect(error).toMatchObject({ reason: 'inbound_policy_blocked', evidence: { code: 'AADSTS500213', status: 400 } });
  });

  it('finds the code inside an AggregateAuthenticationError', () => {
    const error = fromAuthError({ name: 'AggregateAuthenticationError', message: 'all failed', errors: [{ message: 'AADSTS53003: Access has been blocked by Conditional Access policies.' }] });
    expect(error.reason).toBe('conditional_access_blocked');
  });

  it('uses the transport failure when MSAL only kept text', () => {
    const error = fromAuthError(new Error('network_error: Network request failed'), new TransportError('network', 'getaddrinfo ENOTFOUND login.example', 'ENOTFOUND'));
    expect(error).toMatchObject({ reason: 'network', evidence: { code: 'ENOTFOUND' } });
    expect(fromAuthError(new Error('x'), new TransportError('timeout', 'slow', 'ETIMEDOUT')).reason).toBe('timeout');
  });

  it('falls back to auth_failed, keeping the error name', () => {
    const error = fromAuthError(Object.assign(new Error('Azure CLI could not be found'), { name: 'CredentialUnavailableError' }));
    expect(error).toMatchObject({ reason: 'auth_failed', evidence: { code: 'CredentialUnavailableError' } });
  });
});

describe('API failures', () => {
  const graph = (code: string, message = 'x') => JSON.stringify({ error: { code, message, innerError: { 'request-id': 'r' } } });

  it.each([
    [403, graph('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'), 'insufficient_role', 'Authorization_RequestDenied'],
    [403, graph('UnknownError', JSON.stringify({ errorCode: 'PermissionScopeNotGranted', message: 'Authorization failed due to missing permission scope RoleManagement.Read.Directory.', instanceAnnotations: [] })), 'insufficient_role', 'PermissionScopeNotGranted'],
    [403, graph('AuthorizationFailed', "The client 'x' does not have authorization to perform action 'Microsoft.Security/pricings/read'"), 'insufficient_role', 'AuthorizationFailed'],
    [403, graph('Authentication_RequestFromNonPremiumTenantOrB2CTenant', 'Neither tenant is B2C or tenant doesn\'t have premium license'), 'not_licensed', 'Authentication_RequestFromNonPremiumTenantOrB2CTenant'],
    [403, graph('Forbidden', "Neither tenant is B2C or tenant doesn't have premium license"), 'not_licensed', 'Forbidden'],
    [401, graph('InvalidAuthenticationToken', 'Access token has expired'), 'auth_failed', 'InvalidAuthenticationToken'],
    [429, graph('TooManyRequests'), 'throttled', 'TooManyRequests'],
    [503, graph('ServiceUnavailable'), 'throttled', 'ServiceUnavailable'],
    [504, graph('GatewayTimeout'), 'timeout', 'GatewayTimeout'],
    [404, graph('Request_ResourceNotFound'), 'unexpected_response', 'Request_ResourceNotFound'],
    [400, graph('Request_UnsupportedQuery'), 'unexpected_response', 'Request_UnsupportedQuery'],
    [500, '<html>oops</html>', 'unexpected_response', undefined],
  ])('HTTP %i %s → %s', (status, body, reason, code) => {
    const error = fromHttpResponse(status, Buffer.from(body), 'GET v1.0 /users');
    expect(error.reason).toBe(reason);
    expect(error.evidence).toMatchObject({ status, request: 'GET v1.0 /users' });
    expect(error.evidence.code).toBe(code);
  });

  it('keeps which insufficient-role code it was, and the service message', () => {
    const error = fromHttpResponse(403, { error: { code: 'UnknownError', message: '{"errorCode":"PermissionScopeNotGranted","message":"missing scope Policy.Read.All"}' } }, 'GET v1.0 /policies');
    expect(error.evidence).toEqual({ status: 403, request: 'GET v1.0 /policies', code: 'PermissionScopeNotGranted', message: 'missing scope Policy.Read.All' });
  });

  it('isNotFound tells probes a 404 apart', () => {
    expect(isNotFound(fromHttpResponse(404, '{}', 'GET x'))).toBe(true);
    expect(isNotFound(fromHttpResponse(403, '{}', 'GET x'))).toBe(false);
    expect(isNotFound(new Error('x'))).toBe(false);
  });

  it('maps transport failures', () => {
    expect(fromTransportError(new TransportError('timeout', 'slow', 'ETIMEDOUT'), 'GET x')).toMatchObject({ reason: 'timeout', evidence: { code: 'ETIMEDOUT' } });
    expect(fromTransportError(new TransportError('network', 'reset', 'ECONNRESET'), 'GET x', 3)).toMatchObject({ reason: 'network', evidence: { attempts: 3 } });
    expect(fromTransportError(new TransportError('too_large', 'big'), 'GET x').reason).toBe('unexpected_response');
  });
});

describe('evidence never carries secrets', () => {
  const jwt = 'eyJ0eXAiOiJKV1QifQ.eyJ0aWQiOiJ4In0.c2lnbmF0dXJl';
  it.each([
    [`Authorization: Bearer ${jwt}`, jwt],
    [`token ${jwt} leaked`, jwt],
    ['client_secret=hunter2&grant_type=client_credentials', 'hunter2'],
    ['{"access_token":"opaque-token-value","refresh_token":"r-e-f"}', 'opaque-token-value'],
    ['Bearer opaque.value.here', 'opaque.value.here'],
  ])('safeText(%j) drops the secret', (input, secret) => {
    expect(safeText(input)).not.toContain(secret);
  });

  it('strips terminal escapes and caps length', () => {
    expect(safeText('\u001b[31mred\u001b[0m\u0007 text')).toBe('red text');
    expect(safeText('x'.repeat(1000)).length).toBeLessThanOrEqual(300);
  });

  it('applies to messages and evidence of mapped errors', () => {
    const error = fromHttpResponse(401, { error: { code: 'InvalidAuthenticationToken', message: `bad token ${jwt}` } }, 'GET v1.0 /me');
    expect(JSON.stringify(error.evidence)).not.toContain(jwt);
    const auth = fromAuthError(new Error(`AADSTS50020: user ... client_secret=abc123 Bearer ${jwt}`));
    expect(JSON.stringify(auth.evidence) + auth.message).not.toMatch(/abc123|eyJ0aWQ/);
  });
});
