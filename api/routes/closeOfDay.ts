import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  closedDaySummary,
  dayAlreadyClosedFailureType,
  dayNotEndedFailureType,
} from '../../activities/closeOfDay';
import { getClosedDay } from '../../db/closeOfDay';
import { requireCouncil } from '../../db/councils';
import { glExportLayout, saveGlExportLayout } from '../../db/glExport';
import type { StoredSetting } from '../../db/reconciliationSettings';
import type { GlLayout } from '../../domain/glExport';
import { closeOfDayWorkflow, closeOfDayWorkflowId } from '../../workflows/closeOfDay';
import { imsKindKey } from '../../workflows/searchAttributes';
import { auditMetaOf } from '../actor';
import type { ApiContext } from '../context';
import { ProblemError } from '../problem';
import { defineRoute } from '../route';
import {
  closedDaySchema,
  closeOfDayRequestSchema,
  dateParamsSchema,
  glLayoutRequestSchema,
  glLayoutSchema,
} from '../schemas/closeOfDay';

function layoutView({ value, configured, updatedBy, updatedAt }: StoredSetting<GlLayout>) {
  return { ...value, configured, updatedBy, updatedAt };
}

/** The application failure type at the bottom of a workflow → activity failure chain. */
export function failureTypeOf(error: unknown): string | undefined {
  let current: unknown = error;
  while (current instanceof Error) {
    if (current instanceof ApplicationFailure && current.type) return current.type;
    current = current.cause;
  }
  return undefined;
}

function refusalOf(error: unknown, date: string): ProblemError | null {
  if (error instanceof WorkflowExecutionAlreadyStartedError) {
    return new ProblemError('conflict', `Business day ${date} is being closed now`);
  }
  if (!(error instanceof WorkflowFailedError)) return null;
  const type = failureTypeOf(error);
  if (type === dayAlreadyClosedFailureType)
    return new ProblemError('conflict', `Business day ${date} is already closed`);
  if (type === dayNotEndedFailureType)
    return new ProblemError('unprocessable', `Business day ${date} has not ended yet`);
  return null;
}

async function closedDayOrNotFound(ctx: ApiContext, date: string) {
  const day = await getClosedDay(ctx.db, date);
  if (day === null) throw new ProblemError('not_found', `Business day ${date} is not closed`);
  return day;
}

/** Close of day: finance closes a day by hand; the nightly schedule does it otherwise. */
export function closeOfDayRoutes(ctx: ApiContext) {
  const csvRoute = (file: 'gl-export' | 'fund-feed', operationId: string, summary: string) =>
    defineRoute({
      method: 'get',
      path: `/v1/close-of-day/:date/${file}.csv`,
      operationId,
      access: { permission: 'view' },
      summary,
      tags: ['close of day'],
      params: dateParamsSchema,
      successStatus: 200,
      success: { description: 'The bytes stored when the day closed', contentType: 'text/csv' },
      errors: { 404: 'The day is not closed' },
      handler: async ({ params, res }) => {
        const day = await closedDayOrNotFound(ctx, params.date);
        const [body, digest] =
          file === 'gl-export'
            ? [day.glExportCsv, day.glExportSha256]
            : [day.fundFeedCsv, day.fundFeedSha256];
        res
          .status(200)
          .type('text/csv; charset=utf-8')
          .set('Content-Disposition', `attachment; filename="${file}-${params.date}.csv"`)
          .set('X-Content-Sha256', digest)
          .send(body);
        return undefined;
      },
    });
  return [
    // Before `/v1/close-of-day/:date`, which would otherwise take `gl-layout` for a date.
    defineRoute({
      method: 'get',
      path: '/v1/close-of-day/gl-layout',
      operationId: 'getGlLayout',
      access: { permission: 'view' },
      summary: 'The GL export layout days closed from now on are written in',
      tags: ['close of day'],
      successStatus: 200,
      success: { description: 'The layout', schema: glLayoutSchema },
      handler: async () => layoutView(await glExportLayout(ctx.db)),
    }),
    defineRoute({
      method: 'put',
      path: '/v1/close-of-day/gl-layout',
      operationId: 'putGlLayout',
      access: { permission: 'reconcile' },
      summary:
        'Replace the GL export layout (audited); closed days keep the layout they were written in',
      tags: ['close of day'],
      body: glLayoutRequestSchema,
      successStatus: 200,
      success: { description: 'The layout now in force', schema: glLayoutSchema },
      handler: async ({ body, req, res }) => {
        const { reason, ...layout } = body;
        const meta = auditMetaOf({ req, res }, reason);
        return layoutView(await saveGlExportLayout(ctx.db, layout, meta));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/close-of-day',
      operationId: 'closeDay',
      access: { permission: 'reconcile' },
      summary:
        'Close a business day: store its GL export and fund feed, refuse later postings to it',
      tags: ['close of day'],
      body: closeOfDayRequestSchema,
      successStatus: 201,
      success: { description: 'The day is closed', schema: closedDaySchema },
      errors: {
        409: 'The day is already closed, or being closed',
        422: 'The day has not ended',
      },
      handler: async ({ body, req, res }) => {
        if ((await getClosedDay(ctx.db, body.date)) !== null) {
          throw new ProblemError('conflict', `Business day ${body.date} is already closed`);
        }
        const meta = auditMetaOf({ req, res }, body.reason);
        try {
          const closed = await ctx.temporal.workflow.execute(closeOfDayWorkflow, {
            workflowId: closeOfDayWorkflowId(requireCouncil(), body.date),
            taskQueue: ctx.taskQueue,
            args: [
              {
                businessDate: body.date,
                closedBy: meta.actor,
                reason: meta.reason,
                requestId: meta.requestId,
              },
            ],
            typedSearchAttributes: [{ key: imsKindKey, value: 'close_of_day' }],
          });
          // With a date, the workflow closes that day or fails; only the schedule gets null.
          if (closed === null) throw new Error(`close of ${body.date} returned nothing`);
          return closed;
        } catch (error) {
          throw refusalOf(error, body.date) ?? error;
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/close-of-day/:date',
      operationId: 'getClosedDay',
      access: { permission: 'view' },
      summary: 'Read a closed day: who closed it, when, and its files’ totals and digests',
      tags: ['close of day'],
      params: dateParamsSchema,
      successStatus: 200,
      success: { description: 'The closed day', schema: closedDaySchema },
      errors: { 404: 'The day is not closed' },
      handler: async ({ params }) => closedDaySummary(await closedDayOrNotFound(ctx, params.date)),
    }),
    csvRoute('gl-export', 'getGlExport', 'The GL export stored when the day closed'),
    csvRoute('fund-feed', 'getFundFeed', 'The per-fund detail feed stored when the day closed'),
  ];
}
