// Bundles the benchmark entries (bench/*.ts) into dist/bench/ with esbuild, the same way
// scripts/build.mjs bundles the CLI: the benchmarks import the simulated cloud and the database
// layer straight from the TypeScript sources, so they measure the code that ships.
import { build } from 'esbuild';
import { nodeBundleOptions } from '../scripts/esbuild-options.mjs';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entries = readdirSync(path.join(root, 'bench'))
  .filter((name) => name.endsWith('.ts'))
  .map((name) => path.join('bench', name));

export async function buildBench() {
  await build({
    absWorkingDir: root,
    entryPoints: entries,
    outdir: path.join(root, 'dist', 'bench'),
    ...nodeBundleOptions,
    external: ['better-sqlite3', 'ink', 'react'],
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildBench();
