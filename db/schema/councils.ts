import { sql } from 'drizzle-orm';
import { check, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The councils (tenants) one deployment serves. Every other table carries `council_id` and
 * row-level security keeps each council's rows to itself (migration 0011). A single-council
 * install has one row, `default`.
 */
export const councils = pgTable(
  'councils',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** Requests per minute the council's users and keys may make together (docs/tenancy.md). */
    requestsPerMinuteMax: integer('requests_per_minute_max').notNull().default(6000),
    /** Largest file the council may import; null: the deployment's IMPORT_MAX_BYTES. */
    importBytesMax: integer('import_bytes_max'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('council_id_format', sql`${t.id} ~ '^[a-z][a-z0-9-]{1,39}$'`),
    check(
      'council_limits_positive',
      sql`${t.requestsPerMinuteMax} > 0 and coalesce(${t.importBytesMax}, 1) > 0`,
    ),
  ],
);

/**
 * Each council's own payload encryption keys (platform/payloadCodec.ts), wrapped (AES-256-GCM)
 * by the deployment's PAYLOAD_ENCRYPTION_KEYS. Deleting a council's rows makes its workflow
 * histories unreadable for good, even to whoever holds the deployment's keys.
 */
export const councilPayloadKeys = pgTable(
  'council_payload_keys',
  {
    councilId: text('council_id')
      .notNull()
      .default(sql`coalesce(nullif(current_setting('ims.council_id', true), ''), 'default')`)
      .references(() => councils.id),
    keyId: text('key_id').notNull(),
    /** base64 of IV, ciphertext of the 32-byte key, GCM tag; AAD is `council_id:key_id`. */
    wrappedKey: text('wrapped_key').notNull(),
    /** Which PAYLOAD_ENCRYPTION_KEYS entry wrapped it. */
    wrappingKeyId: text('wrapping_key_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.councilId, t.keyId] })],
);

/**
 * A council's own GOV.UK Pay credentials: an API key per fund (each fund is its own Pay
 * service) or for the council as a whole (`fund_code` ''), and its webhook signing secret. The
 * secret is sealed with the council's payload key (AES-256-GCM, AAD `council:kind:fund`), so
 * deleting the council's keys at offboarding leaves nothing usable, and nothing reads it back
 * but the PSP adapter and the webhook check.
 */
export const pspCredentials = pgTable(
  'psp_credentials',
  {
    councilId: text('council_id')
      .notNull()
      .default(sql`coalesce(nullif(current_setting('ims.council_id', true), ''), 'default')`)
      .references(() => councils.id),
    kind: text('kind').notNull(),
    /** '' for the council's default API key and for the webhook secret. */
    fundCode: text('fund_code').notNull().default(''),
    /** `<payload key id>.<base64 of IV, ciphertext, tag>`. */
    sealedSecret: text('sealed_secret').notNull(),
    /** The secret's last four characters, so staff can tell which key is set. */
    hint: text('hint').notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.kind, t.fundCode] }),
    check('psp_credential_kind', sql`${t.kind} in ('api_key', 'webhook_secret')`),
    check('psp_webhook_secret_council_wide', sql`${t.kind} = 'api_key' or ${t.fundCode} = ''`),
  ],
);
