import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts', 'sdk/**/*.test.ts', 'web/src/**/*.test.ts'],
    // Stops the run within seconds, with one message, when PostgreSQL, Redis, nginx or Chromium is missing.
    globalSetup: ['./tests/support/preflight.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // PGlite instances are heavy (~200 MB, wasm); two forks match this 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './tests/support/summary-reporter.ts'],
  },
});
