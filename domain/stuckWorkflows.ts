/**
 * Which running workflows operations staff should look at: those running longer than their
 * type should, and those whose activities or workflow tasks keep failing. Pure rules, so the
 * thresholds are read and tested in one place; the API route fetches what they judge.
 */
const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;

/**
 * How long each workflow type normally runs. Null: long runs are the design (a suspense item
 * lives until it is allocated or written off), so only failing activities put it on the list.
 * `normalWaitStates`: states where outliving `expectedMaxMs` is listed but not flagged.
 */
type Expectation = { expectedMaxMs: number | null; normalWaitStates?: readonly string[] };

export const workflowExpectations: Record<string, Expectation> = {
  paymentWorkflow: { expectedMaxMs: 2 * hourMs },
  importWorkflow: { expectedMaxMs: hourMs },
  refundWorkflow: { expectedMaxMs: 5 * dayMs, normalWaitStates: ['awaiting_approval'] },
  suspenseWorkflow: { expectedMaxMs: null },
  settlementWorkflow: { expectedMaxMs: hourMs },
  closeOfDayWorkflow: { expectedMaxMs: hourMs },
  probeWorkflow: { expectedMaxMs: 10 * minuteMs },
  // A cashier's return is counted and submitted the same day; approval may take a few days.
  cashReturnWorkflow: { expectedMaxMs: 3 * dayMs, normalWaitStates: ['submitted'] },
};

const unknownTypeExpectation: Expectation = { expectedMaxMs: hourMs };

/** An activity on its third try, or one whose last try failed, is not going to fix itself. */
export const failingAttemptMin = 3;

export type PendingActivity = {
  activityId: string;
  activityType: string;
  state: string;
  attempt: number;
  lastFailure: string | null;
  nextAttemptAt: string | null;
};

export type Classification = {
  expectedMaxMs: number | null;
  overdue: boolean;
  waitingIsNormal: boolean;
  failing: boolean;
  flagged: boolean;
  reasons: string[];
};

function hoursText(ms: number): string {
  if (ms >= dayMs) return `${Math.floor(ms / dayMs)} days`;
  if (ms >= hourMs) return `${Math.floor(ms / hourMs)} hours`;
  return `${Math.floor(ms / minuteMs)} minutes`;
}

/** Whether a running workflow belongs on the list, and why; pure, for the route and its tests. */
export function classifyWorkflow(input: {
  workflowType: string;
  state: string | null;
  runningMs: number;
  pendingActivities: readonly PendingActivity[];
  workflowTaskAttempt: number | null;
}): Classification {
  const expectation = workflowExpectations[input.workflowType] ?? unknownTypeExpectation;
  const { expectedMaxMs } = expectation;
  const overdue = expectedMaxMs !== null && input.runningMs > expectedMaxMs;
  const waitingIsNormal =
    overdue && input.state !== null && (expectation.normalWaitStates ?? []).includes(input.state);
  const reasons: string[] = [];
  if (overdue) {
    reasons.push(
      waitingIsNormal
        ? `Running over ${hoursText(expectedMaxMs)}, but waiting is normal while ${input.state}`
        : `Running over ${hoursText(expectedMaxMs)}, longer than a ${input.workflowType} should`,
    );
  }
  for (const activity of input.pendingActivities) {
    if (activity.attempt >= failingAttemptMin || activity.lastFailure !== null) {
      const why = activity.lastFailure === null ? '' : `: ${activity.lastFailure}`;
      reasons.push(`${activity.activityType} on attempt ${activity.attempt}${why}`);
    }
  }
  const taskFailing = (input.workflowTaskAttempt ?? 0) >= failingAttemptMin;
  if (taskFailing) reasons.push(`Workflow task on attempt ${input.workflowTaskAttempt}`);
  const failing = taskFailing || reasons.length > (overdue ? 1 : 0);
  return {
    expectedMaxMs,
    overdue,
    waitingIsNormal,
    failing,
    flagged: failing || (overdue && !waitingIsNormal),
    reasons,
  };
}
