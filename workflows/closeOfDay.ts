import {
  ApplicationFailure,
  executeChild,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ClosedDaySummary } from '../activities/closeOfDay';
import { councilOfWorkflowId, councilWorkflowId } from '../domain/council';

/**
 * Closes one business day: its GL export and fund feed are produced and stored, and the day
 * takes no more journals. Started by finance (POST /v1/close-of-day) with a date, or by the
 * nightly schedule without one: then it works out yesterday and closes it in a child workflow
 * whose id is the day's, so a manual and a scheduled close of the same day cannot both run.
 */
export type CloseOfDayInput = {
  /** YYYY-MM-DD; absent means yesterday in UK local time (the schedule's case). */
  businessDate?: string;
  closedBy?: string;
  reason?: string;
  requestId?: string;
};

/** Null when the schedule found yesterday already closed by hand. */
export type CloseOfDayResult = ClosedDaySummary | null;

export const scheduledCloser = 'system:schedule';
const dayAlreadyClosed = 'DayAlreadyClosed';

export function closeOfDayWorkflowId(councilId: string, businessDate: string): string {
  return councilWorkflowId(councilId, `close-${businessDate}`);
}

// Closing is one database transaction over one day's postings: seconds, not minutes.
const closeActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 },
} as const;

const { closeBusinessDay, previousBusinessDate } =
  proxyActivities<Activities>(closeActivityOptions);

export async function closeOfDayWorkflow(input: CloseOfDayInput): Promise<CloseOfDayResult> {
  const closedBy = input.closedBy ?? scheduledCloser;
  if (input.businessDate !== undefined) {
    return closeBusinessDay({ ...input, businessDate: input.businessDate, closedBy });
  }
  const businessDate = await previousBusinessDate();
  try {
    return await executeChild(closeOfDayWorkflow, {
      workflowId: closeOfDayWorkflowId(
        councilOfWorkflowId(workflowInfo().workflowId),
        businessDate,
      ),
      args: [{ ...input, businessDate, closedBy }],
    });
  } catch (error) {
    if (causeType(error) === dayAlreadyClosed) return null;
    throw error;
  }
}

/** The failure type at the bottom of a child → activity failure chain. */
function causeType(error: unknown): string | undefined {
  let current: unknown = error;
  while (current instanceof Error) {
    if (current instanceof ApplicationFailure && current.type) return current.type;
    current = current.cause;
  }
  return undefined;
}
