import { describe, expect, it } from 'vitest';
import { createBatcher, type Timers } from '../../src/ui/state/batch.js';

function manualTimers(): Timers & { fire(): void; pending(): number } {
  let callbacks: Array<() => void> = [];
  return {
    setTimeout(callback) {
      callbacks.push(callback);
      return callback;
    },
    clearTimeout(handle) {
      callbacks = callbacks.filter((callback) => callback !== handle);
    },
    fire() {
      const due = callbacks;
      callbacks = [];
      for (const callback of due) callback();
    },
    pending: () => callbacks.length,
  };
}

describe('createBatcher', () => {
  it('delivers everything pushed within one interval as one batch', () => {
    const timers = manualTimers();
    const batches: number[][] = [];
    const batcher = createBatcher<number>((items) => batches.push(items), 100, timers);
    for (let i = 0; i < 1000; i += 1) batcher.push(i);
    expect(timers.pending()).toBe(1);
    expect(batches).toHaveLength(0);
    timers.fire();
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(1000);
    batcher.push(1000);
    timers.fire();
    expect(batches).toEqual([expect.any(Array), [1000]]);
  });

  it('flushes on demand and drops on dispose', () => {
    const timers = manualTimers();
    const batches: string[][] = [];
    const batcher = createBatcher<string>((items) => batches.push(items), 100, timers);
    batcher.push('a');
    batcher.flush();
    expect(batches).toEqual([['a']]);
    expect(timers.pending()).toBe(0);
    batcher.flush();
    expect(batches).toHaveLength(1);
    batcher.push('b');
    batcher.dispose();
    timers.fire();
    expect(batches).toHaveLength(1);
  });
});
