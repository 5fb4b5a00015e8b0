import {
  addNote,
  approveReturn,
  rejectReturn,
  saveContent,
  submitReturn,
  voidReturn,
} from '../db/cashReturns';
import type { Database } from '../db/client';
import type { ReturnContent, ReturnProblem } from '../domain/cashReturn';

/**
 * The side effects of a cash return: each step writes the return's row (and, on approval, the
 * over/short journal) in one transaction. Each is safe to repeat: a retry finds the row moved
 * and changes nothing, and the over/short journal is posted once by its idempotency key.
 */
export function createCashReturnActivities(deps: { db: Database }) {
  const { db } = deps;
  return {
    async saveCashReturn(input: { returnId: string; content: ReturnContent }): Promise<void> {
      await saveContent(db, input.returnId, input.content);
    },
    async noteCashReturn(input: { returnId: string; actor: string; text: string }): Promise<void> {
      await addNote(db, input.returnId, { by: input.actor, text: input.text });
    },
    /** Every problem that stops the return being submitted; none when it was. */
    async submitCashReturn(input: { returnId: string }): Promise<ReturnProblem[]> {
      return submitReturn(db, input.returnId);
    },
    async approveCashReturn(input: { returnId: string; actor: string }): Promise<void> {
      await approveReturn(db, input.returnId, input.actor);
    },
    async rejectCashReturn(input: { returnId: string; actor: string; reason: string }) {
      await rejectReturn(db, input.returnId, input.actor, input.reason);
    },
    async voidCashReturn(input: { returnId: string; actor: string; reason: string }) {
      await voidReturn(db, input.returnId, input.actor, input.reason);
    },
  };
}
