import { sql } from 'drizzle-orm';
import { check, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('council_id_format', sql`${t.id} ~ '^[a-z][a-z0-9-]{1,39}$'`)],
);
