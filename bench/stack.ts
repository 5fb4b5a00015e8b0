import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { createApp } from '../api/app';
import type { ApiContext } from '../api/context';
import { createApiMetrics } from '../api/metrics';
import { appDatabaseUrl, enableAppRoleLogin } from '../db/appRole';
import { connectDatabase, type DatabaseHandle } from '../db/client';
import { attachCouncilKeys } from '../db/councilKeys';
import { type CouncilDatabases, connectCouncilDatabases } from '../db/councils';
import { insertApiKey } from '../db/identity';
import { runMigrations } from '../db/migrate';
import { runSeedsOnce } from '../db/seed';
import { demoSeeds } from '../db/seeds';
import { councilPermissions } from '../domain/permissions';
import { spawnManaged } from '../platform/childProcess';
import { councilSearchAttributeInterceptor } from '../platform/councilSearchAttribute';
import { dataConverterFromEnv, generatePayloadKeyEntry } from '../platform/payloadCodec';
import { freePort, waitFor } from '../platform/ports';
import { ensureDatabase } from '../platform/postgres';
import { spawnEmbeddedPostgres } from '../platform/postgresProcess';
import { benchWorkerCount, startBenchTemporal } from './benchTemporal';

/**
 * The real product in one process for benchmarks: an embedded PostgreSQL, an in-memory
 * Temporal dev server, the API on a free port and one worker, with the demo council seeded.
 */
export type BenchStack = {
  scratch: string;
  /** The owner's connection (checks and arranging), past row-level security. */
  database: DatabaseHandle;
  databaseUrl: string;
  /** As the API and worker connect: the application role, one pool per council. */
  councils: CouncilDatabases;
  client: Client;
  api: ApiContext;
  apiUrl: string;
  /** `Authorization: Bearer …` for an API key holding every permission, as an integration has. */
  auth: Record<string, string>;
  /** Starts the worker process; `pspUrl` points its GOV.UK Pay adapter at a sandbox. */
  startWorker: (pspUrl?: string) => Promise<void>;
  stop: () => Promise<void>;
};

export const machine = () => ({
  cpu: cpus()[0]?.model,
  cores: cpus().length,
  node: process.version,
});

export async function startBenchStack(): Promise<BenchStack> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const scratch = mkdtempSync(join(tmpdir(), 'ims-bench-'));
  chmodSync(scratch, 0o755);
  const postgres = await spawnEmbeddedPostgres({
    dataDir: join(scratch, 'pg'),
    port: await freePort(),
    database: 'postgres',
    logFile: join(scratch, 'postgres.log'),
  });
  await ensureDatabase(postgres.adminUrl, 'ims');
  const databaseUrl = postgres.databaseUrl('ims');
  await runMigrations(databaseUrl);
  const appPassword = 'bench-app-role-password';
  await enableAppRoleLogin(databaseUrl, appPassword);
  const appUrl = appDatabaseUrl(databaseUrl, appPassword);
  const database = connectDatabase(databaseUrl, { poolMax: 20 });
  await runSeedsOnce(database.sql, demoSeeds);
  const councils = connectCouncilDatabases(appUrl, { poolMax: 20, councilPoolMax: 2 });
  const temporal = await startBenchTemporal(scratch, postgres.adminUrl);
  // Payloads are encrypted as in production, so the benchmarks include the codec's cost.
  const payloadKeys = generatePayloadKeyEntry('bench');
  const dataConverter = dataConverterFromEnv({ PAYLOAD_ENCRYPTION_KEYS: payloadKeys });
  attachCouncilKeys(dataConverter, councils);
  const client = new Client({
    connection: await Connection.connect({ address: temporal.address }),
    namespace: 'default',
    dataConverter,
    interceptors: { workflow: [councilSearchAttributeInterceptor] },
  });
  const logger = pino({ level: 'silent' });
  const api: ApiContext = {
    db: councils.db,
    sql: councils.sql,
    temporal: client,
    namespace: 'default',
    taskQueue: 'bench',
    logger,
    metrics: createApiMetrics(),
    version: 'bench',
    webhookSecret: 'bench-secret',
    // Webhooks drive payments; polling is the slow fallback.
    paymentTiming: {
      expiryMs: 600_000,
      expiryGraceMs: 60_000,
      pollInitialMs: 30_000,
      pollMaxMs: 60_000,
    },
    imports: {
      storageDir: join(scratch, 'imports'),
      maxBytes: 1 << 30,
      chunkRows: 10_000,
      parallelChunks: 2,
    },
  };
  const server = await new Promise<Server>((resolve) => {
    const listening = createApp(api).listen(0, '127.0.0.1', () => resolve(listening));
  });
  const apiUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const { key } = await insertApiKey(
    database.db,
    {
      principal: 'bench',
      description: 'benchmark load generator',
      permissions: [...councilPermissions],
      fundGroups: null,
    },
    'system:bench',
  );
  const auth = { Authorization: `Bearer ${key}` };
  let worker: { stop: () => Promise<void> } | null = null;
  return {
    auth,
    scratch,
    database,
    databaseUrl,
    councils,
    client,
    api,
    apiUrl,
    startWorker: async (pspUrl) => {
      // In their own processes, as in production: the API and the load generator stay here.
      const children = Array.from({ length: benchWorkerCount() }, (_, index) => {
        const logFile = join(scratch, `worker-${index + 1}.log`);
        const child = spawnManaged({
          name: `bench-worker-${index + 1}`,
          command: process.execPath,
          args: ['--import', 'tsx', join(import.meta.dirname, 'worker.ts')],
          env: {
            ...process.env,
            DATABASE_URL: appUrl,
            TEMPORAL_ADDRESS: temporal.address,
            PAYLOAD_ENCRYPTION_KEYS: payloadKeys,
            ...(pspUrl ? { BENCH_PSP_URL: pspUrl } : {}),
          },
          logFile,
        });
        return { child, logFile };
      });
      for (const { logFile } of children)
        await waitFor(
          'the benchmark worker',
          async () => readFileSync(logFile, 'utf8').includes('worker ready'),
          120_000,
          200,
        );
      worker = {
        stop: async () => {
          await Promise.all(children.map(({ child }) => child.stop(30_000)));
        },
      };
    },
    stop: async () => {
      await worker?.stop();
      server.close();
      await client.connection.close();
      await councils.close();
      await database.close();
      await temporal.stop();
      await postgres.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Runs `count` tasks, at most `limit` at once; answers the wall time in ms. */
export async function inParallel(
  count: number,
  limit: number,
  task: (index: number) => Promise<void>,
): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return performance.now() - started;
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Peak resident memory of this process, sampled while `work` runs. */
export async function withPeakRss<T>(
  work: () => Promise<T>,
): Promise<{ result: T; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  try {
    const result = await work();
    return { result, peakRssMb: Math.round(peak / 1024 / 1024) };
  } finally {
    clearInterval(timer);
  }
}
