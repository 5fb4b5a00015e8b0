import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import {
  type EmailPurpose,
  type EmailStatus,
  emailIntentOf,
  notifyFinalStatuses,
  templateFor,
} from '../domain/email';
import { newId } from '../domain/ids';
import type { Executor } from './executor';
import { emailMessages, notifyTemplates, outbox, payerContacts, users } from './schema';

/**
 * The email log (docs/email.md): at most one email per outbox message and purpose, planned in
 * the same transaction as the message's webhook deliveries, so a retried plan never makes a
 * second. `pending` rows are the relay's to send; every later write is idempotent.
 */
type OutboxRow = typeof outbox.$inferSelect;
export type EmailRow = typeof emailMessages.$inferSelect;

/**
 * Plans the message's email, if it leads to a payer who gave an address. Without Notify
 * configured, or without a template for the fund, the email is logged as skipped with why, so
 * operations see a receipt that was not sent rather than nothing.
 */
export async function planEmail(
  tx: Executor,
  message: OutboxRow,
  options: { notifyConfigured: boolean },
): Promise<void> {
  const intent = emailIntentOf(message.topic, message.payload);
  if (intent === null) return;
  if (intent.to === 'payer' && !(await hasLiveContact(tx, intent.sourceId))) return;
  const staffAddress = intent.to === 'staff' ? await staffEmailOf(tx, intent.username) : null;
  const templates = await tx
    .select()
    .from(notifyTemplates)
    .where(eq(notifyTemplates.purpose, intent.purpose));
  const template = templateFor(templates, intent.purpose, message.fundCodes);
  const skippedBecause = !options.notifyConfigured
    ? 'GOV.UK Notify is not configured (NOTIFY_API_KEY)'
    : template === null
      ? `no Notify template for ${intent.purpose} (fund ${message.fundCodes.join(', ') || 'none'})`
      : intent.to === 'staff' && staffAddress === null
        ? `${intent.username} has no email address in their staff account`
        : null;
  await tx
    .insert(emailMessages)
    .values({
      id: newId('email'),
      outboxId: message.id,
      purpose: intent.purpose,
      sourceId: intent.sourceId,
      fundCode: template?.fundCode ?? message.fundCodes[0] ?? null,
      templateId: template?.templateId ?? null,
      status: skippedBecause === null ? 'pending' : 'skipped',
      lastError: skippedBecause,
    })
    .onConflictDoNothing();
}

async function hasLiveContact(tx: Executor, sourceId: string): Promise<boolean> {
  const [contact] = await tx
    .select({ sourceId: payerContacts.sourceId })
    .from(payerContacts)
    .where(and(eq(payerContacts.sourceId, sourceId), sql`${payerContacts.eraseAfter} > now()`));
  return contact !== undefined;
}

/** A member of staff's address, from their account (null: none, or no such user). */
export async function staffEmailOf(db: Executor, username: string): Promise<string | null> {
  const [user] = await db
    .select({ email: users.email })
    .from(users)
    .where(eq(users.username, username));
  return user?.email ?? null;
}

export async function pendingEmailIds(tx: Executor, outboxId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: emailMessages.id })
    .from(emailMessages)
    .where(and(eq(emailMessages.outboxId, outboxId), eq(emailMessages.status, 'pending')))
    .orderBy(asc(emailMessages.id));
  return rows.map((row) => row.id);
}

/** The email with its outbox message (whose payload holds the values to send). */
export async function emailToSend(db: Executor, emailId: string) {
  const [row] = await db
    .select({ email: emailMessages, message: outbox })
    .from(emailMessages)
    .innerJoin(
      outbox,
      and(eq(outbox.councilId, emailMessages.councilId), eq(outbox.id, emailMessages.outboxId)),
    )
    .where(eq(emailMessages.id, emailId));
  return row ?? null;
}

export async function countEmailAttempt(db: Executor, emailId: string, error: string | null) {
  await db
    .update(emailMessages)
    .set({ attempts: sql`${emailMessages.attempts} + 1`, lastError: error, updatedAt: sql`now()` })
    .where(eq(emailMessages.id, emailId));
}

/** Notify accepted it: from here its callbacks tell the rest. */
export async function markEmailSent(db: Executor, emailId: string, notifyId: string) {
  await db
    .update(emailMessages)
    .set({
      status: 'sending',
      notifyId,
      sentAt: sql`now()`,
      lastError: null,
      updatedAt: sql`now()`,
    })
    .where(and(eq(emailMessages.id, emailId), eq(emailMessages.status, 'pending')));
}

/** Ours to end: refused by Notify, retries ran out, or the address was erased meanwhile. */
export async function markEmailEnded(
  db: Executor,
  emailId: string,
  status: Extract<EmailStatus, 'failed' | 'skipped'>,
  why: string,
) {
  await db
    .update(emailMessages)
    .set({ status, lastError: why.slice(0, 500), updatedAt: sql`now()` })
    .where(and(eq(emailMessages.id, emailId), eq(emailMessages.status, 'pending')));
}

/**
 * Notify's word on an email (a status callback). Only a final status is taken, and only over
 * `sending` or another final one: a late `sending` cannot undo `delivered`. Null: no such email.
 */
export async function recordNotifyStatus(
  db: Executor,
  emailId: string,
  notifyId: string,
  status: EmailStatus,
): Promise<EmailRow | null> {
  if (!notifyFinalStatuses.has(status)) return null;
  const [row] = await db
    .update(emailMessages)
    .set({ status, notifyId, completedAt: sql`now()`, updatedAt: sql`now()` })
    .where(
      and(
        eq(emailMessages.id, emailId),
        inArray(emailMessages.status, ['pending', 'sending', ...notifyFinalStatuses]),
      ),
    )
    .returning();
  return row ?? null;
}

export async function stillPendingEmail(db: Executor, outboxId: string): Promise<boolean> {
  return (await pendingEmailIds(db, outboxId)).length > 0;
}

export type EmailSearch = {
  status?: EmailStatus;
  purpose?: EmailPurpose;
  sourceId?: string;
  /** Keyset paging: the last id of the previous page (newest first). */
  before?: string;
  limit: number;
};

export async function searchEmails(db: Executor, search: EmailSearch): Promise<EmailRow[]> {
  const where = [
    search.status === undefined ? undefined : eq(emailMessages.status, search.status),
    search.purpose === undefined ? undefined : eq(emailMessages.purpose, search.purpose),
    search.sourceId === undefined ? undefined : eq(emailMessages.sourceId, search.sourceId),
    search.before === undefined ? undefined : lt(emailMessages.id, search.before),
  ].filter((clause) => clause !== undefined);
  return db
    .select()
    .from(emailMessages)
    .where(and(...where))
    .orderBy(desc(emailMessages.id))
    .limit(search.limit);
}

export async function getEmail(db: Executor, emailId: string): Promise<EmailRow | null> {
  const [row] = await db.select().from(emailMessages).where(eq(emailMessages.id, emailId));
  return row ?? null;
}
