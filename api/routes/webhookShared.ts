import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import type { AuditMeta } from '../../db/configWrites';
import { encryptingCodecsOf } from '../../db/councilKeys';
import { reopenDelivery, searchDeliveries } from '../../db/webhookDeliveries';
import { councilWorkflowId } from '../../domain/council';
import { redeliveryLocalWorkflowId } from '../../domain/webhooks';
import { requireCouncil } from '../../platform/councilScope';
import type { AesGcmPayloadCodec } from '../../platform/payloadCodec';
import { outboxDeliveryWorkflow, outboxWorkflowId } from '../../workflows/outbox';
import { imsKindKey } from '../../workflows/searchAttributes';
import type { ApiContext } from '../context';
import { ProblemError } from '../problem';

/**
 * What the webhook subscription routes (configure) and the delivery routes (operations) share:
 * the sealing codec, the delivery view and its query, and redelivery by hand.
 */

/** The codec that seals secrets; 409 when the deployment has no PAYLOAD_ENCRYPTION_KEYS. */
export function sealingCodec(ctx: ApiContext): AesGcmPayloadCodec {
  const found = encryptingCodecsOf(ctx.temporal.options.loadedDataConverter)[0];
  if (found === undefined)
    throw new ProblemError(
      'conflict',
      'This deployment has no PAYLOAD_ENCRYPTION_KEYS, so it cannot keep webhook secrets sealed',
    );
  return found;
}

/**
 * Starts the relay of a message the request has just committed (a journal's), so receivers hear
 * at once rather than at the next sweep. Already started is fine; a failure to start is left to
 * the sweep, since the money is posted either way.
 */
export async function startOutboxRelay(ctx: ApiContext, outboxId: string | null): Promise<void> {
  if (outboxId === null) return;
  await ctx.temporal.workflow
    .start(outboxDeliveryWorkflow, {
      workflowId: outboxWorkflowId(requireCouncil(), outboxId),
      taskQueue: ctx.taskQueue,
      args: [{ outboxId }],
      typedSearchAttributes: [{ key: imsKindKey, value: 'outbox_delivery' }],
    })
    .catch((error: unknown) => {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError))
        ctx.logger.warn({ err: error, outboxId }, 'relay not started: the sweep will start it');
    });
}

export const deliveryIdSchema = z.string().regex(/^whd_[0-9a-z]{20}$/, 'not a delivery id');
export const subscriptionIdSchema = z.string().regex(/^whs_[0-9a-z]{20}$/, 'not a subscription id');
export const deliveryStatusSchema = z.enum(['pending', 'delivered', 'dead']);

const attemptView = z.object({
  attemptNo: z.number().int(),
  statusCode: z.number().int().nullable().describe('Null: no answer (network error, timeout)'),
  latencyMs: z.number().int(),
  error: z.string().nullable().describe('Null: delivered'),
  at: z.string(),
});

export const deliveryView = z
  .object({
    id: z.string(),
    outboxId: z.string().describe('The message: also the Idempotency-Key the receiver saw'),
    subscriptionId: z.string(),
    url: z.string(),
    event: z.string(),
    status: deliveryStatusSchema,
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    redeliveries: z.number().int().describe('How many times it was redelivered by hand'),
    createdAt: z.string(),
    updatedAt: z.string(),
    deliveredAt: z.string().nullable(),
    attemptLog: z.array(attemptView),
  })
  .meta({ id: 'WebhookDelivery' });

export const deliveryPageQuery = {
  status: deliveryStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: deliveryIdSchema.optional().describe('Cursor: the last id of the previous page'),
};

export const deliveryPage = z.object({
  items: z.array(deliveryView),
  nextCursor: z.string().nullable(),
});

export async function deliveryPageOf(
  ctx: ApiContext,
  query: {
    status?: 'pending' | 'delivered' | 'dead';
    subscriptionId?: string;
    before?: string;
    limit: number;
  },
): Promise<z.infer<typeof deliveryPage>> {
  const rows = await searchDeliveries(ctx.db, query);
  const items = rows.map(({ delivery, url, attempts }) => ({
    id: delivery.id,
    outboxId: delivery.outboxId,
    subscriptionId: delivery.subscriptionId,
    url,
    event: delivery.event,
    status: delivery.status as 'pending' | 'delivered' | 'dead',
    attempts: delivery.attempts,
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    redeliveries: delivery.redeliveries,
    createdAt: delivery.createdAt.toISOString(),
    updatedAt: delivery.updatedAt.toISOString(),
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    attemptLog: attempts.map((attempt) => ({
      attemptNo: attempt.attemptNo,
      statusCode: attempt.statusCode,
      latencyMs: attempt.latencyMs,
      error: attempt.error,
      at: attempt.createdAt.toISOString(),
    })),
  }));
  return {
    items,
    nextCursor: items.length === query.limit ? (items.at(-1)?.id ?? null) : null,
  };
}

export const redeliveryAnswer = z.object({
  deliveryId: z.string(),
  workflowId: z.string().describe('The fresh delivery workflow, in Temporal'),
});

/**
 * Makes a dead or delivered delivery pending again (audited) and starts a fresh workflow for it.
 * `subscriptionId`: only a delivery of that subscription (the configuration screens' route).
 */
export async function redeliver(
  ctx: ApiContext,
  deliveryId: string,
  meta: AuditMeta,
  subscriptionId?: string,
): Promise<z.infer<typeof redeliveryAnswer>> {
  const reopened = await ctx.db.transaction((tx) =>
    reopenDelivery(tx, deliveryId, meta, subscriptionId),
  );
  if (reopened === null) throw new ProblemError('not_found', `No webhook delivery ${deliveryId}`);
  if (reopened === 'pending')
    throw new ProblemError('conflict', 'This delivery is still being tried: wait for it to end');
  const workflowId = councilWorkflowId(
    requireCouncil(),
    redeliveryLocalWorkflowId(reopened.outboxId, deliveryId, reopened.redeliveries),
  );
  await ctx.temporal.workflow.start(outboxDeliveryWorkflow, {
    workflowId,
    taskQueue: ctx.taskQueue,
    args: [{ outboxId: reopened.outboxId, deliveryIds: [deliveryId] }],
    typedSearchAttributes: [{ key: imsKindKey, value: 'outbox_delivery' }],
  });
  return { deliveryId, workflowId };
}
