import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { councilId, createdAt, pence, updatedAt } from './columns';

/**
 * The read model of refunds. Each is worked by its RefundWorkflow (id = refund id); the API
 * inserts the row when it accepts the request and the workflow's activities move it along.
 */
export const refunds = pgTable(
  'refunds',
  {
    councilId: councilId(),
    id: text('id').notNull(),
    /** The caller's Idempotency-Key; null when none was sent. */
    idempotencyKey: text('idempotency_key'),
    sourceType: text('source_type', { enum: ['payment', 'suspense'] }).notNull(),
    /** `pay_…` or `sus_…`. */
    sourceId: text('source_id').notNull(),
    method: text('method', { enum: ['card', 'bacs'] }).notNull(),
    amountPence: pence('amount_pence').notNull(),
    reason: text('reason').notNull(),
    /** awaiting_approval | rejected | submitting | submitted | succeeded | failed. */
    state: text('state').notNull(),
    requestedBy: text('requested_by').notNull(),
    /** Funds the money is refunded from, for the approval rules and searching. */
    fundCodes: jsonb('fund_codes').$type<string[]>().notNull(),
    approvalRequired: boolean('approval_required').notNull(),
    /** Who approved or rejected it, and why; null until decided (and for refunds not needing it). */
    decidedBy: text('decided_by'),
    decisionReason: text('decision_reason'),
    pspRefundId: text('psp_refund_id'),
    /** The PSP's last word: submitted, success, error; `detected` when found by refund summary. */
    pspStatus: text('psp_status'),
    /**
     * True while this refund is being submitted to the PSP. At most one refund per payment may
     * be (a partial unique index), so after a lost answer the refund summary tells whose it was.
     */
    pspSubmitting: boolean('psp_submitting').notNull().default(false),
    /** The PSP's amount_submitted just before our POST; null until we first try. */
    pspSubmittedBeforePence: pence('psp_submitted_before_pence'),
    failureReason: text('failure_reason'),
    journalId: text('journal_id'),
    /** Bank details for BACS refunds only; personal data, never logged or put in workflows. */
    bankSortCode: text('bank_sort_code'),
    bankAccountNumber: text('bank_account_number'),
    bankAccountName: text('bank_account_name'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.id] }),
    unique('refunds_idempotency_key_unique').on(t.councilId, t.idempotencyKey),
    index('refunds_source').on(t.sourceType, t.sourceId),
    index('refunds_state').on(t.councilId, t.state, t.createdAt),
    uniqueIndex('refunds_one_submitting_per_source')
      .on(t.councilId, t.sourceId)
      .where(sql`${t.pspSubmitting}`),
    check('refund_amount_positive', sql`${t.amountPence} > 0`),
    check(
      'refund_bacs_has_bank_details',
      sql`${t.method} <> 'bacs' or (${t.bankSortCode} is not null and ${t.bankAccountNumber} is not null)`,
    ),
  ],
);

/** One BACS Standard 18 credit record per bank refund, for the next payment file. */
export const bankPayments = pgTable(
  'bank_payments',
  {
    councilId: councilId(),
    id: text('id').primaryKey(),
    refundId: text('refund_id').notNull(),
    amountPence: pence('amount_pence').notNull(),
    /** The 100-character record; holds the payee's name and account, so it is personal data. */
    record: text('record').notNull(),
    /** Set when the record has gone out in a payment file; null while it waits. */
    fileId: text('file_id'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('bank_payments_refund_id_unique').on(t.councilId, t.refundId),
    foreignKey({
      columns: [t.councilId, t.refundId],
      foreignColumns: [refunds.councilId, refunds.id],
    }),
  ],
);
