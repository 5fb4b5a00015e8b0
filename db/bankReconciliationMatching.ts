import { and, asc, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import { newId } from '../domain/ids';
import { type ReconciliationException, reconcile } from '../domain/reconciliation';
import { postMatchClearing } from './bankReconciliationClearing';
import { expectedItems, statementCredits } from './bankReconciliationItems';
import { bankMatchSettings } from './bankReconciliationRules';
import type { Database } from './client';
import type { Executor } from './executor';
import { bankExceptions, bankMatches, bankStatementLines } from './schema';

/**
 * Runs the matching engine, with the configured rules, over what is still unmatched and stores
 * the outcome: each match with its clearing journal, in one transaction. Runs, manual matches
 * and unmatches serialise on one advisory lock, so two of them never claim the same line.
 */
export type BankMatchRecord = typeof bankMatches.$inferSelect;

export async function lockBankMatching(tx: Executor): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('ims.bank_matching'))`);
}

export type BankMatchRun = { matches: BankMatchRecord[]; openExceptions: number };

/**
 * `runId` makes a run idempotent: a retry whose first attempt committed finds that attempt's
 * matches and returns them instead of matching again (the bank matching workflow passes its
 * run id; a retried activity must not report an empty run).
 */
export async function runBankMatching(
  db: Database,
  asOf: string,
  options: { runId?: string; causedBy?: string } = {},
): Promise<BankMatchRun> {
  return db.transaction(async (tx) => {
    await lockBankMatching(tx);
    if (options.runId !== undefined) {
      const earlier = await tx
        .select()
        .from(bankMatches)
        .where(eq(bankMatches.runId, options.runId))
        .orderBy(asc(bankMatches.id));
      if (earlier.length > 0) return { matches: earlier, openExceptions: await openCount(tx) };
    }
    const settings = (await bankMatchSettings(tx)).value;
    const lines = await statementCredits(tx);
    const { items, matched, clearing } = await expectedItems(tx, settings);
    const free = items.filter((item) => !matched.has(item.id));
    const result = reconcile(lines, free, settings.rules, {
      asOf,
      ...(settings.mismatchWindowDays === null
        ? {}
        : { mismatchWindowDays: settings.mismatchWindowDays }),
    });
    const lineById = new Map(lines.map((line) => [line.id, line]));
    const stored: BankMatchRecord[] = [];
    for (const match of result.matches) {
      const id = newId('bankMatch');
      await tx
        .insert(bankMatches)
        .values({ id, ...match, matchedBy: 'system', runId: options.runId ?? null });
      await tx
        .update(bankStatementLines)
        .set({ matchId: id })
        .where(inArray(bankStatementLines.id, match.statementLineIds));
      await postMatchClearing(tx, {
        matchId: id,
        lines: match.statementLineIds.map((lineId) => lineById.get(lineId)!),
        items: match.expectedItemIds.map((itemId) => ({
          id: itemId,
          parts: clearing.get(itemId) ?? [],
        })),
        causedBy: options.causedBy ?? 'system:bank_matching',
      });
      const [row] = await tx.select().from(bankMatches).where(eq(bankMatches.id, id));
      if (row === undefined) throw new Error('bank match was not stored');
      stored.push(row);
    }
    const lineDates = new Map(lines.map((line) => [line.id, line.date]));
    const itemDates = new Map(free.map((item) => [item.id, item.expectedDate]));
    await syncExceptions(tx, result.exceptions, lineDates, itemDates);
    return { matches: stored, openExceptions: result.exceptions.length };
  });
}

async function openCount(tx: Executor): Promise<number> {
  const [row] = await tx.execute<{ n: number }>(
    sql`select count(*)::int as n from bank_exceptions where resolved_at is null`,
  );
  return row?.n ?? 0;
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
        target: [bankExceptions.councilId, bankExceptions.exceptionKey],
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
