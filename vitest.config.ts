import { defineConfig } from 'vitest/config';

// Two projects: unit tests need nothing; integration tests get real PostgreSQL and Kafka from the global set-up.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2, // the CI machine has 2 cores
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // Process entry points run in child processes (test/integration/server-process.test.ts), out of v8's sight.
      exclude: ['src/server.ts', 'src/cli/main.ts', 'src/store/migrate-cli.ts'],
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
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
