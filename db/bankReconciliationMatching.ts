import { and, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import { newId } from '../domain/ids';
import { type ReconciliationException, reconcile } from '../domain/reconciliation';
import { defaultBankMatchRules, expectedItems, statementCredits } from './bankReconciliationItems';
import type { Database } from './client';
import type { Executor } from './executor';
import { bankExceptions, bankMatches, bankStatementLines } from './schema';

/**
 * Runs the matching engine over what is still unmatched and stores the outcome. Runs, manual
 * matches and unmatches serialise on one advisory lock, so two of them never claim the same line.
 */
export type BankMatchRecord = typeof bankMatches.$inferSelect;

export async function lockBankMatching(tx: Executor): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('ims.bank_matching'))`);
}

export async function runBankMatching(
  db: Database,
  asOf: string,
): Promise<{ matches: BankMatchRecord[]; openExceptions: number }> {
  return db.transaction(async (tx) => {
    await lockBankMatching(tx);
    const lines = await statementCredits(tx);
    const { items, matched } = await expectedItems(tx);
    const free = items.filter((item) => !matched.has(item.id));
    const result = reconcile(lines, free, defaultBankMatchRules, { asOf });
    const stored: BankMatchRecord[] = [];
    for (const match of result.matches) {
      const [row] = await tx
        .insert(bankMatches)
        .values({ id: newId('bankMatch'), ...match, matchedBy: 'system' })
        .returning();
      if (row === undefined) throw new Error('bank match was not stored');
      await tx
        .update(bankStatementLines)
        .set({ matchId: row.id })
        .where(inArray(bankStatementLines.id, match.statementLineIds));
      stored.push(row);
    }
    const lineDates = new Map(lines.map((line) => [line.id, line.date]));
    const itemDates = new Map(free.map((item) => [item.id, item.expectedDate]));
    await syncExceptions(tx, result.exceptions, lineDates, itemDates);
    return { matches: stored, openExceptions: result.exceptions.length };
  });
}

function exceptionRow(
  exception: ReconciliationException,
  lineDates: Map<string, string>,
  itemDates: Map<string, string>,
) {
  const lineId = exception.kind === 'expected' ? null : exception.statementLineId;
  const itemId = exception.kind === 'unexpected' ? null : exception.expectedItemId;
  const sinceDate =
    lineId === null ? itemDates.get(itemId as string) : lineDates.get(lineId as string);
  if (sinceDate === undefined) throw new Error(`exception ${exception.kind} names an unknown id`);
  return {
    kind: exception.kind,
    exceptionKey: `${exception.kind}:${lineId ?? ''}:${itemId ?? ''}`,
    statementLineId: lineId,
    expectedItemId: itemId,
    differencePence: exception.kind === 'mismatched' ? exception.differencePence : null,
    sinceDate,
  };
}

/**
 * A run sees every unmatched line and item, so its exceptions are the whole open set: ones found
 * again keep their row (and note), new ones are added, and ones no longer found are resolved.
 */
async function syncExceptions(
  tx: Executor,
  exceptions: readonly ReconciliationException[],
  lineDates: Map<string, string>,
  itemDates: Map<string, string>,
): Promise<void> {
  const rows = exceptions.map((exception) => exceptionRow(exception, lineDates, itemDates));
  for (const row of rows) {
    await tx
      .insert(bankExceptions)
      .values({ id: newId('bankException'), ...row })
      .onConflictDoUpdate({
        target: bankExceptions.exceptionKey,
        set: { lastSeenAt: new Date(), resolvedAt: null, differencePence: row.differencePence },
      });
  }
  const keys = rows.map((row) => row.exceptionKey);
  await tx
    .update(bankExceptions)
    .set({ resolvedAt: new Date() })
    .where(
      and(
        isNull(bankExceptions.resolvedAt),
        keys.length === 0 ? undefined : notInArray(bankExceptions.exceptionKey, keys),
      ),
    );
}
