import { index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
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

/**
 * One row per staff form post that carried a one-time token (web/oneTimeForms.ts): the first
 * post claims the token, a replay (Back and submit again, a double click) is answered with the
 * first post's outcome instead of doing the work twice. Kept for a week, then swept.
 */
export const formSubmissions = pgTable(
  'form_submissions',
  {
    councilId: councilId(),
    token: text('token').notNull(),
    /** Who posted it: another actor presenting the token is refused. */
    actorId: text('actor_id').notNull(),
    /** The form's action, so a token copied into another form is refused. */
    path: text('path').notNull(),
    state: text('state', { enum: ['pending', 'done', 'failed'] }).notNull(),
    /** Where the first post redirected to (post/redirect/get); null when it answered in place. */
    location: text('location'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.token] }),
    index('form_submissions_created').on(t.councilId, t.createdAt),
  ],
);
