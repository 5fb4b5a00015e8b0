import { eq } from 'drizzle-orm';
import type { ReceiptLine } from '../domain/email';
import type { Executor } from './executor';
import { councils, funds, paymentLines, vatCodes } from './schema';

/** What a receipt shows that its outbox payload does not carry: fund names and VAT rates. */
export async function receiptLinesOf(db: Executor, paymentId: string): Promise<ReceiptLine[]> {
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
