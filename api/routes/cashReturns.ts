import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import { getAssignment } from '../../db/cashDesk';
import {
  createTemplate,
  expectedTakings,
  getCashReturn,
  insertCashReturn,
  listTemplates,
  searchCashReturns,
  takingsByFund,
  unsubmittedReturns,
} from '../../db/cashReturns';
import { requireCouncil } from '../../db/councils';
import { businessDateOf } from '../../domain/businessDate';
import { isPastClosing, returnContentProblems } from '../../domain/cashReturn';
import { newId } from '../../domain/ids';
import {
  approveReturnUpdate,
  type CashReturnStatus,
  cashReturnWorkflow,
  cashReturnWorkflowId,
  noteReturnUpdate,
  rejectReturnUpdate,
  saveReturnUpdate,
  submitReturnUpdate,
  voidReturnUpdate,
} from '../../workflows/cashReturn';
import { imsKindKey } from '../../workflows/searchAttributes';
import { actorOf, auditMetaOf } from '../actor';
import type { ApiContext } from '../context';
import { mapDatabaseErrors } from '../dbErrors';
import { ProblemError } from '../problem';
import { defineRoute, replyWith } from '../route';
import {
  cashReturnSchema,
  countBody,
  noteBody,
  overdueSchema,
  reasonBody,
  returnDetailSchema,
  returnParams,
  returnSearchQuery,
  startReturnBody,
  templateBody,
  templateSchema,
  toCashReturn,
  toTemplate,
} from '../schemas/cashReturns';
import { problemFromUpdate } from './suspenseUpdates';

const tags = ['cash returns'];

export function cashReturnRoutes(ctx: ApiContext) {
  async function rowOf(returnId: string) {
    const row = await getCashReturn(ctx.db, returnId);
    if (row === null) throw new ProblemError('not_found', `No cash return ${returnId}`);
    return row;
  }

  async function detail(returnId: string) {
    const row = await rowOf(returnId);
    const template = (await listTemplates(ctx.db, row.officeCode)).find(
      (candidate) => candidate.id === row.templateId,
    );
    // The template's funds are the rows the return lists; none named: every fund taken.
    const rows = template?.fundCodes ?? [];
    return {
      cashReturn: toCashReturn(row),
      expected: await expectedTakings(ctx.db, row),
      takingsByFund: (await takingsByFund(ctx.db, row)).filter(
        (fund) => rows.length === 0 || rows.includes(fund.fundCode),
      ),
    };
  }

  /** Runs one workflow update; the row's state answers first when the workflow has ended. */
  async function update<Arg>(
    returnId: string,
    definition: UpdateDefinition<CashReturnStatus, [Arg]>,
    arg: Arg,
  ) {
    const row = await rowOf(returnId);
    if (row.state === 'approved' || row.state === 'voided')
      throw new ProblemError('conflict', `The return is ${row.state}`, [
        { field: 'state', message: `the return is ${row.state}: nothing more can be done to it` },
      ]);
    const handle = ctx.temporal.workflow.getHandle(
      cashReturnWorkflowId(requireCouncil(), returnId),
    );
    try {
      await handle.executeUpdate(definition, { args: [arg] });
    } catch (error) {
      throw problemFromUpdate(error);
    }
    return detail(returnId);
  }

  const action = (
    path: string,
    operationId: string,
    summary: string,
    permission: 'payment.take' | 'cashup.approve',
    run: (
      returnId: string,
      actor: string,
      body: { reason?: string; text?: string },
    ) => Promise<unknown>,
    body?: typeof reasonBody | typeof noteBody,
  ) =>
    defineRoute({
      method: 'post',
      path: `/v1/cash-returns/:returnId/${path}`,
      operationId,
      access: { permission },
      summary,
      tags,
      params: returnParams,
      body: body ?? z.object({}),
      successStatus: 200,
      success: {
        description: 'The return, with what the ledger expects',
        schema: returnDetailSchema,
      },
      errors: {
        403: 'Four-eyes: the cashier may not decide their own return; or a missing permission',
        404: 'No such return',
        409: 'Not in a state that allows it (submitted twice, voided after approval, …)',
        422: 'The return cannot be submitted as it is (an unexplained over/short, a bad count)',
      },
      handler: async ({ params, body: input, req, res }) =>
        run(
          params.returnId,
          actorOf(req, res).id,
          input as { reason?: string; text?: string },
        ) as Promise<z.infer<typeof returnDetailSchema>>,
    });

  return [
    defineRoute({
      method: 'post',
      path: '/v1/cash-return-templates',
      operationId: 'createCashReturnTemplate',
      access: { permission: 'configure' },
      summary: 'A template of an office’s cash returns: its funds, its cashiers, its closing time',
      tags,
      body: templateBody,
      successStatus: 201,
      success: { description: 'The template', schema: templateSchema },
      errors: { 409: 'A template with this id exists', 422: 'No such office' },
      handler: async ({ body, req, res }) => {
        const row = await mapDatabaseErrors(() =>
          createTemplate(ctx.db, body, auditMetaOf({ req, res }, undefined).actor),
        );
        return toTemplate(row);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/cash-return-templates',
      operationId: 'listCashReturnTemplates',
      access: { permission: 'view' },
      summary: 'Cash return templates',
      tags,
      successStatus: 200,
      success: {
        description: 'Every template',
        schema: z.object({ templates: z.array(templateSchema) }),
      },
      handler: async () => ({ templates: (await listTemplates(ctx.db)).map(toTemplate) }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/cash-returns',
      operationId: 'startCashReturn',
      access: { permission: 'payment.take' },
      summary: 'Start today’s cash return for the caller’s office (one workflow per return)',
      tags,
      body: startReturnBody,
      successStatus: 201,
      success: { description: 'The return, a draft', schema: returnDetailSchema },
      errors: {
        403: 'The caller has no office, or may use no template there',
        409: 'The caller has a return for today already',
      },
      handler: async ({ body, req, res }) => {
        const actor = actorOf(req, res).id;
        const assignment = await getAssignment(ctx.db, actor);
        if (assignment === null)
          throw new ProblemError('forbidden', 'You have no office', [
            { field: 'actor', message: 'has no office to return cash for' },
          ]);
        const template = (await listTemplates(ctx.db, assignment.officeCode)).find(
          (candidate) =>
            (body.templateId === undefined || candidate.id === body.templateId) &&
            (candidate.actorIds.length === 0 || candidate.actorIds.includes(actor)),
        );
        if (template === undefined)
          throw new ProblemError('forbidden', 'No template of your office lets you make a return', [
            { field: 'body.templateId', message: 'no template of the office for this cashier' },
          ]);
        const returnId = newId('cashReturn');
        const businessDate = businessDateOf(Date.now());
        const input = { returnId, cashier: actor, officeCode: assignment.officeCode, businessDate };
        const created = await insertCashReturn(ctx.db, {
          id: returnId,
          templateId: template.id,
          officeCode: assignment.officeCode,
          cashier: actor,
          businessDate,
        });
        if (created === 'exists')
          throw new ProblemError('conflict', 'You have a cash return for today already', [
            { field: 'state', message: 'a return for this office and day exists' },
          ]);
        await ctx.temporal.workflow.start(cashReturnWorkflow, {
          workflowId: cashReturnWorkflowId(requireCouncil(), returnId),
          taskQueue: ctx.taskQueue,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          typedSearchAttributes: [{ key: imsKindKey, value: 'cash_return' }],
        });
        return replyWith(await detail(returnId), { Location: `/v1/cash-returns/${returnId}` });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/cash-returns',
      operationId: 'listCashReturns',
      access: { permission: 'view' },
      summary: 'Cash returns, newest first: the approval queue is `state=submitted`',
      tags,
      query: returnSearchQuery,
      successStatus: 200,
      success: {
        description: 'Cash returns',
        schema: z.object({ cashReturns: z.array(cashReturnSchema) }),
      },
      handler: async ({ query }) => ({
        cashReturns: (await searchCashReturns(ctx.db, query)).map(toCashReturn),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/cash-returns/:returnId',
      operationId: 'getCashReturn',
      access: { permission: 'view' },
      summary: 'A cash return, with what the ledger expects and the takings by fund',
      tags,
      params: returnParams,
      successStatus: 200,
      success: { description: 'The return', schema: returnDetailSchema },
      errors: { 404: 'No such return' },
      handler: async ({ params }) => detail(params.returnId),
    }),
    defineRoute({
      method: 'put',
      path: '/v1/cash-returns/:returnId/count',
      operationId: 'saveCashReturnCount',
      access: { permission: 'payment.take' },
      summary:
        'Save the count: bags by denomination, cheques one by one, the over/short explanation',
      tags,
      params: returnParams,
      body: countBody,
      successStatus: 200,
      success: { description: 'The return', schema: returnDetailSchema },
      errors: {
        403: 'Only the return’s cashier may count it',
        404: 'No such return',
        409: 'The return is not a draft',
      },
      handler: async ({ params, body, req, res }) => {
        const problems = returnContentProblems(body);
        if (problems.length > 0)
          throw new ProblemError(
            'validation_failed',
            'The count is not valid',
            problems.map((problem) => ({
              field: `body.${problem.field}`,
              message: problem.message,
            })),
          );
        return update(params.returnId, saveReturnUpdate, {
          actor: actorOf(req, res).id,
          content: body,
        });
      },
    }),
    action(
      'notes',
      'noteCashReturn',
      'Add a note to a return',
      'payment.take',
      (id, actor, body) => update(id, noteReturnUpdate, { actor, text: body.text ?? '' }),
      noteBody,
    ),
    action(
      'submit',
      'submitCashReturn',
      'Submit the return for approval',
      'payment.take',
      (id, actor) => update(id, submitReturnUpdate, { actor }),
    ),
    action(
      'approve',
      'approveCashReturn',
      'Approve a submitted return (not one’s own): posts the over/short and expects each bag at the bank',
      'cashup.approve',
      (id, actor) => update(id, approveReturnUpdate, { actor }),
    ),
    action(
      'reject',
      'rejectCashReturn',
      'Reject a submitted return with a reason: it is a draft again',
      'cashup.approve',
      (id, actor, body) => update(id, rejectReturnUpdate, { actor, reason: body.reason ?? '' }),
      reasonBody,
    ),
    action(
      'void',
      'voidCashReturn',
      'Void a return with a reason, before it is approved',
      'payment.take',
      (id, actor, body) => update(id, voidReturnUpdate, { actor, reason: body.reason ?? '' }),
      reasonBody,
    ),
    defineRoute({
      method: 'get',
      path: '/v1/operations/overdue-cash-returns',
      operationId: 'listOverdueCashReturns',
      access: { permission: 'operations' },
      summary: 'Cashiers whose return is not submitted after their office’s closing time',
      tags: ['operations'],
      successStatus: 200,
      success: { description: 'Overdue returns, oldest first', schema: overdueSchema },
      handler: async () => {
        const now = Date.now();
        const since = businessDateOf(now - 30 * 86_400_000);
        const rows = await unsubmittedReturns(ctx.db, since);
        return {
          overdue: rows.filter((row) => isPastClosing(row.businessDate, row.closesAt, now)),
        };
      },
    }),
  ];
}
