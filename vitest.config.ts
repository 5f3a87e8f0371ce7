import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration and e2e tests build real namespaces; running them one file at a
    // time keeps a 2-core machine's timings honest and the lab pids distinct.
    fileParallelism: false,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
