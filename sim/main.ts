// Standalone simulated Microsoft cloud: `npm run sim -- [--port-base N] [--latency MS]
// [--throttle-rate R] [--synthetic N]`. Runs until Ctrl+C.
import { runStandalone } from './standalone.js';

await runStandalone(process.argv.slice(2));
