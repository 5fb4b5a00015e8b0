import { and, eq, lt, sql } from 'drizzle-orm';
import type { AesGcmPayloadCodec } from '../platform/payloadCodec';
import type { Executor } from './executor';
import { payerContacts } from './schema';

/**
 * Payer email addresses (docs/email.md): sealed with the council's key and bound to the one
 * payment they were given for, so a row copied to another payment, or to another council, cannot
 * be opened. Erased once `eraseAfter` passes (the outbox sweep calls `eraseExpiredPayerContacts`).
 */
export type ContactSource = 'api' | 'psp' | 'staff';

const purposeOf = (sourceId: string) => `payer_email:${sourceId}`;

const dayMs = 24 * 60 * 60 * 1000;

/** Keeps the first address given for a payment: a later one (the PSP's echo) changes nothing. */
export async function rememberPayerEmail(
  db: Executor,
  codec: AesGcmPayloadCodec,
  contact: {
    councilId: string;
    sourceId: string;
    email: string;
    capturedFrom: ContactSource;
    retainDays: number;
    nowMs?: number;
  },
): Promise<void> {
  const sealedEmail = await codec.sealSecret(
    contact.councilId,
    purposeOf(contact.sourceId),
    contact.email,
  );
  await db
    .insert(payerContacts)
    .values({
      sourceId: contact.sourceId,
      sealedEmail,
      capturedFrom: contact.capturedFrom,
      eraseAfter: new Date((contact.nowMs ?? Date.now()) + contact.retainDays * dayMs),
    })
    .onConflictDoNothing();
}

export async function hasPayerContact(db: Executor, sourceId: string): Promise<boolean> {
  const [row] = await db
    .select({ sourceId: payerContacts.sourceId })
    .from(payerContacts)
    .where(eq(payerContacts.sourceId, sourceId))
    .limit(1);
  return row !== undefined;
}

/** The address, or null once erased (or never given). */
export async function openPayerEmail(
  db: Executor,
  codec: AesGcmPayloadCodec,
  councilId: string,
  sourceId: string,
): Promise<string | null> {
  const [row] = await db
    .select({ sealedEmail: payerContacts.sealedEmail })
    .from(payerContacts)
    .where(and(eq(payerContacts.sourceId, sourceId), sql`${payerContacts.eraseAfter} > now()`))
    .limit(1);
  if (row === undefined) return null;
  return codec.openSecret(councilId, purposeOf(sourceId), row.sealedEmail);
}

/** Deletes the address kept for a payment that was never made (refused, or a replay's id). */
export async function forgetPayerEmail(db: Executor, sourceId: string): Promise<void> {
  await db.delete(payerContacts).where(eq(payerContacts.sourceId, sourceId));
}

/** Deletes the council's addresses past their time; answers how many. */
export async function eraseExpiredPayerContacts(db: Executor): Promise<number> {
  const erased = await db
    .delete(payerContacts)
    .where(lt(payerContacts.eraseAfter, sql`now()`))
    .returning({ sourceId: payerContacts.sourceId });
  return erased.length;
}
