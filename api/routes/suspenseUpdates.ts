import { randomUUID } from 'node:crypto';
import {
  ApplicationFailure,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Request } from 'express';
import { suspenseStartOptions, suspenseWorkflowInput } from '../../activities/suspenseStart';
import { getSuspenseRow } from '../../db/suspense';
import { type SuspenseAgeing, updateRefusals } from '../../domain/suspense';
import { workSettingsFrom } from '../../platform/config';
import { suspenseWorkflow } from '../../workflows/suspense';
import type { ApiContext } from '../context';
import { type ProblemCode, ProblemError } from '../problem';

/**
 * How the suspense and refund routes talk to their workflows: updates (with the caller's
 * Idempotency-Key as the update id), and their refusals turned into problem+json.
 */

const statusByRefusal: Record<string, ProblemCode> = {
  [updateRefusals.invalid]: 'unprocessable',
  [updateRefusals.allocationRefused]: 'unprocessable',
  [updateRefusals.fourEyes]: 'forbidden',
  [updateRefusals.wrongState]: 'conflict',
};

/**
 * A workflow update's refusal as problem+json: the failure type picks the status and its
 * detail names the field (`body.parts[1].reference`, `actor`). A finished workflow
 * means the item or refund is closed.
 */
export function problemFromUpdate(error: unknown): unknown {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const failure = error.cause;
    const problem = failure.details?.[0] as { field?: string; message?: string } | undefined;
    const field = problem?.field ?? 'body';
    const named = /^(headers|params|body)\b|^state$|^actor$/.test(field) ? field : `body.${field}`;
    return new ProblemError(
      statusByRefusal[failure.type ?? ''] ?? 'unprocessable',
      failure.message,
      problem?.message === undefined ? [] : [{ field: named, message: problem.message }],
    );
  }
  if (
    error instanceof WorkflowExecutionAlreadyStartedError ||
    error instanceof WorkflowNotFoundError
  )
    return new ProblemError('conflict', 'It is closed: its workflow has finished');
  return error;
}

const idempotencyKeyPattern = /^[A-Za-z0-9._:-]{1,200}$/;

/** The caller's Idempotency-Key, checked; null when none was sent. */
export function idempotencyKeyOf(req: Request): string | null {
  const key = req.get('Idempotency-Key');
  if (key === undefined) return null;
  if (!idempotencyKeyPattern.test(key)) {
    throw new ProblemError('validation_failed', 'The Idempotency-Key header is not valid', [
      {
        field: 'headers.idempotency-key',
        message: 'must be 1 to 200 letters, digits, ".", "_", ":" or "-"',
      },
    ]);
  }
  return key;
}

/** The update id: the caller's Idempotency-Key makes a retried request the same update. */
export function updateIdOf(req: Request): string {
  return idempotencyKeyOf(req) ?? randomUUID();
}

/** Runs an update on an item's workflow, starting it first if nobody has (imported items). */
export async function runSuspenseUpdate<Ret, Arg>(
  ctx: ApiContext,
  ageing: SuspenseAgeing,
  suspenseId: string,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
  updateId: string,
  // Settling a hold of an allocation together comes after the posting closed the item's row.
  options: { requireOpen?: boolean } = {},
): Promise<Ret> {
  const row = await getSuspenseRow(ctx.db, suspenseId);
  if (row === null) throw new ProblemError('not_found', `No suspense item ${suspenseId}`);
  if (row.state !== 'open' && options.requireOpen !== false) {
    throw new ProblemError('conflict', `The item is ${row.state}`, [
      { field: 'params.suspenseId', message: `is ${row.state}` },
    ]);
  }
  const startWorkflowOperation = new WithStartWorkflowOperation(
    suspenseWorkflow,
    suspenseStartOptions(suspenseWorkflowInput(row, ageing), ctx.taskQueue),
  );
  try {
    return await ctx.temporal.workflow.executeUpdateWithStart(update, {
      args: [arg],
      updateId,
      startWorkflowOperation,
    });
  } catch (error) {
    throw problemFromUpdate(error);
  }
}

/** Ageing thresholds from the environment, for workflows this process starts. */
export function ageingFromSettings(): SuspenseAgeing {
  const settings = workSettingsFrom();
  return {
    overdueWorkingDays: settings.SUSPENSE_OVERDUE_WORKING_DAYS,
    escalateWorkingDays: settings.SUSPENSE_ESCALATE_WORKING_DAYS,
  };
}
