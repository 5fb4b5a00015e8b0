import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { appDatabaseUrlFromConfig, assertBoundByRowSecurity } from '../db/appRole';
import { attachCouncilKeys } from '../db/councilKeys';
import { connectCouncilDatabases, withCouncil } from '../db/councils';
import { defaultCouncilId } from '../domain/council';
import { type Config, loadConfigOrExit } from '../platform/config';
import { councilSearchAttributeInterceptor } from '../platform/councilSearchAttribute';
import { isEntryPoint } from '../platform/entry';
import { createLogger } from '../platform/logger';
import { dataConverterFromConfig } from '../platform/payloadCodec';
import { webhookSecretFromConfig } from '../platform/psp';
import { packageVersion } from '../platform/version';
import { createApp } from './app';
import { ensureFirstAdmin } from './auth/firstAdmin';
import { createApiMetrics } from './metrics';

export async function startApiServer(
  config: Config,
): Promise<{ server: Server; close: () => Promise<void> }> {
  if (config.DATABASE_URL === undefined || config.TEMPORAL_ADDRESS === undefined) {
    throw new Error('The API needs DATABASE_URL and TEMPORAL_ADDRESS (npm start sets both)');
  }
  const logger = createLogger(config.LOG_LEVEL, { component: 'api' });
  // Before anything opens: production without encryption keys refuses to start.
  const dataConverter = dataConverterFromConfig(config);
  if (dataConverter === undefined)
    logger.warn('PAYLOAD_ENCRYPTION_KEYS is not set: workflow payloads are stored unencrypted');
  const database = connectCouncilDatabases(appDatabaseUrlFromConfig(config), {
    poolMax: config.DATABASE_POOL_MAX,
    councilPoolMax: config.DATABASE_COUNCIL_POOL_MAX,
  });
  await assertBoundByRowSecurity(database.sql);
  attachCouncilKeys(dataConverter, database);
  // Lazy: the API starts (and /health reports Temporal down) even when Temporal is not up yet.
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter,
    interceptors: { workflow: [councilSearchAttributeInterceptor] },
  });
  await withCouncil(defaultCouncilId, () =>
    ensureFirstAdmin({
      db: database.db,
      logger,
      password: config.IMS_ADMIN_PASSWORD,
      production: config.NODE_ENV === 'production',
      dataDir: config.DATA_DIR,
    }),
  );
  const oidcSet = [config.OIDC_ISSUER_URL, config.OIDC_CLIENT_ID, config.OIDC_CLIENT_SECRET];
  if (
    oidcSet.some((value) => value !== undefined) &&
    oidcSet.some((value) => value === undefined)
  ) {
    throw new Error('Set all of OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or none');
  }
  const publicUrl = config.IMS_PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
  const app = createApp({
    db: database.db,
    sql: database.sql,
    temporal,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    logger,
    metrics: createApiMetrics(),
    workerMetricsUrl: config.WORKER_METRICS_URL,
    version: packageVersion(),
    webhookSecret: webhookSecretFromConfig(config),
    deploymentPspKeysServe: config.PSP_PROVIDER === 'sandbox' ? 'every-council' : 'default-council',
    paymentTiming: {
      expiryMs: config.PAYMENT_EXPIRY_MS,
      expiryGraceMs: config.PAYMENT_EXPIRY_GRACE_MS,
      pollInitialMs: config.PAYMENT_POLL_INITIAL_MS,
      pollMaxMs: config.PAYMENT_POLL_MAX_MS,
    },
    imports: {
      storageDir: resolve(config.IMPORT_STORAGE_DIR ?? join(config.DATA_DIR, 'imports')),
      maxBytes: config.IMPORT_MAX_BYTES,
      chunkRows: config.IMPORT_CHUNK_ROWS,
      parallelChunks: config.IMPORT_PARALLEL_CHUNKS,
    },
    // On disk beside the imports, not /tmp: a big council's export is gigabytes, and /tmp is
    // often memory-backed.
    exportScratchDir: resolve(join(config.DATA_DIR, 'exports')),
    publicUrl: config.IMS_PUBLIC_URL,
    temporalUiUpstream: config.TEMPORAL_UI_UPSTREAM,
    trustProxy: config.IMS_TRUST_PROXY,
    auth: {
      idleMs: config.IMS_SESSION_IDLE_MINUTES * 60_000,
      absoluteMs: config.IMS_SESSION_MAX_HOURS * 3_600_000,
      secureCookies: config.IMS_SECURE_COOKIES ?? config.NODE_ENV === 'production',
    },
    oidc:
      config.OIDC_ISSUER_URL === undefined ||
      config.OIDC_CLIENT_ID === undefined ||
      config.OIDC_CLIENT_SECRET === undefined
        ? undefined
        : {
            issuerUrl: config.OIDC_ISSUER_URL,
            clientId: config.OIDC_CLIENT_ID,
            clientSecret: config.OIDC_CLIENT_SECRET,
            tokenAuthMethod: config.OIDC_TOKEN_AUTH_METHOD,
            publicUrl,
          },
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(config.PORT, config.HOST, () => resolve(listening));
  });
  logger.info({ port: config.PORT, host: config.HOST }, 'api listening');
  const close = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await connection.close();
    await database.close();
    logger.info('api stopped');
  };
  return { server, close };
}

if (isEntryPoint(import.meta.url)) {
  const config = loadConfigOrExit();
  startApiServer(config)
    .then(({ close }) => {
      const shutdown = () => {
        close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', shutdown);
      process.once('SIGINT', shutdown);
    })
    .catch((error: unknown) => {
      process.stderr.write(`api failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    });
}
