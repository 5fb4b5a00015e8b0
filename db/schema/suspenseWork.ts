import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { councilId, pence } from './columns';
import { suspenseItems } from './imports';

/**
 * The working of suspense items by staff, beside `suspense_items` (which the import pipeline
 * fills). The SuspenseWorkflow owns each item's lifecycle; its activities write here
 * idempotently (dedupe keys, unique update ids) so the read model never doubles an action.
 */

/** Ageing and write-off request: one row per item once its workflow has touched it. */
export const suspenseWork = pgTable(
  'suspense_work',
  {
    councilId: councilId(),
    suspenseId: text('suspense_id').notNull(),
    /** normal → high (overdue) → urgent (escalated). */
    priority: text('priority', { enum: ['normal', 'high', 'urgent'] })
      .notNull()
      .default('normal'),
    overdue: boolean('overdue').notNull().default(false),
    /** When the item became overdue; null while it is not. */
    overdueSince: timestamp('overdue_since', { withTimezone: true }),
    /** Who asked for the remainder to be written off, pending a second person's approval. */
    writeOffRequestedBy: text('write_off_requested_by'),
    writeOffReason: text('write_off_reason'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.suspenseId] }),
    foreignKey({
      columns: [t.councilId, t.suspenseId],
      foreignColumns: [suspenseItems.councilId, suspenseItems.id],
    }),
    index('suspense_work_overdue').on(t.councilId, t.overdue, t.priority),
  ],
);

/** What happened to an item, in order: notes, assignments, allocations, write-off, refunds. */
export const suspenseEvents = pgTable(
  'suspense_events',
  {
    councilId: councilId(),
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    suspenseId: text('suspense_id').notNull(),
    /** Unique per action (usually the Temporal update id), so a retried activity records once. */
    dedupeKey: text('dedupe_key').notNull(),
    event: text('event').notNull(),
    actor: text('actor').notNull(),
    /** The note's text for `note` events; staff write it, so it may hold personal data. */
    text: text('text'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('suspense_events_dedupe_key_unique').on(t.councilId, t.dedupeKey),
    foreignKey({
      columns: [t.councilId, t.suspenseId],
      foreignColumns: [suspenseItems.councilId, suspenseItems.id],
    }),
    index('suspense_events_item').on(t.suspenseId, t.id),
  ],
);

/** Each part of each allocation out of suspense, with the journal that posted it. */
export const suspenseAllocations = pgTable(
  'suspense_allocations',
  {
    councilId: councilId(),
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    suspenseId: text('suspense_id').notNull(),
    /** The Temporal update that asked for it: each part of it is recorded once. */
    updateId: text('update_id').notNull(),
    partNo: smallint('part_no').notNull(),
    fundCode: text('fund_code').notNull(),
    reference: text('reference').notNull(),
    amountPence: pence('amount_pence').notNull(),
    journalId: text('journal_id').notNull(),
    allocatedBy: text('allocated_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      columns: [t.councilId, t.suspenseId],
      foreignColumns: [suspenseItems.councilId, suspenseItems.id],
    }),
    index('suspense_allocations_item').on(t.suspenseId),
    // Temporal update ids are unique only within one workflow, hence the item's id too.
    uniqueIndex('suspense_allocations_update').on(t.councilId, t.suspenseId, t.updateId, t.partNo),
    check('suspense_allocation_positive', sql`${t.amountPence} > 0`),
  ],
);
