/**
 * The benchmarks' worker, in its own process as in production (`npm start`, docker-compose):
 * the product's activities plus a no-op for the floor workflow, on task queue `bench`.
 * Configured by environment: DATABASE_URL (the application role's), TEMPORAL_ADDRESS, PAYLOAD_ENCRYPTION_KEYS,
 * BENCH_PSP_URL (optional).
 */
import { join } from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import pino from 'pino';
import { createActivities } from '../activities';
import { councilScopeInterceptor } from '../activities/councilScope';
import { attachCouncilKeys } from '../db/councilKeys';
import { connectCouncilDatabases } from '../db/councils';
import { dataConverterFromEnv } from '../platform/payloadCodec';
import { createGovukPayProvider, type PaymentServiceProvider } from '../psp';

Runtime.install({ logger: new DefaultLogger('WARN') });
const databaseUrl = process.env.DATABASE_URL ?? '';
const address = process.env.TEMPORAL_ADDRESS ?? '';
const pspUrl = process.env.BENCH_PSP_URL;
const noPsp = new Proxy({} as PaymentServiceProvider, {
  get: () => () => Promise.reject(new Error('no PSP in this benchmark')),
});
const psp = pspUrl
  ? createGovukPayProvider({ baseUrl: pspUrl, keys: { default: 'bench-key' } })
  : noPsp;
const database = connectCouncilDatabases(databaseUrl, { poolMax: 20, councilPoolMax: 2 });
const dataConverter = dataConverterFromEnv();
attachCouncilKeys(dataConverter, database);
const worker = await Worker.create({
  connection: await NativeConnection.connect({ address }),
  namespace: 'default',
  taskQueue: 'bench',
  workflowsPath: join(import.meta.dirname, 'floorWorkflows.ts'),
  activities: {
    ...createActivities({
      db: database.db,
      sql: database.sql,
      logger: pino({ level: 'silent' }),
      psp,
    }),
    noop: async () => {},
  },
  interceptors: { activity: [councilScopeInterceptor] },
  maxConcurrentActivityTaskExecutions: 200,
  maxConcurrentWorkflowTaskExecutions: 100,
  ...(dataConverter === undefined ? {} : { dataConverter }),
});
process.stdout.write('worker ready\n');
await worker.run();
await database.close();
