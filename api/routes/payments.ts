import { createHash } from 'node:crypto';
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
} from '@temporalio/client';
import { z } from 'zod';
import { checkBasketInDatabase } from '../../db/basketCheck';
import { encryptingCodecsOf } from '../../db/councilKeys';
import { requireCouncil } from '../../db/councils';
import { getJournal } from '../../db/ledger';
import { createPaymentRecord, getPaymentRecord, searchPayments } from '../../db/payments';
import { councilApiKey, deploymentKeysServe } from '../../db/pspCredentials';
import { newId } from '../../domain/ids';
import {
  basketLinesMax,
  basketTotalPence,
  finalPaymentStates,
  type PaymentState,
} from '../../domain/payment';
import {
  checkoutUpdate,
  type PaymentStatus,
  paymentWorkflow,
  paymentWorkflowId,
} from '../../workflows/payment';
import { imsKindKey } from '../../workflows/searchAttributes';
import { actorOf } from '../actor';
import type { ApiContext } from '../context';
import { fundAccessOf } from '../fundScope';
import { keepPayerEmail, payerEmailCodec } from '../payerEmail';
import { ProblemError } from '../problem';
import { defineRoute, replyWith } from '../route';
import { codeSchema } from '../schemas/common';
import { paymentSchema, paymentStartedSchema, paymentSummarySchema } from '../schemas/payments';

const idempotencyKeyPattern = /^[A-Za-z0-9._:-]{1,255}$/;
/** How long POST waits for the PSP's next_url before answering 202 and letting the caller poll. */
const checkoutWaitMs = 10_000;
/** How often that wait looks whether the PSP call has already failed once (an outage). */
const pspFailureProbeMs = 500;
/** What a 503 asks the caller to wait: the workflow's own retries start at 1 s and back off. */
const pspRetryAfterSeconds = 10;

/** The checkout's outcome: its status, 'slow' (no answer in time) or 'psp_failing'. */
type CheckoutOutcome = PaymentStatus | 'slow' | 'psp_failing';

const createPaymentBody = z
  .object({
    lines: z
      .array(
        z
          .object({
            fundCode: z.string().regex(/^[A-Z0-9_]{1,20}$/, 'must be a fund code'),
            reference: z.string().trim().min(1).max(50),
            amountPence: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
          })
          .strict(),
      )
      .min(1)
      .max(basketLinesMax),
    description: z.string().trim().min(1).max(255),
    returnUrl: z.url({ protocol: /^https?$/ }),
    methodOfPaymentCode: z
      .string()
      .regex(/^[A-Z0-9_]{1,20}$/)
      .default('CSS'),
    officeCode: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    /** The payer's address for their receipt (docs/email.md): kept sealed, then erased. */
    email: z.email().max(254).optional(),
  })
  .strict();

type CreatePaymentBody = z.infer<typeof createPaymentBody>;

function idempotencyKeyOf(header: string | undefined): string | null {
  if (header === undefined) return null;
  if (!idempotencyKeyPattern.test(header)) {
    throw new ProblemError('validation_failed', 'The Idempotency-Key header is not valid', [
      {
        field: 'headers.idempotency-key',
        message: 'must be 1 to 255 letters, digits, ".", "_", ":" or "-"',
      },
    ]);
  }
  return header;
}

function requestHashOf(body: CreatePaymentBody): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

export function paymentRoutes(ctx: ApiContext) {
  async function startCheckout(
    paymentId: string,
    body: CreatePaymentBody,
    lines: CreatePaymentBody['lines'],
    permissions: string[],
  ): Promise<CheckoutOutcome> {
    const startWorkflowOperation = new WithStartWorkflowOperation(paymentWorkflow, {
      workflowId: paymentWorkflowId(requireCouncil(), paymentId),
      taskQueue: ctx.taskQueue,
      // Racing requests for one payment meet the same run; a finished run is never restarted.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [{ key: imsKindKey, value: 'payment' }],
      args: [
        {
          paymentId,
          lines,
          amountPence: basketTotalPence(lines),
          description: body.description,
          returnUrl: body.returnUrl,
          methodOfPaymentCode: body.methodOfPaymentCode,
          permissions,
          timing: ctx.paymentTiming,
        },
      ],
    });
    const update = ctx.temporal.workflow.executeUpdateWithStart(checkoutUpdate, {
      startWorkflowOperation,
    });
    const waiting = { done: false };
    const timeout = new Promise<'slow'>((resolve) =>
      setTimeout(() => resolve('slow'), checkoutWaitMs).unref(),
    );
    try {
      return await Promise.race([
        update,
        timeout,
        pspFailure(paymentWorkflowId(requireCouncil(), paymentId), waiting),
      ]);
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return 'slow'; // finished earlier: read the record
      throw error;
    } finally {
      waiting.done = true;
      update.catch(() => {}); // the race may have left it running; its outcome is read later
    }
  }

  /** Why the PSP refuses this council, when it is for want of a key of the council's own. */
  async function missingPspKey(fundCode: string): Promise<string | undefined> {
    const councilId = requireCouncil();
    if (deploymentKeysServe(ctx.deploymentPspKeysServe ?? 'every-council', councilId)) return;
    const codec = encryptingCodecsOf(ctx.temporal.options.loadedDataConverter)[0];
    const key = codec && (await councilApiKey(ctx.db, codec, councilId, fundCode));
    if (key) return;
    return `Council ${councilId} has no GOV.UK Pay API key for fund ${fundCode}: its administrator sets one (PUT /v1/council/psp-credentials).`;
  }

  /**
   * Resolves once the workflow's call to create the PSP payment has failed at least once: the
   * provider is down or refusing, so the caller is told at once rather than after the whole wait.
   * The workflow keeps retrying; nothing here changes it.
   */
  async function pspFailure(workflowId: string, waiting: { done: boolean }) {
    const handle = ctx.temporal.workflow.getHandle(workflowId);
    while (!waiting.done) {
      await new Promise((resolve) => setTimeout(resolve, pspFailureProbeMs).unref());
      if (waiting.done) break;
      const description = await handle.describe().catch(() => null);
      const failing = (description?.raw.pendingActivities ?? []).some(
        (activity) =>
          activity.activityType?.name === 'createPspPayment' && (activity.attempt ?? 1) > 1,
      );
      if (failing) return 'psp_failing' as const;
    }
    return new Promise<never>(() => {}); // the race was settled by the update or the timeout
  }

  return [
    defineRoute({
      method: 'post',
      path: '/v1/payments',
      operationId: 'createPayment',
      access: { permission: 'payment.take' },
      summary: 'Start a card payment: returns our payment id and the PSP page to send the payer to',
      tags: ['payments'],
      idempotencyKey:
        'Makes a retried request the same payment: the same key and body return it (200); the same key with another body is refused (422)',
      body: createPaymentBody,
      successStatus: 201,
      success: {
        description:
          'The payment was created (200 when an Idempotency-Key replays an earlier request; 202 while the PSP is slow)',
        schema: paymentStartedSchema,
      },
      errors: {
        422: 'The basket was refused by the money core, or the Idempotency-Key was used for another request',
        503: 'The card payment provider is failing (the payment is kept: `paymentId`, Location and Retry-After say where and when to look again), or Temporal is unavailable',
      },
      handler: async ({ body, req, res }) => {
        const actor = actorOf(req, res);
        (await fundAccessOf(ctx, req, res)).requireAll(
          body.lines.map((line, index) => ({
            field: `body.lines[${index}].fundCode`,
            fundCode: line.fundCode,
          })),
        );
        const idempotencyKey = idempotencyKeyOf(req.get('Idempotency-Key'));
        const emailCodec = body.email === undefined ? undefined : payerEmailCodec(ctx);
        const permissions = [...actor.permissions];
        const checked = await checkBasketInDatabase(ctx.db, {
          lines: body.lines,
          methodOfPaymentCode: body.methodOfPaymentCode,
          permissions: new Set(permissions),
        });
        if (!checked.ok) {
          throw new ProblemError(
            'unprocessable',
            'The basket was refused',
            checked.rejections.map((r) => ({ field: `body.${r.field}`, message: r.message })),
          );
        }
        const lines = checked.lines.map(({ fundCode, reference, amountPence }) => ({
          fundCode,
          reference,
          amountPence,
        }));
        const created = await createPaymentRecord(ctx.db, {
          id: newId('payment'),
          idempotencyKey,
          requestHash: requestHashOf(body),
          amountPence: basketTotalPence(lines),
          description: body.description,
          returnUrl: body.returnUrl,
          methodOfPaymentCode: body.methodOfPaymentCode,
          officeCode: body.officeCode ?? null,
          createdBy: actor.id,
          lines,
        });
        if (created.outcome === 'key_reused') {
          throw new ProblemError(
            'unprocessable',
            `This Idempotency-Key was already used for a different request (payment ${created.paymentId})`,
            [{ field: 'headers.idempotency-key', message: 'was used with a different body' }],
          );
        }
        if (body.email !== undefined && emailCodec !== undefined)
          await keepPayerEmail(ctx, emailCodec, created.paymentId, body.email, 'api');
        const record = await getPaymentRecord(ctx.db, created.paymentId);
        const alreadyFinal =
          record !== null && finalPaymentStates.has(record.payment.state as PaymentState);
        const outcome = alreadyFinal
          ? 'slow'
          : await startCheckout(created.paymentId, body, lines, permissions);
        if (outcome === 'psp_failing') {
          // A council without its own GOV.UK Pay key hears that, not that Pay is down.
          const why =
            (await missingPspKey(lines[0]?.fundCode ?? '')) ??
            'The card payment provider is not answering.';
          throw new ProblemError(
            'dependency_unavailable',
            `${why} Payment ${created.paymentId} is kept and its payment page is being asked for again; send the same request with the same Idempotency-Key after Retry-After seconds, or read the payment`,
            [],
            {
              headers: {
                'Retry-After': String(pspRetryAfterSeconds),
                Location: `/v1/payments/${created.paymentId}`,
              },
              extensions: { paymentId: created.paymentId },
            },
          );
        }
        const status = typeof outcome === 'string' ? null : outcome;
        if (status?.state === 'rejected') {
          throw new ProblemError(
            'unprocessable',
            'The basket was refused',
            status.rejections.map((r) => ({ field: `body.${r.field}`, message: r.message })),
          );
        }
        const latest = await getPaymentRecord(ctx.db, created.paymentId);
        const body201 = {
          paymentId: created.paymentId,
          state: status?.state ?? (latest?.payment.state as PaymentState),
          nextUrl: status?.nextUrl ?? latest?.payment.nextUrl ?? null,
          amountPence: basketTotalPence(lines),
        };
        const httpStatus =
          created.outcome === 'replayed'
            ? 200
            : body201.nextUrl === null && !alreadyFinal
              ? 202
              : 201;
        return replyWith(body201, { Location: `/v1/payments/${created.paymentId}` }, httpStatus);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/payments/:paymentId',
      operationId: 'getPayment',
      access: { permission: 'view' },
      summary: 'A payment: state, lines, ledger journal and timeline',
      tags: ['payments'],
      params: z.object({
        paymentId: z.string().regex(/^pay_[0-9a-z]{20}$/, 'must be a payment id'),
      }),
      successStatus: 200,
      success: { description: 'The payment', schema: paymentSchema },
      errors: { 404: 'No such payment' },
      handler: async ({ params, req, res }) => {
        const record = await getPaymentRecord(ctx.db, params.paymentId);
        const scope = await fundAccessOf(ctx, req, res);
        if (record === null || !record.lines.some((line) => scope.allows(line.fundCode)))
          throw new ProblemError('not_found', `No payment ${params.paymentId}`);
        const { payment, lines, events } = record;
        const journal =
          payment.journalId === null ? null : await getJournal(ctx.db, payment.journalId);
        return {
          paymentId: payment.id,
          state: payment.state,
          amountPence: payment.amountPence,
          description: payment.description,
          methodOfPaymentCode: payment.methodOfPaymentCode,
          officeCode: payment.officeCode,
          takenBy: payment.createdBy,
          pspPaymentId: payment.pspPaymentId,
          pspStatus: payment.pspStatus,
          nextUrl: payment.nextUrl,
          failureCode: payment.failureCode,
          feePence: payment.feePence,
          createdAt: payment.createdAt.toISOString(),
          finishedAt: payment.finishedAt?.toISOString() ?? null,
          lines: lines.map(({ fundCode, reference, amountPence, vatCode }) => ({
            fundCode,
            reference,
            amountPence,
            vatCode,
          })),
          journal:
            journal === null
              ? null
              : {
                  journalId: journal.id,
                  postingDate: journal.postingDate,
                  reversedBy: journal.reversedBy,
                  lines: journal.lines.map(
                    ({ accountCode, debitPence, creditPence, accountReference }) => ({
                      accountCode,
                      debitPence,
                      creditPence,
                      accountReference: accountReference ?? null,
                    }),
                  ),
                },
          timeline: events.map((event) => ({
            at: event.occurredAt.toISOString(),
            event: event.event,
            detail: event.detail,
          })),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/payments',
      operationId: 'listPayments',
      access: { permission: 'view' },
      summary: 'Payments, newest first, by account reference, fund, state and creation day',
      tags: ['payments'],
      query: z
        .object({
          reference: z.string().trim().min(1).max(50).optional(),
          state: z
            .string()
            .regex(/^[a-z_]+$/)
            .optional(),
          fundCode: codeSchema
            .optional()
            .describe(
              'Payments with a line for this fund; a fund outside your fund groups finds none',
            ),
          from: z.iso.date().optional(),
          to: z.iso.date().optional(),
          idempotencyKey: z
            .string()
            .min(1)
            .max(255)
            .optional()
            .describe('The payment created with this Idempotency-Key'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          before: z
            .string()
            .regex(/^pay_[0-9a-z]{20}$/)
            .optional()
            .describe('Cursor: the last paymentId of the previous page'),
        })
        .strict(),
      successStatus: 200,
      success: {
        description: 'One page of payments',
        schema: z.object({
          payments: z.array(
            paymentSummarySchema.extend({
              fundCodes: z
                .array(z.string())
                .describe("The funds of the payment's lines, in line order, each once"),
            }),
          ),
          nextCursor: z.string().nullable(),
        }),
      },
      handler: async ({ query, req, res }) => {
        const { codes, allows } = await fundAccessOf(ctx, req, res);
        // A fund outside the scope finds nothing, as if it had no payments (not a 403, which
        // would say the fund exists); inside it, a payment with a line for the fund is visible.
        if (query.fundCode !== undefined && !allows(query.fundCode))
          return { payments: [], nextCursor: null };
        const rows = await searchPayments(
          ctx.db,
          codes === undefined ? query : { ...query, fundCodes: codes },
        );
        const payments = rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
        return {
          payments,
          nextCursor: payments.length === query.limit ? (payments.at(-1)?.id ?? null) : null,
        };
      },
    }),
  ];
}
