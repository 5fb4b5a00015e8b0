import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import { bankMatchView } from '../../activities/bankMatching';
import {
  annotateException,
  BankReconciliationRefusal,
  manualMatch,
  unmatch,
} from '../../db/bankReconciliationActions';
import { openBankExceptions } from '../../db/bankReconciliationQueries';
import { bankMatchSettings, saveBankMatchSettings } from '../../db/bankReconciliationRules';
import { requireCouncil } from '../../db/councils';
import { getImportRecord } from '../../db/imports';
import type { StoredSetting } from '../../db/reconciliationSettings';
import { businessDateOf } from '../../domain/businessDate';
import { assertValidRules } from '../../domain/reconciliation';
import { bankMatchingWorkflow, bankMatchingWorkflowId } from '../../workflows/bankMatching';
import { imsImportIdKey, imsKindKey } from '../../workflows/searchAttributes';
import { auditMetaOf } from '../actor';
import type { ApiContext } from '../context';
import { ProblemError } from '../problem';
import { defineRoute } from '../route';
import {
  bankExceptionListSchema,
  bankExceptionSchema,
  bankMatchRulesRequestSchema,
  bankMatchRulesSchema,
  bankMatchRunRequestSchema,
  bankMatchRunSchema,
  bankMatchSchema,
  exceptionNoteRequestSchema,
  exceptionQuerySchema,
  idParamsSchema,
  manualMatchRequestSchema,
  unmatchRequestSchema,
} from '../schemas/bankReconciliation';

const matchView = bankMatchView;

function rulesView(stored: StoredSetting<Awaited<ReturnType<typeof bankMatchSettings>>['value']>) {
  const { value, configured, updatedBy, updatedAt } = stored;
  const rules = value.rules.map(({ itemKinds, ...rule }) =>
    itemKinds === undefined ? rule : { ...rule, itemKinds: [...itemKinds] },
  );
  return { ...value, rules, configured, updatedBy, updatedAt };
}

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

/**
 * Bank reconciliation: statement credits against expected items (PSP payouts, collection files,
 * cash bankings, direct credits), each match clearing its money into the bank; the rules too.
 */
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
      errors: { 404: 'No such statement import' },
      handler: async ({ body }) => {
        // A run for a statement import is keyed by it: asking again (while it runs, or after it
        // completed) answers that run's result instead of matching again.
        const importId = body.statementImportId;
        if (importId !== undefined && (await getImportRecord(ctx.db, importId)) === null)
          throw new ProblemError('not_found', `No import ${importId}`);
        const workflowId =
          importId === undefined
            ? `bank-match-run-${randomUUID()}`
            : bankMatchingWorkflowId(requireCouncil(), importId);
        let handle: WorkflowHandle<typeof bankMatchingWorkflow>;
        try {
          handle = await ctx.temporal.workflow.start(bankMatchingWorkflow, {
            workflowId,
            taskQueue: ctx.taskQueue,
            args: [{ asOf: body.asOf, statementImportId: importId }],
            workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
            workflowIdConflictPolicy: 'USE_EXISTING',
            typedSearchAttributes: [
              { key: imsKindKey, value: 'bank_matching' },
              ...(importId === undefined ? [] : [{ key: imsImportIdKey, value: importId }]),
            ],
          });
        } catch (error) {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
          handle = ctx.temporal.workflow.getHandle(workflowId);
        }
        const run = await handle.result();
        return { ...run, workflowId };
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
      path: '/v1/reconciliation/bank/rules',
      operationId: 'getBankMatchRules',
      access: { permission: 'view' },
      summary: 'The bank matching rules in force, and the PSP payout reference',
      tags,
      successStatus: 200,
      success: { description: 'The rules', schema: bankMatchRulesSchema },
      handler: async () => rulesView(await bankMatchSettings(ctx.db)),
    }),
    defineRoute({
      method: 'put',
      path: '/v1/reconciliation/bank/rules',
      operationId: 'putBankMatchRules',
      access: { permission: 'reconcile' },
      summary: 'Replace the bank matching rules (audited); later runs use them',
      tags,
      body: bankMatchRulesRequestSchema,
      successStatus: 200,
      success: { description: 'The rules now in force', schema: bankMatchRulesSchema },
      handler: async ({ body, req, res }) => {
        const { reason, ...settings } = body;
        try {
          assertValidRules(settings.rules);
        } catch (error) {
          throw new ProblemError('validation_failed', 'The rules cannot be used', [
            {
              field: 'body.rules',
              message: error instanceof Error ? error.message : String(error),
            },
          ]);
        }
        const meta = auditMetaOf({ req, res }, reason);
        return rulesView(await saveBankMatchSettings(ctx.db, settings, meta));
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
