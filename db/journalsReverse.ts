import { reversalOf } from '../domain/ledger';
import { recordAudit } from './audit';
import { postJournalOnOpenDay } from './closeOfDay';
import type { AuditMeta } from './configWrites';
import type { Executor } from './executor';
import {
  assertHoldingsCover,
  fundBalancePence,
  JournalRefusal,
  lockFor,
  sourceHoldings,
} from './journals';
import { getJournal } from './ledger';
import { queueReversedMessage } from './moneyEvents';

/**
 * Undoes a move or transfer by its mirror image, once only. Refused when the money it put
 * somewhere has since gone on (moved again, refunded): undoing it then would take money that
 * is no longer there. Payments, refunds, imports and suspense postings are undone by their own
 * workflows, never here.
 */
export async function reverseManualJournal(
  db: Executor,
  input: { journalId: string; postingDate: string },
  meta: AuditMeta & { reason: string },
) {
  return db.transaction(async (tx) => {
    const original = await getJournal(tx, input.journalId);
    if (original === null)
      throw new JournalRefusal('not_found', 'params.journalId', `No journal ${input.journalId}`);
    if (original.kind !== 'transfer' || original.reversesJournalId !== null) {
      throw new JournalRefusal(
        'unprocessable',
        'params.journalId',
        `A ${original.kind} journal is undone by its own process, not by hand`,
      );
    }
    const mirror = reversalOf(original.lines);
    const debited = mirror.filter((line) => line.debitPence > 0);
    const isTransfer = original.sourceType === 'transfer';
    const lockKeys = isTransfer
      ? debited.map((line) => `account:${line.accountCode}`)
      : [`source:${original.sourceType}:${original.sourceId}`];
    for (const key of [...new Set(lockKeys)].sort()) await lockFor(tx, key);
    if (original.reversedBy !== null) {
      throw new JournalRefusal(
        'conflict',
        'params.journalId',
        `Journal ${input.journalId} has already been reversed (by ${original.reversedBy})`,
      );
    }
    if (isTransfer) {
      for (const line of debited) {
        const held = await fundBalancePence(tx, line.accountCode, line.accountReference ?? null);
        if (held < line.debitPence)
          throw new JournalRefusal(
            'unprocessable',
            'params.journalId',
            `${line.accountCode} now holds only ${held} pence`,
          );
      }
    } else {
      const holdings = await sourceHoldings(tx, original.sourceType ?? '', original.sourceId ?? '');
      assertHoldingsCover(holdings, mirror, 'params.journalId');
    }
    const posted = await postJournalOnOpenDay(tx, {
      idempotencyKey: `reverse:${input.journalId}`,
      kind: 'reversal',
      description: `Reversal of ${input.journalId}: ${meta.reason}`,
      postingDate: input.postingDate,
      causedBy: meta.actor,
      sourceType: original.sourceType,
      sourceId: original.sourceId,
      reversesJournalId: input.journalId,
      lines: mirror,
    });
    // A reversal racing this one got there first (same key, same content): once only.
    if (!posted.created) {
      throw new JournalRefusal(
        'conflict',
        'params.journalId',
        `Journal ${input.journalId} has already been reversed`,
      );
    }
    const outboxId = await queueReversedMessage(tx, {
      journalId: posted.journalId,
      reversesJournalId: input.journalId,
      sourceType: original.sourceType,
      sourceId: original.sourceId,
      lines: mirror,
      postingDate: posted.postingDate,
    });
    await recordAudit(tx, {
      ...meta,
      action: 'journal.reverse',
      entityType: 'journal',
      entityId: input.journalId,
      after: {
        reversalJournalId: posted.journalId,
        postingDate: posted.postingDate,
        intendedDate: posted.intendedDate,
      },
    });
    // The reversal's message (payment.reversed), for the caller to start its relay.
    return { ...posted, outboxId };
  });
}
