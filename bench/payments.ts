/**
 * Card payment lifecycles per second on the real stack, against the Temporal floor.
 *
 * `npx tsx bench/payments.ts [payments] [concurrency]` starts an embedded PostgreSQL, an
 * in-memory Temporal dev server, the sandbox PSP, one worker and the API in this process; then
 * runs N payments (POST, immediate success at the PSP, webhook, ledger posted) and, on the same
 * server, N empty workflows with as many activities as a payment runs. Prints JSON.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import pino from 'pino';
import { createActivities } from '../activities';
import { createApp } from '../api/app';
import { createApiMetrics } from '../api/metrics';
import { connectDatabase } from '../db/client';
import { runMigrations } from '../db/migrate';
import { runSeedsOnce } from '../db/seed';
import { demoSeeds } from '../db/seeds';
import { freePort } from '../platform/ports';
import { ensureDatabase, startEmbeddedPostgres } from '../platform/postgres';
import { findTemporalCli } from '../platform/temporalCli';
import { startTemporalDevServer } from '../platform/temporalServer';
import { createGovukPayProvider } from '../psp';
import { createSandboxPsp } from '../psp/sandbox/sandboxPsp';
import { floorWorkflow } from './floorWorkflows';

const payments = Number(process.argv[2] ?? 1000);
const concurrency = Number(process.argv[3] ?? 100);
const apiKey = 'bench-key';
const webhookSecret = 'bench-secret';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function inParallel(
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

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const scratch = mkdtempSync(join(tmpdir(), 'ims-bench-'));
  chmodSync(scratch, 0o755);
  const postgres = await startEmbeddedPostgres({
    dataDir: join(scratch, 'pg'),
    port: await freePort(),
    ephemeral: true,
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

  // The API first (the sandbox needs its webhook URL), then the sandbox, then the worker.
  const apiContext = {
    db: database.db,
    sql: database.sql,
    temporal: client,
    namespace: 'default',
    taskQueue: 'bench',
    logger,
    metrics: createApiMetrics(),
    version: 'bench',
    webhookSecret,
    // Webhooks drive completion; polling is the slow fallback.
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
    const s = createApp(apiContext).listen(0, '127.0.0.1', () => resolve(s));
  });
  const apiUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const sandboxPsp = createSandboxPsp({
    apiKeys: [apiKey],
    webhookUrl: `${apiUrl}/v1/webhooks/govuk-pay`,
    webhookSecret,
  });
  const sandbox = await sandboxPsp.start(0, '127.0.0.1');
  const psp = createGovukPayProvider({ baseUrl: sandbox.url, keys: { default: apiKey } });
  let activityCount = 0;
  const productActivities = createActivities({ db: database.db, sql: database.sql, logger, psp });
  const countedActivities = Object.fromEntries(
    Object.entries(productActivities).map(([name, fn]) => [
      name,
      (...args: unknown[]) => {
        activityCount++;
        return (fn as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  );
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue: 'bench',
    workflowsPath: join(import.meta.dirname, 'floorWorkflows.ts'),
    activities: { ...countedActivities, noop: async () => {} },
    maxConcurrentActivityTaskExecutions: 200,
    maxConcurrentWorkflowTaskExecutions: 100,
  });
  const running = worker.run();

  const pay = async (index: number) => {
    const started = performance.now();
    const response = await fetch(`${apiUrl}/v1/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 1000 + index }],
        description: 'Bench',
        returnUrl: 'https://council.example/done',
      }),
    });
    const created = (await response.json()) as { paymentId: string; nextUrl: string };
    await fetch(`${created.nextUrl}/pay`, { method: 'POST', redirect: 'manual' });
    const result = await client.workflow.getHandle(created.paymentId).result();
    if (result.state !== 'allocated')
      throw new Error(`payment ${created.paymentId} ended ${result.state}`);
    latencies.push(performance.now() - started);
  };
  const latencies: number[] = [];
  await inParallel(Math.min(20, payments), 20, pay); // warm-up: JIT, pools, bundle
  latencies.length = 0;
  activityCount = 0;
  const paymentMs = await inParallel(payments, concurrency, pay);
  const activitiesPerPayment = Math.round(activityCount / payments);
  latencies.sort((a, b) => a - b);
  const [journals] =
    await database.sql`select count(*)::int as n from journals where kind = 'payment'`;

  const floorLatencies: number[] = [];
  const floorMs = await inParallel(payments, concurrency, async (index) => {
    const started = performance.now();
    await client.workflow.execute(floorWorkflow, {
      workflowId: `floor-${index}-${Date.now()}`,
      taskQueue: 'bench',
      args: [activitiesPerPayment],
    });
    floorLatencies.push(performance.now() - started);
  });
  floorLatencies.sort((a, b) => a - b);

  const paymentsPerSecond = (payments / paymentMs) * 1000;
  const floorPerSecond = (payments / floorMs) * 1000;
  process.stdout.write(
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version },
        payments,
        concurrency,
        activitiesPerPayment,
        journalsPosted: journals?.n,
        lifecycles: {
          perSecond: Math.round(paymentsPerSecond * 10) / 10,
          p50Ms: Math.round(percentile(latencies, 50)),
          p99Ms: Math.round(percentile(latencies, 99)),
        },
        floor: {
          perSecond: Math.round(floorPerSecond * 10) / 10,
          p50Ms: Math.round(percentile(floorLatencies, 50)),
          p99Ms: Math.round(percentile(floorLatencies, 99)),
        },
        ratioToFloor: Math.round((paymentsPerSecond / floorPerSecond) * 100) / 100,
        sandbox: sandboxPsp.stats(),
      },
      null,
      2,
    )}\n`,
  );

  worker.shutdown();
  await running;
  server.close();
  await sandbox.close();
  await nativeConnection.close();
  await client.connection.close();
  await database.close();
  await temporal.stop();
  await postgres.stop();
  rmSync(scratch, { recursive: true, force: true });
}

await main();
