import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from './executor';
import { bankExceptions } from './schema';

/** Reading open bank exceptions, aged from their line's or item's date to a business date. */
export type BankExceptionKind = 'expected' | 'mismatched' | 'unexpected';

export type BankExceptionView = {
  id: string;
  kind: BankExceptionKind;
  statementLineId: string | null;
  expectedItemId: string | null;
  differencePence: number | null;
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
    .select({ row: bankExceptions, ageDays: age })
    .from(bankExceptions)
    .where(
      and(
        isNull(bankExceptions.resolvedAt),
        filter.kind === undefined ? undefined : eq(bankExceptions.kind, filter.kind),
        filter.minAgeDays === undefined ? undefined : sql`${age} >= ${filter.minAgeDays}`,
      ),
    )
    .orderBy(asc(bankExceptions.sinceDate), asc(bankExceptions.id));
  return rows.map(({ row, ageDays }) => ({
    id: row.id,
    kind: row.kind,
    statementLineId: row.statementLineId,
    expectedItemId: row.expectedItemId,
    differencePence: row.differencePence,
    sinceDate: row.sinceDate,
    ageDays: Number(ageDays),
    note: row.note,
    firstSeenAt: row.firstSeenAt.toISOString(),
  }));
}
