// The access layer's options from the user's settings: one mapping for every command that reaches
// Microsoft (check, and the dashboard's re-check), so limits mean the same everywhere.
import type { AccessOptions, DeviceCodePrompt } from '../microsoft/index.js';
import type { Settings } from '../settings/settings.js';

export function accessOptionsFrom(settings: Settings, onDeviceCode: (prompt: DeviceCodePrompt) => void): AccessOptions {
  return {
    cloud: settings.cloud,
    auth: settings.auth,
    clientId: settings.clientId ?? undefined,
    // `concurrency` counts tenants; the layer's own limit counts requests across all of them.
    concurrency: Math.min(64, settings.concurrency * settings.perTenantConcurrency),
    perTenantConcurrency: settings.perTenantConcurrency,
    requestTimeoutSeconds: settings.requestTimeoutSeconds,
    maxRetries: settings.maxRetries,
    onDeviceCode,
  };
}
