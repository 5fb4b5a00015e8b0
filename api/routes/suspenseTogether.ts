import { randomUUID } from 'node:crypto';
import { findAccountHolders, loadAllocationContext } from '../../db/allocationContext';
import { JournalRefusal } from '../../db/journals';
import { getSuspenseRow } from '../../db/suspense';
import { postedTogether, postSuspenseTogether } from '../../db/suspenseTogether';
import { checkAllocation } from '../../domain/allocationCheck';
import type { CheckedPart } from '../../domain/suspense';
import { checkTogether } from '../../domain/suspenseTogether';
import { holdUpdate, settleHoldUpdate } from '../../workflows/suspense';
import { actorOf, auditMetaOf } from '../actor';
import type { ApiContext } from '../context';
import { fundAccessOf } from '../fundScope';
import { ProblemError } from '../problem';
import { defineRoute, replyWith } from '../route';
import { allocateTogetherBody, togetherResultSchema } from '../schemas/suspenseTogether';
import { today } from './journals';
import { ageingFromSettings, idempotencyKeyOf, runSuspenseUpdate } from './suspenseUpdates';

/**
 * Several suspense items allocated together in one journal, with credit notes (docs/suspense.md).
 * Each item's workflow holds its share first (so a refund or allocation racing this cannot take
 * it), the one journal is posted, then each hold is settled as posted, or released if the
 * posting was refused. An Idempotency-Key makes a retry after a crash finish the same group.
 */

type Line = { fundCode: string; reference: string; amountPence: number };

const refuse = (field: string, message: string) =>
  new ProblemError('unprocessable', message, [{ field, message }]);

export function suspenseTogetherRoutes(ctx: ApiContext) {
  const ageing = ageingFromSettings();

  /** The money core's check of each line, as a single allocation's parts are checked. */
  async function checkedLines(lines: readonly Line[], field: string, permissions: Set<string>) {
    const context = await loadAllocationContext(ctx.db);
    const checked: CheckedPart[] = [];
    for (const [index, line] of lines.entries()) {
      if (context.funds.get(line.fundCode)?.isSuspense)
        throw refuse(`body.${field}[${index}].fundCode`, 'cannot be the suspense fund');
      const reference = line.reference.trim().toUpperCase();
      const holders = await findAccountHolders(ctx.db, line.fundCode, [reference]);
      const result = checkAllocation(context, {
        ...line,
        // A credit note takes money back: the fund's limits on income do not apply to it.
        amountPence: field === 'creditNotes' ? 1 : line.amountPence,
        accountHolder: holders.get(reference) ?? null,
        permissions,
      });
      if (!result.ok) throw refuse(`body.${field}[${index}].${result.field}`, result.message);
      const { normalisedReference, vatCode, vatRateBasisPoints } = result;
      checked.push({ ...line, reference: normalisedReference, vatCode, vatRateBasisPoints });
    }
    return checked;
  }

  /** Holds each item's share in turn; on a refusal, releases those already held. */
  async function holdAll(
    items: readonly { suspenseId: string; amountPence: number }[],
    holdId: string,
    actor: string,
  ) {
    const held: string[] = [];
    for (const [index, item] of items.entries()) {
      try {
        await runSuspenseUpdate(
          ctx,
          ageing,
          item.suspenseId,
          holdUpdate,
          { actor, holdId, amountPence: item.amountPence },
          `${holdId}:hold`,
        );
        held.push(item.suspenseId);
      } catch (error) {
        await settleAll(held, holdId, actor, null);
        throw itemProblem(error, index);
      }
    }
  }

  /**
   * Settles each hold (posted: the journal's id; released: null). An item whose workflow has
   * finished holds nothing any more: a retry after its hold settled and the item closed.
   */
  async function settleAll(
    ids: readonly string[],
    holdId: string,
    actor: string,
    journalId: string | null,
  ) {
    for (const suspenseId of ids) {
      await runSuspenseUpdate(
        ctx,
        ageing,
        suspenseId,
        settleHoldUpdate,
        { actor, holdId, journalId },
        `${holdId}:settle`,
        { requireOpen: false },
      ).catch((error: unknown) => {
        if (!(error instanceof ProblemError && error.code === 'conflict')) throw error;
      });
    }
  }

  return [
    defineRoute({
      method: 'post',
      path: '/v1/suspense/allocations',
      operationId: 'allocateSuspenseTogether',
      access: { permission: 'suspense.work' },
      summary:
        'Allocate several suspense items together in one journal, with credit notes from accounts that hold credit',
      tags: ['suspense'],
      idempotencyKey:
        'Makes a retried request the same allocation: a retry after a failure finishes it, a retry after success answers it again',
      body: allocateTogetherBody,
      successStatus: 201,
      success: { description: 'The journal and each item after it', schema: togetherResultSchema },
      errors: {
        403: 'A fund outside your fund groups',
        404: 'No such item',
        409: 'An item is closed or a write-off awaits approval',
        422: 'The sums do not add up, an item has not that much left, a credit note is more than the account holds, or the money core refused a part',
      },
      handler: async ({ body, req, res }) => {
        const actor = actorOf(req, res);
        const creditNotes = body.creditNotes ?? [];
        const split = checkTogether({ ...body, creditNotes });
        if (split !== null) throw refuse(`body.${split.field}`, split.message);
        (await fundAccessOf(ctx, req, res)).requireAll([
          ...body.parts.map((p, i) => ({
            field: `body.parts[${i}].fundCode`,
            fundCode: p.fundCode,
          })),
          ...creditNotes.map((n, i) => ({
            field: `body.creditNotes[${i}].fundCode`,
            fundCode: n.fundCode,
          })),
        ]);
        const permissions = new Set<string>(actor.permissions);
        const parts = await checkedLines(body.parts, 'parts', permissions);
        const notes = await checkedLines(creditNotes, 'creditNotes', permissions);
        const holdId = `together:${idempotencyKeyOf(req) ?? randomUUID()}`;
        const ids = body.items.map((item) => item.suspenseId);
        const earlier = await postedTogether(ctx.db, holdId);
        if (earlier !== null) {
          await settleAll(ids, holdId, actor.id, earlier);
          return replyWith({ journalId: earlier, items: await itemsAfter(ctx, ids) }, {}, 200);
        }
        await holdAll(body.items, holdId, actor.id);
        let journalId: string;
        try {
          ({ journalId } = await postSuspenseTogether(
            ctx.db,
            { groupId: holdId, items: body.items, parts, creditNotes: notes, postingDate: today() },
            auditMetaOf({ req, res }, body.reason),
          ));
        } catch (error) {
          await settleAll(ids, holdId, actor.id, null);
          throw asProblem(error);
        }
        await settleAll(ids, holdId, actor.id, journalId);
        return replyWith({ journalId, items: await itemsAfter(ctx, ids) }, {});
      },
    }),
  ];
}

async function itemsAfter(ctx: ApiContext, ids: readonly string[]) {
  const rows = await Promise.all(ids.map((id) => getSuspenseRow(ctx.db, id)));
  return rows.map((row) => ({
    suspenseId: row!.id,
    remainingPence: row!.remainingPence,
    state: row!.state,
  }));
}

/** An item's refusal names the item: `body.items[1].amountPence`, not the item's own field. */
function itemProblem(error: unknown, index: number): unknown {
  if (!(error instanceof ProblemError)) return error;
  const item = `body.items[${index}]`;
  const errors = error.errors.map((problem) => ({
    ...problem,
    field: problem.field.startsWith('body.')
      ? `${item}.${problem.field.slice(5)}`
      : problem.field === 'state'
        ? `${item}.state`
        : `${item}.suspenseId`,
  }));
  return new ProblemError(error.code, error.message, errors);
}

function asProblem(error: unknown): unknown {
  if (error instanceof JournalRefusal)
    return new ProblemError(error.status, error.message, [
      { field: error.field, message: error.message },
    ]);
  return error;
}
