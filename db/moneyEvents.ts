import type { LedgerLine } from '../domain/ledger';
import type { Executor } from './executor';
import { queueOutboxMessage } from './outbox';

/**
 * Outbox messages for money that moves after it was first allocated (docs/webhooks.md): a move
 * to another fund or reference, the reversal of a move or transfer, and an allocation out of
 * suspense. Each is queued in the transaction that posts its journal, once per journal, and
 * ordered after the payment's (or suspense item's) earlier messages.
 */
type Tx = Pick<Executor, 'insert' | 'select'>;

const fundPrefix = 'FUND:';

/** What a journal did to each fund and reference: positive when money went in. */
export function fundEffectsOf(lines: readonly LedgerLine[]) {
  return lines
    .filter((line) => line.accountCode.startsWith(fundPrefix))
    .map((line) => ({
      fundCode: line.accountCode.slice(fundPrefix.length),
      reference: line.accountReference ?? null,
      amountPence: line.creditPence - line.debitPence,
    }));
}

export function queueMovedMessage(
  tx: Tx,
  moved: {
    journalId: string;
    source: { type: string; id: string };
    from: { fundCode: string; reference: string };
    to: { fundCode: string; reference: string };
    amountPence: number;
    postingDate: string;
  },
): Promise<string> {
  return queueOutboxMessage(tx, {
    topic: 'journal.moved',
    dedupeKey: `journal:${moved.journalId}:moved`,
    payload: {
      journalId: moved.journalId,
      sourceType: moved.source.type,
      sourceId: moved.source.id,
      from: moved.from,
      to: moved.to,
      amountPence: moved.amountPence,
      postingDate: moved.postingDate,
    },
    orderingKey: moved.source.id,
    fundCodes: [...new Set([moved.from.fundCode, moved.to.fundCode])],
  });
}

export function queueReversedMessage(
  tx: Tx,
  reversed: {
    journalId: string;
    reversesJournalId: string;
    sourceType: string | null;
    sourceId: string | null;
    lines: readonly LedgerLine[];
    postingDate: string;
  },
): Promise<string> {
  const effects = fundEffectsOf(reversed.lines);
  return queueOutboxMessage(tx, {
    topic: 'journal.reversed',
    dedupeKey: `journal:${reversed.journalId}:reversed`,
    payload: {
      journalId: reversed.journalId,
      reversesJournalId: reversed.reversesJournalId,
      sourceType: reversed.sourceType,
      sourceId: reversed.sourceId,
      postingDate: reversed.postingDate,
      lines: effects,
    },
    orderingKey: reversed.sourceId,
    fundCodes: [...new Set(effects.map((effect) => effect.fundCode))],
  });
}

export function queueSuspenseAllocatedMessage(
  tx: Tx,
  allocated: {
    journalId: string;
    suspenseId: string;
    amountPence: number;
    postingDate: string;
    parts: readonly { fundCode: string; reference: string; amountPence: number }[];
  },
): Promise<string> {
  return queueOutboxMessage(tx, {
    topic: 'suspense.allocated',
    dedupeKey: `journal:${allocated.journalId}:suspense_allocated`,
    payload: {
      suspenseId: allocated.suspenseId,
      journalId: allocated.journalId,
      amountPence: allocated.amountPence,
      postingDate: allocated.postingDate,
      lines: allocated.parts.map(({ fundCode, reference, amountPence }) => ({
        fundCode,
        reference,
        amountPence,
      })),
    },
    orderingKey: allocated.suspenseId,
    fundCodes: [...new Set(allocated.parts.map((part) => part.fundCode))],
  });
}
