import { randomUUID } from 'node:crypto';
import {
  isGrpcServiceError,
  type WorkflowExecutionDescription,
  type WorkflowExecutionInfo,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { LoadedDataConverter } from '@temporalio/common';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { optionalTsToMs } from '@temporalio/common/lib/time.js';
import proto from '@temporalio/proto';
import { recordAudit } from '../../db/audit';
import { requireCouncil } from '../../db/councils';
import { assertCouncilId, councilOfWorkflowId, defaultCouncilId } from '../../domain/council';
import { classifyWorkflow, type PendingActivity } from '../../domain/stuckWorkflows';
import { temporalUiPath } from '../../web/temporalUi';
import { imsCouncilKey, imsKindKey, imsStateKey } from '../../workflows/searchAttributes';
import { actorOf, auditMetaOf } from '../actor';
import { temporalUiOrigins } from '../codecServer';
import type { ApiContext } from '../context';
import { ProblemError } from '../problem';
import { defineRoute } from '../route';
import {
  stuckWorkflowListSchema,
  workflowActionBody,
  workflowActionResultSchema,
  workflowIdParams,
} from '../schemas/operations';

// @temporalio/proto is CommonJS; its namespace object arrives as the default export under ESM.
const { temporal } = proto;

/**
 * Operations: which running workflows need a person, and the two things a person may do about
 * one (cancel it, or reset it to its last completed workflow task so it retries from there).
 * Both actions are audited with their reason in the same transaction as the Temporal call, so
 * an action that Temporal refused leaves no audit row and an accepted one always has its row.
 */

/**
 * The Temporal Web UI, for links from each row: TEMPORAL_UI_URL (platform/config.ts), else
 * /temporal when the IMS serves the UI itself (TEMPORAL_UI_UPSTREAM), else the first allowed UI
 * origin (TEMPORAL_UI_ORIGIN, or localhost on TEMPORAL_UI_PORT).
 */
function temporalUiBaseUrl(servedByIms: boolean): string {
  const configured = process.env.TEMPORAL_UI_URL;
  if (configured !== undefined && configured !== '') return configured.replace(/\/+$/, '');
  // Served by the IMS itself: a path on the IMS's own origin, whatever host the browser used.
  if (servedByIms) return temporalUiPath;
  const base = temporalUiOrigins()[0];
  return (base ?? 'http://localhost:8233').replace(/\/+$/, '');
}

export function temporalUiLink(
  ctx: Pick<ApiContext, 'namespace' | 'temporalUiUpstream'>,
  workflowId: string,
): string {
  const ns = encodeURIComponent(ctx.namespace);
  return `${temporalUiBaseUrl(ctx.temporalUiUpstream !== undefined)}/namespaces/${ns}/workflows/${encodeURIComponent(workflowId)}`;
}

/** Running workflows looked at per request: describing each is one call to Temporal. */
export const stuckScanLimit = 500;
const describeConcurrency = 8;

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

function activityState(activity: proto.temporal.api.workflow.v1.PendingActivityInfo.$Properties) {
  if (activity.paused === true) return 'paused';
  const name = temporal.api.enums.v1.PendingActivityState[activity.state ?? 0] ?? '';
  return name.replace(/^PENDING_ACTIVITY_STATE_/, '').toLowerCase();
}

/**
 * Failure messages are stored encrypted (platform/failureConverter.cjs); operations staff, who
 * may decrypt payloads anyway, see them decoded.
 */
async function failureMessage(
  converter: LoadedDataConverter,
  failure: proto.temporal.api.failure.v1.IFailure | null | undefined,
): Promise<string | null> {
  if (failure === null || failure === undefined) return null;
  try {
    return (await decodeOptionalFailureToOptionalError(converter, failure))?.message || null;
  } catch {
    return failure.message || null;
  }
}

async function pendingActivitiesOf(
  converter: LoadedDataConverter,
  description: WorkflowExecutionDescription,
): Promise<PendingActivity[]> {
  return Promise.all(
    (description.raw.pendingActivities ?? []).map(async (activity) => ({
      activityId: activity.activityId ?? '',
      activityType: activity.activityType?.name ?? '',
      state: activityState(activity),
      attempt: activity.attempt ?? 0,
      lastFailure: await failureMessage(converter, activity.lastFailure),
      nextAttemptAt: iso(optionalTsToMs(activity.nextAttemptScheduleTime)),
    })),
  );
}

/**
 * Visibility query for the workflows of one council. The default council's include those from
 * before tenancy, which carry no ImsCouncil attribute.
 */
export function councilWorkflowsQuery(councilId: string): string {
  assertCouncilId(councilId);
  return councilId === defaultCouncilId
    ? `(${imsCouncilKey.name} = '${councilId}' OR ${imsCouncilKey.name} IS NULL)`
    : `${imsCouncilKey.name} = '${councilId}'`;
}

/** The first `limit` running workflows of the caller's council, and whether there were more. */
async function runningWorkflows(ctx: ApiContext, limit: number) {
  const infos: WorkflowExecutionInfo[] = [];
  const query = `ExecutionStatus='Running' AND ${councilWorkflowsQuery(requireCouncil())}`;
  for await (const info of ctx.temporal.workflow.list({ query, pageSize: 100 })) {
    if (infos.length === limit) return { infos, truncated: true };
    infos.push(info);
  }
  return { infos, truncated: false };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>) {
  const results: R[] = [];
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** One listed workflow as a row, or null when it finished meanwhile or needs nobody. */
async function stuckRow(ctx: ApiContext, info: WorkflowExecutionInfo, now: number) {
  let description: WorkflowExecutionDescription;
  try {
    description = await ctx.temporal.workflow.getHandle(info.workflowId, info.runId).describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
  if (description.status.name !== 'RUNNING') return null;
  const attributes = description.typedSearchAttributes;
  const state = attributes.get(imsStateKey) ?? null;
  const runningMs = Math.max(0, now - description.startTime.getTime());
  const pendingActivities = await pendingActivitiesOf(
    ctx.temporal.options.loadedDataConverter,
    description,
  );
  const workflowTaskAttempt = description.raw.pendingWorkflowTask?.attempt ?? null;
  const verdict = classifyWorkflow({
    workflowType: description.type,
    state,
    runningMs,
    pendingActivities,
    workflowTaskAttempt,
  });
  if (!verdict.overdue && !verdict.failing) return null;
  return {
    workflowId: description.workflowId,
    runId: description.runId,
    workflowType: description.type,
    taskQueue: description.taskQueue,
    kind: attributes.get(imsKindKey) ?? null,
    state,
    startedAt: description.startTime.toISOString(),
    runningMs,
    ...verdict,
    workflowTaskAttempt,
    cancelRequested: description.raw.workflowExtendedInfo?.cancelRequested === true,
    pendingActivities,
    temporalUiUrl: temporalUiLink(ctx, description.workflowId),
  };
}

/** Temporal's refusals as problems: a workflow it does not know, or one already closed. */
async function temporalCall<T>(work: () => Promise<T>, workflowId: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError)
      throw new ProblemError('not_found', `No workflow ${workflowId}`);
    if (isGrpcServiceError(error)) {
      if (error.code === 5) throw new ProblemError('not_found', `No workflow ${workflowId}`);
      if (error.code === 9 || error.code === 6)
        throw new ProblemError('conflict', `Workflow ${workflowId}: ${error.details}`);
    }
    throw error;
  }
}

/** The current run of a workflow, refused unless it is running. */
async function runningRun(ctx: ApiContext, workflowId: string) {
  // Another council's workflow is, for this caller, a workflow that does not exist.
  if (councilOfWorkflowId(workflowId) !== requireCouncil())
    throw new ProblemError('not_found', `No workflow ${workflowId}`);
  const handle = ctx.temporal.workflow.getHandle(workflowId);
  const description = await temporalCall(() => handle.describe(), workflowId);
  if (description.status.name !== 'RUNNING') {
    throw new ProblemError(
      'conflict',
      `Workflow ${workflowId} is not running (${description.status.name.toLowerCase()})`,
    );
  }
  return description;
}

/** The id of the last WorkflowTaskCompleted event: where a reset makes the workflow retry from. */
function lastCompletedTaskEventId(
  events: readonly proto.temporal.api.history.v1.IHistoryEvent[],
): proto.temporal.api.history.v1.IHistoryEvent['eventId'] | null {
  const completed = temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED;
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index];
    if (event?.eventType === completed) return event.eventId ?? null;
  }
  return null;
}

const tags = ['operations'];

export function operationsRoutes(ctx: ApiContext) {
  const identity = (actorId: string) => `ims-api:${actorId}`;
  return [
    defineRoute({
      method: 'get',
      path: '/v1/operations/stuck',
      operationId: 'listStuckWorkflows',
      access: { permission: 'operations' },
      summary:
        'Running workflows that outlived their type’s usual time or whose activities keep failing',
      tags,
      successStatus: 200,
      success: {
        description: 'Flagged first, then the longest running',
        schema: stuckWorkflowListSchema,
      },
      handler: async () => {
        const now = Date.now();
        const { infos, truncated } = await runningWorkflows(ctx, stuckScanLimit);
        const rows = await mapLimit(infos, describeConcurrency, (info) => stuckRow(ctx, info, now));
        const workflows = rows
          .filter((row) => row !== null)
          .sort((a, b) => Number(b.flagged) - Number(a.flagged) || b.runningMs - a.runningMs);
        return { scannedCount: infos.length, scanLimit: stuckScanLimit, truncated, workflows };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/operations/workflows/:workflowId/cancel',
      operationId: 'cancelWorkflow',
      access: { permission: 'operations' },
      summary:
        'Ask a running workflow to cancel; the reason goes to Temporal and to the audit trail',
      tags,
      params: workflowIdParams,
      body: workflowActionBody,
      successStatus: 200,
      success: { description: 'Cancellation requested', schema: workflowActionResultSchema },
      errors: {
        404: 'No such workflow',
        409: 'The workflow is not running, or its cancellation was already requested',
      },
      handler: async ({ params, body, req, res }) => {
        const run = await runningRun(ctx, params.workflowId);
        if (run.raw.workflowExtendedInfo?.cancelRequested === true) {
          throw new ProblemError(
            'conflict',
            `Cancellation of workflow ${params.workflowId} was already requested`,
          );
        }
        const meta = auditMetaOf({ req, res }, body.reason);
        const auditId = await ctx.db.transaction(async (tx) => {
          const id = await recordAudit(tx, {
            ...meta,
            action: 'workflow.cancel',
            entityType: 'workflow',
            entityId: params.workflowId,
            before: { runId: run.runId, workflowType: run.type, taskQueue: run.taskQueue },
          });
          await temporalCall(
            () =>
              ctx.temporal.workflowService.requestCancelWorkflowExecution({
                namespace: ctx.namespace,
                workflowExecution: { workflowId: params.workflowId, runId: run.runId },
                identity: identity(actorOf(req, res).id),
                requestId: randomUUID(),
                reason: body.reason,
              }),
            params.workflowId,
          );
          return id;
        });
        return {
          workflowId: params.workflowId,
          runId: run.runId,
          newRunId: null,
          resetToEventId: null,
          auditId,
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/operations/workflows/:workflowId/retry',
      operationId: 'retryWorkflow',
      access: { permission: 'operations' },
      summary:
        'Reset a running workflow to its last completed workflow task, so it retries from there with fresh activity attempts (audited)',
      tags,
      params: workflowIdParams,
      body: workflowActionBody,
      successStatus: 200,
      success: { description: 'Reset: a new run continues', schema: workflowActionResultSchema },
      errors: {
        404: 'No such workflow',
        409: 'The workflow is not running, or has no completed workflow task to reset to',
      },
      handler: async ({ params, body, req, res }) => {
        const run = await runningRun(ctx, params.workflowId);
        const handle = ctx.temporal.workflow.getHandle(params.workflowId, run.runId);
        const history = await temporalCall(() => handle.fetchHistory(), params.workflowId);
        const eventId = lastCompletedTaskEventId(history.events ?? []);
        if (eventId === null || eventId === undefined) {
          throw new ProblemError(
            'conflict',
            `Workflow ${params.workflowId} has not completed a workflow task yet: nothing to reset to`,
          );
        }
        const resetToEventId = Number(eventId.toString());
        const meta = auditMetaOf({ req, res }, body.reason);
        return ctx.db.transaction(async (tx) => {
          const auditId = await recordAudit(tx, {
            ...meta,
            action: 'workflow.reset',
            entityType: 'workflow',
            entityId: params.workflowId,
            before: { runId: run.runId, workflowType: run.type, taskQueue: run.taskQueue },
            after: { resetToEventId },
          });
          const reset = await temporalCall(
            () =>
              ctx.temporal.workflowService.resetWorkflowExecution({
                namespace: ctx.namespace,
                workflowExecution: { workflowId: params.workflowId, runId: run.runId },
                reason: body.reason,
                workflowTaskFinishEventId: eventId,
                requestId: randomUUID(),
                // Signals (a PSP event) and updates (a refund approval) that arrived after the
                // reset point are applied again to the new run rather than lost.
                resetReapplyType:
                  temporal.api.enums.v1.ResetReapplyType.RESET_REAPPLY_TYPE_ALL_ELIGIBLE,
                identity: identity(actorOf(req, res).id),
              }),
            params.workflowId,
          );
          return {
            workflowId: params.workflowId,
            runId: run.runId,
            newRunId: reset.runId ?? null,
            resetToEventId,
            auditId,
          };
        });
      },
    }),
  ];
}
