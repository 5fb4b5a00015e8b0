import { createSecretKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/**
 * All configuration comes from environment variables, parsed once at start-up. A bad value
 * stops the process with a message naming the variable, rather than failing later mid-payment.
 */
const portSchema = z.coerce.number().int().min(1).max(65_535);
const positiveInt = z.coerce.number().int().positive();

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: portSchema.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: logLevel.default('info'),
  /** Absent means: the start script runs an embedded PostgreSQL under .data/pg. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATABASE_POOL_MAX: positiveInt.default(10),
  /** Connections per process of each council but the default one (docs/tenancy.md). */
  DATABASE_COUNCIL_POOL_MAX: positiveInt.default(4),
  /**
   * How the API and worker connect: as the application role `ims_app`, which row-level security
   * binds (db/appRole.ts). Either its full URL, or its password with DATABASE_URL's host.
   */
  DATABASE_APP_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATABASE_APP_PASSWORD: z.string().min(12).optional(),
  /** Absent means: the start script runs a Temporal dev server. */
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d+$/, 'must be host:port')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('ims'),
  /** Port of the dev server `npm start` runs when TEMPORAL_ADDRESS is absent. */
  TEMPORAL_PORT: portSchema.default(7233),
  TEMPORAL_UI_PORT: portSchema.default(8233),
  WORKER_MAX_CONCURRENT_ACTIVITIES: positiveInt.default(100),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: positiveInt.default(40),
  WORKER_SHUTDOWN_GRACE_MS: positiveInt.default(30_000),
  /** Port for the worker's own Prometheus endpoint; 0 turns it off. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(9464),
  /** Where the API fetches worker metrics from, to serve them beside its own on /metrics. */
  WORKER_METRICS_URL: z.url().optional(),
  /** Production workers load a prebuilt bundle instead of compiling workflows at start. */
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  /** `sandbox` (the default): our local GOV.UK Pay simulator; `govuk-pay`: the real service. */
  PSP_PROVIDER: z.enum(['sandbox', 'govuk-pay']).default('sandbox'),
  /** Where the PSP's API lives; defaults to the sandbox `npm start` runs, or GOV.UK Pay's API. */
  PSP_BASE_URL: z.url().optional(),
  /** Default GOV.UK Pay API key; one per fund in GOVUK_PAY_API_KEYS_BY_FUND (JSON object). */
  GOVUK_PAY_API_KEY: z.string().min(1).optional(),
  GOVUK_PAY_API_KEYS_BY_FUND: z
    .string()
    .transform((text, ctx) => {
      try {
        return z.record(z.string(), z.string().min(1)).parse(JSON.parse(text));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of fund code to API key' });
        return z.NEVER;
      }
    })
    .optional(),
  /** The webhook signing secret; webhooks are refused (401) while it is unset. */
  GOVUK_PAY_WEBHOOK_SECRET: z.string().min(1).optional(),
  SANDBOX_PSP_PORT: portSchema.default(3100),
  /** Uploaded income files; defaults to DATA_DIR/imports. Shared storage when API and worker are apart. */
  IMPORT_STORAGE_DIR: z.string().min(1).optional(),
  IMPORT_MAX_BYTES: positiveInt.default(512 * 1024 * 1024),
  IMPORT_CHUNK_ROWS: positiveInt.default(10_000),
  IMPORT_PARALLEL_CHUNKS: positiveInt.default(2),
  /** Payment timings: GOV.UK Pay expires unfinished payments after 90 minutes. */
  PAYMENT_EXPIRY_MS: positiveInt.default(90 * 60_000),
  PAYMENT_EXPIRY_GRACE_MS: positiveInt.default(5 * 60_000),
  PAYMENT_POLL_INITIAL_MS: positiveInt.default(15_000),
  PAYMENT_POLL_MAX_MS: positiveInt.default(5 * 60_000),
  PG_PORT: portSchema.default(5433),
  /** Refunds above this need a second person's approval (£500 by default). */
  REFUND_APPROVAL_THRESHOLD_PENCE: z.coerce.number().int().min(0).default(50_000),
  /** Moves, transfers and reversals above this need a second person's approval (£1,000). */
  JOURNAL_APPROVAL_THRESHOLD_PENCE: z.coerce.number().int().min(0).default(100_000),
  /** Comma-separated fund codes whose refunds always need approval, whatever the amount. */
  REFUND_ALWAYS_APPROVE_FUNDS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((code) => code.trim())
        .filter((code) => code !== ''),
    ),
  /** Polling a card refund at the PSP, doubling between the two. */
  REFUND_POLL_INITIAL_MS: positiveInt.default(5_000),
  REFUND_POLL_MAX_MS: positiveInt.default(5 * 60_000),
  /**
   * Webhook relay (docs/webhooks.md): a delivery is retried, its waits doubling from the initial
   * one up to the maximum, until this long after it was first tried; then it is dead.
   */
  OUTBOX_RETRY_FOR_MS: positiveInt.default(72 * 60 * 60_000),
  OUTBOX_RETRY_INITIAL_MS: positiveInt.default(10_000),
  OUTBOX_RETRY_MAX_INTERVAL_MS: positiveInt.default(60 * 60_000),
  /** How long a receiver has to answer one attempt; the delivery activity's own limit is 20 s. */
  OUTBOX_ATTEMPT_TIMEOUT_MS: positiveInt.max(15_000).default(10_000),
  /**
   * Email through GOV.UK Notify (docs/email.md). No key: no email is sent (each planned one is
   * logged as skipped). The base URL is the real Notify unless set (npm start points it at the
   * local simulator). Notify's status callbacks must carry the callback token as their bearer.
   */
  NOTIFY_API_KEY: z.string().min(74, 'must be a GOV.UK Notify API key').optional(),
  NOTIFY_BASE_URL: z.url().optional(),
  NOTIFY_CALLBACK_TOKEN: z.string().min(16).optional(),
  /** Where `npm start` runs the Notify simulator when NOTIFY_API_KEY is unset. */
  NOTIFY_SIMULATOR_PORT: portSchema.default(3200),
  /** How long a payer's email address is kept for its receipt and a refund's confirmation. */
  PAYER_EMAIL_RETAIN_DAYS: positiveInt.default(90),
  /** Suspense ageing: overdue (priority high), then escalated (urgent), in working days. */
  SUSPENSE_OVERDUE_WORKING_DAYS: positiveInt.default(5),
  SUSPENSE_ESCALATE_WORKING_DAYS: positiveInt.default(20),
  /** The council's account that BACS refunds are paid from (demo values; set in production). */
  BACS_ORIGINATOR_SORT_CODE: z
    .string()
    .regex(/^\d{6}$/, 'must be six digits')
    .default('200000'),
  BACS_ORIGINATOR_ACCOUNT_NUMBER: z
    .string()
    .regex(/^\d{8}$/, 'must be eight digits')
    .default('55779911'),
  BACS_ORIGINATOR_NAME: z.string().min(1).max(18).default('DEMO BOROUGH CNCL'),
  /** Signed-in sessions end after this long idle, and after IMS_SESSION_MAX_HOURS whatever. */
  IMS_SESSION_IDLE_MINUTES: positiveInt.default(30),
  IMS_SESSION_MAX_HOURS: positiveInt.default(10),
  /** Session cookies are Secure (HTTPS only); defaults to true in production. */
  IMS_SECURE_COOKIES: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true')),
  /**
   * The first administrator's password, used once when the database has no user at all.
   * Unset in development: a random one is written to DATA_DIR/admin-password.
   */
  IMS_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  /** OpenID Connect sign-in (e.g. Microsoft Entra ID): all three, or none for passwords only. */
  OIDC_ISSUER_URL: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_TOKEN_AUTH_METHOD: z
    .enum(['client_secret_post', 'client_secret_basic'])
    .default('client_secret_post'),
  /**
   * The proxy in front of the API, so client addresses (rate limits, audit) and https are
   * read from its X-Forwarded-* headers: a hop count (`1`), addresses/CIDRs, or unset for none.
   */
  IMS_TRUST_PROXY: z
    .string()
    .optional()
    .transform((value) =>
      value === undefined ? undefined : /^\d+$/.test(value) ? Number(value) : value,
    ),
  /** The public URL of this IMS, for the OIDC redirect (defaults to http://HOST:PORT). */
  IMS_PUBLIC_URL: z.url().optional(),
  /**
   * Keys that encrypt workflow payloads (docs/operations.md, "Payload encryption"):
   * `keyId:base64key,…`, each key 32 random bytes. Messages name the key id, never the key.
   * Unset: production refuses to start; `npm start` generates a development key under DATA_DIR.
   */
  PAYLOAD_ENCRYPTION_KEYS: z
    .string()
    .transform((list, ctx) => {
      const keys: Array<{ keyId: string; key: KeyObject }> = [];
      const entries = list
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== '');
      if (entries.length === 0) ctx.addIssue({ code: 'custom', message: 'lists no keys' });
      entries.forEach((entry, index) => {
        const colon = entry.indexOf(':');
        // Never echo the entry: without its colon it may be nothing but key material.
        if (colon < 0) {
          ctx.addIssue({ code: 'custom', message: `entry ${index + 1} is not keyId:base64key` });
          return;
        }
        const keyId = entry.slice(0, colon).trim();
        const encoded = entry.slice(colon + 1).trim();
        if (!/^[A-Za-z0-9._-]{1,64}$/.test(keyId)) {
          ctx.addIssue({
            code: 'custom',
            message: `entry ${index + 1}: the key id must be 1 to 64 letters, digits, '.', '_' or '-'`,
          });
          return;
        }
        if (keys.some((known) => known.keyId === keyId)) {
          ctx.addIssue({ code: 'custom', message: `key id "${keyId}" is listed twice` });
          return;
        }
        const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)
          ? Buffer.from(encoded, 'base64')
          : null;
        if (bytes === null || bytes.length !== 32) {
          ctx.addIssue({
            code: 'custom',
            message: `key "${keyId}" must be 32 bytes in base64 (${bytes === null ? 'it is not base64' : `it decodes to ${bytes.length} bytes`})`,
          });
          return;
        }
        keys.push({ keyId, key: createSecretKey(bytes) });
      });
      return keys;
    })
    .optional(),
  /** The key that encrypts new payloads; the first in PAYLOAD_ENCRYPTION_KEYS when unset. */
  PAYLOAD_ENCRYPTION_KEY_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1 to 64 letters, digits, '.', '_' or '-'")
    .optional(),
  /** The Temporal Web UI as staff's browsers reach it, for links from the operations screen. */
  TEMPORAL_UI_URL: z.url().optional(),
  /**
   * A Temporal Web UI (started with the public path /temporal) that the IMS serves at /temporal/
   * to signed-in operators (web/temporalUi.ts); npm start sets it to the dev server's UI.
   */
  TEMPORAL_UI_UPSTREAM: z.url().optional(),
  /**
   * Origins of the Temporal Web UI allowed to call the codec endpoint (comma-separated);
   * unset: http://localhost and http://127.0.0.1 on TEMPORAL_UI_PORT.
   */
  TEMPORAL_UI_ORIGIN: z
    .string()
    .transform((list, ctx) => {
      const origins = list
        .split(',')
        .map((origin) => origin.trim().replace(/\/$/, ''))
        .filter((origin) => origin !== '');
      for (const origin of origins) {
        if (!URL.canParse(origin) || new URL(origin).origin !== origin)
          ctx.addIssue({
            code: 'custom',
            message: `"${origin}" is not an origin such as https://temporal.council.example`,
          });
      }
      return origins;
    })
    .optional(),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings in a .env file or compose file mean "not set", not "set to nothing".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = configSchema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
  );
}

/** For process entry points: print the problem and exit instead of a stack trace. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

/**
 * The settings of suspense, refunds and journals alone, for code that is handed no Config
 * (route factories, activity factories): parsing only these keys means an unrelated bad
 * variable cannot break them, while a bad one of theirs still stops the process.
 */
export const workSettingsSchema = configSchema.pick({
  REFUND_APPROVAL_THRESHOLD_PENCE: true,
  JOURNAL_APPROVAL_THRESHOLD_PENCE: true,
  REFUND_ALWAYS_APPROVE_FUNDS: true,
  REFUND_POLL_INITIAL_MS: true,
  REFUND_POLL_MAX_MS: true,
  OUTBOX_RETRY_FOR_MS: true,
  OUTBOX_RETRY_INITIAL_MS: true,
  OUTBOX_RETRY_MAX_INTERVAL_MS: true,
  OUTBOX_ATTEMPT_TIMEOUT_MS: true,
  NOTIFY_API_KEY: true,
  NOTIFY_BASE_URL: true,
  NOTIFY_CALLBACK_TOKEN: true,
  PAYER_EMAIL_RETAIN_DAYS: true,
  SUSPENSE_OVERDUE_WORKING_DAYS: true,
  SUSPENSE_ESCALATE_WORKING_DAYS: true,
  BACS_ORIGINATOR_SORT_CODE: true,
  BACS_ORIGINATOR_ACCOUNT_NUMBER: true,
  BACS_ORIGINATOR_NAME: true,
});

export type WorkSettings = z.infer<typeof workSettingsSchema>;

export function workSettingsFrom(env: NodeJS.ProcessEnv = process.env): WorkSettings {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = workSettingsSchema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
  );
}
