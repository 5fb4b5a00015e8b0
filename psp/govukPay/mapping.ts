import { PspError } from '../errors';
import type {
  CreatePaymentInput,
  PspMetadata,
  PspPayment,
  PspPaymentPage,
  PspPaymentStatus,
  PspRefund,
  PspRefundStatus,
} from '../port';
import type { components } from './schema';

/**
 * The only place GOV.UK Pay's wire names meet ours. Wire types come from the generated schema;
 * a response missing what the port promises is refused here as `unavailable` (a broken answer
 * is the PSP's fault and may be transient), never passed on half-filled.
 */
type Schemas = components['schemas'];
export type WirePayment =
  | Schemas['CreatePaymentResult']
  | Schemas['PaymentWithAllLinks']
  | Schemas['PaymentDetailForSearch'];

const paymentStatuses: ReadonlySet<string> = new Set<PspPaymentStatus>([
  'created',
  'started',
  'submitted',
  'capturable',
  'success',
  'failed',
  'cancelled',
  'error',
]);
const refundStatuses: ReadonlySet<string> = new Set<PspRefundStatus>([
  'submitted',
  'success',
  'error',
]);

function broken(what: string): PspError {
  return new PspError('unavailable', `GOV.UK Pay answered without a valid ${what}`);
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw broken(what);
  return value;
}

/**
 * The spec describes `metadata` as an ExternalMetadata object wrapping a map, but the API sends
 * and accepts the flat map of keys to strings, numbers and booleans (see GOV.UK Pay's docs on
 * custom metadata). These two functions are the one place that difference is bridged.
 */
export function toWireMetadata(metadata: PspMetadata): Schemas['ExternalMetadata'] {
  return metadata as unknown as Schemas['ExternalMetadata'];
}

export function fromWireMetadata(wire: Schemas['ExternalMetadata'] | undefined): PspMetadata {
  const entries = Object.entries((wire ?? {}) as Record<string, unknown>);
  return Object.fromEntries(
    entries.filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v)),
  ) as PspMetadata;
}

export function toCreatePaymentRequest(
  input: CreatePaymentInput,
): Schemas['CreateCardPaymentRequest'] {
  return {
    amount: input.amountPence,
    reference: input.reference,
    description: input.description,
    return_url: input.returnUrl,
    metadata: toWireMetadata(input.metadata),
    ...(input.language === undefined ? {} : { language: input.language }),
    ...(input.email === undefined ? {} : { email: input.email }),
  };
}

function optionalFields(wire: WirePayment): Partial<PspPayment> {
  const links = wire._links;
  const nextUrl = links !== undefined && 'next_url' in links ? links.next_url?.href : undefined;
  const fee = 'fee' in wire ? wire.fee : undefined;
  const net = 'net_amount' in wire ? wire.net_amount : undefined;
  const fields: Partial<PspPayment> = {
    failureCode: wire.state?.code,
    failureMessage: wire.state?.message,
    nextUrl,
    settledDate: wire.settlement_summary?.settled_date,
    feePence: fee,
    netAmountPence: net,
    email: wire.email,
    cardBrand: wire.card_details?.card_brand,
    firstDigitsCardNumber: wire.card_details?.first_digits_card_number,
    lastDigitsCardNumber: wire.card_details?.last_digits_card_number,
    cardExpiryDate: wire.card_details?.expiry_date,
  };
  // Absent stays absent: no `key: undefined` leaks into workflow payloads.
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

export function toPspPayment(wire: WirePayment): PspPayment {
  const status = required(wire.state?.status, 'state.status');
  if (!paymentStatuses.has(status)) throw broken(`state.status (${status})`);
  const summary = wire.refund_summary;
  return {
    pspPaymentId: required(wire.payment_id, 'payment_id'),
    amountPence: required(wire.amount, 'amount'),
    reference: required(wire.reference, 'reference'),
    description: required(wire.description, 'description'),
    status: status as PspPaymentStatus,
    finished: required(wire.state?.finished, 'state.finished'),
    createdDate: required(wire.created_date, 'created_date'),
    metadata: fromWireMetadata(wire.metadata),
    refundSummary: {
      status: required(summary?.status, 'refund_summary.status'),
      amountAvailablePence: required(summary?.amount_available, 'refund_summary.amount_available'),
      amountSubmittedPence: required(summary?.amount_submitted, 'refund_summary.amount_submitted'),
    },
    ...optionalFields(wire),
  };
}

export function toPspRefund(wire: Schemas['Refund']): PspRefund {
  const status = required(wire.status, 'refund status');
  if (!refundStatuses.has(status)) throw broken(`refund status (${status})`);
  const settledDate = wire.settlement_summary?.settled_date;
  return {
    pspRefundId: required(wire.refund_id, 'refund_id'),
    amountPence: required(wire.amount, 'refund amount'),
    status,
    createdDate: required(wire.created_date, 'refund created_date'),
    ...(settledDate === undefined ? {} : { settledDate }),
  };
}

export function toPspPaymentPage(
  wire: Schemas['PaymentSearchResults'],
  page: number,
): PspPaymentPage {
  return {
    payments: (wire.results ?? []).map(toPspPayment),
    total: required(wire.total, 'search total'),
    page: wire.page ?? page,
    // GOV.UK Pay links the next page only when there is one.
    hasMore: wire._links?.next_page !== undefined,
  };
}
