import { randomUUID } from 'node:crypto';
import { PspError } from '../errors';
import {
  type CreatePaymentInput,
  type PaymentServiceProvider,
  pspMetadataKeysMax,
  type RefundPaymentInput,
  type SearchSettledPaymentsInput,
} from '../port';
import { createGovukPayCaller, type GovukPayProviderOptions } from './caller';
import { toCreatePaymentRequest, toPspPayment, toPspPaymentPage, toPspRefund } from './mapping';

export { type GovukPayProviderOptions, govukPayBaseUrl } from './caller';

const searchPageSizeMax = 500;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

function assertCreateInput(input: CreatePaymentInput): void {
  if (!Number.isSafeInteger(input.amountPence) || input.amountPence < 0) {
    throw new RangeError(`amountPence must be a non-negative integer; got ${input.amountPence}`);
  }
  const keyCount = Object.keys(input.metadata).length;
  if (keyCount > pspMetadataKeysMax) {
    throw new RangeError(
      `metadata has ${keyCount} keys; GOV.UK Pay takes at most ${pspMetadataKeysMax}`,
    );
  }
}

function assertRefundInput(input: RefundPaymentInput): void {
  // GOV.UK Pay's minimum for both is 1p; a zero refund is a bug upstream, not a PSP question.
  for (const pence of [input.amountPence, input.refundAmountAvailablePence]) {
    if (!Number.isSafeInteger(pence) || pence < 1) {
      throw new RangeError(`refund amounts must be positive integers; got ${pence}`);
    }
  }
}

function assertSearchInput(input: SearchSettledPaymentsInput, pageSize: number): void {
  if (!isoDate.test(input.fromSettledDate) || !isoDate.test(input.toSettledDate)) {
    throw new RangeError('settled dates must be YYYY-MM-DD');
  }
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > searchPageSizeMax) {
    throw new RangeError(`pageSize must be 1..${searchPageSizeMax}; got ${pageSize}`);
  }
}

function required<D>(data: D | undefined, operation: string): D {
  if (data === undefined) {
    throw new PspError('unavailable', `GOV.UK Pay ${operation} answered without a body`);
  }
  return data;
}

/** The GOV.UK Pay adapter: the port's calls as openapi-fetch requests typed by the official spec. */
export function createGovukPayProvider(options: GovukPayProviderOptions): PaymentServiceProvider {
  const { client, call } = createGovukPayCaller(options);
  return {
    async createPayment(input, scope) {
      assertCreateInput(input);
      // One key for every attempt of this call, so a retry after a lost answer cannot pay twice.
      const idempotencyKey = input.idempotencyKey ?? randomUUID();
      const data = await call('create payment', scope, (headers, signal) =>
        client.POST('/v1/payments', {
          body: toCreatePaymentRequest(input),
          headers: { ...headers, 'Idempotency-Key': idempotencyKey },
          signal,
        }),
      );
      return toPspPayment(required(data, 'create payment'));
    },

    async getPayment(pspPaymentId, scope) {
      const path = { paymentId: pspPaymentId };
      const data = await call('get payment', scope, (headers, signal) =>
        client.GET('/v1/payments/{paymentId}', { params: { path }, headers, signal }),
      );
      return toPspPayment(required(data, 'get payment'));
    },

    async cancelPayment(pspPaymentId, scope) {
      const path = { paymentId: pspPaymentId };
      await call('cancel payment', scope, (headers, signal) =>
        client.POST('/v1/payments/{paymentId}/cancel', { params: { path }, headers, signal }),
      );
    },

    async refundPayment(input, scope) {
      assertRefundInput(input);
      const path = { paymentId: input.pspPaymentId };
      const body = {
        amount: input.amountPence,
        refund_amount_available: input.refundAmountAvailablePence,
      };
      const data = await call('refund payment', scope, (headers, signal) =>
        client.POST('/v1/payments/{paymentId}/refunds', {
          params: { path },
          body,
          headers,
          signal,
        }),
      );
      return toPspRefund(required(data, 'refund payment'));
    },

    async getRefund(pspPaymentId, pspRefundId, scope) {
      const path = { paymentId: pspPaymentId, refundId: pspRefundId };
      const data = await call('get refund', scope, (headers, signal) =>
        client.GET('/v1/payments/{paymentId}/refunds/{refundId}', {
          params: { path },
          headers,
          signal,
        }),
      );
      return toPspRefund(required(data, 'get refund'));
    },

    async searchSettledPayments(input, scope) {
      const page = input.page ?? 1;
      const pageSize = input.pageSize ?? searchPageSizeMax;
      assertSearchInput(input, pageSize);
      const query = {
        from_settled_date: input.fromSettledDate,
        to_settled_date: input.toSettledDate,
        page: String(page),
        display_size: String(pageSize),
      };
      const data = await call('search payments', scope, (headers, signal) =>
        client.GET('/v1/payments', { params: { query }, headers, signal }),
      );
      return toPspPaymentPage(required(data, 'search payments'), page);
    },
  };
}
