import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { adminPasswordFile } from '../api/auth/firstAdmin';
import { developmentAppPassword, enableAppRoleLogin } from '../db/appRole';
import { connectDatabase } from '../db/client';
import { runMigrations } from '../db/migrate';
import { runSeedsOnce } from '../db/seed';
import { demoSeeds } from '../db/seeds';
import { type ManagedProcess, spawnManaged } from '../platform/childProcess';
import { type Config, loadConfigOrExit } from '../platform/config';
import { developmentNotify } from '../platform/notify';
import {
  type AesGcmPayloadCodec,
  developmentKeyFileName,
  developmentPayloadKeys,
  payloadCodecFromEnv,
} from '../platform/payloadCodec';
import { waitFor } from '../platform/ports';
import { spawnEmbeddedPostgres } from '../platform/postgresProcess';
import { sandboxApiKey, sandboxWebhookSecret } from '../platform/psp';
import { registerSearchAttributes } from '../platform/registerSearchAttributes';
import { registerSchedulesAtStart } from '../platform/schedules';
import { findTemporalCli } from '../platform/temporalCli';
import { type RunningTemporal, startTemporalDevServer } from '../platform/temporalServer';
import { temporalUiPath } from '../web/temporalUi';

/**
 * `npm start`: the whole product on one machine. PostgreSQL (embedded unless DATABASE_URL is
 * set), a Temporal dev server (unless TEMPORAL_ADDRESS is set), migrations and the demo seed,
 * then the worker and the API as child processes. Ctrl-C or SIGTERM stops all of it in reverse.
 */
const say = (message: string) => process.stdout.write(`[ims] ${message}\n`);

type Stack = { postgres?: ManagedProcess; temporal?: RunningTemporal; children: ManagedProcess[] };
const stack: Stack = { children: [] };
let stopping = false;

async function stopAll(exitCode: number): Promise<never> {
  if (stopping) return new Promise<never>(() => {});
  stopping = true;
  say('stopping…');
  for (const child of [...stack.children].reverse()) await child.stop(35_000);
  await stack.temporal?.stop();
  await stack.postgres?.stop(30_000);
  say('stopped');
  process.exit(exitCode);
}

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
  stack.postgres = postgres.process;
  watchForUnexpectedExit(postgres.process);
  return postgres.databaseUrl('ims');
}

/**
 * The keys the worker and API encrypt workflow payloads with: the configured ones, else (outside
 * production) development keys generated once and kept in DATA_DIR/payload-keys, beside the
 * Temporal state they protect, so a restart still decodes yesterday's histories.
 */
function payloadEncryption(
  config: Config,
  dataDir: string,
): { env: NodeJS.ProcessEnv; codec: AesGcmPayloadCodec | undefined } {
  const env: NodeJS.ProcessEnv = {};
  if (config.PAYLOAD_ENCRYPTION_KEYS === undefined && config.NODE_ENV !== 'production') {
    const { keys, created } = developmentPayloadKeys(dataDir);
    const file = join(dataDir, developmentKeyFileName);
    say(
      created
        ? `generated a development payload encryption key in ${file}`
        : `payload encryption: development keys from ${file}`,
    );
    env.PAYLOAD_ENCRYPTION_KEYS = keys;
  }
  // Refuses here, before anything starts: production without keys, or a key id that is not listed.
  return { env, codec: payloadCodecFromEnv({ ...process.env, ...env }) };
}

/** Who can sign in on a fresh machine, without ever printing a password. */
function signInHint(config: Config, dataDir: string): string {
  if (config.IMS_ADMIN_PASSWORD !== undefined) return 'admin, password from IMS_ADMIN_PASSWORD';
  const file = join(dataDir, adminPasswordFile);
  return existsSync(file) ? `admin, password in ${file}` : 'a user an administrator created';
}

async function startTemporal(config: Config, dataDir: string): Promise<string> {
  if (config.TEMPORAL_ADDRESS !== undefined) {
    await registerSearchAttributes(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
    return config.TEMPORAL_ADDRESS;
  }
  const cliPath = findTemporalCli(say);
  say(
    `starting Temporal dev server on 127.0.0.1:${config.TEMPORAL_PORT} (state in ${join(dataDir, 'temporal.sqlite')})`,
  );
  stack.temporal = await startTemporalDevServer({
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
  watchForUnexpectedExit(stack.temporal.process);
  return stack.temporal.address;
}

function watchForUnexpectedExit(child: ManagedProcess): void {
  void child.exited.then((code) => {
    if (stopping) return;
    say(`${child.name} exited unexpectedly (code ${code}); stopping everything`);
    void stopAll(1);
  });
}

function startChild(name: string, entry: string, env: NodeJS.ProcessEnv): ManagedProcess {
  const child = spawnManaged({
    name,
    command: process.execPath,
    args: ['--import', 'tsx', entry],
    env,
    ownProcessGroup: true,
  });
  stack.children.push(child);
  watchForUnexpectedExit(child);
  return child;
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const dataDir = resolve(config.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  const encryption = payloadEncryption(config, dataDir);

  const databaseUrl = await startDatabase(config, dataDir);
  await runMigrations(databaseUrl);
  const appPassword = developmentAppPassword(dataDir, config.DATABASE_APP_PASSWORD);
  await enableAppRoleLogin(databaseUrl, appPassword);
  const database = connectDatabase(databaseUrl, { poolMax: 1 });
  const seeded = await runSeedsOnce(database.sql, demoSeeds);
  await database.close();
  say(seeded.length > 0 ? `seeded: ${seeded.join(', ')}` : 'demo configuration already seeded');

  const temporalAddress = await startTemporal(config, dataDir);
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    DATABASE_APP_PASSWORD: appPassword,
    TEMPORAL_ADDRESS: temporalAddress,
    ...(stack.temporal?.uiUrl ? { TEMPORAL_UI_UPSTREAM: stack.temporal.uiUrl } : {}),
    ...encryption.env,
    WORKER_METRICS_URL:
      config.WORKER_METRICS_PORT === 0
        ? ''
        : `http://127.0.0.1:${config.WORKER_METRICS_PORT}/metrics`,
  };
  if (config.PSP_PROVIDER === 'sandbox' && config.PSP_BASE_URL === undefined) {
    // Our GOV.UK Pay simulator, so a new user can take a payment with no account anywhere.
    startChild('sandbox-psp', 'psp/sandbox/server.ts', {
      ...env,
      SANDBOX_PSP_PORT: String(config.SANDBOX_PSP_PORT),
      SANDBOX_PSP_API_KEYS: sandboxApiKey,
      SANDBOX_PSP_WEBHOOK_URL: `http://${config.HOST}:${config.PORT}/v1/webhooks/govuk-pay`,
      SANDBOX_PSP_WEBHOOK_SECRET: sandboxWebhookSecret,
    });
  }
  // Our GOV.UK Notify simulator, so receipts are sent (to it) with no Notify account.
  const notify = developmentNotify(config);
  if (notify !== null) {
    Object.assign(env, notify.env);
    startChild('notify-simulator', 'notify/simulator/server.ts', {
      ...env,
      ...notify.simulatorEnv,
    });
  }
  startChild('worker', 'worker.ts', env);
  startChild('api', 'api/server.ts', env);

  const apiUrl = `http://${config.HOST}:${config.PORT}`;
  await waitFor('the API', async () => (await fetch(`${apiUrl}/health`)).ok, 120_000, 500);
  await registerSchedulesAtStart(
    {
      address: temporalAddress,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      dataConverter:
        encryption.codec === undefined ? undefined : { payloadCodecs: [encryption.codec] },
    },
    say,
  );
  say('ready');
  say(`  Staff screens ${apiUrl}  (sign in as ${signInHint(config, dataDir)})`);
  say(`  API          ${apiUrl}  (health: ${apiUrl}/health, OpenAPI: ${apiUrl}/v1/openapi.json)`);
  if (stack.temporal?.uiUrl)
    say(`  Temporal UI  ${apiUrl}${temporalUiPath}/  (operators, signed in)`);
  if (config.PSP_PROVIDER === 'sandbox')
    say(`  Sandbox PSP  http://127.0.0.1:${config.SANDBOX_PSP_PORT} (GOV.UK Pay simulator)`);
  if (notify !== null)
    say(`  Notify       ${notify.url} (GOV.UK Notify simulator: the emails sent)`);
  say(`  Metrics      ${apiUrl}/metrics`);
  say(
    encryption.codec === undefined
      ? '  Payloads     NOT encrypted (PAYLOAD_ENCRYPTION_KEYS is unset)'
      : `  Payloads     encrypted with key ${encryption.codec.currentKeyId}; the UI decodes them via ${apiUrl}/codec`,
  );
  say('Press Ctrl-C to stop.');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[ims] start failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  void stopAll(1);
});
