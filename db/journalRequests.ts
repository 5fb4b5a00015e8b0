import type { FundVat, MoveTarget } from '../domain/refundHoldings';
import type { AuditMeta } from './configWrites';
import type { Executor } from './executor';
import { moveAllocation, type Source, transferBetweenFunds } from './journalsPosting';
import { reverseManualJournal } from './journalsReverse';

/**
 * A manual journal as asked for, after its checks and before it is posted: what the journal
 * routes post at once, or hold for a second person's approval above the threshold
 * (db/journalApprovals.ts). Plain JSON, so it can wait in a jsonb column.
 */
export type JournalRequest =
  | {
      kind: 'move';
      source: Source;
      from: { fundCode: string; reference: string };
      to: MoveTarget;
      amountPence: number;
      /** The date asked for; null: the day it is posted. */
      postingDate: string | null;
    }
  | {
      kind: 'transfer';
      from: { fundCode: string; reference: string | null };
      to: { fundCode: string; reference: string | null };
      amountPence: number;
      vat: { from: FundVat; to: FundVat } | null;
      postingDate: string | null;
    }
  | { kind: 'reverse'; journalId: string; amountPence: number; postingDate: string | null };

/** The funds a request touches, for the approver's fund-group scope. */
export function fundsOf(request: JournalRequest): string[] {
  return request.kind === 'reverse' ? [] : [request.from.fundCode, request.to.fundCode];
}

/** Posts the request: one transaction, the journal and its audit row (who asked, and why). */
export function postJournalRequest(
  db: Executor,
  request: JournalRequest,
  options: { idempotencyKey: string; today: string },
  meta: AuditMeta & { reason: string },
) {
  const postingDate = request.postingDate ?? options.today;
  const { idempotencyKey } = options;
  switch (request.kind) {
    case 'move': {
      const { source, from, to, amountPence } = request;
      return moveAllocation(
        db,
        { source, from, to, amountPence, postingDate, idempotencyKey },
        meta,
      );
    }
    case 'transfer': {
      const { from, to, amountPence, vat } = request;
      return transferBetweenFunds(
        db,
        { from, to, amountPence, vat, postingDate, idempotencyKey },
        meta,
      );
    }
    case 'reverse':
      return reverseManualJournal(db, { journalId: request.journalId, postingDate }, meta);
  }
}
