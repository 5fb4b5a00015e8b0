import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { requireCouncil } from '../db/councils';
import type { SuspenseItemRow } from '../db/suspense';
import type { SuspenseAgeing } from '../domain/suspense';
import { imsKindKey } from '../workflows/searchAttributes';
import {
  type SuspenseWorkflowInput,
  suspenseWorkflow,
  suspenseWorkflowId,
} from '../workflows/suspense';

/**
 * Starting an item's SuspenseWorkflow, from wherever items are created: the API (manual items,
 * and the first action on an item nobody started), or the import pipeline's activities.
 */

export function suspenseWorkflowInput(
  item: Pick<
    SuspenseItemRow,
    | 'id'
    | 'amountPence'
    | 'remainingPence'
    | 'receivedDate'
    | 'fundCodeHint'
    | 'sourceType'
    | 'sourceId'
  >,
  ageing: SuspenseAgeing,
): SuspenseWorkflowInput {
  return {
    suspenseId: item.id,
    amountPence: item.amountPence,
    remainingPence: item.remainingPence,
    receivedDate: item.receivedDate,
    fundCodeHint: item.fundCodeHint,
    importId: item.sourceType === 'import' ? item.sourceId : null,
    ageing,
  };
}

/** The workflow's start options; the API's update-with-start and the helper below share them. */
export function suspenseStartOptions(input: SuspenseWorkflowInput, taskQueue: string) {
  return {
    workflowId: suspenseWorkflowId(requireCouncil(), input.suspenseId),
    taskQueue,
    args: [input] as [SuspenseWorkflowInput],
    // A running item is joined, a finished one is never worked again.
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
    typedSearchAttributes: [{ key: imsKindKey, value: 'suspense' }],
  };
}

/**
 * Starts an item's SuspenseWorkflow if it is not running. For the import pipeline (from an
 * activity, with `Context.current().client`) and for the API after it creates an item.
 */
export async function startSuspenseWorkflow(
  client: Client,
  item: Parameters<typeof suspenseWorkflowInput>[0],
  options: { taskQueue: string; ageing: SuspenseAgeing },
): Promise<void> {
  const input = suspenseWorkflowInput(item, options.ageing);
  try {
    await client.workflow.start(suspenseWorkflow, suspenseStartOptions(input, options.taskQueue));
  } catch (error) {
    // Already finished: its item is closed, nothing to start.
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
