// Peak memory and CPU of a child process, recorded by bench/rss-probe.mjs when it exits.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './sandbox.js';

export interface Usage {
  maxRssKb: number;
  userMs: number;
  systemMs: number;
}

const PROBE = path.join(projectRoot, 'bench', 'rss-probe.mjs');

/** Environment that makes a Node child record its usage into `file` on exit. */
export function usageEnv(file: string, env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const existing = env.NODE_OPTIONS ? `${env.NODE_OPTIONS} ` : '';
  return { ...env, NODE_OPTIONS: `${existing}--import=${PROBE}`, BENCH_RSS_OUT: file };
}

export function readUsage(file: string): Usage | null {
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as Usage;
}
