import { defineConfig } from 'vitest/config';

// Three projects: unit tests need nothing; integration tests get real PostgreSQL and Kafka from the global set-up;
// the chaos scenarios bring their own services and run last.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2, // the CI machine has 2 cores
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // Process entry points run in child processes (test/integration/server-process.test.ts), out of v8's sight.
      exclude: ['src/server.ts', 'src/cli/main.ts', 'src/cli/migrate-main.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'reports/coverage',
      thresholds: { lines: 80, functions: 80, branches: 70, statements: 80 },
    },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: ['test/integration/chaos/**'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The fault scenarios own their PostgreSQL, broker and replicas and load both cores for about two minutes:
        // they run after the other projects, so they cannot push a timing-bound test elsewhere over its timeout.
        test: {
          name: 'chaos',
          include: ['test/integration/chaos/**/*.test.ts'],
          sequence: { groupOrder: 1 },
          // One file at a time: each brings its own cluster, and two at once on two cores would only slow both.
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
