import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../platform/ports';
import { spawnEmbeddedPostgres } from '../platform/postgresProcess';
import {
  ensureTemporalServerBinaries,
  freeClusterPort,
  startTemporalCluster,
} from '../platform/temporalCluster';
import { say } from './supervisor';

/**
 * `npm run test:cluster [test files…]`: end-to-end tests on the production shape (issue 16).
 * One PostgreSQL holds the test databases and Temporal's; the real Temporal server runs on it;
 * the integration harness is pointed at both (TEST_DATABASE_ADMIN_URL, TEST_TEMPORAL_ADDRESS,
 * test/harness/globalSetup.ts) and runs payments, imports, close of day and a whole business
 * day. Then test/cluster/ proves `npm run start:cluster` (production build, two workers).
 * Not part of `npm test`: the server build alone takes minutes on a fresh machine.
 */
const defaultFiles = [
  'test/integration/payments.test.ts',
  'test/integration/imports.test.ts',
  'test/integration/closeOfDay.test.ts',
  'test/integration/fullDay.test.ts',
];
const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : defaultFiles;

const binaries = ensureTemporalServerBinaries(say);
const scratch = mkdtempSync(join(tmpdir(), 'ims-test-cluster-'));
chmodSync(scratch, 0o755);
const postgres = await spawnEmbeddedPostgres({
  dataDir: join(scratch, 'pg'),
  port: await freePort(),
  database: 'postgres',
  ephemeral: true,
  logFile: join(scratch, 'postgres.log'),
});
const cluster = await startTemporalCluster({
  binaries,
  adminUrl: postgres.adminUrl,
  dataDir: scratch,
  frontendPort: await freeClusterPort(),
  namespace: 'default',
  // Tests restart workers gracefully, and server 1.30.4 does not cancel a stopping worker's
  // long polls: the stop waits for them to expire (a minute by default, past a test's timeout).
  dynamicConfig: { 'matching.longPollExpirationInterval': '10s' },
});
say(
  `Temporal cluster at ${cluster.address} on PostgreSQL ${postgres.adminUrl.replace(/:[^:@]*@/, ':***@')}`,
);

const vitest = (args: string[], env: NodeJS.ProcessEnv) =>
  spawnSync('npx', ['vitest', 'run', ...args], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  }).status ?? 1;
let status = 1;
try {
  const started = performance.now();
  status = vitest(['--project', 'integration', ...files], {
    TEST_TEMPORAL_ADDRESS: cluster.address,
    TEST_DATABASE_ADMIN_URL: postgres.adminUrl,
  });
  say(
    `integration files on the cluster: exit ${status} in ${Math.round((performance.now() - started) / 1000)} s`,
  );
  if (status === 0 && process.env.CLUSTER_SKIP_START_TEST !== 'true') {
    const startTest = performance.now();
    status = vitest(['--project', 'cluster'], { IMS_CLUSTER_TESTS: '1' });
    say(
      `start:cluster test: exit ${status} in ${Math.round((performance.now() - startTest) / 1000)} s`,
    );
  }
} finally {
  await cluster.stop();
  await postgres.stop();
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(status);
