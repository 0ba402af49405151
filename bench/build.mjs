// Bundles the benchmark entries (bench/*.ts) into dist/bench/ with esbuild, the same way
// scripts/build.mjs bundles the CLI: the benchmarks import the simulated cloud and the database
// layer straight from the TypeScript sources, so they measure the code that ships.
import { build } from 'esbuild';
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
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    chunkNames: 'chunks/[name]-[hash]',
    external: ['better-sqlite3', 'ink', 'react'],
    banner: {
      js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
    legalComments: 'none',
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildBench();
