import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { describeExpectedItem } from '../domain/reconciliation';
import { expectedItems } from './bankReconciliationItems';
import type { Executor } from './executor';
import { bankExceptions, bankStatementLines } from './schema';

/** Reading open bank exceptions, aged from their line's or item's date to a business date. */
export type BankExceptionKind = 'expected' | 'mismatched' | 'unexpected';

export type BankExceptionView = {
  id: string;
  kind: BankExceptionKind;
  statementLineId: string | null;
  expectedItemId: string | null;
  differencePence: number | null;
  /** The statement line, as the bank printed it; null for an item that never arrived. */
  statementLine: { date: string; amountPence: number; reference: string; narrative: string } | null;
  /** The expected item in words; null for money nobody expected. */
  expectedItem: { description: string; amountPence: number; expectedDate: string } | null;
  sinceDate: string;
  ageDays: number;
  note: string | null;
  firstSeenAt: string;
};

export async function openBankExceptions(
  db: Executor,
  filter: { asOf: string; kind?: BankExceptionKind; minAgeDays?: number },
): Promise<BankExceptionView[]> {
  const age = sql<number>`(${filter.asOf}::date - ${bankExceptions.sinceDate})`;
  const rows = await db
    .select({ row: bankExceptions, ageDays: age, line: bankStatementLines })
    .from(bankExceptions)
    .leftJoin(bankStatementLines, eq(bankStatementLines.id, bankExceptions.statementLineId))
    .where(
      and(
        isNull(bankExceptions.resolvedAt),
        filter.kind === undefined ? undefined : eq(bankExceptions.kind, filter.kind),
        filter.minAgeDays === undefined ? undefined : sql`${age} >= ${filter.minAgeDays}`,
      ),
    )
    .orderBy(asc(bankExceptions.sinceDate), asc(bankExceptions.id));
  // Items are derived from the ledger, not stored: read them once for the whole list.
  const items = rows.some(({ row }) => row.expectedItemId !== null)
    ? new Map((await expectedItems(db)).items.map((item) => [item.id, item]))
    : new Map();
  return rows.map(({ row, ageDays, line }) => {
    const item = row.expectedItemId === null ? undefined : items.get(row.expectedItemId);
    return {
      id: row.id,
      kind: row.kind,
      statementLineId: row.statementLineId,
      expectedItemId: row.expectedItemId,
      differencePence: row.differencePence,
      statementLine:
        line === null
          ? null
          : {
              date: line.date,
              amountPence: line.amountPence,
              reference: line.reference,
              narrative: line.narrative,
            },
      expectedItem:
        item === undefined
          ? null
          : {
              description: describeExpectedItem(item),
              amountPence: item.amountPence,
              expectedDate: item.expectedDate,
            },
      sinceDate: row.sinceDate,
      ageDays: Number(ageDays),
      note: row.note,
      firstSeenAt: row.firstSeenAt.toISOString(),
    };
  });
}
