import {
  ActivityFailure,
  type ActivityOptions,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  currentUpdateInfo,
  defineQuery,
  defineUpdate,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { businessDateOf } from '../domain/businessDate';
import { councilOfWorkflowId, councilWorkflowId } from '../domain/council';
import {
  type AgeingStep,
  type AllocationPart,
  ageingDueEpochMs,
  priorityAtStep,
  type SuspenseAgeing,
  type SuspenseState,
  updateRefusals,
} from '../domain/suspense';
import {
  allocateRefusal,
  approveWriteOffRefusal,
  assignRefusal,
  holdRefusal,
  noteRefusal,
  type Refusal,
  refundRefusal,
  rejectWriteOffRefusal,
  type SuspenseStatus,
  writeOffRefusal,
} from '../domain/suspenseRules';
import { type RefundWorkflowInput, refundWorkflow, refundWorkflowId } from './refund';
import {
  imsAmountPenceKey,
  imsFundCodesKey,
  imsImportIdKey,
  imsKindKey,
  imsStateKey,
} from './searchAttributes';

/**
 * One suspense item from arrival to allocated, refunded or written off. Staff act through
 * Updates whose synchronous validators (domain/suspenseRules.ts) refuse a bad request before it
 * enters history; the money core's check and every posting happen in activities, keyed by the
 * update's id. Timers raise the item's priority as it ages in working days.
 */
export type { SuspenseStatus };

export type SuspenseWorkflowInput = {
  suspenseId: string;
  amountPence: number;
  remainingPence: number;
  receivedDate: string;
  fundCodeHint: string | null;
  importId: string | null;
  ageing: SuspenseAgeing;
};

type Actor = { actor: string };
export type AllocateRequest = Actor & {
  parts: AllocationPart[];
  totalPence: number;
  reason?: string;
  permissions?: string[];
};
export type AllocateResult = { journalId: string; remainingPence: number; state: SuspenseState };
export type SuspenseRefundRequest = Actor & {
  refundId: string;
  amountPence: number;
  approvalRequired: boolean;
  poll: RefundWorkflowInput['poll'];
};

export const allocateUpdate = defineUpdate<AllocateResult, [AllocateRequest]>('allocate');
export const addNoteUpdate = defineUpdate<SuspenseStatus, [Actor & { text: string }]>('addNote');
export const assignUpdate = defineUpdate<SuspenseStatus, [Actor & { assignee: string }]>('assign');
export const writeOffUpdate = defineUpdate<SuspenseStatus, [Actor & { reason: string }]>(
  'writeOff',
);
export const approveWriteOffUpdate = defineUpdate<SuspenseStatus, [Actor]>('approveWriteOff');
export const rejectWriteOffUpdate = defineUpdate<SuspenseStatus, [Actor & { reason: string }]>(
  'rejectWriteOff',
);
/**
 * Allocating several items in one journal: the API holds each item's share first (so nothing
 * else can take it), posts the one journal, then settles each hold as posted (the money has
 * left) or released (it has not). Both are idempotent by hold id.
 */
export type HoldRequest = Actor & { holdId: string; amountPence: number };
export type SettleHoldRequest = Actor & { holdId: string; journalId: string | null };
export const holdUpdate = defineUpdate<SuspenseStatus, [HoldRequest]>('hold');
export const settleHoldUpdate = defineUpdate<SuspenseStatus, [SettleHoldRequest]>('settleHold');
/** Refunds what remains, or part of it, by bank credit: a child RefundWorkflow. */
export const refundUpdate = defineUpdate<{ refundId: string }, [SuspenseRefundRequest]>('refund');
export const stateQuery = defineQuery<SuspenseStatus>('state');

export function suspenseWorkflowId(councilId: string, suspenseId: string): string {
  return councilWorkflowId(councilId, suspenseId);
}

const databaseActivityOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '200 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: [updateRefusals.allocationRefused],
  },
};
const acts = proxyActivities<Activities>(databaseActivityOptions);

/** Throws the refusal as the update's failure: type and field travel to the API in details. */
function raise(refusal: Refusal | null): void {
  if (refusal === null) return;
  const { type, problem } = refusal;
  throw ApplicationFailure.create({
    type,
    message: `${problem.field} ${problem.message}`,
    details: [problem],
    nonRetryable: true,
  });
}

/** The money core's refusal, raised in an activity, becomes the update's own failure. */
function asUpdateFailure(error: unknown): unknown {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  if (cause instanceof ApplicationFailure && cause.type === updateRefusals.allocationRefused) {
    const { type, message, details } = cause;
    return ApplicationFailure.create({
      type,
      message,
      details: [...(details ?? [])],
      nonRetryable: true,
    });
  }
  return error;
}

export async function suspenseWorkflow(input: SuspenseWorkflowInput): Promise<SuspenseStatus> {
  const { suspenseId } = input;
  const status: SuspenseStatus = {
    suspenseId,
    state: input.remainingPence > 0 ? 'open' : 'allocated',
    amountPence: input.amountPence,
    remainingPence: input.remainingPence,
    reservedPence: 0,
    holds: {},
    priority: 'normal',
    overdue: false,
    assignedTo: null,
    writeOff: null,
    notes: [],
    history: [],
  };
  const refundsInFlight: Promise<void>[] = [];
  const record = (actor: string, event: string, detail = '') =>
    status.history.push({ at: new Date().toISOString(), actor, event, detail });
  const settle = (state: SuspenseState) => {
    if (status.remainingPence === 0 && status.reservedPence === 0) status.state = state;
    upsertSearchAttributes([
      { key: imsStateKey, value: status.state },
      { key: imsAmountPenceKey, value: status.remainingPence },
    ]);
  };
  const updateId = () => currentUpdateInfo()?.id ?? uuid4();
  const today = () => businessDateOf(Date.now());
  // Handlers run concurrently: one at a time moves money, re-checking its rule once it may.
  let busy = false;
  const exclusive = async <T>(check: () => Refusal | null, work: () => Promise<T>) => {
    await condition(() => !busy);
    busy = true;
    try {
      raise(check());
      return await work();
    } finally {
      busy = false;
    }
  };

  setHandler(stateQuery, () => status);

  setHandler(
    allocateUpdate,
    (request) =>
      exclusive(
        () => allocateRefusal(status, request),
        async () => {
          const { actor, parts, totalPence } = request;
          const result = await acts
            .allocateFromSuspense({
              suspenseId,
              updateId: updateId(),
              actor,
              parts,
              reason: request.reason ?? null,
              permissions: request.permissions ?? [],
              postingDate: today(),
            })
            .catch((error: unknown) => {
              throw asUpdateFailure(error);
            });
          status.remainingPence -= totalPence;
          record(actor, 'allocated', `${totalPence} pence, journal ${result.journalId}`);
          settle('allocated');
          return {
            journalId: result.journalId,
            remainingPence: status.remainingPence,
            state: status.state,
          };
        },
      ),
    { validator: (request) => raise(allocateRefusal(status, request)) },
  );

  setHolds(status, record, settle, exclusive);

  setHandler(
    addNoteUpdate,
    async ({ actor, text }) => {
      await acts.recordSuspenseWork({
        suspenseId,
        updateId: updateId(),
        event: 'note',
        actor,
        text,
      });
      status.notes.push({ at: new Date().toISOString(), actor, text });
      record(actor, 'note');
      return status;
    },
    { validator: ({ text }) => raise(noteRefusal(status, text)) },
  );

  setHandler(
    assignUpdate,
    async ({ actor, assignee }) => {
      await acts.recordSuspenseWork({
        suspenseId,
        updateId: updateId(),
        event: 'assigned',
        actor,
        detail: { assignee },
        assignedTo: assignee,
      });
      status.assignedTo = assignee;
      record(actor, 'assigned', assignee);
      return status;
    },
    { validator: ({ assignee }) => raise(assignRefusal(status, assignee)) },
  );

  setHandler(
    writeOffUpdate,
    ({ actor, reason }) =>
      exclusive(
        () => writeOffRefusal(status, reason),
        async () => {
          const amountPence = status.remainingPence;
          status.writeOff = { requestedBy: actor, reason, amountPence };
          await acts.recordSuspenseWork({
            suspenseId,
            updateId: updateId(),
            event: 'write_off_requested',
            actor,
            reason,
            detail: { amountPence },
            work: { writeOffRequestedBy: actor, writeOffReason: reason },
          });
          record(actor, 'write_off_requested', reason);
          return status;
        },
      ),
    { validator: ({ reason }) => raise(writeOffRefusal(status, reason)) },
  );

  setHandler(
    approveWriteOffUpdate,
    ({ actor }) =>
      exclusive(
        () => approveWriteOffRefusal(status, actor),
        async () => {
          const { amountPence, reason, requestedBy } = status.writeOff!;
          await acts.writeOffSuspense({
            suspenseId,
            updateId: updateId(),
            actor,
            amountPence,
            reason: `${reason} (requested by ${requestedBy}, approved by ${actor})`,
            postingDate: today(),
          });
          status.remainingPence -= amountPence;
          record(actor, 'written_off', `${amountPence} pence`);
          settle('written_off');
          return status;
        },
      ),
    { validator: ({ actor }) => raise(approveWriteOffRefusal(status, actor)) },
  );

  setHandler(
    rejectWriteOffUpdate,
    ({ actor, reason }) =>
      exclusive(
        () => rejectWriteOffRefusal(status, actor, reason),
        async () => {
          const requestedBy = status.writeOff?.requestedBy ?? null;
          await acts.recordSuspenseWork({
            suspenseId,
            updateId: updateId(),
            event: 'write_off_rejected',
            actor,
            reason,
            detail: { requestedBy },
            work: { writeOffRequestedBy: null, writeOffReason: null },
          });
          status.writeOff = null;
          record(actor, 'write_off_rejected', reason);
          return status;
        },
      ),
    { validator: ({ actor, reason }) => raise(rejectWriteOffRefusal(status, actor, reason)) },
  );

  setHandler(
    refundUpdate,
    (request) =>
      exclusive(
        () => refundRefusal(status, request.amountPence),
        async () => {
          status.reservedPence += request.amountPence;
          const child = await startChild(refundWorkflow, {
            workflowId: refundWorkflowId(
              councilOfWorkflowId(workflowInfo().workflowId),
              request.refundId,
            ),
            // A refund under way must finish even if this item's workflow were ended.
            parentClosePolicy: ParentClosePolicy.ABANDON,
            args: [
              {
                refundId: request.refundId,
                method: 'bacs',
                sourceType: 'suspense',
                sourceId: suspenseId,
                amountPence: request.amountPence,
                requestedBy: request.actor,
                approvalRequired: request.approvalRequired,
                fundCodes: [],
                poll: request.poll,
              },
            ],
          });
          record(request.actor, 'refund_requested', request.refundId);
          const finished = child.result().then((refund) => {
            status.reservedPence -= request.amountPence;
            // Posted (a journal): the money has left suspense, even while a bank refund
            // still waits for its BACS file.
            if (refund.journalId !== null) status.remainingPence -= request.amountPence;
            record(`workflow:${request.refundId}`, `refund_${refund.state}`, request.refundId);
            settle('refunded');
          });
          refundsInFlight.push(finished);
          return { refundId: request.refundId };
        },
      ),
    { validator: (request) => raise(refundRefusal(status, request.amountPence)) },
  );

  upsertSearchAttributes([
    { key: imsKindKey, value: 'suspense' },
    ...(input.fundCodeHint === null ? [] : [{ key: imsFundCodesKey, value: [input.fundCodeHint] }]),
    ...(input.importId === null ? [] : [{ key: imsImportIdKey, value: input.importId }]),
  ]);
  settle(status.state);
  await age(input, status, record);
  await condition(() => status.state !== 'open');
  await Promise.all(refundsInFlight);
  await condition(allHandlersFinished);
  return status;
}

/** The hold and settle handlers of an allocation of several items together. */
function setHolds(
  status: SuspenseStatus,
  record: (actor: string, event: string, detail?: string) => void,
  settle: (state: SuspenseState) => void,
  exclusive: <T>(check: () => Refusal | null, work: () => Promise<T>) => Promise<T>,
): void {
  setHandler(
    holdUpdate,
    (request) =>
      exclusive(
        () => holdRefusal(status, request),
        async () => {
          if (status.holds[request.holdId] !== undefined) return status;
          status.holds[request.holdId] = request.amountPence;
          status.reservedPence += request.amountPence;
          record(request.actor, 'held', `${request.amountPence} pence for ${request.holdId}`);
          return status;
        },
      ),
    { validator: (request) => raise(holdRefusal(status, request)) },
  );
  setHandler(settleHoldUpdate, ({ actor, holdId, journalId }) =>
    exclusive(
      () => null,
      async () => {
        const amountPence = status.holds[holdId];
        if (amountPence === undefined) return status;
        delete status.holds[holdId];
        status.reservedPence -= amountPence;
        if (journalId !== null) {
          status.remainingPence -= amountPence;
          record(actor, 'allocated', `${amountPence} pence, journal ${journalId}`);
        } else record(actor, 'hold_released', holdId);
        settle('allocated');
        return status;
      },
    ),
  );
}

/** Waits for each ageing step in turn, unless the item closes first. */
async function age(
  input: SuspenseWorkflowInput,
  status: SuspenseStatus,
  record: (actor: string, event: string, detail?: string) => void,
): Promise<void> {
  const startedAtMs = workflowInfo().runStartTime.getTime();
  for (const step of ['overdue', 'escalated'] as AgeingStep[]) {
    const dueMs = ageingDueEpochMs(input.ageing, step, input.receivedDate, startedAtMs);
    const closed = await condition(() => status.state !== 'open', Math.max(1, dueMs - Date.now()));
    if (closed) return;
    await acts.markSuspenseAgeing({ suspenseId: input.suspenseId, step });
    status.priority = priorityAtStep[step];
    status.overdue = true;
    record(`workflow:${input.suspenseId}`, step, status.priority);
  }
}
