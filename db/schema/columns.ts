import { sql } from 'drizzle-orm';
import { bigint, boolean, text, timestamp } from 'drizzle-orm/pg-core';
import { councils } from './councils';

/** Money: bigint pence in PostgreSQL, a safe integer in TypeScript (asserted by the driver). */
export const pence = (name: string) => bigint(name, { mode: 'number' });

export const createdAt = () =>
  timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
/** Configuration is disabled, never deleted: history (journals, audit) keeps pointing at it. */
export const disabled = () => boolean('disabled').notNull().default(false);

/**
 * The council of the connection: what `council_id` defaults to. Statements that act on "all of
 * this council's rows" (replacing a list) also filter on it, so the owner (who is not bound by
 * row-level security) seeding one council cannot touch another's.
 */
export const connectionCouncil = sql`coalesce(nullif(current_setting('ims.council_id', true), ''), 'default')`;

/**
 * The council a row belongs to (migration 0011). Set by the database from the connection's
 * `ims.council_id` setting, which a council's pool fixes when it connects (db/councils.ts), so
 * application code never writes it. Row-level security refuses rows of any other council; a
 * connection that names no council (the owner's, for migrations and seeds) writes `default`.
 */
export const councilId = () =>
  text('council_id')
    .notNull()
    .default(connectionCouncil)
    .references(() => councils.id);
