import { fundAccountCode } from '../domain/ledgerAccounts';
import {
  type FundVat,
  type MoveTarget,
  moveLines,
  spreadOverHoldings,
  vatTransferLines,
} from '../domain/refundHoldings';
import { extractVat } from '../domain/vat';
import { recordAudit } from './audit';
import { postJournalOnOpenDay } from './closeOfDay';
import type { AuditMeta } from './configWrites';
import type { Executor } from './executor';
import { fundBalancePence, JournalRefusal, lockFor, sourceHoldings } from './journals';
import { queueMovedMessage } from './moneyEvents';

/**
 * Journals staff post by hand: moving income to another fund or reference, transferring
 * between fund accounts, and undoing either by reversal. Each runs in one transaction with its
 * audit row (who and why); the ledger is never edited, only added to. A posting date that is a
 * closed day moves to the next open day, the intended date kept in the description and the
 * audit row (postJournalOnOpenDay).
 */

export type Source = { type: 'payment' | 'suspense' | 'import'; id: string };

export type MoveInput = {
  source: Source;
  from: { fundCode: string; reference: string };
  to: MoveTarget;
  amountPence: number;
  postingDate: string;
  idempotencyKey: string;
};

export async function moveAllocation(db: Executor, input: MoveInput, meta: AuditMeta) {
  return db.transaction(async (tx) => {
    await lockFor(tx, `source:${input.source.type}:${input.source.id}`);
    const holdings = (await sourceHoldings(tx, input.source.type, input.source.id)).filter(
      (h) => h.fundCode === input.from.fundCode && h.reference === input.from.reference,
    );
    const heldPence = holdings.reduce((sum, h) => sum + Math.max(0, h.grossPence), 0);
    if (heldPence < input.amountPence) {
      throw new JournalRefusal(
        'unprocessable',
        'body.amountPence',
        `${input.from.fundCode} ${input.from.reference} holds only ${heldPence} pence of ${input.source.id}`,
      );
    }
    const lines = moveLines(spreadOverHoldings(holdings, input.amountPence), input.to);
    const posted = await postJournalOnOpenDay(tx, {
      idempotencyKey: input.idempotencyKey,
      kind: 'transfer',
      description: `Moved from ${input.from.fundCode} ${input.from.reference} to ${input.to.fundCode} ${input.to.reference}: ${meta.reason ?? ''}`,
      postingDate: input.postingDate,
      causedBy: meta.actor,
      sourceType: input.source.type,
      sourceId: input.source.id,
      lines,
    });
    let outboxId: string | null = null;
    if (posted.created) {
      outboxId = await queueMovedMessage(tx, {
        journalId: posted.journalId,
        source: input.source,
        from: input.from,
        to: { fundCode: input.to.fundCode, reference: input.to.reference },
        amountPence: input.amountPence,
        postingDate: posted.postingDate,
      });
      await recordAudit(tx, {
        ...meta,
        action: 'journal.move',
        entityType: 'journal',
        entityId: posted.journalId,
        after: {
          source: input.source,
          from: input.from,
          to: input.to,
          amountPence: input.amountPence,
          postingDate: posted.postingDate,
          intendedDate: posted.intendedDate,
        },
      });
    }
    // The move's message (payment.moved), for the caller to start its relay; null on a replay.
    return { ...posted, outboxId };
  });
}

export type TransferInput = {
  from: { fundCode: string; reference: string | null };
  to: { fundCode: string; reference: string | null };
  amountPence: number;
  /** VAT follows the funds (gross amount, each fund's own rate); null: no VAT effect. */
  vat?: { from: FundVat; to: FundVat } | null;
  postingDate: string;
  idempotencyKey: string;
};

/**
 * Fund to fund with no incoming payment; the source account must hold the amount. Without VAT
 * the amounts move as given; with VAT the amount is gross and VAT follows each fund's rate.
 */
export async function transferBetweenFunds(db: Executor, input: TransferInput, meta: AuditMeta) {
  return db.transaction(async (tx) => {
    const fromAccount = fundAccountCode(input.from.fundCode);
    await lockFor(tx, `account:${fromAccount}`);
    const heldPence = await fundBalancePence(tx, fromAccount, input.from.reference);
    // Fund accounts hold income net of VAT: with VAT, the source gives up the net part.
    const takenPence = input.vat
      ? extractVat(input.amountPence, input.vat.from.vatRateBasisPoints).netPence
      : input.amountPence;
    if (heldPence < takenPence) {
      throw new JournalRefusal(
        'unprocessable',
        'body.amountPence',
        `${input.from.fundCode} ${input.from.reference ?? ''} holds only ${heldPence} pence`,
      );
    }
    const posted = await postJournalOnOpenDay(tx, {
      idempotencyKey: input.idempotencyKey,
      kind: 'transfer',
      description: `Transfer ${input.from.fundCode} to ${input.to.fundCode}: ${meta.reason ?? ''}`,
      postingDate: input.postingDate,
      causedBy: meta.actor,
      // No income behind it: the reversal check reads account balances, not a source's holdings.
      sourceType: 'transfer',
      sourceId: null,
      lines: input.vat
        ? vatTransferLines(input.amountPence, input.vat.from, input.vat.to)
        : plainTransferLines(input),
    });
    if (posted.created) {
      await recordAudit(tx, {
        ...meta,
        action: 'journal.transfer',
        entityType: 'journal',
        entityId: posted.journalId,
        after: {
          from: input.from,
          to: input.to,
          amountPence: input.amountPence,
          vat: input.vat ?? null,
          postingDate: posted.postingDate,
          intendedDate: posted.intendedDate,
        },
      });
    }
    // No payment behind a transfer: no receiver's message.
    return { ...posted, outboxId: null };
  });
}

function plainTransferLines(input: TransferInput) {
  return [
    {
      accountCode: fundAccountCode(input.from.fundCode),
      debitPence: input.amountPence,
      creditPence: 0,
      accountReference: input.from.reference,
    },
    {
      accountCode: fundAccountCode(input.to.fundCode),
      debitPence: 0,
      creditPence: input.amountPence,
      accountReference: input.to.reference,
    },
  ];
}
