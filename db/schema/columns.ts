import { bigint, boolean, timestamp } from 'drizzle-orm/pg-core';

/** Money: bigint pence in PostgreSQL, a safe integer in TypeScript (asserted by the driver). */
export const pence = (name: string) => bigint(name, { mode: 'number' });

export const createdAt = () =>
  timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
/** Configuration is disabled, never deleted: history (journals, audit) keeps pointing at it. */
export const disabled = () => boolean('disabled').notNull().default(false);
