import { sql } from 'drizzle-orm';
import {
  check,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { councilId, createdAt, pence } from './columns';

/**
 * Four-eyes on manual journals (docs/journals.md): a move, transfer or reversal above the
 * council's approval threshold is held here until someone other than the requester approves
 * it; only then is the journal posted. Nothing reaches the ledger while it waits.
 */
export const journalApprovals = pgTable(
  'journal_approvals',
  {
    councilId: councilId(),
    /** `jap_…`. */
    id: text('id').notNull(),
    /** The caller's Idempotency-Key (prefixed by kind): a retried request finds this row. */
    idempotencyKey: text('idempotency_key').notNull(),
    kind: text('kind', { enum: ['move', 'transfer', 'reverse'] }).notNull(),
    /** The checked request exactly as it will be posted on approval. */
    request: jsonb('request').$type<Record<string, unknown>>().notNull(),
    amountPence: pence('amount_pence').notNull(),
    reason: text('reason').notNull(),
    requestedBy: text('requested_by').notNull(),
    /** awaiting_approval | approved | rejected. */
    state: text('state', { enum: ['awaiting_approval', 'approved', 'rejected'] }).notNull(),
    /** Who decided and why; null while it waits. */
    decidedBy: text('decided_by'),
    decisionReason: text('decision_reason'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** The journal posted on approval; null until then (and for rejected requests). */
    journalId: text('journal_id'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.id] }),
    unique('journal_approvals_idempotency_key_unique').on(t.councilId, t.idempotencyKey),
    index('journal_approvals_state').on(t.councilId, t.state, t.id),
    check('journal_approval_amount_positive', sql`${t.amountPence} > 0`),
    check(
      'journal_approval_not_own',
      sql`${t.decidedBy} is null or ${t.decidedBy} <> ${t.requestedBy}`,
    ),
  ],
);
