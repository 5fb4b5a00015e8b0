import { eq, inArray, sql } from 'drizzle-orm';
import type { LedgerCardPayment, Settlement } from '../domain/settlement';
import type { Database } from './client';
import { funds, payments, pspSettlements } from './schema';

/**
 * The ledger's side of PSP settlement, and where each date's expected payout is kept. Saving
 * replaces the date's row: the PSP's search is eventually consistent, so a re-run is fresher.
 */
export type SettlementRecord = typeof pspSettlements.$inferSelect;

export async function fundCodes(db: Database): Promise<string[]> {
  const rows = await db.select({ code: funds.code }).from(funds).orderBy(funds.code);
  return rows.map((row) => row.code);
}

/** Our posted card payments among these PSP ids. */
export async function ledgerPaymentsFor(
  db: Database,
  pspPaymentIds: readonly string[],
): Promise<LedgerCardPayment[]> {
  if (pspPaymentIds.length === 0) return [];
  const rows = await db
    .select({ pspPaymentId: payments.pspPaymentId, amountPence: payments.amountPence })
    .from(payments)
    .where(
      sql`${inArray(payments.pspPaymentId, [...pspPaymentIds])} and ${payments.journalId} is not null`,
    );
  return rows.map((row) => ({ pspPaymentId: row.pspPaymentId!, amountPence: row.amountPence }));
}

/** Card payments whose ledger journal is dated `postingDate`: they should settle together. */
export async function ledgerPaymentsPostedOn(
  db: Database,
  postingDate: string,
): Promise<LedgerCardPayment[]> {
  const rows = await db.execute<{ psp_payment_id: string; amount_pence: number }>(sql`
    select p.psp_payment_id, p.amount_pence
      from payments p join journals j on j.id = p.journal_id
     where j.posting_date = ${postingDate} and p.psp_payment_id is not null
     order by p.psp_payment_id`);
  return rows.map((row) => ({ pspPaymentId: row.psp_payment_id, amountPence: row.amount_pence }));
}

/**
 * Card refunds whose ledger journal is dated `postingDate`: the PSP settles a refund as it
 * settles a payment, `settlementDelayDays` after it was made, and nets it off that payout.
 */
export async function ledgerCardRefundsPostedOn(
  db: Database,
  postingDate: string,
): Promise<{ refundCount: number; refundPence: number }> {
  const [row] = await db.execute<{ n: number; pence: string }>(sql`
    select count(*)::int as n, coalesce(sum(r.amount_pence), 0)::bigint as pence
      from refunds r join journals j on j.id = r.journal_id
     where r.method = 'card' and r.state = 'succeeded' and j.posting_date = ${postingDate}
       and not exists (select 1 from journals x where x.reverses_journal_id = j.id)`);
  return { refundCount: row?.n ?? 0, refundPence: Number(row?.pence ?? 0) };
}

export async function saveSettlement(
  db: Database,
  settledDate: string,
  settlement: Settlement,
  refundCount: number | null = null,
): Promise<SettlementRecord> {
  const values = { settledDate, ...settlement, refundCount, reconciledAt: new Date() };
  const [row] = await db
    .insert(pspSettlements)
    .values(values)
    .onConflictDoUpdate({
      target: [pspSettlements.councilId, pspSettlements.settledDate],
      set: values,
    })
    .returning();
  if (row === undefined) throw new Error(`settlement for ${settledDate} was not saved`);
  return row;
}

export async function getSettlement(
  db: Database,
  settledDate: string,
): Promise<SettlementRecord | null> {
  const [row] = await db
    .select()
    .from(pspSettlements)
    .where(eq(pspSettlements.settledDate, settledDate));
  return row ?? null;
}
