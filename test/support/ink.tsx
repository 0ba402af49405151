// Shopify cli-kit style helpers for Ink tests: a terminal of a chosen size, and polling waits
// that yield to React 19's scheduler (setImmediate, then a timer) instead of fixed sleeps.
import { EventEmitter } from 'node:events';
import { render as inkRender, type Instance } from 'ink';
import type React from 'react';

export class TestStdout extends EventEmitter {
  readonly isTTY = true;
  readonly frames: string[] = [];
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string): boolean => {
    // Ink writes a bare newline at unmount; it is not a frame.
    if (frame !== '\n') this.frames.push(frame);
    return true;
  };
  lastFrame = (): string => this.frames[this.frames.length - 1] ?? '';
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export class TestStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  write = (data: string): void => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = (): string | null => {
    const { data } = this;
    this.data = null;
    return data;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export const KEYS = {
  up: '\u001B[A',
  down: '\u001B[B',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  enter: '\r',
  escape: '\u001B',
  tab: '\t',
  shiftTab: '\u001B[Z',
  backspace: '\u007F',
  ctrlC: '\u0003',
} as const;

/** One turn of React 19's scheduler (it uses setImmediate in Node), then a timer turn. */
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(() => setTimeout(resolve, 0)));

export async function waitFor(check: () => boolean, what = 'condition', timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`waitFor timed out waiting for ${what}`);
    await tick();
  }
}

export interface Rendered {
  stdout: TestStdout;
  stdin: TestStdin;
  instance: Instance;
  lastFrame(): string;
  /** Waits until the last frame contains `text` (or matches it). */
  waitForText(text: string | RegExp, timeoutMs?: number): Promise<string>;
  /**
   * Sends keys one by one. After each, two scheduler turns: one to render, one for the effects
   * that re-subscribe widgets' input handlers with fresh state (ink-notes §3.4).
   */
  press(...keys: string[]): Promise<void>;
  /** Types text a character at a time (as a person would). */
  type(text: string): Promise<void>;
  unmount(): void;
}

export function renderInk(tree: React.ReactElement, size: { columns: number; rows: number } = { columns: 120, rows: 40 }): Rendered {
  const stdout = new TestStdout(size.columns, size.rows);
  const stdin = new TestStdin();
  const instance = inkRender(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new TestStdout(size.columns, size.rows) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const rendered: Rendered = {
    stdout,
    stdin,
    instance,
    lastFrame: stdout.lastFrame,
    async waitForText(text, timeoutMs) {
      const test = (frame: string): boolean => (typeof text === 'string' ? frame.includes(text) : text.test(frame));
      try {
        await waitFor(() => test(stdout.lastFrame()), String(text), timeoutMs);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n--- last frame ---\n${stdout.lastFrame()}`);
      }
      // One more turn, so effects of the frame just drawn (input subscriptions of newly shown
      // widgets) are in place before the test types (Shopify's sendInputAndWaitForChange).
      await tick();
      return stdout.lastFrame();
    },
    async press(...keys) {
      for (const key of keys) {
        stdin.write(key);
        await tick();
        await tick();
      }
    },
    async type(text) {
      await rendered.press(...[...text]);
    },
    unmount() {
      instance.unmount();
      instance.cleanup();
    },
  };
  return rendered;
}
