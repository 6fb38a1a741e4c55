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
    // Test files share their worker's modules instead of loading the server's whole graph again
    // each (zod schemas, routes, drivers): 266 s of the workers' time went to imports, 25 s now,
    // and the suite takes 610 s instead of 940 s. Every file opens and closes its own runtimes,
    // stores, servers and registries; one that must have fresh modules belongs in a project of
    // its own with `isolate: true`.
    isolate: false,
    reporters: ['default', './tests/support/summary-reporter.ts'],
  },
});
