// Bundles the CLI into a few files so the dashboard starts fast (see ink-notes §2.4).
// Ink is only reachable through dynamic imports, so esbuild's code splitting keeps it out of
// the chunk that non-interactive commands load.
//
// Files are replaced atomically (write to a temporary name, then rename) and the folder is
// never wiped, so a build never pulls files out from under a test or a running dashboard.
import { build } from 'esbuild';
import { nodeBundleOptions } from './esbuild-options.mjs';
import { mkdirSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist');
mkdirSync(path.join(out, 'chunks'), { recursive: true });
const devtoolsStub = path.join(root, 'scripts', 'react-devtools-stub.js');

const result = await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli.ts', sim: 'sim/main.ts' },
  outdir: out,
  write: false,
  ...nodeBundleOptions,
  external: ['better-sqlite3'],
  alias: { 'react-devtools-core': devtoolsStub },
  define: { 'process.env.NODE_ENV': '"production"' },
});

const written = new Set();
for (const file of result.outputFiles) {
  mkdirSync(path.dirname(file.path), { recursive: true });
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
  written.add(file.path);
}

// Chunks from earlier builds are unreferenced once the entries are replaced; remove them only
// after a grace period so a process that started on the previous build can finish loading.
const chunksDir = path.join(out, 'chunks');
for (const name of readdirSync(chunksDir)) {
  const file = path.join(chunksDir, name);
  if (!written.has(file) && Date.now() - statSync(file).mtimeMs > 10 * 60_000) unlinkSync(file);
}
