import { sql } from 'drizzle-orm';
import {
  check,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { councilId, createdAt, pence } from './columns';
import { funds, vatCodes } from './config';

/**
 * The double-entry ledger. Journals and postings are append-only and every journal balances;
 * the database enforces both (see the triggers in the ledger migration), not only the code.
 */

export const ledgerAccounts = pgTable(
  'ledger_accounts',
  {
    councilId: councilId(),
    code: text('code').notNull(),
    kind: text('kind', { enum: ['fund', 'control'] }).notNull(),
    /** Set for fund accounts, null for control accounts. */
    fundCode: text('fund_code'),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.code] }),
    foreignKey({
      columns: [t.councilId, t.fundCode],
      foreignColumns: [funds.councilId, funds.code],
    }),
    check('fund_account_has_fund', sql`(${t.kind} = 'fund') = (${t.fundCode} is not null)`),
    uniqueIndex('ledger_account_per_fund').on(t.councilId, t.fundCode),
  ],
);

export const journals = pgTable(
  'journals',
  {
    councilId: councilId(),
    id: text('id').notNull(),
    /** Posting the same business event twice finds this key and does nothing. */
    idempotencyKey: text('idempotency_key').notNull(),
    /** sha256 of the journal's content: the same key with other content is refused. */
    contentHash: text('content_hash').notNull(),
    kind: text('kind').notNull(),
    description: text('description').notNull(),
    postingDate: date('posting_date', { mode: 'string' }).notNull(),
    /** '2026/27': derived from posting_date, and the database checks it is. */
    financialYear: text('financial_year').notNull(),
    /** 1 (April) to 12 (March). */
    period: smallint('period').notNull(),
    /** A user id, or the workflow that posted it (e.g. `workflow:pay_…`). */
    causedBy: text('caused_by').notNull(),
    /** What the journal is about, e.g. ('payment', 'pay_…'); null for manual journals. */
    sourceType: text('source_type'),
    sourceId: text('source_id'),
    /** Set on a reversal; unique, so a journal can be reversed once only. */
    reversesJournalId: text('reverses_journal_id'),
    lineCount: integer('line_count').notNull(),
    totalPence: pence('total_pence').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.id] }),
    unique('journals_idempotency_key_unique').on(t.councilId, t.idempotencyKey),
    unique('journals_reverses_journal_id_unique').on(t.councilId, t.reversesJournalId),
    index('journals_posting_date').on(t.councilId, t.postingDate),
    index('journals_source').on(t.sourceType, t.sourceId),
    index('journals_council_source').on(t.councilId, t.sourceType, t.sourceId),
    index('journals_caused_by').on(t.councilId, t.causedBy),
    check('journal_period_range', sql`${t.period} between 1 and 12`),
    check('journal_line_count', sql`${t.lineCount} >= 2`),
    check('journal_total_positive', sql`${t.totalPence} > 0`),
  ],
);

export const postings = pgTable(
  'postings',
  {
    councilId: councilId(),
    journalId: text('journal_id').notNull(),
    lineNo: smallint('line_no').notNull(),
    accountCode: text('account_code').notNull(),
    /** Exactly one of debit and credit is positive; the other is zero. Never negative. */
    debitPence: pence('debit_pence').notNull().default(0),
    creditPence: pence('credit_pence').notNull().default(0),
    /** The payer's reference within the fund, for statements per account reference. */
    accountReference: text('account_reference'),
    /** VAT code of the income on this line; null on control-account lines. */
    vatCode: text('vat_code'),
    /** VAT split off this line's gross and posted to CTRL:VAT_OUTPUT; 0 when none. */
    vatPence: pence('vat_pence').notNull().default(0),
    narrative: text('narrative'),
    /** The line of the file an imported row came from; null for postings not from a file. */
    sourceLineNo: integer('source_line_no'),
    /**
     * What the line moved, VAT included (the amount a payer paid on it): kept by the database
     * so the transaction search can find and page by amount through an index (docs/search.md).
     */
    amountPence: pence('amount_pence')
      .notNull()
      .generatedAlwaysAs(sql`debit_pence + credit_pence + vat_pence`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.journalId, t.lineNo] }),
    foreignKey({
      columns: [t.councilId, t.journalId],
      foreignColumns: [journals.councilId, journals.id],
    }),
    foreignKey({
      columns: [t.councilId, t.accountCode],
      foreignColumns: [ledgerAccounts.councilId, ledgerAccounts.code],
    }),
    foreignKey({
      columns: [t.councilId, t.vatCode],
      foreignColumns: [vatCodes.councilId, vatCodes.code],
    }),
    // Serves queries by account code alone too (its leading columns): no separate index, one
    // fewer to maintain for each of the million postings a big import writes.
    index('postings_account_reference').on(t.councilId, t.accountCode, t.accountReference),
    // The transaction search's keyset orders (db/transactionSearch.ts): newest first, by amount,
    // and by reference, each ending in the posting's key so a page boundary is exact.
    index('postings_recorded').on(t.councilId, t.createdAt, t.journalId, t.lineNo),
    index('postings_amount').on(t.councilId, t.amountPence, t.createdAt, t.journalId, t.lineNo),
    index('postings_reference').on(
      t.councilId,
      t.accountReference,
      t.createdAt,
      t.journalId,
      t.lineNo,
    ),
    check(
      'posting_one_sided',
      sql`(${t.debitPence} > 0 and ${t.creditPence} = 0) or (${t.creditPence} > 0 and ${t.debitPence} = 0)`,
    ),
    check('posting_vat_range', sql`${t.vatPence} >= 0`),
  ],
);
