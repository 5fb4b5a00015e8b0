import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure and needs no stack; `integration` shares ONE PostgreSQL and
// ONE Temporal dev server per run, started by test/harness/globalSetup.ts.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          // Browser journeys share the integration stack: one PostgreSQL, one Temporal.
          include: ['test/integration/**/*.test.ts', 'test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/harness/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Files run in parallel; each gets its own database and task queue.
          pool: 'forks',
        },
      },
    ],
  },
});
