import { z } from 'zod';

/** Stuck workflows and what an operator may do about them (cancel, retry). */

export const workflowIdParams = z.object({ workflowId: z.string().min(1).max(400) });

/** Cancelling or resetting a running workflow changes money flows: the why is required. */
export const workflowActionBody = z
  .object({ reason: z.string().trim().min(1).max(500) })
  .strict()
  .meta({ id: 'WorkflowActionRequest' });

const pendingActivitySchema = z.object({
  activityId: z.string(),
  activityType: z.string(),
  state: z.string().describe('scheduled, started, cancel_requested, paused'),
  attempt: z.number().int().describe('1 on the first try; retries count up'),
  lastFailure: z.string().nullable().describe('The last attempt’s error message, if it failed'),
  nextAttemptAt: z.string().nullable(),
});

export const stuckWorkflowSchema = z
  .object({
    workflowId: z.string(),
    runId: z.string(),
    workflowType: z.string(),
    taskQueue: z.string(),
    kind: z.string().nullable().describe('The ImsKind search attribute'),
    state: z.string().nullable().describe('The ImsState search attribute'),
    startedAt: z.string(),
    runningMs: z.number().int(),
    expectedMaxMs: z
      .number()
      .int()
      .nullable()
      .describe('How long this type normally runs; null when long runs are normal'),
    overdue: z.boolean().describe('Running longer than expectedMaxMs'),
    waitingIsNormal: z
      .boolean()
      .describe(
        'Overdue, but in a state where a long wait is expected (a refund awaiting approval)',
      ),
    failing: z
      .boolean()
      .describe(
        'An activity has a last failure or attempt ≥ 3, or the workflow task keeps failing',
      ),
    flagged: z
      .boolean()
      .describe('Needs a person: failing, or overdue where waiting is not normal'),
    reasons: z.array(z.string()),
    workflowTaskAttempt: z.number().int().nullable(),
    cancelRequested: z.boolean().describe('Someone asked it to cancel; it has not stopped yet'),
    pendingActivities: z.array(pendingActivitySchema),
    temporalUiUrl: z.string(),
  })
  .meta({ id: 'StuckWorkflow' });

export const stuckWorkflowListSchema = z
  .object({
    scannedCount: z.number().int().describe('Running workflows looked at'),
    scanLimit: z.number().int(),
    truncated: z
      .boolean()
      .describe('More were running than scanLimit; the rest were not looked at'),
    workflows: z.array(stuckWorkflowSchema),
  })
  .meta({ id: 'StuckWorkflowList' });

export const workflowActionResultSchema = z
  .object({
    workflowId: z.string(),
    runId: z.string().describe('The run acted on'),
    newRunId: z.string().nullable().describe('For a retry: the run that continues the work'),
    resetToEventId: z.number().int().nullable(),
    auditId: z.string(),
  })
  .meta({ id: 'WorkflowActionResult' });
