// Bundles the CLI into a few files so the dashboard starts fast (see ink-notes §2.4).
// Ink is only reachable through dynamic imports, so esbuild's code splitting keeps it out of
// the chunk that non-interactive commands load.
import { build } from 'esbuild';
import { rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const devtoolsStub = path.join(out, '.devtools-stub.js');
writeFileSync(devtoolsStub, 'export default {};\n');

await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli.ts', sim: 'sim/main.ts' },
  outdir: out,
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  external: ['better-sqlite3'],
  alias: { 'react-devtools-core': devtoolsStub },
  define: { 'process.env.NODE_ENV': '"production"' },
  banner: {
    js: "import { createRequire as __expelCreateRequire } from 'node:module'; const require = __expelCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
  legalComments: 'none',
});
