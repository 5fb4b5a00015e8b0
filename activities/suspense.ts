import { ApplicationFailure, activityInfo, Context } from '@temporalio/activity';
import { and, eq, inArray } from 'drizzle-orm';
import { findAccountHolders, loadAllocationContext } from '../db/allocationContext';
import type { Database } from '../db/client';
import { suspenseAllocations, suspenseItems } from '../db/schema';
import { getSuspenseRow, suspenseFundCode } from '../db/suspense';
import {
  postFromSuspense,
  recordSuspenseChange,
  type SuspenseWorkPatch,
} from '../db/suspenseActions';
import { checkAllocation } from '../domain/allocationCheck';
import {
  type AgeingStep,
  type AllocationPart,
  type CheckedPart,
  priorityAtStep,
  type SuspenseAgeing,
  suspenseAllocationLines,
  suspenseWriteOffLines,
  updateRefusals,
} from '../domain/suspense';
import { workSettingsFrom } from '../platform/config';
import { startSuspenseWorkflow } from './suspenseStart';

/**
 * The side effects of working a suspense item. Each is keyed by the Temporal update that asked
 * for it, so a retry finds what the first attempt did. The money core's check of each target
 * runs here, not in the update's validator, because validators must be synchronous and cannot
 * read the configuration.
 */

function refused(field: string, message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, updateRefusals.allocationRefused, {
    field,
    message,
  });
}

async function checkParts(
  db: Database,
  parts: readonly AllocationPart[],
  permissions: readonly string[],
): Promise<CheckedPart[]> {
  const context = await loadAllocationContext(db);
  const checked: CheckedPart[] = [];
  for (const [index, part] of parts.entries()) {
    if (context.funds.get(part.fundCode)?.isSuspense)
      throw refused(`parts[${index}].fundCode`, 'cannot allocate suspense to the suspense fund');
    const reference = part.reference.trim().toUpperCase();
    const holders = await findAccountHolders(db, part.fundCode, [reference]);
    const result = checkAllocation(context, {
      ...part,
      accountHolder: holders.get(reference) ?? null,
      permissions: new Set(permissions),
    });
    if (!result.ok) throw refused(`parts[${index}].${result.field}`, result.message);
    const { normalisedReference, vatCode, vatRateBasisPoints } = result;
    checked.push({ ...part, reference: normalisedReference, vatCode, vatRateBasisPoints });
  }
  return checked;
}

type Posting = { suspenseId: string; updateId: string; actor: string; postingDate: string };

export function createSuspenseActivities(deps: { db: Database; ageing?: SuspenseAgeing }) {
  const { db } = deps;
  const settings = workSettingsFrom();
  const ageing: SuspenseAgeing = deps.ageing ?? {
    overdueWorkingDays: settings.SUSPENSE_OVERDUE_WORKING_DAYS,
    escalateWorkingDays: settings.SUSPENSE_ESCALATE_WORKING_DAYS,
  };
  const itemOf = async (suspenseId: string) => {
    const item = await getSuspenseRow(db, suspenseId);
    if (item === null) throw new Error(`no suspense item ${suspenseId}`);
    return item;
  };

  return {
    async allocateFromSuspense(
      input: Posting & { parts: AllocationPart[]; reason: string | null; permissions: string[] },
    ) {
      const [done] = await db
        .select({ journalId: suspenseAllocations.journalId })
        .from(suspenseAllocations)
        .where(
          and(
            eq(suspenseAllocations.suspenseId, input.suspenseId),
            eq(suspenseAllocations.updateId, input.updateId),
          ),
        );
      if (done !== undefined) {
        // Posted by an earlier attempt: answer as it did, whatever the configuration says now.
        const item = await itemOf(input.suspenseId);
        return {
          journalId: done.journalId,
          remainingPence: item.remainingPence,
          state: item.state,
        };
      }
      const parts = await checkParts(db, input.parts, input.permissions);
      const item = await itemOf(input.suspenseId);
      const totalPence = parts.reduce((sum, part) => sum + part.amountPence, 0);
      return postFromSuspense(db, {
        ...input,
        event: 'allocated',
        amountPence: totalPence,
        stateWhenEmpty: 'allocated',
        parts: parts.map(({ fundCode, reference, amountPence }) => ({
          fundCode,
          reference,
          amountPence,
        })),
        journal: {
          kind: 'allocation',
          description: `Allocated out of suspense ${input.suspenseId}`,
          postingDate: input.postingDate,
          lines: suspenseAllocationLines(await suspenseFundCode(db), item.receivedReference, parts),
        },
      });
    },

    async writeOffSuspense(input: Posting & { amountPence: number; reason: string }) {
      const item = await itemOf(input.suspenseId);
      return postFromSuspense(db, {
        ...input,
        event: 'written_off',
        stateWhenEmpty: 'written_off',
        journal: {
          kind: 'write_off',
          description: `Written off from suspense ${input.suspenseId}: ${input.reason}`,
          postingDate: input.postingDate,
          lines: suspenseWriteOffLines(
            await suspenseFundCode(db),
            item.receivedReference,
            input.amountPence,
          ),
        },
      });
    },

    /** Notes, assignments and write-off requests: an event, and the row it changes. */
    async recordSuspenseWork(input: {
      suspenseId: string;
      updateId: string;
      event: string;
      actor: string;
      text?: string | null;
      reason?: string | null;
      detail?: Record<string, unknown>;
      assignedTo?: string | null;
      work?: SuspenseWorkPatch;
    }): Promise<void> {
      const { updateId, assignedTo, work, ...event } = input;
      await recordSuspenseChange(
        db,
        { ...event, dedupeKey: `${input.suspenseId}:${updateId}` },
        { ...(assignedTo === undefined ? {} : { assignedTo }), ...(work ? { work } : {}) },
      );
    },

    async markSuspenseAgeing(input: { suspenseId: string; step: AgeingStep }): Promise<void> {
      await recordSuspenseChange(
        db,
        {
          suspenseId: input.suspenseId,
          dedupeKey: `${input.suspenseId}:ageing:${input.step}`,
          event: input.step,
          actor: `workflow:${input.suspenseId}`,
          detail: { priority: priorityAtStep[input.step] },
        },
        { work: { priority: priorityAtStep[input.step], overdue: true, overdueSince: new Date() } },
      );
    },

    /**
     * For the ImportWorkflow: starts the SuspenseWorkflow of each item it created (idempotent).
     * Uses the worker's own client and task queue.
     */
    async startSuspenseWorkflows(input: { suspenseIds: string[] }): Promise<void> {
      if (input.suspenseIds.length === 0) return;
      const items = await db
        .select()
        .from(suspenseItems)
        .where(inArray(suspenseItems.id, input.suspenseIds));
      for (const item of items.filter((row) => row.state === 'open')) {
        await startSuspenseWorkflow(Context.current().client, item, {
          taskQueue: activityInfo().taskQueue,
          ageing,
        });
      }
    },
  };
}
