// Builds an access layer pointed at a test server (custom cloud: authority, Graph and ARM on
// one origin) with the client-secret method and a recording fake clock for retry waits.
import { createAccessLayer, type AccessLayer, type AccessOptions } from '../../../src/microsoft/access.js';
import { abortableSleep, type Clock } from '../../../src/microsoft/retry.js';
import type { TestServer } from './https-server.js';

export const TENANT_A = '11111111-1111-4111-8111-111111111111';
export const TENANT_B = '22222222-2222-4222-8222-222222222222';

/**
 * A virtual clock: time moves only when a retry wait is requested, which it records and then
 * waits 1 real ms for. Tests assert the requested delays, never wall time.
 */
export function recordingClock(): Clock & { waits: number[] } {
  const waits: number[] = [];
  const start = Date.now();
  let offset = 0;
  return {
    waits,
    now: () => start + offset,
    sleep: async (ms: number, signal?: AbortSignal) => {
      waits.push(ms);
      offset += ms;
      await abortableSleep(1, signal);
    },
  };
}

const open: AccessLayer[] = [];

/** Closes every layer `layerFor` made (their keep-alive sockets). */
export function closeLayers(): void {
  for (const layer of open.splice(0)) layer.close();
}

export function layerFor(server: TestServer, options: AccessOptions = {}): AccessLayer {
  const layer = createAccessLayer({
    cloud: 'custom',
    auth: 'client-secret',
    endpoints: { authorityHost: server.origin, graphUrl: server.origin, armUrl: server.origin },
    ca: server.ca,
    env: { AZURE_CLIENT_ID: '33333333-3333-4333-8333-333333333333', AZURE_CLIENT_SECRET: 'test-secret-value' },
    requestTimeoutSeconds: 5,
    ...options,
  });
  open.push(layer);
  return layer;
}
