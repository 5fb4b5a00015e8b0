import { sql } from 'drizzle-orm';
import {
  check,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { councilId, createdAt, pence } from './columns';
import { imports } from './imports';

/**
 * Bank reconciliation. Statement lines outlive their import's staging rows so they can be
 * matched days later; matches and exceptions are history: an unmatch stamps the match row,
 * and an exception that goes away is stamped resolved, never deleted.
 */
export const bankStatementLines = pgTable(
  'bank_statement_lines',
  {
    councilId: councilId(),
    id: text('id').primaryKey(),
    importId: text('import_id').notNull(),
    lineNo: integer('line_no').notNull(),
    /** Booking date, YYYY-MM-DD. */
    date: date('date', { mode: 'string' }).notNull(),
    /** Signed: credits positive, debits negative (only credits take part in matching). */
    amountPence: pence('amount_pence').notNull(),
    reference: text('reference').notNull(),
    narrative: text('narrative').notNull(),
    bankReference: text('bank_reference'),
    /** The active match holding this line; null while unmatched. */
    matchId: text('match_id'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('bank_statement_lines_import_line').on(t.councilId, t.importId, t.lineNo),
    foreignKey({
      columns: [t.councilId, t.importId],
      foreignColumns: [imports.councilId, imports.id],
    }),
  ],
);

export const bankMatches = pgTable(
  'bank_matches',
  {
    councilId: councilId(),
    id: text('id').primaryKey(),
    /** The engine rule's name, or `manual`. */
    rule: text('rule').notNull(),
    statementLineIds: text('statement_line_ids').array().notNull(),
    /** `psp_payout:<date>` or `collection_file:<importId>`. */
    expectedItemIds: text('expected_item_ids').array().notNull(),
    /** Statement total minus expected total. */
    differencePence: pence('difference_pence').notNull(),
    /** `system` or the user id of a manual match. */
    matchedBy: text('matched_by').notNull(),
    note: text('note'),
    createdAt: createdAt(),
    unmatchedAt: timestamp('unmatched_at', { withTimezone: true }),
    unmatchedBy: text('unmatched_by'),
    unmatchReason: text('unmatch_reason'),
    /** The matching run (its workflow run id) that made it; null for manual matches. */
    runId: text('run_id'),
    /**
     * Dr CTRL:BANK / Cr the items' clearing accounts, posted with the match; null when nothing
     * needed clearing (a direct credit is in the bank already) or for matches made before.
     */
    clearingJournalId: text('clearing_journal_id'),
    /** The reversal of the clearing journal, posted when the match was undone. */
    clearingReversalJournalId: text('clearing_reversal_journal_id'),
  },
  (t) => [
    index('bank_matches_active').on(t.createdAt).where(sql`${t.unmatchedAt} is null`),
    index('bank_matches_run').on(t.runId),
    check(
      'bank_match_unmatch_complete',
      sql`(${t.unmatchedAt} is null) = (${t.unmatchedBy} is null and ${t.unmatchReason} is null)`,
    ),
  ],
);

export const bankExceptions = pgTable(
  'bank_exceptions',
  {
    councilId: councilId(),
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['expected', 'mismatched', 'unexpected'] }).notNull(),
    /** kind + line id + item id: the same gap found by a later run updates this row. */
    exceptionKey: text('exception_key').notNull(),
    statementLineId: text('statement_line_id'),
    expectedItemId: text('expected_item_id'),
    differencePence: pence('difference_pence'),
    /** The line's date or the item's expected date: age is counted from it. */
    sinceDate: date('since_date', { mode: 'string' }).notNull(),
    note: text('note'),
    firstSeenAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set when a run no longer finds it (matched, or the item went away). */
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    unique('bank_exceptions_exception_key_unique').on(t.councilId, t.exceptionKey),
    index('bank_exceptions_open').on(t.kind, t.sinceDate).where(sql`${t.resolvedAt} is null`),
  ],
);
