import { z } from 'zod';
import { auditMetaOf } from '../actor';
import type { ApiContext } from '../context';
import { defineRoute } from '../route';
import { reasonSchema } from '../schemas/common';
import {
  deliveryIdSchema,
  deliveryPage,
  deliveryPageOf,
  deliveryPageQuery,
  redeliver,
  redeliveryAnswer,
  subscriptionIdSchema,
} from './webhookShared';

/**
 * Webhook deliveries for operations staff (docs/operations.md): what is pending, delivered or
 * dead across every subscription, and redelivery by hand once a receiver is healthy again.
 */
const tags = ['webhooks'];

export function webhookDeliveryRoutes(ctx: ApiContext) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/webhook-deliveries',
      operationId: 'listWebhookDeliveries',
      access: { permission: 'operations' },
      summary: 'Webhook deliveries, newest first, with their attempts (e.g. status=dead)',
      tags,
      query: z
        .object({ ...deliveryPageQuery, subscriptionId: subscriptionIdSchema.optional() })
        .strict(),
      successStatus: 200,
      success: { description: 'One page of deliveries', schema: deliveryPage },
      handler: ({ query }) => deliveryPageOf(ctx, query),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/webhook-deliveries/:id/redeliver',
      operationId: 'redeliverWebhookDelivery',
      access: { permission: 'operations' },
      summary: 'Send a dead (or delivered) delivery again, in a fresh delivery workflow',
      tags,
      params: z.object({ id: deliveryIdSchema }),
      body: z.object({ reason: reasonSchema }).strict(),
      successStatus: 202,
      success: { description: 'Its fresh delivery workflow started', schema: redeliveryAnswer },
      errors: { 404: 'No such delivery', 409: 'Still being tried' },
      handler: ({ params, body, req, res }) =>
        redeliver(ctx, params.id, auditMetaOf({ req, res }, body.reason)),
    }),
  ];
}
