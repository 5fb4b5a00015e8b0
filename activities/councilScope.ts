import type { Context } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { withCouncil } from '../db/councils';
import { councilOfWorkflowId } from '../domain/council';

/**
 * Runs every activity in the council its workflow belongs to (the workflow id's prefix), so
 * its queries reach that council's pool and row-level security keeps it to that council's rows.
 */
export const councilScopeInterceptor: ActivityInterceptorsFactory = (ctx: Context) => ({
  inbound: {
    execute: (input, next) => {
      const workflowId = ctx.info.workflowExecution?.workflowId;
      // An activity run outside any workflow names no council and so reaches no council's rows.
      if (workflowId === undefined) return next(input);
      return withCouncil(councilOfWorkflowId(workflowId), () => next(input));
    },
  },
});
