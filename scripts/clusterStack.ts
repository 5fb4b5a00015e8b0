import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { ManagedProcess } from '../platform/childProcess';
import type { Config } from '../platform/config';
import { waitFor } from '../platform/ports';
import { type PostgresProcess, spawnEmbeddedPostgres } from '../platform/postgresProcess';
import { pollingProcessIds } from '../platform/taskQueuePollers';
import { ensureTemporalServerBinaries, startTemporalCluster } from '../platform/temporalCluster';
import {
  apiUrlOf,
  type PayloadEncryption,
  payloadEncryption,
  prepareImsDatabase,
  startSandboxPspChild,
} from './startParts';
import { type Supervisor, say } from './supervisor';

/**
 * The product in its production shape on one machine (issue 16): ONE PostgreSQL holding the
 * IMS database and Temporal's two, as the compose file has it; the real Temporal server on it
 * (platform/temporalCluster.ts); the production build (dist/, `npm run build`) run by plain
 * node with NODE_ENV=production; the API and `workers` worker processes on one task queue.
 * `npm run start:cluster` runs it; bench/clusterFaults.ts runs it and breaks pieces of it.
 */
export type ClusterStackOptions = {
  config: Config;
  dataDir: string;
  workers: number;
  temporalPort: number;
  /** false: use the dist/ already there (a fault run started right after a build). */
  build: boolean;
  /** Extra environment for the API and workers (fault runs shorten payment polling). */
  env?: NodeJS.ProcessEnv;
};

export type ClusterStack = {
  apiUrl: string;
  temporalAddress: string;
  /** The owner's URL of the IMS database (checks past row-level security). */
  databaseUrl: string;
  adminUrl: string;
  encryption: PayloadEncryption;
  workers: ManagedProcess[];
  /** SIGKILL, as the kernel's OOM killer or a lost machine would. */
  killWorker: (index: number) => Promise<void>;
  startWorker: (index: number) => ManagedProcess;
  /** Stops PostgreSQL (everything's database) and starts it again on the same data. */
  restartPostgres: (downMs: number) => Promise<void>;
  /** Resolves once every running worker process polls both workflow and activity tasks. */
  waitForWorkers: (timeoutMs?: number) => Promise<void>;
};

export function buildProduction(): number {
  const started = performance.now();
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], {
    cwd: join(import.meta.dirname, '..'),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return performance.now() - started;
}

async function startPostgres(config: Config, dataDir: string): Promise<PostgresProcess> {
  say(`starting PostgreSQL on 127.0.0.1:${config.PG_PORT} (data in ${join(dataDir, 'pg')})`);
  return spawnEmbeddedPostgres({
    dataDir: join(dataDir, 'pg'),
    port: config.PG_PORT,
    database: 'ims',
    logFile: join(dataDir, 'logs', 'postgres.log'),
    ownProcessGroup: true,
  });
}

export async function startClusterStack(
  supervisor: Supervisor,
  options: ClusterStackOptions,
): Promise<ClusterStack> {
  const { config, dataDir } = options;
  const encryption = payloadEncryption(config, dataDir);
  if (options.build) say(`production build: ${Math.round(buildProduction())} ms`);
  const binaries = ensureTemporalServerBinaries(say);

  let postgres = await startPostgres(config, dataDir);
  supervisor.add('postgres', () => postgres.stop());
  supervisor.watch(postgres.process);
  const databaseUrl = postgres.databaseUrl('ims');
  const appPassword = await prepareImsDatabase(config, dataDir, databaseUrl);

  say(`starting the Temporal server ${binaries.server} on 127.0.0.1:${options.temporalPort}`);
  const cluster = await startTemporalCluster({
    binaries,
    adminUrl: postgres.adminUrl,
    dataDir: join(dataDir, 'temporal'),
    frontendPort: options.temporalPort,
    namespace: config.TEMPORAL_NAMESPACE,
    ownProcessGroup: true,
  });
  supervisor.add('temporal', cluster.stop);
  supervisor.watch(cluster.process);

  const root = join(import.meta.dirname, '..');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    DATABASE_APP_PASSWORD: appPassword,
    TEMPORAL_ADDRESS: cluster.address,
    WORKFLOW_BUNDLE_PATH: join(root, 'dist', 'workflow-bundle.js'),
    IMPORT_STORAGE_DIR: config.IMPORT_STORAGE_DIR ?? join(dataDir, 'imports'),
    // Plain http on loopback: a Secure cookie would never come back from the browser.
    IMS_SECURE_COOKIES: process.env.IMS_SECURE_COOKIES ?? 'false',
    ...encryption.env,
    ...options.env,
  };
  startSandboxPspChild(supervisor, config, env);

  // Each worker its own metrics port; the API shows the first one's on /metrics.
  const metricsPort = (index: number) =>
    config.WORKER_METRICS_PORT === 0 ? 0 : config.WORKER_METRICS_PORT + index;
  const workers: ManagedProcess[] = [];
  const startWorker = (index: number) => {
    const worker = supervisor.startChild(
      `worker-${index + 1}`,
      join(root, 'dist', 'worker.js'),
      { ...env, WORKER_METRICS_PORT: String(metricsPort(index)) },
      join(dataDir, 'logs', `worker-${index + 1}.log`),
    );
    workers[index] = worker;
    return worker;
  };
  for (let index = 0; index < options.workers; index++) startWorker(index);
  supervisor.startChild(
    'api',
    join(root, 'dist', 'api', 'server.js'),
    {
      ...env,
      WORKER_METRICS_URL: metricsPort(0) === 0 ? '' : `http://127.0.0.1:${metricsPort(0)}/metrics`,
    },
    join(dataDir, 'logs', 'api.log'),
  );

  const waitForWorkers = async (timeoutMs = 120_000) => {
    await waitFor(
      `${workers.length} workers polling`,
      async () => {
        const polling = await pollingProcessIds(
          cluster.address,
          config.TEMPORAL_NAMESPACE,
          config.TEMPORAL_TASK_QUEUE,
        );
        return workers.every((worker) => polling.has(worker.child.pid ?? -1));
      },
      timeoutMs,
      500,
    );
  };
  return {
    apiUrl: apiUrlOf(config),
    temporalAddress: cluster.address,
    databaseUrl,
    adminUrl: postgres.adminUrl,
    encryption,
    workers,
    killWorker: async (index) => {
      const worker = workers[index]!;
      supervisor.expectExit(worker);
      worker.child.kill('SIGKILL');
      await worker.exited;
    },
    startWorker,
    restartPostgres: async (downMs) => {
      supervisor.expectExit(postgres.process);
      await postgres.stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      postgres = await startPostgres(config, dataDir);
      supervisor.watch(postgres.process);
    },
    waitForWorkers,
  };
}
