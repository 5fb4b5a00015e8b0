import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure and needs no stack; `integration` shares ONE PostgreSQL and
// ONE Temporal dev server per run, started by test/harness/globalSetup.ts (or an external
// Temporal: TEST_TEMPORAL_ADDRESS). A third, `cluster`, only with IMS_CLUSTER_TESTS=1.
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
      // The production shape (issue 16): only when asked, by `npm run test:cluster`, since it
      // builds and runs the real Temporal server; CI's `npm test` stays as fast as it was.
      ...(process.env.IMS_CLUSTER_TESTS === '1'
        ? [
            {
              test: {
                name: 'cluster',
                include: ['test/cluster/**/*.test.ts'],
                environment: 'node',
                testTimeout: 600_000,
                hookTimeout: 300_000,
                pool: 'forks' as const,
              },
            },
          ]
        : []),
    ],
  },
});
