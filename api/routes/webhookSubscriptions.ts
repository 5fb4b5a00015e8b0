import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../../db/audit';
import {
  createWebhookSubscription,
  getWebhookSubscriptionRow,
  listWebhookSubscriptions,
  openWebhookSecret,
  rotateWebhookSecret,
  subscriptionViewOf,
  updateWebhookSubscription,
} from '../../db/webhookSubscriptions';
import { pingEvent, webhookEvents, webhookUrlProblem } from '../../domain/webhooks';
import { requireCouncil } from '../../platform/councilScope';
import { sendWebhook } from '../../platform/webhookSend';
import { auditMetaOf } from '../actor';
import { requireFunds } from '../configChecks';
import type { ApiContext } from '../context';
import { mapDatabaseErrors } from '../dbErrors';
import { ProblemError } from '../problem';
import { defineRoute } from '../route';
import { codeSchema, reasonSchema } from '../schemas/common';
import {
  deliveryIdSchema,
  deliveryPage,
  deliveryPageOf,
  deliveryPageQuery,
  redeliver,
  redeliveryAnswer,
  sealingCodec,
  subscriptionIdSchema,
} from './webhookShared';

/**
 * A council's webhook subscriptions (docs/webhooks.md), for its administrators (`configure`):
 * where its line-of-business systems hear of payments and refunds. The signing secret is in the
 * create and rotate answers only; test-send proves a receiver end to end.
 */

const tags = ['webhooks'];

const urlSchema = z
  .string()
  .trim()
  .max(2_000)
  .superRefine((url, context) => {
    const problem = webhookUrlProblem(url);
    if (problem !== null) context.addIssue({ code: 'custom', message: problem });
  })
  .describe('https (http only to localhost or 127.0.0.1, for development)');
const eventsSchema = z
  .array(z.enum(webhookEvents))
  .min(1)
  .max(webhookEvents.length)
  .transform((events) => [...new Set(events)]);
const fundCodeSchema = codeSchema.nullable().describe('Null: every fund');
const descriptionSchema = z.string().trim().min(1).max(200);

const subscriptionView = z
  .object({
    id: z.string(),
    channel: z.literal('webhook').describe('How messages travel (email may follow)'),
    url: z.string(),
    events: z.array(z.string()),
    fundCode: z.string().nullable(),
    description: z.string(),
    disabled: z.boolean(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WebhookSubscription' });

const withSecret = z
  .object({
    subscription: subscriptionView,
    secret: z.string().describe('The signing secret: shown this once, never again'),
  })
  .meta({ id: 'WebhookSubscriptionWithSecret' });

const idParams = z.object({ id: subscriptionIdSchema });
const notFound = (id: string) => new ProblemError('not_found', `No webhook subscription ${id}`);

export function webhookSubscriptionRoutes(ctx: ApiContext) {
  const write = <T>(work: Parameters<typeof ctx.db.transaction<T>>[0]) =>
    mapDatabaseErrors(() => ctx.db.transaction(work));
  const checkFund = async (fundCode: string | null | undefined) => {
    if (typeof fundCode === 'string') await requireFunds(ctx.db, [fundCode], () => 'body.fundCode');
  };
  const toggle = (disabled: boolean) =>
    defineRoute({
      method: 'post',
      path: `/v1/webhook-subscriptions/:id/${disabled ? 'disable' : 'enable'}`,
      operationId: disabled ? 'disableWebhookSubscription' : 'enableWebhookSubscription',
      access: { permission: 'configure' },
      summary: disabled
        ? 'Disable a subscription: it receives nothing until enabled'
        : 'Enable a subscription again',
      tags,
      params: idParams,
      body: z.object({ reason: reasonSchema }).strict(),
      successStatus: 200,
      success: { description: 'The subscription', schema: subscriptionView },
      errors: { 404: 'No such subscription' },
      handler: async ({ params, body, req, res }) => {
        const view = await write((tx) =>
          updateWebhookSubscription(
            tx,
            params.id,
            { disabled },
            {
              ...auditMetaOf({ req, res }, body.reason),
              action: `webhook_subscription.${disabled ? 'disable' : 'enable'}`,
            },
          ),
        );
        if (view === null) throw notFound(params.id);
        return view;
      },
    });

  return [
    defineRoute({
      method: 'get',
      path: '/v1/webhook-subscriptions',
      operationId: 'listWebhookSubscriptions',
      access: { permission: 'configure' },
      summary: "The council's webhook subscriptions, newest first (never their secrets)",
      tags,
      successStatus: 200,
      success: {
        description: 'The subscriptions',
        schema: z.object({ items: z.array(subscriptionView) }),
      },
      handler: async () => ({ items: await listWebhookSubscriptions(ctx.db) }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/webhook-subscriptions',
      operationId: 'createWebhookSubscription',
      access: { permission: 'configure' },
      summary: 'Add a subscription; the answer holds its signing secret, shown this once',
      tags,
      body: z
        .object({
          url: urlSchema,
          events: eventsSchema,
          fundCode: fundCodeSchema.default(null),
          description: descriptionSchema,
          reason: reasonSchema,
        })
        .strict(),
      successStatus: 201,
      success: { description: 'Made, with its secret', schema: withSecret },
      errors: { 409: 'The deployment has no encryption keys to seal the secret with' },
      handler: async ({ body, req, res }) => {
        const codec = sealingCodec(ctx);
        await checkFund(body.fundCode);
        const { reason, ...input } = body;
        return write((tx) =>
          createWebhookSubscription(
            tx,
            codec,
            requireCouncil(),
            input,
            auditMetaOf({ req, res }, reason),
          ),
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/webhook-subscriptions/:id',
      operationId: 'getWebhookSubscription',
      access: { permission: 'configure' },
      summary: 'One subscription (never its secret)',
      tags,
      params: idParams,
      successStatus: 200,
      success: { description: 'The subscription', schema: subscriptionView },
      errors: { 404: 'No such subscription' },
      handler: async ({ params }) => {
        const row = await getWebhookSubscriptionRow(ctx.db, params.id);
        if (row === null) throw notFound(params.id);
        return subscriptionViewOf(row);
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/webhook-subscriptions/:id',
      operationId: 'updateWebhookSubscription',
      access: { permission: 'configure' },
      summary: "Change a subscription's URL, events, fund or description",
      tags,
      params: idParams,
      body: z
        .object({
          url: urlSchema.optional(),
          events: eventsSchema.optional(),
          fundCode: fundCodeSchema.optional(),
          description: descriptionSchema.optional(),
          reason: reasonSchema,
        })
        .strict(),
      successStatus: 200,
      success: { description: 'The subscription', schema: subscriptionView },
      errors: { 404: 'No such subscription' },
      handler: async ({ params, body, req, res }) => {
        await checkFund(body.fundCode);
        const { reason, ...patch } = body;
        const defined = Object.fromEntries(
          Object.entries(patch).filter(([, value]) => value !== undefined),
        );
        const view = await write((tx) =>
          updateWebhookSubscription(tx, params.id, defined, auditMetaOf({ req, res }, reason)),
        );
        if (view === null) throw notFound(params.id);
        return view;
      },
    }),
    toggle(true),
    toggle(false),
    defineRoute({
      method: 'post',
      path: '/v1/webhook-subscriptions/:id/rotate-secret',
      operationId: 'rotateWebhookSecret',
      access: { permission: 'configure' },
      summary: 'A new signing secret, shown this once; the old one stops signing at once',
      tags,
      params: idParams,
      body: z.object({ reason: reasonSchema }).strict(),
      successStatus: 200,
      success: { description: 'The subscription and its new secret', schema: withSecret },
      errors: { 404: 'No such subscription', 409: 'No encryption keys' },
      handler: async ({ params, body, req, res }) => {
        const codec = sealingCodec(ctx);
        const rotated = await write((tx) =>
          rotateWebhookSecret(
            tx,
            codec,
            requireCouncil(),
            params.id,
            auditMetaOf({ req, res }, body.reason),
          ),
        );
        if (rotated === null) throw notFound(params.id);
        return rotated;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/webhook-subscriptions/:id/test',
      operationId: 'testWebhookSubscription',
      access: { permission: 'configure' },
      summary: 'Send one signed `ping` now and answer what the receiver said',
      tags,
      params: idParams,
      body: z.object({}).strict().optional(),
      successStatus: 200,
      success: {
        description: 'What happened (a refusal by the receiver is an answer, not an error)',
        schema: z
          .object({
            delivered: z.boolean(),
            statusCode: z.number().int().nullable(),
            latencyMs: z.number().int(),
            error: z.string().nullable(),
          })
          .meta({ id: 'WebhookTestResult' }),
      },
      errors: { 404: 'No such subscription', 409: 'No encryption keys' },
      handler: async ({ params, req, res }) => {
        const codec = sealingCodec(ctx);
        const row = await getWebhookSubscriptionRow(ctx.db, params.id);
        if (row === null) throw notFound(params.id);
        const councilId = requireCouncil();
        const id = `ping_${randomBytes(10).toString('hex')}`;
        const result = await sendWebhook({
          url: row.url,
          secret: await openWebhookSecret(codec, councilId, row),
          event: pingEvent,
          idempotencyKey: id,
          rawBody: JSON.stringify({
            id,
            type: pingEvent,
            createdAt: new Date().toISOString(),
            councilId,
            data: { subscriptionId: row.id },
          }),
        });
        ctx.logger.info(
          { subscriptionId: row.id, statusCode: result.statusCode, latencyMs: result.latencyMs },
          'webhook test sent',
        );
        await ctx.db.transaction((tx) =>
          recordAudit(tx, {
            ...auditMetaOf({ req, res }, undefined),
            action: 'webhook_subscription.test',
            entityType: 'webhook_subscription',
            entityId: row.id,
            after: result,
          }),
        );
        return { delivered: result.error === null, ...result };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/webhook-subscriptions/:id/deliveries',
      operationId: 'listWebhookSubscriptionDeliveries',
      access: { permission: 'configure' },
      summary: "A subscription's delivery log, newest first, with each attempt",
      tags,
      params: idParams,
      query: z.object(deliveryPageQuery).strict(),
      successStatus: 200,
      success: { description: 'One page of deliveries', schema: deliveryPage },
      errors: { 404: 'No such subscription' },
      handler: async ({ params, query }) => {
        if ((await getWebhookSubscriptionRow(ctx.db, params.id)) === null)
          throw notFound(params.id);
        return deliveryPageOf(ctx, { ...query, subscriptionId: params.id });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/webhook-subscriptions/:id/deliveries/:deliveryId/redeliver',
      operationId: 'redeliverWebhookSubscriptionDelivery',
      access: { permission: 'configure' },
      summary: 'Send a dead (or delivered) delivery of this subscription again',
      tags,
      params: z.object({ id: subscriptionIdSchema, deliveryId: deliveryIdSchema }),
      body: z.object({ reason: reasonSchema }).strict(),
      successStatus: 202,
      success: { description: 'Its fresh delivery workflow started', schema: redeliveryAnswer },
      errors: { 404: 'No such delivery of this subscription', 409: 'Still being tried' },
      handler: ({ params, body, req, res }) =>
        redeliver(ctx, params.deliveryId, auditMetaOf({ req, res }, body.reason), params.id),
    }),
  ];
}
