// Preloaded into a measured process (NODE_OPTIONS=--import=<this file>): on exit it writes the
// process's peak resident set size and CPU time to $BENCH_RSS_OUT, so benchmarks can read the
// peak memory of a CLI or dashboard run without wrapping it in another tool.
import { writeFileSync } from 'node:fs';

const out = process.env.BENCH_RSS_OUT;
if (out) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(out, JSON.stringify({ maxRssKb: usage.maxRSS, userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000 }));
  });
}
