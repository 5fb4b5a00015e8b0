import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Database } from '../db/client';
import {
  deliveryToSend,
  earlierPendingMessage,
  finishOutboxMessage,
  markDeliveryDead,
  noteDeliveryWaiting,
  planDeliveries,
  recordAttempt,
  unrelayedOutboxIds,
} from '../db/webhookDeliveries';
import { openWebhookSecret } from '../db/webhookSubscriptions';
import { type OutboxRetry, webhookEventOfTopic } from '../domain/webhooks';
import { workSettingsFrom } from '../platform/config';
import { requireCouncil } from '../platform/councilScope';
import type { Logger } from '../platform/logger';
import type { AesGcmPayloadCodec } from '../platform/payloadCodec';
import { sendWebhook } from '../platform/webhookSend';

/**
 * The webhook relay's side effects (workflows/outbox.ts, docs/webhooks.md). Delivering is the one
 * that talks to the world: each try logs its attempt, and any answer but a 2xx is thrown, so
 * Temporal's retry policy (the workflow's, from these settings) paces the retries. A repeat
 * after a crash is harmless to the receiver: the Idempotency-Key is the message's id.
 */

/** Waiting behind an earlier message of the same payment: retried, not an HTTP attempt. */
export const orderingWaitFailureType = 'WebhookOrderingWait';
export const deliveryFailedFailureType = 'WebhookDeliveryFailed';

export type DeliveryOutcome = 'delivered' | 'dead' | 'already_delivered';

export function createOutboxActivities(deps: {
  db: Database;
  logger: Logger;
  codec?: AesGcmPayloadCodec;
}) {
  const { db, logger } = deps;
  return {
    /** The message's deliveries (planned once) and the retry settings the worker runs with. */
    async planOutboxDeliveries(input: {
      outboxId: string;
      deliveryIds?: string[];
    }): Promise<{ deliveryIds: string[]; emailIds: string[]; retry: OutboxRetry }> {
      const settings = workSettingsFrom();
      const retry: OutboxRetry = {
        retryForMs: settings.OUTBOX_RETRY_FOR_MS,
        initialMs: settings.OUTBOX_RETRY_INITIAL_MS,
        maxIntervalMs: settings.OUTBOX_RETRY_MAX_INTERVAL_MS,
      };
      // A hand redelivery sends its webhooks again, never a second email to the payer.
      if (input.deliveryIds !== undefined)
        return { deliveryIds: input.deliveryIds, emailIds: [], retry };
      const planned = await planDeliveries(db, input.outboxId, {
        notifyConfigured: settings.NOTIFY_API_KEY !== undefined,
      });
      return { ...planned, retry };
    },

    async deliverWebhook(input: { deliveryId: string }): Promise<DeliveryOutcome> {
      const found = await deliveryToSend(db, input.deliveryId);
      if (found === null) throw new Error(`no delivery ${input.deliveryId}`);
      const { delivery, message, subscription } = found;
      if (delivery.status === 'delivered') return 'already_delivered';
      if (delivery.status === 'dead') return 'dead';
      if (subscription.disabled) {
        await markDeliveryDead(db, delivery.id, 'subscription disabled');
        return 'dead';
      }
      if (message.orderingKey !== null) {
        const waitingFor = await earlierPendingMessage(db, {
          subscriptionId: subscription.id,
          orderingKey: message.orderingKey,
          outboxId: message.id,
          createdAt: message.createdAt,
        });
        if (waitingFor !== null) {
          await noteDeliveryWaiting(db, delivery.id, `waiting for earlier message ${waitingFor}`);
          throw ApplicationFailure.retryable(
            `waiting for ${waitingFor} to reach ${subscription.id} first`,
            orderingWaitFailureType,
          );
        }
      }
      if (deps.codec === undefined)
        throw ApplicationFailure.nonRetryable('this worker has no PAYLOAD_ENCRYPTION_KEYS');
      const councilId = requireCouncil();
      const secret = await openWebhookSecret(deps.codec, councilId, subscription);
      const event = webhookEventOfTopic(message.topic) ?? delivery.event;
      const rawBody = JSON.stringify({
        id: message.id,
        type: event,
        createdAt: message.createdAt.toISOString(),
        councilId,
        data: message.payload,
      });
      const result = await sendWebhook({
        url: subscription.url,
        secret,
        event,
        idempotencyKey: message.id,
        rawBody,
        signal: Context.current().cancellationSignal,
        timeoutMs: workSettingsFrom().OUTBOX_ATTEMPT_TIMEOUT_MS,
      });
      const attemptNo = await recordAttempt(db, delivery.id, result);
      logger.info(
        {
          deliveryId: delivery.id,
          subscriptionId: subscription.id,
          outboxId: message.id,
          attemptNo,
          statusCode: result.statusCode,
          latencyMs: result.latencyMs,
        },
        result.error === null ? 'webhook delivered' : 'webhook attempt failed',
      );
      if (result.error !== null)
        throw ApplicationFailure.retryable(result.error, deliveryFailedFailureType);
      return 'delivered';
    },

    async markWebhookDead(input: { deliveryId: string; error: string }): Promise<void> {
      await markDeliveryDead(db, input.deliveryId, input.error);
      logger.warn({ deliveryId: input.deliveryId }, 'webhook delivery dead');
    },

    async finishOutboxMessage(input: { outboxId: string }): Promise<boolean> {
      return finishOutboxMessage(db, input.outboxId);
    },

    async listUnrelayedOutbox(input: { limit: number }): Promise<string[]> {
      return unrelayedOutboxIds(db, input.limit);
    },
  };
}
