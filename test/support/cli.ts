// Runs the built CLI as a subprocess against a temporary database and config folder,
// so no test ever touches the user's real data directory.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolatedEnv } from './isolated-env.js';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const binPath = path.join(projectRoot, 'bin/expel-track.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  dir: string;
  db: string;
  configDir: string;
  run(args: string[], options?: { input?: string; env?: NodeJS.ProcessEnv }): CliResult;
  cleanup(): void;
}

export function makeSandbox(): Sandbox {
  const dir = mkdtempSync(path.join(tmpdir(), 'expel-track-test-'));
  const db = path.join(dir, 'roster.db');
  const configDir = path.join(dir, 'config');
  return {
    dir,
    db,
    configDir,
    run(args, options = {}) {
      const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [binPath, ...args], {
        encoding: 'utf8',
        input: options.input,
        env: {
          ...process.env,
          ...isolatedEnv(dir, db, configDir),
          ...options.env,
        },
        timeout: 60_000,
        // Large rosters print megabytes of JSON; the default 1 MB buffer would kill the child.
        maxBuffer: 256 * 1024 * 1024,
      });
      return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
