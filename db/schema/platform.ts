import { pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { councilId } from './columns';

/** One row per end-to-end probe: proof that API, Temporal, worker and database talk. */
export const probeRuns = pgTable('probe_runs', {
  councilId: councilId(),
  probeId: text('probe_id').primaryKey(),
  requestedBy: text('requested_by').notNull(),
  /** When the worker's activity reached the database (database clock). */
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Seeds that have run on this database, so each runs once even across restarts. */
export const seedRuns = pgTable(
  'seed_runs',
  {
    councilId: councilId(),
    name: text('name').notNull(),
    appliedAt: timestamp('applied_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.councilId, t.name] })],
);
