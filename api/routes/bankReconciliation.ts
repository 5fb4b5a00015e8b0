import {
  annotateException,
  BankReconciliationRefusal,
  manualMatch,
  unmatch,
} from '../../db/bankReconciliationActions';
import { type BankMatchRecord, runBankMatching } from '../../db/bankReconciliationMatching';
import { openBankExceptions } from '../../db/bankReconciliationQueries';
import { businessDateOf } from '../../domain/businessDate';
import { auditMetaOf } from '../actor';
import type { ApiContext } from '../context';
import { ProblemError } from '../problem';
import { defineRoute } from '../route';
import {
  bankExceptionListSchema,
  bankExceptionSchema,
  bankMatchRunRequestSchema,
  bankMatchRunSchema,
  bankMatchSchema,
  exceptionNoteRequestSchema,
  exceptionQuerySchema,
  idParamsSchema,
  manualMatchRequestSchema,
  unmatchRequestSchema,
} from '../schemas/bankReconciliation';

const matchView = (row: BankMatchRecord) => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  unmatchedAt: row.unmatchedAt?.toISOString() ?? null,
});

/** The db layer's refusals become problems; anything else stays a 500. */
async function refusalsAsProblems<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof BankReconciliationRefusal)
      throw new ProblemError(error.code, error.message);
    throw error;
  }
}

const tags = ['reconciliation'];

/** Bank reconciliation: statement credits against expected payouts and collection files. */
export function bankReconciliationRoutes(ctx: ApiContext) {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/reconciliation/bank/match',
      operationId: 'runBankMatching',
      access: { permission: 'reconcile' },
      summary: 'Match unmatched statement credits to expected items and refresh the exceptions',
      tags,
      body: bankMatchRunRequestSchema,
      successStatus: 200,
      success: { description: 'The matches made by this run', schema: bankMatchRunSchema },
      handler: async ({ body }) => {
        const run = await runBankMatching(ctx.db, body.asOf ?? businessDateOf(Date.now()));
        return { matches: run.matches.map(matchView), openExceptions: run.openExceptions };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/reconciliation/bank/matches',
      operationId: 'matchBankManually',
      access: { permission: 'reconcile' },
      summary: 'Match statement lines to expected items by hand (audited)',
      tags,
      body: manualMatchRequestSchema,
      successStatus: 201,
      success: { description: 'The match', schema: bankMatchSchema },
      errors: { 404: 'A line or item does not exist', 409: 'A line or item is already matched' },
      handler: async ({ body, req, res }) => {
        const meta = auditMetaOf({ req, res }, undefined);
        return matchView(await refusalsAsProblems(() => manualMatch(ctx.db, body, meta)));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/reconciliation/bank/matches/:id/unmatch',
      operationId: 'unmatchBank',
      access: { permission: 'reconcile' },
      summary: 'Release a match’s lines and items; the match is kept as history (audited)',
      tags,
      params: idParamsSchema,
      body: unmatchRequestSchema,
      successStatus: 200,
      success: { description: 'The match, stamped unmatched', schema: bankMatchSchema },
      errors: { 404: 'No such match', 409: 'Already unmatched' },
      handler: async ({ params, body, req, res }) => {
        const meta = auditMetaOf({ req, res }, undefined);
        return matchView(
          await refusalsAsProblems(() => unmatch(ctx.db, params.id, body.reason, meta)),
        );
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/reconciliation/bank/exceptions/:id/notes',
      operationId: 'annotateBankException',
      access: { permission: 'reconcile' },
      summary: 'Write a note on a bank exception (audited)',
      tags,
      params: idParamsSchema,
      body: exceptionNoteRequestSchema,
      successStatus: 200,
      success: {
        description: 'The exception',
        schema: bankExceptionSchema.pick({ id: true, note: true }),
      },
      errors: { 404: 'No such exception' },
      handler: async ({ params, body, req, res }) => {
        const meta = auditMetaOf({ req, res }, undefined);
        const row = await refusalsAsProblems(() =>
          annotateException(ctx.db, params.id, body.note, meta),
        );
        return { id: row.id, note: row.note };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/reconciliation/bank/exceptions',
      operationId: 'listBankExceptions',
      access: { permission: 'view' },
      summary: 'Open bank exceptions, oldest first, aged to today',
      tags,
      query: exceptionQuerySchema,
      successStatus: 200,
      success: { description: 'Open exceptions', schema: bankExceptionListSchema },
      handler: async ({ query }) => ({
        exceptions: await openBankExceptions(ctx.db, {
          asOf: businessDateOf(Date.now()),
          ...query,
        }),
      }),
    }),
  ];
}
