import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { findAccountHolders, loadAllocationContext } from '../../db/allocationContext';
import { holdForApproval } from '../../db/journalApprovals';
import { type JournalRequest, postJournalRequest } from '../../db/journalRequests';
import { JournalRefusal } from '../../db/journals';
import { getJournal, LedgerError, type PostedJournal } from '../../db/ledger';
import { checkAllocation } from '../../domain/allocationCheck';
import { businessDateOf } from '../../domain/businessDate';
import { normaliseReference } from '../../domain/references';
import { workSettingsFrom } from '../../platform/config';
import { actorOf, auditMetaOf } from '../actor';
import type { ApiContext } from '../context';
import { fundAccessOf } from '../fundScope';
import { ProblemError } from '../problem';
import { defineRoute, replyWith } from '../route';
import {
  journalOrApprovalSchema,
  journalParams,
  moveBody,
  reverseBody,
  toJournalApproval,
  toPostedJournal,
  transferBody,
} from '../schemas/journals';
import { idempotencyKeyOf } from './suspenseUpdates';
import { startOutboxRelay } from './webhookShared';

/**
 * Journals staff post by hand. No workflow: nothing waits, so each is one database transaction
 * with its audit row (who and why). Every refusal names the field to fix.
 */

export function asJournalProblem(error: unknown): unknown {
  if (error instanceof JournalRefusal)
    return new ProblemError(error.status, error.message, [
      { field: error.field, message: error.message },
    ]);
  if (error instanceof LedgerError && error.code === 'idempotency_conflict') {
    return new ProblemError('unprocessable', error.message, [
      { field: 'headers.idempotency-key', message: 'was used for a different journal' },
    ]);
  }
  if (error instanceof LedgerError && error.code === 'already_reversed')
    return new ProblemError('conflict', error.message, [
      { field: 'params.journalId', message: 'is already reversed' },
    ]);
  return error;
}

const refuse = (field: string, message: string) =>
  new ProblemError('unprocessable', message, [{ field, message }]);

const keyOf = (req: Request, kind: string) => `${kind}:${idempotencyKeyOf(req) ?? randomUUID()}`;
export const today = () => businessDateOf(Date.now());

export function journalRoutes(ctx: ApiContext) {
  /** The money core's check of where money is going: the fund takes it, the reference is right. */
  async function checkedTarget(
    target: { fundCode: string; reference?: string },
    field: string,
    permissions: ReadonlySet<string>,
  ) {
    const context = await loadAllocationContext(ctx.db);
    if (context.funds.get(target.fundCode)?.isSuspense)
      throw refuse(`${field}.fundCode`, 'suspense is worked through its own items, not by journal');
    if (target.reference === undefined) {
      if (context.funds.get(target.fundCode) === undefined)
        throw refuse(`${field}.fundCode`, `No fund ${target.fundCode}`);
      return null;
    }
    const normalised = normaliseReference(
      target.reference,
      context.funds.get(target.fundCode)?.validator,
    );
    const holders = await findAccountHolders(ctx.db, target.fundCode, [normalised]);
    const result = checkAllocation(context, {
      fundCode: target.fundCode,
      reference: target.reference,
      amountPence: 1,
      accountHolder: holders.get(normalised) ?? null,
      permissions,
    });
    if (!result.ok && result.field !== 'amountPence')
      throw refuse(`${field}.${result.field}`, result.message);
    return result.ok ? result : null;
  }

  /**
   * Both ends of a move or transfer: inside the caller's fund groups, and accepted by the money
   * core. Answers the checked target (null when it names no reference).
   */
  async function checkedEnds(
    body: { from: { fundCode: string }; to: { fundCode: string; reference?: string } },
    req: Request,
    res: Response,
  ) {
    const { permissions } = actorOf(req, res);
    (await fundAccessOf(ctx, req, res)).requireAll([
      { field: 'body.from.fundCode', fundCode: body.from.fundCode },
      { field: 'body.to.fundCode', fundCode: body.to.fundCode },
    ]);
    const target = await checkedTarget(body.to, 'body.to', permissions);
    await checkedTarget({ fundCode: body.from.fundCode }, 'body.from', permissions);
    return target;
  }

  /** Each fund's own VAT code and rate, for a transfer whose VAT follows the funds. */
  async function vatOfFunds(
    from: { fundCode: string; reference: string | null },
    to: { fundCode: string; reference: string | null },
  ) {
    const context = await loadAllocationContext(ctx.db);
    const of = (end: { fundCode: string; reference: string | null }) => {
      const vatCode = context.funds.get(end.fundCode)?.vatCode ?? '';
      const vatRateBasisPoints = context.vatCodes.get(vatCode)?.rateBasisPoints ?? 0;
      return { ...end, vatCode, vatRateBasisPoints };
    };
    return { from: of(from), to: of(to) };
  }

  async function answer(posted: PostedJournal) {
    const journal = await getJournal(ctx.db, posted.journalId);
    return replyWith(
      toPostedJournal(journal!),
      { Location: `/v1/ledger/journals/${posted.journalId}` },
      posted.created ? 201 : 200,
    );
  }

  const { JOURNAL_APPROVAL_THRESHOLD_PENCE: approvalAbovePence } = workSettingsFrom();

  /**
   * Posts the request, or above the threshold holds it for a second person (202 with the
   * approval): four-eyes decided here, once, for moves, transfers and reversals alike.
   */
  async function submit(request: JournalRequest, reason: string, req: Request, res: Response) {
    const meta = { ...auditMetaOf({ req, res }, reason), reason };
    const idempotencyKey = keyOf(req, request.kind);
    if (request.amountPence > approvalAbovePence) {
      const { approval, created } = await ctx.db
        .transaction((tx) => holdForApproval(tx, { idempotencyKey, request, reason }, meta))
        .catch((error: unknown) => {
          throw asJournalProblem(error);
        });
      return replyWith(
        toJournalApproval(approval),
        { Location: `/v1/journal-approvals/${approval.id}` },
        created ? 202 : 200,
      );
    }
    const posted = await postJournalRequest(
      ctx.db,
      request,
      { idempotencyKey, today: today() },
      meta,
    ).catch((error: unknown) => {
      throw asJournalProblem(error);
    });
    await startOutboxRelay(ctx, posted.outboxId);
    return answer(posted);
  }

  const journalKeyDoc =
    'Makes a retried request the same journal: the same key returns it (200); the same key for another journal is refused (422)';

  return [
    defineRoute({
      method: 'post',
      path: '/v1/journals/move',
      operationId: 'moveAllocation',
      access: { permission: 'journal.post' },
      summary:
        'Move an allocated payment, or part of it, to another fund or reference (old allocation undone, new one posted, one journal)',
      tags: ['journals'],
      idempotencyKey: journalKeyDoc,
      body: moveBody,
      successStatus: 201,
      success: {
        description:
          'The journal (200 when an Idempotency-Key replays it), or (202) the approval it awaits above the threshold',
        schema: journalOrApprovalSchema,
      },
      errors: {
        403: 'Missing permission',
        422: 'More than the source still holds there, or a target the money core refuses',
      },
      handler: async ({ body, req, res }) => {
        const target = await checkedEnds(body, req, res);
        if (target === null) throw refuse('body.to.reference', 'is required');
        const request: JournalRequest = {
          kind: 'move',
          source: body.source,
          from: { fundCode: body.from.fundCode, reference: body.from.reference.toUpperCase() },
          to: {
            fundCode: target.fundCode,
            reference: target.normalisedReference,
            vatCode: target.vatCode,
            vatRateBasisPoints: target.vatRateBasisPoints,
          },
          amountPence: body.amountPence,
          postingDate: body.postingDate ?? null,
        };
        return submit(request, body.reason, req, res);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/journals/transfer',
      operationId: 'transferBetweenFunds',
      access: { permission: 'journal.post' },
      summary:
        'Transfer between fund accounts where no payment came in, with or without VAT following the funds',
      tags: ['journals'],
      idempotencyKey: journalKeyDoc,
      body: transferBody,
      successStatus: 201,
      success: {
        description:
          'The journal (200 when an Idempotency-Key replays it), or (202) the approval it awaits above the threshold',
        schema: journalOrApprovalSchema,
      },
      errors: {
        403: 'Missing permission',
        422: 'The source account does not hold the amount, or an unknown fund',
      },
      handler: async ({ body, req, res }) => {
        const to = await checkedEnds(body, req, res);
        const request: JournalRequest = {
          kind: 'transfer',
          from: {
            fundCode: body.from.fundCode,
            reference: body.from.reference?.toUpperCase() ?? null,
          },
          to: { fundCode: body.to.fundCode, reference: to?.normalisedReference ?? null },
          amountPence: body.amountPence,
          vat: null,
          postingDate: body.postingDate ?? null,
        };
        if (body.withVat) request.vat = await vatOfFunds(request.from, request.to);
        return submit(request, body.reason, req, res);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/journals/:journalId/reverse',
      operationId: 'reverseJournal',
      access: { permission: 'journal.post' },
      summary: 'Undo a move or transfer by its mirror image, once only',
      tags: ['journals'],
      params: journalParams,
      body: reverseBody,
      successStatus: 201,
      success: {
        description: 'The reversing journal, or (202) the approval it awaits',
        schema: journalOrApprovalSchema,
      },
      errors: {
        403: 'Missing permission',
        404: 'No such journal',
        409: 'Already reversed',
        422: 'Not a manual journal, or its money has moved on',
      },
      handler: async ({ params, body, req, res }) => {
        const original = await getJournal(ctx.db, params.journalId);
        if (original === null)
          throw new ProblemError('not_found', `No journal ${params.journalId}`);
        const request: JournalRequest = {
          kind: 'reverse',
          journalId: params.journalId,
          amountPence: original.totalPence,
          postingDate: body.postingDate ?? null,
        };
        return submit(request, body.reason, req, res);
      },
    }),
  ];
}
