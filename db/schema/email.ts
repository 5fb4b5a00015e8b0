import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { councilId, createdAt, updatedAt } from './columns';
import { outbox } from './payments';

/**
 * A payer's email address, given for one payment's receipt (docs/email.md). Sealed with the
 * council's payload key, bound to the payment, and erased `eraseAfter` (PAYER_EMAIL_RETAIN_DAYS
 * after it was given), so it is kept only as long as the receipt and a refund's confirmation
 * need it. Never copied into the outbox, a workflow's payloads, a log line or the email log.
 */
export const payerContacts = pgTable(
  'payer_contacts',
  {
    councilId: councilId(),
    /** The payment (card `pay_…`, or a counter payment) whose receipt goes to this address. */
    sourceId: text('source_id').notNull(),
    sealedEmail: text('sealed_email').notNull(),
    /** `api` (the integration sent it), `psp` (the payer typed it at GOV.UK Pay), `staff`. */
    capturedFrom: text('captured_from').notNull(),
    eraseAfter: timestamp('erase_after', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.sourceId] }),
    check('payer_contact_captured_from', sql`${t.capturedFrom} in ('api', 'psp', 'staff')`),
    index('payer_contacts_erase_after').on(t.eraseAfter),
  ],
);

/**
 * Which GOV.UK Notify template each kind of email uses: per fund, or for every fund when
 * `fundCode` is '' (a fund's own row wins). Notify holds the words; the IMS sends the values.
 */
export const notifyTemplates = pgTable(
  'notify_templates',
  {
    councilId: councilId(),
    purpose: text('purpose').notNull(),
    /** '' means every fund without a row of its own. */
    fundCode: text('fund_code').notNull().default(''),
    templateId: text('template_id').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.purpose, t.fundCode] }),
    check(
      'notify_template_purpose',
      sql`${t.purpose} in ('payment_receipt', 'refund_confirmation', 'ereturn_voided')`,
    ),
  ],
);

/**
 * The email log: one email per outbox message and purpose, planned with the message's webhook
 * deliveries. It holds no address and no content: what was sent is the outbox payload and the
 * template, and Notify's own log has the rest for its retention period.
 */
export const emailMessages = pgTable(
  'email_messages',
  {
    councilId: councilId(),
    id: text('id').notNull(),
    outboxId: text('outbox_id').notNull(),
    purpose: text('purpose').notNull(),
    /** The payment whose payer contact receives it. */
    sourceId: text('source_id').notNull(),
    fundCode: text('fund_code'),
    /** Null when none is configured (the email is then `skipped`). */
    templateId: text('template_id'),
    /**
     * `pending` (to send), `sending` (Notify accepted it), then Notify's final word:
     * `delivered`, `permanent-failure`, `temporary-failure`, `technical-failure`; or ours:
     * `failed` (Notify refused it, or retries ran out) and `skipped` (nothing to send with).
     */
    status: text('status').notNull().default('pending'),
    notifyId: text('notify_id'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.id] }),
    unique('email_messages_outbox_purpose').on(t.councilId, t.outboxId, t.purpose),
    foreignKey({
      columns: [t.councilId, t.outboxId],
      foreignColumns: [outbox.councilId, outbox.id],
    }),
    index('email_messages_status').on(t.councilId, t.status, t.id),
    index('email_messages_notify_id').on(t.notifyId),
    check(
      'email_message_status',
      sql`${t.status} in ('pending', 'sending', 'delivered', 'permanent-failure', 'temporary-failure', 'technical-failure', 'failed', 'skipped')`,
    ),
  ],
);
