import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import { newId } from '../domain/ids';
import { recordAudit } from './audit';
import { postMatchClearing, reverseMatchClearing } from './bankReconciliationClearing';
import { expectedItems, statementCredits } from './bankReconciliationItems';
import { type BankMatchRecord, lockBankMatching } from './bankReconciliationMatching';
import type { Database } from './client';
import { bankExceptions, bankMatches, bankStatementLines } from './schema';

/**
 * Staff actions on bank matches and exceptions; each writes its audit row in the same
 * transaction. A manual match posts its clearing journal and an unmatch its reversal, in the
 * same transaction too, so the ledger and the matches never disagree.
 */
export class BankReconciliationRefusal extends Error {
  constructor(
    readonly code: 'not_found' | 'conflict',
    message: string,
  ) {
    super(message);
    this.name = 'BankReconciliationRefusal';
  }
}

export type ActionMeta = { actor: string; requestId?: string };

export async function manualMatch(
  db: Database,
  input: { statementLineIds: string[]; expectedItemIds: string[]; note: string },
  meta: ActionMeta,
): Promise<BankMatchRecord> {
  return db.transaction(async (tx) => {
    await lockBankMatching(tx);
    const lines = await statementCredits(tx, input.statementLineIds);
    const { items, matched, clearing } = await expectedItems(tx);
    for (const id of input.statementLineIds) {
      const line = lines.find((candidate) => candidate.id === id);
      if (line === undefined)
        throw new BankReconciliationRefusal('not_found', `No statement credit ${id}`);
      if (line.matchId !== null)
        throw new BankReconciliationRefusal('conflict', `Statement line ${id} is already matched`);
    }
    const chosen = input.expectedItemIds.map((id) => {
      const item = items.find((candidate) => candidate.id === id);
      if (item === undefined)
        throw new BankReconciliationRefusal('not_found', `No expected item ${id}`);
      if (matched.has(id))
        throw new BankReconciliationRefusal('conflict', `Expected item ${id} is already matched`);
      return item;
    });
    const sum = (amounts: number[]) => amounts.reduce((total, amount) => total + amount, 0);
    const id = newId('bankMatch');
    await tx.insert(bankMatches).values({
      id,
      rule: 'manual',
      statementLineIds: input.statementLineIds,
      expectedItemIds: input.expectedItemIds,
      differencePence:
        sum(lines.map((line) => line.amountPence)) - sum(chosen.map((item) => item.amountPence)),
      matchedBy: meta.actor,
      note: input.note,
    });
    await tx
      .update(bankStatementLines)
      .set({ matchId: id })
      .where(inArray(bankStatementLines.id, input.statementLineIds));
    await postMatchClearing(tx, {
      matchId: id,
      lines,
      items: chosen.map((item) => ({ id: item.id, parts: clearing.get(item.id) ?? [] })),
      causedBy: meta.actor,
    });
    const [row] = await tx.select().from(bankMatches).where(eq(bankMatches.id, id));
    if (row === undefined) throw new Error('manual bank match was not stored');
    // The gaps this match explains are closed now rather than at the next run.
    await tx
      .update(bankExceptions)
      .set({ resolvedAt: new Date() })
      .where(
        and(
          isNull(bankExceptions.resolvedAt),
          or(
            inArray(bankExceptions.statementLineId, input.statementLineIds),
            inArray(bankExceptions.expectedItemId, input.expectedItemIds),
          ),
        ),
      );
    await recordAudit(tx, {
      ...meta,
      action: 'bank_match.create',
      entityType: 'bank_match',
      entityId: row.id,
      reason: input.note,
      after: row,
    });
    return row;
  });
}

/** Releases a match's lines and items; the row stays, stamped, as history. */
export async function unmatch(
  db: Database,
  matchId: string,
  reason: string,
  meta: ActionMeta,
): Promise<BankMatchRecord> {
  return db.transaction(async (tx) => {
    await lockBankMatching(tx);
    const [before] = await tx.select().from(bankMatches).where(eq(bankMatches.id, matchId));
    if (before === undefined)
      throw new BankReconciliationRefusal('not_found', `No bank match ${matchId}`);
    if (before.unmatchedAt !== null)
      throw new BankReconciliationRefusal('conflict', `Bank match ${matchId} is already unmatched`);
    await tx
      .update(bankMatches)
      .set({ unmatchedAt: new Date(), unmatchedBy: meta.actor, unmatchReason: reason })
      .where(eq(bankMatches.id, matchId));
    await tx
      .update(bankStatementLines)
      .set({ matchId: null })
      .where(eq(bankStatementLines.matchId, matchId));
    await reverseMatchClearing(tx, before, { causedBy: meta.actor, reason });
    const [after] = await tx.select().from(bankMatches).where(eq(bankMatches.id, matchId));
    await recordAudit(tx, {
      ...meta,
      action: 'bank_match.unmatch',
      entityType: 'bank_match',
      entityId: matchId,
      reason,
      before,
      after,
    });
    if (after === undefined) throw new Error(`bank match ${matchId} was not updated`);
    return after;
  });
}

export async function annotateException(
  db: Database,
  exceptionId: string,
  note: string,
  meta: ActionMeta,
): Promise<typeof bankExceptions.$inferSelect> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(bankExceptions)
      .where(eq(bankExceptions.id, exceptionId));
    if (before === undefined)
      throw new BankReconciliationRefusal('not_found', `No bank exception ${exceptionId}`);
    const [after] = await tx
      .update(bankExceptions)
      .set({ note })
      .where(eq(bankExceptions.id, exceptionId))
      .returning();
    if (after === undefined) throw new Error(`bank exception ${exceptionId} was not updated`);
    await recordAudit(tx, {
      ...meta,
      action: 'bank_exception.note',
      entityType: 'bank_exception',
      entityId: exceptionId,
      reason: note,
      before: { note: before.note },
      after: { note },
    });
    return after;
  });
}
