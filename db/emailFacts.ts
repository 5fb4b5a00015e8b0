import { eq } from 'drizzle-orm';
import type { ReceiptLine } from '../domain/email';
import { isId } from '../domain/ids';
import type { Executor } from './executor';
import { councils, counterPaymentLines, funds, paymentLines, vatCodes } from './schema';

/**
 * What a receipt shows that its outbox payload does not carry: fund names and VAT rates, from a
 * card payment's lines or, by its id's prefix, a counter payment's (docs/cash-desk.md).
 */
export async function receiptLinesOf(db: Executor, paymentId: string): Promise<ReceiptLine[]> {
  return isId('counterPayment', paymentId)
    ? counterLinesOf(db, paymentId)
    : cardLinesOf(db, paymentId);
}

async function counterLinesOf(db: Executor, counterPaymentId: string): Promise<ReceiptLine[]> {
  return db
    .select({
      fundName: funds.name,
      reference: counterPaymentLines.reference,
      amountPence: counterPaymentLines.amountPence,
      vatRateBasisPoints: vatCodes.rateBasisPoints,
    })
    .from(counterPaymentLines)
    .innerJoin(funds, eq(funds.code, counterPaymentLines.fundCode))
    .leftJoin(vatCodes, eq(vatCodes.code, counterPaymentLines.vatCode))
    .where(eq(counterPaymentLines.counterPaymentId, counterPaymentId))
    .orderBy(counterPaymentLines.lineNo);
}

async function cardLinesOf(db: Executor, paymentId: string): Promise<ReceiptLine[]> {
  const rows = await db
    .select({
      fundName: funds.name,
      reference: paymentLines.reference,
      amountPence: paymentLines.amountPence,
      vatRateBasisPoints: vatCodes.rateBasisPoints,
    })
    .from(paymentLines)
    .innerJoin(funds, eq(funds.code, paymentLines.fundCode))
    .leftJoin(vatCodes, eq(vatCodes.code, paymentLines.vatCode))
    .where(eq(paymentLines.paymentId, paymentId))
    .orderBy(paymentLines.lineNo);
  return rows;
}

export async function councilNameOf(db: Executor, councilId: string): Promise<string> {
  const [row] = await db
    .select({ name: councils.name })
    .from(councils)
    .where(eq(councils.id, councilId));
  return row?.name ?? councilId;
}
