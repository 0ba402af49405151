#!/usr/bin/env node
// Tiny entry: colour decisions must happen before chalk (inside Ink) is first imported,
// and chalk ignores NO_COLOR on its own, so translate it to FORCE_COLOR=0 here.
if (process.env.NO_COLOR || process.argv.includes('--no-color')) process.env.FORCE_COLOR = '0';
const { main } = await import('../dist/cli.js');
await main(process.argv);
