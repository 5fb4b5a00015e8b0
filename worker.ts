import { join } from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from './activities';
import { councilScopeInterceptor } from './activities/councilScope';
import { appDatabaseUrlFromConfig, assertBoundByRowSecurity } from './db/appRole';
import { attachCouncilKeys, encryptingCodecsOf } from './db/councilKeys';
import { connectCouncilDatabases } from './db/councils';
import { councilPspKeySource, type DeploymentPspKeysServe } from './db/pspCredentials';
import { type Config, loadConfigOrExit } from './platform/config';
import { requireCouncil } from './platform/councilScope';
import { isEntryPoint } from './platform/entry';
import { createLogger, type Logger } from './platform/logger';
import { dataConverterFromConfig, dataConverterFromEnv } from './platform/payloadCodec';
import { pspFromConfig } from './platform/psp';
import { temporalLogger } from './platform/temporalLogger';
import { type PaymentServiceProvider, withCouncilPspKeys } from './psp';

export type WorkerSetup = {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** The application role's URL (db/appRole.ts): row-level security binds every activity. */
  databaseUrl: string;
  logger: Logger;
  psp: PaymentServiceProvider;
  /**
   * Whom the deployment's PSP keys serve when a council has none of its own
   * (db/pspCredentials.ts); absent: every council, as against the sandbox.
   */
  deploymentPspKeysServe?: DeploymentPspKeysServe;
  /** Production passes a prebuilt bundle; development and tests may compile or share one. */
  workflowBundlePath?: string;
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  shutdownGraceTimeMs?: number;
  databasePoolMax?: number;
  /** Connections of each council's pool but the default one's. */
  councilPoolMax?: number;
  /** Encrypts payloads (platform/payloadCodec.ts); absent: from PAYLOAD_ENCRYPTION_KEYS. */
  dataConverter?: DataConverter;
};

/** How long after the grace period a worker whose activities will not stop is stopped anyway. */
export const shutdownForceAfterGraceMs = 15_000;

/** Builds a worker and the database pool its activities use; the caller runs and closes them. */
export async function createImsWorker(
  setup: WorkerSetup,
): Promise<{ worker: Worker; close: () => Promise<void> }> {
  const database = connectCouncilDatabases(setup.databaseUrl, {
    poolMax: setup.databasePoolMax ?? 10,
    councilPoolMax: setup.councilPoolMax,
  });
  await assertBoundByRowSecurity(database.sql);
  const dataConverter = setup.dataConverter ?? dataConverterFromEnv();
  attachCouncilKeys(dataConverter, database);
  // Each council's payments go through its own GOV.UK Pay keys when it has set them.
  const psp = withCouncilPspKeys(
    setup.psp,
    councilPspKeySource({
      databases: database,
      codec: encryptingCodecsOf(dataConverter)[0],
      currentCouncil: requireCouncil,
      serve: setup.deploymentPspKeysServe ?? 'every-council',
    }),
  );
  const workflowSource: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> =
    setup.workflowBundlePath === undefined
      ? { workflowsPath: join(import.meta.dirname, 'workflows', 'index.ts') }
      : { workflowBundle: { codePath: setup.workflowBundlePath } };
  const worker = await Worker.create({
    connection: setup.connection,
    namespace: setup.namespace,
    taskQueue: setup.taskQueue,
    ...workflowSource,
    activities: createActivities({
      db: database.db,
      sql: database.sql,
      logger: setup.logger,
      psp,
      codec: encryptingCodecsOf(dataConverter)[0],
    }),
    interceptors: { activity: [councilScopeInterceptor] },
    // The SDK rejects options set to undefined, so only pass the ones configured.
    ...definedOnly({
      dataConverter,
      maxConcurrentActivityTaskExecutions: setup.maxConcurrentActivityTaskExecutions,
      maxConcurrentWorkflowTaskExecutions: setup.maxConcurrentWorkflowTaskExecutions,
      shutdownGraceTime: setup.shutdownGraceTimeMs,
    }),
    // Past the grace period activities are cancelled; one stuck where cancellation cannot reach
    // it (a socket that never settles) must not keep the process from stopping.
    shutdownForceTime: (setup.shutdownGraceTimeMs ?? 0) + shutdownForceAfterGraceMs,
  });
  return { worker, close: database.close };
}

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

async function main(config: Config): Promise<void> {
  const logger = createLogger(config.LOG_LEVEL, { component: 'worker' });
  if (config.DATABASE_URL === undefined || config.TEMPORAL_ADDRESS === undefined) {
    throw new Error('The worker needs DATABASE_URL and TEMPORAL_ADDRESS (npm start sets both)');
  }
  if (config.NODE_ENV === 'production' && config.WORKFLOW_BUNDLE_PATH === undefined) {
    throw new Error('In production the worker loads a prebuilt bundle: set WORKFLOW_BUNDLE_PATH');
  }
  Runtime.install({
    logger: temporalLogger(logger),
    // The Runtime's default signal handling shuts every worker down gracefully on SIGTERM/SIGINT.
    telemetryOptions:
      config.WORKER_METRICS_PORT === 0
        ? undefined
        : { metrics: { prometheus: { bindAddress: `0.0.0.0:${config.WORKER_METRICS_PORT}` } } },
  });
  // Before connecting: production without encryption keys refuses to start.
  const dataConverter = dataConverterFromConfig(config);
  if (dataConverter === undefined)
    logger.warn('PAYLOAD_ENCRYPTION_KEYS is not set: workflow payloads are stored unencrypted');
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const { worker, close } = await createImsWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    databaseUrl: appDatabaseUrlFromConfig(config),
    logger,
    psp: pspFromConfig(config),
    deploymentPspKeysServe: config.PSP_PROVIDER === 'sandbox' ? 'every-council' : 'default-council',
    workflowBundlePath: config.WORKFLOW_BUNDLE_PATH,
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    shutdownGraceTimeMs: config.WORKER_SHUTDOWN_GRACE_MS,
    databasePoolMax: config.DATABASE_POOL_MAX,
    councilPoolMax: config.DATABASE_COUNCIL_POOL_MAX,
    dataConverter,
  });
  logger.info(
    { taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE },
    'worker started',
  );
  try {
    await worker.run();
  } finally {
    await close();
    await connection.close();
    logger.info('worker stopped');
  }
}

if (isEntryPoint(import.meta.url)) {
  main(loadConfigOrExit()).catch((error: unknown) => {
    process.stderr.write(
      `worker failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  });
}
