import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { requireCouncil } from '../../db/councils';
import { getSettlement, type SettlementRecord } from '../../db/settlement';
import { imsKindKey } from '../../workflows/searchAttributes';
import { settlementWorkflow, settlementWorkflowId } from '../../workflows/settlement';
import type { ApiContext } from '../context';
import { ProblemError } from '../problem';
import { defineRoute } from '../route';
import { dateParamsSchema } from '../schemas/closeOfDay';
import { settlementRequestSchema, settlementSchema } from '../schemas/reconciliation';

function settlementView(row: SettlementRecord) {
  return { ...row, reconciledAt: row.reconciledAt.toISOString() };
}

/** PSP settlement reconciliation: run it now for a date, and read what it found. */
export function reconciliationRoutes(ctx: ApiContext) {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/reconciliation/settlements',
      operationId: 'reconcileSettlement',
      access: { permission: 'reconcile' },
      summary:
        'Reconcile a day’s PSP settlement with the ledger now (the schedule does it nightly)',
      tags: ['reconciliation'],
      body: settlementRequestSchema,
      successStatus: 200,
      success: { description: 'The settlement and its differences', schema: settlementSchema },
      errors: { 409: 'This date’s settlement is being reconciled now' },
      handler: async ({ body }) => {
        try {
          await ctx.temporal.workflow.execute(settlementWorkflow, {
            workflowId: settlementWorkflowId(requireCouncil(), body.date),
            taskQueue: ctx.taskQueue,
            args: [{ settledDate: body.date, settlementDelayDays: body.settlementDelayDays }],
            typedSearchAttributes: [{ key: imsKindKey, value: 'psp_settlement' }],
          });
        } catch (error) {
          if (error instanceof WorkflowExecutionAlreadyStartedError) {
            throw new ProblemError('conflict', `Settlement of ${body.date} is running now`);
          }
          throw error;
        }
        const row = await getSettlement(ctx.db, body.date);
        if (row === null) throw new Error(`settlement of ${body.date} ran but was not saved`);
        return settlementView(row);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/reconciliation/settlements/:date',
      operationId: 'getSettlement',
      access: { permission: 'view' },
      summary: 'Read a day’s PSP settlement: expected payout and differences from the ledger',
      tags: ['reconciliation'],
      params: dateParamsSchema,
      successStatus: 200,
      success: { description: 'The settlement', schema: settlementSchema },
      errors: { 404: 'Not reconciled yet' },
      handler: async ({ params }) => {
        const row = await getSettlement(ctx.db, params.date);
        if (row === null)
          throw new ProblemError('not_found', `Settlement of ${params.date} is not reconciled`);
        return settlementView(row);
      },
    }),
  ];
}
