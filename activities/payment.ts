import { ApplicationFailure } from '@temporalio/activity';
import { inArray } from 'drizzle-orm';
import { checkBasketInDatabase } from '../db/basketCheck';
import type { Database } from '../db/client';
import { requireCouncil } from '../db/councils';
import { postJournal } from '../db/ledger';
import { openPayerEmail, rememberPayerEmail } from '../db/payerContacts';
import {
  completePaymentRecord,
  getPaymentRecord,
  recordPaymentEvent,
  setLineVatCodes,
  updatePayment,
} from '../db/payments';
import { funds } from '../db/schema';
import {
  type AllocatedLine,
  basketTotalPence,
  cardPaymentLines,
  type PaymentLine,
  type PaymentState,
} from '../domain/payment';
import { workSettingsFrom } from '../platform/config';
import type { AesGcmPayloadCodec } from '../platform/payloadCodec';
import { isPspError, type PaymentServiceProvider, type PspPayment } from '../psp';

/**
 * The side effects of a card payment. Each is idempotent: a retry after a crash finds what the
 * first attempt did (the PSP payment by our Idempotency-Key, the journal by its key, events by
 * their dedupe keys) instead of doing it again.
 */
export const invalidBasketFailureType = 'InvalidBasket';

export type PspScopeInput = { paymentId: string; pspPaymentId: string; fundCode: string };
export type PspSnapshot = Pick<PspPayment, 'status' | 'finished' | 'failureCode' | 'feePence'>;

/**
 * The card as the PSP reports it, only once it does (absent stays absent: a later read without
 * card details never blanks what an earlier one stored). Nothing beyond these four is kept.
 */
function cardDetailsOf(payment: PspPayment) {
  if (payment.lastDigitsCardNumber === undefined) return {};
  return {
    cardFirstDigits: payment.firstDigitsCardNumber ?? null,
    cardLastDigits: payment.lastDigitsCardNumber,
    cardBrand: payment.cardBrand ?? null,
    cardExpiryDate: payment.cardExpiryDate ?? null,
  };
}

export function createPaymentActivities(deps: {
  db: Database;
  psp: PaymentServiceProvider;
  codec?: AesGcmPayloadCodec;
}) {
  const { db, psp } = deps;
  /** The payer's address given with the payment, to prefill at the PSP; never returned. */
  const payerEmailOf = async (paymentId: string) =>
    deps.codec === undefined
      ? null
      : await openPayerEmail(db, deps.codec, requireCouncil(), paymentId);
  /** The address the payer typed at the PSP, kept for the receipt when none was given. */
  const keepPspEmail = async (paymentId: string, payment: PspPayment) => {
    if (payment.email === undefined || payment.status !== 'success' || deps.codec === undefined)
      return;
    await rememberPayerEmail(db, deps.codec, {
      councilId: requireCouncil(),
      sourceId: paymentId,
      email: payment.email,
      capturedFrom: 'psp',
      retainDays: workSettingsFrom().PAYER_EMAIL_RETAIN_DAYS,
    });
  };

  return {
    async validatePaymentBasket(input: {
      paymentId: string;
      lines: PaymentLine[];
      methodOfPaymentCode: string;
      permissions?: string[];
    }): Promise<AllocatedLine[]> {
      const result = await checkBasketInDatabase(db, {
        lines: input.lines,
        methodOfPaymentCode: input.methodOfPaymentCode,
        permissions: new Set(input.permissions ?? []),
      });
      if (!result.ok) {
        await recordPaymentEvent(db, input.paymentId, 'rejected', 'rejected', {
          rejections: result.rejections,
        });
        throw ApplicationFailure.nonRetryable(
          'The basket was refused by the money core',
          invalidBasketFailureType,
          result.rejections,
        );
      }
      await setLineVatCodes(
        db,
        input.paymentId,
        result.lines.map((line) => line.vatCode),
      );
      await recordPaymentEvent(db, input.paymentId, 'validated', 'validated');
      return result.lines;
    },

    async createPspPayment(input: {
      paymentId: string;
      amountPence: number;
      description: string;
      returnUrl: string;
      lines: AllocatedLine[];
    }): Promise<{ pspPaymentId: string; nextUrl: string | null }> {
      const record = await getPaymentRecord(db, input.paymentId);
      if (record?.payment.pspPaymentId)
        return { pspPaymentId: record.payment.pspPaymentId, nextUrl: record.payment.nextUrl };
      const fundCodes = [...new Set(input.lines.map((line) => line.fundCode))];
      const ledgerCodes = await db
        .select({ code: funds.code, ledgerCode: funds.ledgerCode })
        .from(funds)
        .where(inArray(funds.code, fundCodes));
      const email = await payerEmailOf(input.paymentId);
      const created = await psp.createPayment(
        {
          ...(email === null ? {} : { email }),
          amountPence: basketTotalPence(input.lines),
          reference: input.lines.length === 1 ? input.lines[0]!.reference : input.paymentId,
          description: input.description,
          returnUrl: input.returnUrl,
          // Our ids and ledger codes travel with the payment, so a PSP report explains itself.
          metadata: {
            ims_payment_id: input.paymentId,
            // Webhooks name the council back, so they reach the right council's workflow.
            ims_council: requireCouncil(),
            ims_fund_codes: fundCodes.join(',').slice(0, 100),
            ims_ledger_codes: ledgerCodes
              .map((row) => row.ledgerCode)
              .join(',')
              .slice(0, 100),
          },
          idempotencyKey: input.paymentId,
        },
        { fundCode: fundCodes[0]! },
      );
      await updatePayment(db, input.paymentId, {
        pspPaymentId: created.pspPaymentId,
        nextUrl: created.nextUrl ?? null,
        pspStatus: created.status,
        state: 'awaiting_payment',
      });
      await recordPaymentEvent(db, input.paymentId, 'psp_created', 'psp_created', {
        pspPaymentId: created.pspPaymentId,
      });
      return { pspPaymentId: created.pspPaymentId, nextUrl: created.nextUrl ?? null };
    },

    /** Always the PSP's current word (GET is strongly consistent), recorded in the timeline. */
    async readPspPayment(input: PspScopeInput): Promise<PspSnapshot> {
      const payment = await psp.getPayment(input.pspPaymentId, { fundCode: input.fundCode });
      await keepPspEmail(input.paymentId, payment);
      await updatePayment(db, input.paymentId, {
        pspStatus: payment.status,
        failureCode: payment.failureCode ?? null,
        failureMessage: payment.failureMessage ?? null,
        ...cardDetailsOf(payment),
      });
      await recordPaymentEvent(
        db,
        input.paymentId,
        `psp:${payment.status}`,
        `psp_${payment.status}`,
        payment.failureCode ? { failureCode: payment.failureCode } : {},
      );
      return {
        status: payment.status,
        finished: payment.finished,
        failureCode: payment.failureCode,
        feePence: payment.feePence,
      };
    },

    async cancelPspPayment(input: PspScopeInput): Promise<void> {
      try {
        await psp.cancelPayment(input.pspPaymentId, { fundCode: input.fundCode });
        await recordPaymentEvent(db, input.paymentId, 'cancel_requested', 'cancel_requested', {
          reason: 'no outcome before our deadline',
        });
      } catch (error) {
        // Already finished at the PSP: the re-read that follows tells the workflow how.
        if (isPspError(error) && error.kind === 'invalid_request') return;
        throw error;
      }
    },

    /**
     * Posts the income journal and marks the payment allocated with its receipt queued, in ONE
     * transaction: the ledger and the payment's state can never disagree.
     */
    async allocatePayment(input: {
      paymentId: string;
      lines: AllocatedLine[];
      feePence: number;
      postingDate: string;
    }): Promise<{ journalId: string; outboxId: string | null }> {
      return db.transaction(async (tx) => {
        const { journalId } = await postJournal(tx, {
          idempotencyKey: `payment:${input.paymentId}:income`,
          kind: 'payment',
          description: `Card payment ${input.paymentId}`,
          postingDate: input.postingDate,
          causedBy: `workflow:${input.paymentId}`,
          sourceType: 'payment',
          sourceId: input.paymentId,
          lines: cardPaymentLines(input.lines, input.feePence),
        });
        await updatePayment(tx, input.paymentId, { feePence: input.feePence });
        const { outboxId } = await completePaymentRecord(tx, {
          paymentId: input.paymentId,
          state: 'allocated',
          journalId,
          // Receipts carry amounts and references only: who paid is the council's business.
          receipt: {
            paymentId: input.paymentId,
            amountPence: basketTotalPence(input.lines),
            journalId,
            postingDate: input.postingDate,
            lines: input.lines.map(({ fundCode, reference, amountPence }) => ({
              fundCode,
              reference,
              amountPence,
            })),
          },
        });
        // The workflow starts the receipt's relay with it (workflows/outbox.ts).
        return { journalId, outboxId };
      });
    },

    /** Records an outcome that posts nothing: rejected, failed, cancelled, expired or error. */
    async completePayment(input: {
      paymentId: string;
      state: PaymentState;
      failureCode?: string | null;
    }): Promise<void> {
      await completePaymentRecord(db, { paymentId: input.paymentId, state: input.state });
    },
  };
}
