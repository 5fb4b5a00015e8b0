import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { adminPasswordFile } from '../api/auth/firstAdmin';
import { developmentAppPassword, enableAppRoleLogin } from '../db/appRole';
import { connectDatabase } from '../db/client';
import { runMigrations } from '../db/migrate';
import { runSeedsOnce } from '../db/seed';
import { demoSeeds } from '../db/seeds';
import type { ManagedProcess } from '../platform/childProcess';
import type { Config } from '../platform/config';
import {
  type AesGcmPayloadCodec,
  developmentKeyFileName,
  developmentPayloadKeys,
  payloadCodecFromEnv,
} from '../platform/payloadCodec';
import { waitFor } from '../platform/ports';
import { sandboxApiKey, sandboxWebhookSecret } from '../platform/psp';
import { registerSchedulesAtStart } from '../platform/schedules';
import { type Supervisor, say } from './supervisor';

/** The pieces `npm start` and `npm run start:cluster` share (scripts/start.ts, start-cluster.ts). */

export type PayloadEncryption = { env: NodeJS.ProcessEnv; codec: AesGcmPayloadCodec | undefined };

/**
 * The keys the worker and API encrypt workflow payloads with: the configured ones, else (outside
 * production) development keys generated once and kept in DATA_DIR/payload-keys, beside the
 * Temporal state they protect, so a restart still decodes yesterday's histories.
 */
export function payloadEncryption(config: Config, dataDir: string): PayloadEncryption {
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
export function signInHint(config: Config, dataDir: string): string {
  if (config.IMS_ADMIN_PASSWORD !== undefined) return 'admin, password from IMS_ADMIN_PASSWORD';
  const file = join(dataDir, adminPasswordFile);
  return existsSync(file) ? `admin, password in ${file}` : 'a user an administrator created';
}

/** Migrations, the application role's login and the demo seed; answers the role's password. */
export async function prepareImsDatabase(
  config: Config,
  dataDir: string,
  databaseUrl: string,
): Promise<string> {
  await runMigrations(databaseUrl);
  const appPassword = developmentAppPassword(dataDir, config.DATABASE_APP_PASSWORD);
  await enableAppRoleLogin(databaseUrl, appPassword);
  const database = connectDatabase(databaseUrl, { poolMax: 1 });
  const seeded = await runSeedsOnce(database.sql, demoSeeds);
  await database.close();
  say(seeded.length > 0 ? `seeded: ${seeded.join(', ')}` : 'demo configuration already seeded');
  return appPassword;
}

/** Our GOV.UK Pay simulator, so a new user can take a payment with no account anywhere. */
export function startSandboxPspChild(
  supervisor: Supervisor,
  config: Config,
  env: NodeJS.ProcessEnv,
): ManagedProcess | undefined {
  if (config.PSP_PROVIDER !== 'sandbox' || config.PSP_BASE_URL !== undefined) return undefined;
  return supervisor.startChild('sandbox-psp', 'psp/sandbox/server.ts', {
    ...env,
    SANDBOX_PSP_PORT: String(config.SANDBOX_PSP_PORT),
    SANDBOX_PSP_API_KEYS: sandboxApiKey,
    SANDBOX_PSP_WEBHOOK_URL: `http://${config.HOST}:${config.PORT}/v1/webhooks/govuk-pay`,
    SANDBOX_PSP_WEBHOOK_SECRET: sandboxWebhookSecret,
  });
}

export const apiUrlOf = (config: Config) => `http://${config.HOST}:${config.PORT}`;

/** Waits for /health, then registers the nightly schedules (they need a worker to run). */
export async function waitForApiAndSchedules(
  config: Config,
  temporalAddress: string,
  encryption: PayloadEncryption,
): Promise<void> {
  const apiUrl = apiUrlOf(config);
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
}

/** The lines after `ready`, common to both start scripts. */
export function announce(
  config: Config,
  dataDir: string,
  encryption: PayloadEncryption,
  temporalUi: string | undefined,
  moreLines: string[] = [],
): void {
  const apiUrl = apiUrlOf(config);
  say('ready');
  say(`  Staff screens ${apiUrl}  (sign in as ${signInHint(config, dataDir)})`);
  say(`  API          ${apiUrl}  (health: ${apiUrl}/health, OpenAPI: ${apiUrl}/v1/openapi.json)`);
  if (temporalUi !== undefined) say(`  Temporal UI  ${temporalUi}`);
  if (config.PSP_PROVIDER === 'sandbox')
    say(`  Sandbox PSP  http://127.0.0.1:${config.SANDBOX_PSP_PORT} (GOV.UK Pay simulator)`);
  say(`  Metrics      ${apiUrl}/metrics`);
  say(
    encryption.codec === undefined
      ? '  Payloads     NOT encrypted (PAYLOAD_ENCRYPTION_KEYS is unset)'
      : `  Payloads     encrypted with key ${encryption.codec.currentKeyId}; the UI decodes them via ${apiUrl}/codec`,
  );
  for (const line of moreLines) say(`  ${line}`);
  say('Press Ctrl-C to stop.');
}
