import type { Request, Response } from 'express';
import { z } from 'zod';
import { requireCouncil } from '../../db/councils';
import { getPaymentRecord } from '../../db/payments';
import { getRefundRow, searchRefunds } from '../../db/refunds';
import { approveUpdate, refundWorkflowId, rejectUpdate } from '../../workflows/refund';
import { type Actor, actorOf, auditMetaOf } from '../actor';
import type { ApiContext } from '../context';
import { fundAccessOf } from '../fundScope';
import { ProblemError } from '../problem';
import { defineRoute, replyWith } from '../route';
import {
  createRefundBody,
  decisionBody,
  refundParams,
  refundSchema,
  refundSearchQuery,
  rejectionBody,
  toRefund,
} from '../schemas/refunds';
import { refundRequester } from './refundRequests';
import { idempotencyKeyOf, problemFromUpdate } from './suspenseUpdates';

export function refundRoutes(ctx: ApiContext) {
  const { cardRefund, bankRefund } = refundRequester(ctx);

  /** A payment outside the caller's fund groups is, to them, no payment at all. */
  async function requirePaymentInScope(paymentId: string, req: Request, res: Response) {
    const record = await getPaymentRecord(ctx.db, paymentId);
    const scope = await fundAccessOf(ctx, req, res);
    if (record !== null && !record.lines.some((line) => scope.allows(line.fundCode))) {
      throw new ProblemError('not_found', `No payment ${paymentId}`);
    }
  }

  async function decide(
    refundId: string,
    approve: boolean,
    actor: Actor,
    reason: string | undefined,
  ) {
    if ((await getRefundRow(ctx.db, refundId)) === null)
      throw new ProblemError('not_found', `No refund ${refundId}`);
    const handle = ctx.temporal.workflow.getHandle(refundWorkflowId(requireCouncil(), refundId));
    try {
      await handle.executeUpdate(approve ? approveUpdate : rejectUpdate, {
        args: [{ actor: actor.id, reason }],
      });
    } catch (error) {
      throw problemFromUpdate(error);
    }
    return toRefund((await getRefundRow(ctx.db, refundId))!);
  }

  return [
    defineRoute({
      method: 'post',
      path: '/v1/refunds',
      operationId: 'requestRefund',
      access: { permission: 'refund.request' },
      summary:
        'Refund a card payment (to the card) or money in suspense (by bank credit), in full or in part',
      tags: ['refunds'],
      idempotencyKey:
        'Makes a retried request the same refund: the same key returns it (200); a key used for another refund is refused (422)',
      body: createRefundBody,
      successStatus: 201,
      success: {
        description: 'The refund, its workflow started (200 when an Idempotency-Key replays it)',
        schema: refundSchema,
      },
      errors: {
        403: 'Missing permission',
        409: 'The suspense item is closed',
        422: 'More than is refundable, a payment that took no money, or bank details that fail the modulus check',
      },
      handler: async ({ body, req, res }) => {
        const actor = actorOf(req, res);
        if (body.paymentId !== undefined) await requirePaymentInScope(body.paymentId, req, res);
        const key = idempotencyKeyOf(req);
        const meta = auditMetaOf({ req, res }, body.reason);
        const created =
          body.paymentId !== undefined
            ? await cardRefund(body, actor, key, meta)
            : await bankRefund(body, actor, key, meta);
        const row = (await getRefundRow(ctx.db, created.refund.id))!;
        return replyWith(
          toRefund(row),
          { Location: `/v1/refunds/${row.id}` },
          created.outcome === 'replayed' ? 200 : 201,
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/refunds/:refundId',
      operationId: 'getRefund',
      access: { permission: 'view' },
      summary: 'A refund and where it has got to',
      tags: ['refunds'],
      params: refundParams,
      successStatus: 200,
      success: { description: 'The refund', schema: refundSchema },
      errors: { 404: 'No such refund' },
      handler: async ({ params, req, res }) => {
        const row = await getRefundRow(ctx.db, params.refundId);
        const scope = await fundAccessOf(ctx, req, res);
        if (row === null || !toRefund(row).fundCodes.some(scope.allows))
          throw new ProblemError('not_found', `No refund ${params.refundId}`);
        return toRefund(row);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/refunds',
      operationId: 'listRefunds',
      access: { permission: 'view' },
      summary: 'Refunds, newest first, by state or by what they refund',
      tags: ['refunds'],
      query: refundSearchQuery,
      successStatus: 200,
      success: {
        description: 'One page of refunds',
        schema: z.object({ refunds: z.array(refundSchema), nextCursor: z.string().nullable() }),
      },
      handler: async ({ query, req, res }) => {
        const rows = (await searchRefunds(ctx.db, query)).map(toRefund);
        const scope = await fundAccessOf(ctx, req, res);
        // The cursor comes from the unfiltered page, so paging goes on past a page the scope thinned.
        return {
          refunds: rows.filter((refund) => refund.fundCodes.some(scope.allows)),
          nextCursor: rows.length === query.limit ? (rows.at(-1)?.refundId ?? null) : null,
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/refunds/:refundId/approve',
      operationId: 'approveRefund',
      access: { permission: 'refund.approve' },
      summary: 'Approve a refund awaiting approval: anyone but the person who requested it',
      tags: ['refunds'],
      params: refundParams,
      body: decisionBody,
      successStatus: 200,
      success: { description: 'The refund, approved and on its way', schema: refundSchema },
      errors: {
        403: 'The requester cannot approve, or a missing permission',
        404: 'No such refund',
        409: 'Not awaiting approval',
      },
      handler: async ({ params, body, req, res }) =>
        decide(params.refundId, true, actorOf(req, res), body.reason),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/refunds/:refundId/reject',
      operationId: 'rejectRefund',
      access: { permission: 'refund.approve' },
      summary: 'Reject a refund awaiting approval, with a reason',
      tags: ['refunds'],
      params: refundParams,
      body: rejectionBody,
      successStatus: 200,
      success: { description: 'The refund, rejected', schema: refundSchema },
      errors: {
        403: 'The requester cannot reject, or a missing permission',
        404: 'No such refund',
        409: 'Not awaiting approval',
      },
      handler: async ({ params, body, req, res }) =>
        decide(params.refundId, false, actorOf(req, res), body.reason),
    }),
  ];
}
