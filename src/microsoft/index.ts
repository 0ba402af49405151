// Public surface of the access layer. Probes use the types (TenantSession, GraphReader,
// ArmReader, AccessError); the command layer creates one AccessLayer per process.
export * from './types.js';
export { createAccessLayer, openTenantSession, type AccessLayer, type AccessLimits, type AccessOptions } from './access.js';
export { AUTH_METHODS, CLOUD_NAMES, nationalCloud, resolveCloudConfig, type AuthMethod, type CloudEndpoints, type CloudName, type CloudSettings } from './clouds.js';
export { AADSTS_REASONS, isNotFound, safeText } from './errors.js';
export { WriteRefusedError } from './guard.js';
export type { DeviceCodePrompt } from './identity.js';
export { AbortError, isAbortError } from './transport.js';
