import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // Ink renders only the last frame when CI is set (ink-notes §3.7); colours pinned off so
    // frames compare the same on every machine.
    env: { CI: 'false', FORCE_COLOR: '0' },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
