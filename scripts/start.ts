import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Config, loadConfigOrExit } from '../platform/config';
import { developmentNotify } from '../platform/notify';
import { spawnEmbeddedPostgres } from '../platform/postgresProcess';
import { registerSearchAttributes } from '../platform/registerSearchAttributes';
import { findTemporalCli } from '../platform/temporalCli';
import { type RunningTemporal, startTemporalDevServer } from '../platform/temporalServer';
import { temporalUiPath } from '../web/temporalUi';
import {
  announce,
  apiUrlOf,
  payloadEncryption,
  prepareImsDatabase,
  startSandboxPspChild,
  waitForApiAndSchedules,
} from './startParts';
import { createSupervisor, say } from './supervisor';

/**
 * `npm start`: the whole product on one machine. PostgreSQL (embedded unless DATABASE_URL is
 * set), a Temporal dev server (unless TEMPORAL_ADDRESS is set), migrations and the demo seed,
 * then the worker and the API as child processes. Ctrl-C or SIGTERM stops all of it in reverse.
 * `npm run start:cluster` (scripts/start-cluster.ts) is the production shape of the same.
 */
const supervisor = createSupervisor();

async function startDatabase(config: Config, dataDir: string): Promise<string> {
  if (config.DATABASE_URL !== undefined) return config.DATABASE_URL;
  say(
    `starting embedded PostgreSQL on 127.0.0.1:${config.PG_PORT} (data in ${join(dataDir, 'pg')})`,
  );
  const postgres = await spawnEmbeddedPostgres({
    dataDir: join(dataDir, 'pg'),
    port: config.PG_PORT,
    database: 'ims',
    logFile: join(dataDir, 'logs', 'postgres.log'),
    ownProcessGroup: true,
  });
  supervisor.add('postgres', () => postgres.process.stop(30_000));
  supervisor.watch(postgres.process);
  return postgres.databaseUrl('ims');
}

async function startTemporal(
  config: Config,
  dataDir: string,
): Promise<{ address: string; temporal?: RunningTemporal }> {
  if (config.TEMPORAL_ADDRESS !== undefined) {
    await registerSearchAttributes(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
    return { address: config.TEMPORAL_ADDRESS };
  }
  const cliPath = findTemporalCli(say);
  say(
    `starting Temporal dev server on 127.0.0.1:${config.TEMPORAL_PORT} (state in ${join(dataDir, 'temporal.sqlite')})`,
  );
  const temporal = await startTemporalDevServer({
    cliPath,
    port: config.TEMPORAL_PORT,
    namespace: config.TEMPORAL_NAMESPACE,
    dbFile: join(dataDir, 'temporal.sqlite'),
    uiPort: config.TEMPORAL_UI_PORT,
    // The IMS serves the UI at /temporal (web/temporalUi.ts), so the UI's calls to the codec
    // endpoint are same-origin and carry the operator's session: decoding needs no setting.
    uiPublicPath: temporalUiPath,
    uiCodecEndpoint: '/codec',
    logFile: join(dataDir, 'logs', 'temporal.log'),
    ownProcessGroup: true,
  });
  supervisor.add('temporal', () => temporal.stop());
  supervisor.watch(temporal.process);
  return { address: temporal.address, temporal };
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const dataDir = resolve(config.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  // `on`, not `once`: Ctrl-C under npm reaches us twice (from the terminal and relayed by
  // tsx), and a second SIGINT without a handler would kill us before the children stop.
  process.on('SIGINT', () => void supervisor.stopAll(0));
  process.on('SIGTERM', () => void supervisor.stopAll(0));
  const encryption = payloadEncryption(config, dataDir);

  const databaseUrl = await startDatabase(config, dataDir);
  const appPassword = await prepareImsDatabase(config, dataDir, databaseUrl);
  const { address: temporalAddress, temporal } = await startTemporal(config, dataDir);
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    DATABASE_APP_PASSWORD: appPassword,
    TEMPORAL_ADDRESS: temporalAddress,
    ...(temporal?.uiUrl ? { TEMPORAL_UI_UPSTREAM: temporal.uiUrl } : {}),
    ...encryption.env,
    WORKER_METRICS_URL:
      config.WORKER_METRICS_PORT === 0
        ? ''
        : `http://127.0.0.1:${config.WORKER_METRICS_PORT}/metrics`,
  };
  startSandboxPspChild(supervisor, config, env);
  // Our GOV.UK Notify simulator, so receipts are sent (to it) with no Notify account.
  const notify = developmentNotify(config);
  if (notify !== null) {
    Object.assign(env, notify.env);
    supervisor.startChild('notify-simulator', 'notify/simulator/server.ts', {
      ...env,
      ...notify.simulatorEnv,
    });
  }
  supervisor.startChild('worker', 'worker.ts', env);
  supervisor.startChild('api', 'api/server.ts', env);

  await waitForApiAndSchedules(config, temporalAddress, encryption);
  announce(
    config,
    dataDir,
    encryption,
    temporal?.uiUrl ? `${apiUrlOf(config)}${temporalUiPath}/  (operators, signed in)` : undefined,
    notify === null
      ? []
      : [`Notify       ${notify.url} (GOV.UK Notify simulator: the emails sent)`],
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[ims] start failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  void supervisor.stopAll(1);
});
