import { z } from 'zod';
import {
  getJournalApproval,
  listJournalApprovals,
  recordDecision,
} from '../../db/journalApprovals';
import { listJournals } from '../../db/journalList';
import { fundsOf, type JournalRequest, postJournalRequest } from '../../db/journalRequests';
import { actorOf, auditMetaOf } from '../actor';
import type { ApiContext } from '../context';
import { fundAccessOf } from '../fundScope';
import { ProblemError } from '../problem';
import { defineRoute } from '../route';
import {
  approveJournalBody,
  decideBody,
  journalApprovalListQuery,
  journalApprovalParams,
  journalApprovalSchema,
  journalListQuery,
  journalSummarySchema,
  toJournalApproval,
} from '../schemas/journals';
import { asJournalProblem, today } from './journals';
import { startOutboxRelay } from './webhookShared';

/**
 * The journal list, and four-eyes on manual journals above the approval threshold
 * (JOURNAL_APPROVAL_THRESHOLD_PENCE): the request waits, checked but not posted, until a person
 * holding `journal.approve` who is not the requester approves it (the journal is posted then,
 * in the same transaction as the decision) or rejects it with a reason.
 */
export function journalApprovalRoutes(ctx: ApiContext) {
  /** Locks the approval and refuses a decision it cannot take: decided, or the requester's own. */
  async function lockedForDecision(tx: typeof ctx.db, approvalId: string, actorId: string) {
    const approval = await getJournalApproval(tx, approvalId, { forUpdate: true });
    if (approval === null) throw new ProblemError('not_found', `No journal approval ${approvalId}`);
    if (approval.state !== 'awaiting_approval') {
      throw new ProblemError('conflict', `The request is already ${approval.state}`, [
        { field: 'state', message: `is ${approval.state}` },
      ]);
    }
    if (approval.requestedBy === actorId) {
      throw new ProblemError('forbidden', 'Someone other than the requester must decide', [
        { field: 'actor', message: 'must not be the person who asked for the journal' },
      ]);
    }
    return approval;
  }

  const decisionErrors = {
    403: 'The requester’s own request, or a missing permission',
    404: 'No such approval',
    409: 'Already decided',
  };

  return [
    defineRoute({
      method: 'get',
      path: '/v1/ledger/journals',
      operationId: 'listJournals',
      access: { permission: 'view' },
      summary: 'Journals, newest first, by kind, source, reversal and posting date',
      tags: ['ledger'],
      query: journalListQuery,
      successStatus: 200,
      success: {
        description: 'One page of journals',
        schema: z.object({
          items: z.array(journalSummarySchema),
          nextCursor: z.string().nullable(),
        }),
      },
      handler: async ({ query }) => {
        const { manual, ...rest } = query;
        const items = await listJournals(ctx.db, { ...rest, manual: manual === 'true' });
        return {
          items,
          nextCursor: items.length === query.limit ? (items.at(-1)?.journalId ?? null) : null,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/journal-approvals',
      operationId: 'listJournalApprovals',
      access: { permission: 'view' },
      summary: 'Journals held for four-eyes approval, newest first',
      tags: ['journals'],
      query: journalApprovalListQuery,
      successStatus: 200,
      success: {
        description: 'One page of approvals',
        schema: z.object({
          items: z.array(journalApprovalSchema),
          nextCursor: z.string().nullable(),
        }),
      },
      handler: async ({ query }) => {
        const items = (await listJournalApprovals(ctx.db, query)).map(toJournalApproval);
        return {
          items,
          nextCursor: items.length === query.limit ? (items.at(-1)?.approvalId ?? null) : null,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/journal-approvals/:approvalId',
      operationId: 'getJournalApproval',
      access: { permission: 'view' },
      summary: 'One journal held for approval, and its decision',
      tags: ['journals'],
      params: journalApprovalParams,
      successStatus: 200,
      success: { description: 'The approval', schema: journalApprovalSchema },
      errors: { 404: 'No such approval' },
      handler: async ({ params }) => {
        const approval = await getJournalApproval(ctx.db, params.approvalId);
        if (approval === null)
          throw new ProblemError('not_found', `No journal approval ${params.approvalId}`);
        return toJournalApproval(approval);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/journal-approvals/:approvalId/approve',
      operationId: 'approveJournal',
      access: { permission: 'journal.approve' },
      summary:
        'Approve a held journal (anyone but the requester): it is posted now, with the requester as who asked',
      tags: ['journals'],
      params: journalApprovalParams,
      body: approveJournalBody,
      successStatus: 200,
      success: {
        description: 'The approval, with the journal posted',
        schema: journalApprovalSchema,
      },
      errors: { ...decisionErrors, 422: 'The money has moved on since it was asked for' },
      handler: async ({ params, body, req, res }) => {
        const actor = actorOf(req, res);
        let outboxId: string | null = null;
        const decided = await ctx.db
          .transaction(async (tx) => {
            const approval = await lockedForDecision(tx, params.approvalId, actor.id);
            const request = approval.request as JournalRequest;
            (await fundAccessOf(ctx, req, res)).requireAll(
              fundsOf(request).map((fundCode) => ({ field: 'request.fundCode', fundCode })),
            );
            const posted = await postJournalRequest(
              tx,
              request,
              { idempotencyKey: `approval:${approval.id}`, today: today() },
              {
                actor: approval.requestedBy,
                reason: approval.reason,
                requestId: String(res.locals.requestId),
              },
            );
            outboxId = posted.outboxId;
            return recordDecision(
              tx,
              approval,
              { state: 'approved', journalId: posted.journalId },
              auditMetaOf({ req, res }, body.reason),
            );
          })
          .catch((error: unknown) => {
            throw asJournalProblem(error);
          });
        await startOutboxRelay(ctx, outboxId);
        return toJournalApproval(decided);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/journal-approvals/:approvalId/reject',
      operationId: 'rejectJournal',
      access: { permission: 'journal.approve' },
      summary: 'Reject a held journal with a reason (anyone but the requester): nothing is posted',
      tags: ['journals'],
      params: journalApprovalParams,
      body: decideBody,
      successStatus: 200,
      success: { description: 'The approval, rejected', schema: journalApprovalSchema },
      errors: decisionErrors,
      handler: async ({ params, body, req, res }) => {
        const actor = actorOf(req, res);
        const decided = await ctx.db.transaction(async (tx) => {
          const approval = await lockedForDecision(tx, params.approvalId, actor.id);
          return recordDecision(
            tx,
            approval,
            { state: 'rejected', journalId: null },
            auditMetaOf({ req, res }, body.reason),
          );
        });
        return toJournalApproval(decided);
      },
    }),
  ];
}
