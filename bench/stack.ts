import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import pino from 'pino';
import { createActivities } from '../activities';
import { createApp } from '../api/app';
import type { ApiContext } from '../api/context';
import { createApiMetrics } from '../api/metrics';
import { connectDatabase, type DatabaseHandle } from '../db/client';
import { runMigrations } from '../db/migrate';
import { runSeedsOnce } from '../db/seed';
import { demoSeeds } from '../db/seeds';
import { freePort } from '../platform/ports';
import { ensureDatabase } from '../platform/postgres';
import { spawnEmbeddedPostgres } from '../platform/postgresProcess';
import { findTemporalCli } from '../platform/temporalCli';
import { startTemporalDevServer } from '../platform/temporalServer';
import type { PaymentServiceProvider } from '../psp';

/**
 * The real product in one process for benchmarks: an embedded PostgreSQL, an in-memory
 * Temporal dev server, the API on a free port and one worker, with the demo council seeded.
 */
export type BenchStack = {
  scratch: string;
  database: DatabaseHandle;
  client: Client;
  api: ApiContext;
  apiUrl: string;
  startWorker: (
    psp: PaymentServiceProvider,
    extraActivities?: Record<string, (...args: never[]) => unknown>,
  ) => Promise<void>;
  stop: () => Promise<void>;
};

export const machine = () => ({
  cpu: cpus()[0]?.model,
  cores: cpus().length,
  node: process.version,
});

const noPsp = new Proxy({} as PaymentServiceProvider, {
  get: () => () => Promise.reject(new Error('no PSP in this benchmark')),
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
  const database = connectDatabase(databaseUrl, { poolMax: 20 });
  await runSeedsOnce(database.sql, demoSeeds);
  const temporal = await startTemporalDevServer({
    cliPath: findTemporalCli(),
    port: await freePort(),
    namespace: 'default',
    logFile: join(scratch, 'temporal.log'),
  });
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const client = new Client({
    connection: await Connection.connect({ address: temporal.address }),
    namespace: 'default',
  });
  const logger = pino({ level: 'silent' });
  const api: ApiContext = {
    db: database.db,
    sql: database.sql,
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
  let worker: { stop: () => Promise<void> } | null = null;
  return {
    scratch,
    database,
    client,
    api,
    apiUrl,
    startWorker: async (psp = noPsp, extraActivities = {}) => {
      const created = await Worker.create({
        connection: nativeConnection,
        namespace: 'default',
        taskQueue: 'bench',
        workflowsPath: join(import.meta.dirname, 'floorWorkflows.ts'),
        activities: {
          ...createActivities({ db: database.db, sql: database.sql, logger, psp }),
          ...extraActivities,
        },
        maxConcurrentActivityTaskExecutions: 200,
        maxConcurrentWorkflowTaskExecutions: 100,
      });
      const running = created.run();
      worker = {
        stop: async () => {
          created.shutdown();
          await running;
        },
      };
    },
    stop: async () => {
      await worker?.stop();
      server.close();
      await nativeConnection.close();
      await client.connection.close();
      await database.close();
      await temporal.stop();
      await postgres.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
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
