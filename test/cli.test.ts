import { afterEach, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { makeSandbox, type Sandbox } from './support/cli.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

describe('expel-track entry', () => {
  let sandbox: Sandbox;
  afterEach(() => sandbox?.cleanup());

  it('prints its version', () => {
    sandbox = makeSandbox();
    const result = sandbox.run(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it('prints help on stdout and exits 0', () => {
    sandbox = makeSandbox();
    const result = sandbox.run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: expel-track');
  });

  it('refuses the dashboard without a terminal and points to the scriptable commands', () => {
    sandbox = makeSandbox();
    const result = sandbox.run([]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('interactive terminal');
    expect(result.stderr).toContain('check --all --json');
  });

  it('rejects an unknown command on stderr with exit 1', () => {
    sandbox = makeSandbox();
    const result = sandbox.run(['nosuch']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown command');
  });
});
