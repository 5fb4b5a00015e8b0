import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ActivityFailure,
  type ActivityOptions,
  ParentClosePolicy,
  patched,
  proxyActivities,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { councilOfWorkflowId, councilWorkflowId } from '../domain/council';
import { type OutboxRetry, outboxLocalWorkflowId } from '../domain/webhooks';
import { imsCouncilKey, imsKindKey } from './searchAttributes';

/**
 * The webhook relay (docs/webhooks.md). One workflow per outbox message, named for it, so the
 * payment or refund that wrote the message and the per-minute sweep can both start it and only
 * one runs. It plans the message's deliveries, delivers each under a retry policy that lasts
 * OUTBOX_RETRY_FOR_MS (72 hours unless set), parks what never succeeded as dead, and marks the
 * message sent. Order per payment is kept by the delivery activity, which refuses (retryably)
 * while an earlier message of the same payment has not yet reached that subscription.
 */
/** Payment and refund histories from before the relay started none for their message. */
export const outboxRelayPatch = 'outbox-relay';

export type OutboxDeliveryInput = {
  outboxId: string;
  /** A hand redelivery: these deliveries only, planned before. Absent: plan the message. */
  deliveryIds?: string[];
};

export type OutboxDeliveryResult = {
  outboxId: string;
  delivered: number;
  dead: number;
  /** Payer emails handed to Notify, and ended failed; absent when the message had none. */
  emailed?: number;
  emailFailed?: number;
};

export function outboxWorkflowId(councilId: string, outboxId: string): string {
  return councilWorkflowId(councilId, outboxLocalWorkflowId(outboxId));
}

const databaseActivityOptions: ActivityOptions = {
  startToCloseTimeout: '15 seconds',
  retry: {
    initialInterval: '200 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
  },
};

const {
  planOutboxDeliveries,
  markWebhookDead,
  finishOutboxMessage,
  listUnrelayedOutbox,
  markEmailFailed,
  erasePayerEmails,
} = proxyActivities<Activities>(databaseActivityOptions);

/** One attempt has 10 s for the receiver (domain/webhooks.ts) and a little for our database. */
function deliveryOptions(retry: OutboxRetry): ActivityOptions {
  return {
    startToCloseTimeout: '20 seconds',
    scheduleToCloseTimeout: retry.retryForMs,
    retry: {
      initialInterval: retry.initialMs,
      backoffCoefficient: 2,
      maximumInterval: retry.maxIntervalMs,
    },
  };
}

export async function outboxDeliveryWorkflow(
  input: OutboxDeliveryInput,
): Promise<OutboxDeliveryResult> {
  const planned = await planOutboxDeliveries(input);
  const { deliverWebhook, sendPayerEmail } = proxyActivities<Activities>(
    deliveryOptions(planned.retry),
  );
  const webhooks = planned.deliveryIds.map(async (deliveryId) => {
    try {
      const outcome = await deliverWebhook({ deliveryId });
      return outcome === 'dead' ? 'dead' : 'delivered';
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      await markWebhookDead({ deliveryId, error: lastErrorOf(error) });
      return 'dead';
    }
  });
  // Plans recorded before email existed have no emailIds: replaying them sends none.
  const emails = (planned.emailIds ?? []).map(async (emailId) => {
    try {
      const outcome = await sendPayerEmail({ emailId });
      return outcome === 'failed' ? 'dead' : 'delivered';
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      await markEmailFailed({ emailId, error: lastErrorOf(error) });
      return 'dead';
    }
  });
  const outcomes = await Promise.all(webhooks);
  const emailOutcomes = await Promise.all(emails);
  await finishOutboxMessage({ outboxId: input.outboxId });
  return {
    outboxId: input.outboxId,
    delivered: outcomes.filter((outcome) => outcome === 'delivered').length,
    dead: outcomes.filter((outcome) => outcome === 'dead').length,
    ...(emailOutcomes.length === 0
      ? {}
      : {
          emailed: emailOutcomes.filter((outcome) => outcome === 'delivered').length,
          emailFailed: emailOutcomes.filter((outcome) => outcome === 'dead').length,
        }),
  };
}

function lastErrorOf(error: ActivityFailure): string {
  // A timeout's own cause is the last attempt's failure; an application failure is its own.
  const cause = error.cause;
  const message = (cause?.cause as Error | undefined)?.message ?? cause?.message ?? error.message;
  return `retries ran out: ${message}`.slice(0, 500);
}

/**
 * Starts a message's relay from a payment, refund or sweep workflow. ABANDON: the relay outlives
 * its starter, which has finished with the money. Already running (the sweep got there first,
 * or the starter's task was retried) is the outcome wanted.
 */
export async function startOutboxDelivery(outboxId: string): Promise<void> {
  const councilId = councilOfWorkflowId(workflowInfo().workflowId);
  try {
    await startChild(outboxDeliveryWorkflow, {
      workflowId: outboxWorkflowId(councilId, outboxId),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [{ outboxId }],
      typedSearchAttributes: [
        { key: imsKindKey, value: 'outbox_delivery' },
        { key: imsCouncilKey, value: councilId },
      ],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/** Sweeps recorded before payer email existed erased nothing. */
export const erasePayerEmailsPatch = 'erase-payer-emails';

/** How many unfinished messages one sweep starts relays for; the next minute takes the rest. */
export const outboxSweepBatchMax = 200;

/** The per-minute safety net: a relay for every message not yet finished (after a crash). */
export async function outboxSweepWorkflow(): Promise<{ started: number }> {
  const outboxIds = await listUnrelayedOutbox({ limit: outboxSweepBatchMax });
  for (const outboxId of outboxIds) await startOutboxDelivery(outboxId);
  // Payer addresses are kept PAYER_EMAIL_RETAIN_DAYS (docs/email.md); the sweep erases the rest.
  if (patched(erasePayerEmailsPatch)) await erasePayerEmails();
  return { started: outboxIds.length };
}
