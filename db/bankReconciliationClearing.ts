import { eq } from 'drizzle-orm';
import { clearingJournalLines } from '../domain/bankClearing';
import { reversalOf } from '../domain/ledger';
import { controlAccounts } from '../domain/ledgerAccounts';
import type { ClearingPart } from './bankReconciliationItems';
import { type OpenDayPosting, postJournalOnOpenDay } from './closeOfDay';
import type { Executor } from './executor';
import { getJournal } from './ledger';
import { bankMatches } from './schema';

/**
 * The ledger side of a bank match. Matching a statement line to expected items posts the
 * clearing journal (Dr CTRL:BANK, Cr the clearing account the money waited in), idempotent by
 * the match id; unmatching posts its reversal, linked to it. Both are dated to the statement
 * line's date (the latest line's, for several), or the next open day when that day is closed.
 */
export const clearingJournalKey = (matchId: string) => `bank_match:${matchId}:clearing`;
export const clearingReversalKey = (matchId: string) => `bank_match:${matchId}:unmatch`;

export type MatchClearingInput = {
  matchId: string;
  /** The matched statement lines: amounts (credits) and booking dates. */
  lines: readonly { amountPence: number; date: string }[];
  /** The matched items' ids and where their money waits. */
  items: readonly { id: string; parts: readonly ClearingPart[] }[];
  causedBy: string;
};

/** Posts the clearing journal and records it on the match; null when nothing needed clearing. */
export async function postMatchClearing(
  tx: Executor,
  input: MatchClearingInput,
): Promise<OpenDayPosting | null> {
  const statementPence = input.lines.reduce((sum, line) => sum + line.amountPence, 0);
  const itemIds = input.items.map((item) => item.id).join(', ');
  const lines = clearingJournalLines(
    controlAccounts.bank,
    statementPence,
    input.items.flatMap((item) => item.parts),
    `Bank match ${input.matchId}`,
  );
  if (lines === null) return null;
  const lineDate = input.lines
    .map((line) => line.date)
    .sort()
    .at(-1);
  if (lineDate === undefined) throw new Error(`bank match ${input.matchId} has no lines`);
  const posted = await postJournalOnOpenDay(tx, {
    idempotencyKey: clearingJournalKey(input.matchId),
    kind: 'adjustment',
    description: `Bank match ${input.matchId}: statement credit clears ${itemIds}`,
    postingDate: lineDate,
    causedBy: input.causedBy,
    sourceType: 'bank_match',
    sourceId: input.matchId,
    lines,
  });
  await tx
    .update(bankMatches)
    .set({ clearingJournalId: posted.journalId })
    .where(eq(bankMatches.id, input.matchId));
  return posted;
}

/**
 * Reverses a match's clearing journal (if it had one) on the original's date, or the next open
 * day when that is closed. Idempotent by the match id.
 */
export async function reverseMatchClearing(
  tx: Executor,
  match: { id: string; clearingJournalId: string | null },
  input: { causedBy: string; reason: string },
): Promise<OpenDayPosting | null> {
  if (match.clearingJournalId === null) return null;
  const original = await getJournal(tx, match.clearingJournalId);
  if (original === null) throw new Error(`clearing journal ${match.clearingJournalId} is missing`);
  const posted = await postJournalOnOpenDay(tx, {
    idempotencyKey: clearingReversalKey(match.id),
    kind: 'reversal',
    description: `Reversal of ${original.id}: bank match ${match.id} undone: ${input.reason}`,
    postingDate: original.postingDate,
    causedBy: input.causedBy,
    sourceType: original.sourceType,
    sourceId: original.sourceId,
    reversesJournalId: original.id,
    lines: reversalOf(original.lines),
  });
  await tx
    .update(bankMatches)
    .set({ clearingReversalJournalId: posted.journalId })
    .where(eq(bankMatches.id, match.id));
  return posted;
}
