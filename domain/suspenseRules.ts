import {
  type AllocationPart,
  checkSplit,
  poundsOf,
  type SuspensePriority,
  type SuspenseState,
  textProblem,
  type UpdateProblem,
  type UpdateRefusalType,
  updateRefusals,
} from './suspense';

/**
 * The rules a SuspenseWorkflow's update validators apply: synchronous, deterministic and pure,
 * reading only the workflow's own state, so a refused request never enters history. Each
 * returns null to accept, or the failure type and the field to blame.
 */

export type SuspenseStatus = {
  suspenseId: string;
  state: SuspenseState;
  amountPence: number;
  remainingPence: number;
  /** Held back for refunds in flight and holds: not available to allocate or write off. */
  reservedPence: number;
  /**
   * Money held for an allocation of several items together (api/routes/suspenseTogether.ts),
   * by hold id: counted in reservedPence until the hold is settled, posted or released.
   */
  holds: Record<string, number>;
  priority: SuspensePriority;
  overdue: boolean;
  assignedTo: string | null;
  writeOff: { requestedBy: string; reason: string; amountPence: number } | null;
  notes: { at: string; actor: string; text: string }[];
  history: { at: string; actor: string; event: string; detail: string }[];
};

export type Refusal = { type: UpdateRefusalType; problem: UpdateProblem };

const wrongState = (message: string): Refusal => ({
  type: updateRefusals.wrongState,
  problem: { field: 'state', message },
});
const invalid = (problem: UpdateProblem | null): Refusal | null =>
  problem === null ? null : { type: updateRefusals.invalid, problem };

export function availablePence(status: SuspenseStatus): number {
  return status.remainingPence - status.reservedPence;
}

/** Open, and (when money would move) no write-off waiting for its approver. */
export function workableRefusal(status: SuspenseStatus, moneyMoves: boolean): Refusal | null {
  if (status.state !== 'open') return wrongState(`the item is ${status.state}`);
  if (moneyMoves && status.writeOff !== null) return wrongState('a write-off is awaiting approval');
  return null;
}

export function allocateRefusal(
  status: SuspenseStatus,
  request: { parts: AllocationPart[]; totalPence: number },
): Refusal | null {
  return workableRefusal(status, true) ?? invalid(checkSplit(request, availablePence(status)));
}

export function noteRefusal(status: SuspenseStatus, text: unknown): Refusal | null {
  return workableRefusal(status, false) ?? invalid(textProblem('text', text));
}

export function assignRefusal(status: SuspenseStatus, assignee: unknown): Refusal | null {
  return workableRefusal(status, false) ?? invalid(textProblem('assignee', assignee, 64));
}

export function writeOffRefusal(status: SuspenseStatus, reason: unknown): Refusal | null {
  const blocked = workableRefusal(status, true);
  if (blocked !== null) return blocked;
  if (status.reservedPence > 0) return wrongState('a refund is in flight');
  if (availablePence(status) <= 0) return wrongState('nothing remains to write off');
  return invalid(textProblem('reason', reason, 500));
}

/** Four-eyes: whoever asked for the write-off cannot be the one who decides it. */
function writeOffDecisionRefusal(status: SuspenseStatus, actor: string): Refusal | null {
  if (status.state !== 'open' || status.writeOff === null)
    return wrongState('no write-off is awaiting approval');
  if (actor === status.writeOff.requestedBy) {
    return {
      type: updateRefusals.fourEyes,
      problem: {
        field: 'actor',
        message: 'must not be the person who requested the write-off',
      },
    };
  }
  return null;
}

export function approveWriteOffRefusal(status: SuspenseStatus, actor: string): Refusal | null {
  return writeOffDecisionRefusal(status, actor);
}

/** Rejecting a requested write-off: the money stays in suspense; the reason goes on record. */
export function rejectWriteOffRefusal(
  status: SuspenseStatus,
  actor: string,
  reason: unknown,
): Refusal | null {
  return writeOffDecisionRefusal(status, actor) ?? invalid(textProblem('reason', reason, 500));
}

export function refundRefusal(status: SuspenseStatus, amountPence: number): Refusal | null {
  const blocked = workableRefusal(status, true);
  if (blocked !== null) return blocked;
  if (!Number.isSafeInteger(amountPence) || amountPence <= 0)
    return invalid({ field: 'amountPence', message: 'must be a positive whole number' });
  const left = availablePence(status);
  if (amountPence > left)
    return invalid({
      field: 'amountPence',
      message: `only ${poundsOf(left)} is available to refund`,
    });
  return null;
}

/**
 * Holding money for an allocation of several items in one journal: the item must be workable
 * and have the amount available. A hold already taken (a retried request) is accepted as is.
 */
export function holdRefusal(
  status: SuspenseStatus,
  request: { holdId: string; amountPence: number },
): Refusal | null {
  if (status.holds[request.holdId] !== undefined) return null;
  const blocked = workableRefusal(status, true);
  if (blocked !== null) return blocked;
  if (!Number.isSafeInteger(request.amountPence) || request.amountPence <= 0)
    return invalid({ field: 'amountPence', message: 'must be a positive whole number' });
  const left = availablePence(status);
  if (request.amountPence > left)
    return invalid({
      field: 'amountPence',
      message: `only ${poundsOf(left)} is available to allocate`,
    });
  return null;
}
