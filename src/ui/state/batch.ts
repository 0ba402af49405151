// Coalesces a stream of items into one delivery per interval: a re-check of 1,000 tenants
// reports each tenant as it finishes, but the screen redraws a handful of times, not 1,000
// (ink-notes §2.5: every state change that alters output costs one full render).

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface Batcher<T> {
  push(item: T): void;
  /** Delivers whatever is buffered now (e.g. when the run ends). */
  flush(): void;
  /** Drops the buffer and the pending timer. */
  dispose(): void;
}

export function createBatcher<T>(deliver: (items: T[]) => void, intervalMs: number, timers: Timers = realTimers): Batcher<T> {
  let buffer: T[] = [];
  let timer: unknown = null;
  const flush = (): void => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    if (buffer.length === 0) return;
    const items = buffer;
    buffer = [];
    deliver(items);
  };
  return {
    push(item) {
      buffer.push(item);
      if (timer === null) timer = timers.setTimeout(flush, intervalMs);
    },
    flush,
    dispose() {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      buffer = [];
    },
  };
}
