import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { encryptingCodecsOf } from '../../db/councilKeys';
import { requireCouncil } from '../../db/councils';
import { findPaymentIdByPspId } from '../../db/payments';
import { councilWebhookSecret, deploymentKeysServe } from '../../db/pspCredentials';
import { isCouncilId } from '../../domain/council';
import { paySignatureHeader, verifyWebhookSignature } from '../../psp';
import { paymentWorkflowId, pspEventSignal } from '../../workflows/payment';
import type { ApiContext } from '../context';
import { ProblemError } from '../problem';
import { defineRoute } from '../route';

/** Only what we need from GOV.UK Pay's envelope: which payment, and a hint of what happened. */
const webhookEnvelope = z.object({
  resource_id: z.string().min(1),
  resource_type: z.string(),
  event_type: z.string(),
  resource: z
    .object({ metadata: z.record(z.string(), z.unknown()).optional() })
    .passthrough()
    .optional(),
});

/**
 * Events after which the payment cannot have finished, or that come after it finished (the
 * workflow has moved on by then). Everything else, including event types we have never seen,
 * prompts a re-read: waking a workflow needlessly is cheap, missing an outcome is not.
 */
const eventsThatNeedNoPrompt: ReadonlySet<string> = new Set([
  'card_payment_started',
  'card_payment_captured',
  'card_payment_settled',
  'card_payment_refunded',
]);

/**
 * GOV.UK Pay webhooks. The signature is checked on the raw bytes (in constant time), the
 * answer is 200 at once, and the webhook is then treated as a prompt: the payment's workflow
 * re-reads the payment from the PSP. Duplicates and out-of-order deliveries therefore change
 * nothing but how soon the workflow looks.
 */
export function webhookRoutes(ctx: ApiContext) {
  const serve = ctx.deploymentPspKeysServe ?? 'every-council';

  /**
   * The secret this request must be signed with: the council's own (its webhook URL names it,
   * `?council=`), else the deployment's where that serves the council (db/pspCredentials.ts).
   */
  async function secretFor(councilId: string): Promise<{ secret?: string; own: boolean }> {
    const codec = encryptingCodecsOf(ctx.temporal.options.loadedDataConverter)[0];
    const own = codec === undefined ? null : await councilWebhookSecret(ctx.db, codec, councilId);
    if (own !== null) return { secret: own, own: true };
    if (!deploymentKeysServe(serve, councilId)) return { own: false };
    return {
      own: false,
      ...(ctx.webhookSecret === undefined ? {} : { secret: ctx.webhookSecret }),
    };
  }

  async function prompt(
    envelope: z.infer<typeof webhookEnvelope>,
    /** Set when the signature proves the sender is this council's own Pay account. */
    signedFor: string | undefined,
  ): Promise<void> {
    if (envelope.resource_type !== 'payment') return; // refunds are read by their own workflow
    if (eventsThatNeedNoPrompt.has(envelope.event_type)) return;
    const metadata = envelope.resource?.metadata;
    // The council the payment was made for travels in its metadata; a payment from before
    // tenancy, or one found by its PSP id, belongs to the council this request runs in.
    const council =
      typeof metadata?.ims_council === 'string' && isCouncilId(metadata.ims_council)
        ? metadata.ims_council
        : requireCouncil();
    // One council's Pay account cannot prompt another council's payments.
    if (signedFor !== undefined && council !== signedFor) {
      ctx.logger.warn({ council, signedFor }, 'webhook names a payment of another council');
      return;
    }
    const fromMetadata = metadata?.ims_payment_id;
    const paymentId =
      typeof fromMetadata === 'string'
        ? fromMetadata
        : await findPaymentIdByPspId(ctx.db, envelope.resource_id);
    if (paymentId === null) {
      ctx.logger.warn(
        { pspPaymentId: envelope.resource_id },
        'webhook for a payment we do not know',
      );
      return;
    }
    try {
      await ctx.temporal.workflow
        .getHandle(paymentWorkflowId(council, paymentId))
        .signal(pspEventSignal, { eventType: envelope.event_type });
    } catch (error) {
      // A webhook after the payment finished has nothing left to prompt.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }

  return [
    defineRoute({
      method: 'post',
      path: '/v1/webhooks/govuk-pay',
      operationId: 'receiveGovukPayWebhook',
      access: {
        public: 'GOV.UK Pay calls it; every request is authenticated by its HMAC signature',
      },
      summary: 'GOV.UK Pay webhook receiver (Pay-Signature: hex HMAC-SHA256 of the raw body)',
      tags: ['webhooks'],
      successStatus: 200,
      success: { description: 'Received', schema: z.object({ received: z.literal(true) }) },
      errors: { 401: 'Missing or wrong Pay-Signature' },
      handler: async ({ req }) => {
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const councilId = requireCouncil();
        const { secret, own } = await secretFor(councilId);
        if (
          secret === undefined ||
          !verifyWebhookSignature(raw, req.get(paySignatureHeader), secret)
        ) {
          throw new ProblemError(
            'unauthorized',
            'The Pay-Signature header is missing or does not match the body',
          );
        }
        let envelope: z.infer<typeof webhookEnvelope>;
        try {
          envelope = webhookEnvelope.parse(JSON.parse(raw.toString('utf8')));
        } catch {
          throw new ProblemError(
            'validation_failed',
            'The webhook body is not a GOV.UK Pay webhook message',
            [{ field: 'body', message: 'must be a webhook message' }],
          );
        }
        // Answer first; the prompt is best effort because polling catches anything it misses.
        setImmediate(() => {
          const signedFor = own || serve === 'default-council' ? councilId : undefined;
          prompt(envelope, signedFor).catch((error: unknown) =>
            ctx.logger.error({ err: error }, 'webhook prompt failed'),
          );
        });
        return { received: true as const };
      },
    }),
  ];
}
