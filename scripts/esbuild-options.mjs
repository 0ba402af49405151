// esbuild options shared by the CLI bundle (scripts/build.mjs) and the benchmark bundle
// (bench/build.mjs), so the benchmarks measure code built the way it ships.
export const nodeBundleOptions = {
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies inside an ESM bundle still call require().
  banner: {
    js: "import { createRequire as __expelCreateRequire } from 'node:module'; const require = __expelCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
  legalComments: 'none',
};
