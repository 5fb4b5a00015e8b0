import type { components } from '../govukPay/schema';
import {
  isFinished,
  isoDay,
  refundSummary,
  type SandboxPayment,
  type SandboxRefund,
  sandboxCard,
} from './model';

/**
 * The sandbox's records as GOV.UK Pay's JSON, typed by the generated schema so the compiler
 * holds the shapes to the official file (and the contract test holds the values to it).
 * Dates that have not yet arrived (settlement) are left out, as GOV.UK Pay leaves them out.
 */
type Schemas = components['schemas'];

const link = (href: string, method: 'GET' | 'POST'): Schemas['Link'] => ({ href, method });

function paymentLinks(payment: SandboxPayment, baseUrl: string): Schemas['PaymentLinks'] {
  const self = `${baseUrl}/v1/payments/${payment.paymentId}`;
  const links: Schemas['PaymentLinks'] = {
    self: link(self, 'GET'),
    refunds: link(`${self}/refunds`, 'GET'),
  };
  if (!isFinished(payment)) {
    links.cancel = { href: `${self}/cancel`, method: 'POST' };
  }
  // The hosted page is offered only until the payer has acted on it.
  if (payment.status === 'created' || payment.status === 'started') {
    links.next_url = link(`${baseUrl}/pay/${payment.paymentId}`, 'GET');
  }
  return links;
}

function state(payment: SandboxPayment): Schemas['PaymentState'] {
  return {
    status: payment.status,
    finished: isFinished(payment),
    ...(payment.failure === undefined
      ? {}
      : { code: payment.failure.code, message: payment.failure.message }),
  };
}

function settlement(payment: SandboxPayment, today: string): Schemas['PaymentSettlementSummary'] {
  if (payment.capturedAt === undefined) return {};
  return {
    capture_submit_time: payment.capturedAt.toISOString(),
    captured_date: isoDay(payment.capturedAt),
    ...(payment.settledDate !== undefined && payment.settledDate <= today
      ? { settled_date: payment.settledDate }
      : {}),
  };
}

function money(
  payment: SandboxPayment,
): Pick<Schemas['PaymentWithAllLinks'], 'fee' | 'net_amount'> {
  if (payment.feePence === undefined) return {};
  return { fee: payment.feePence, net_amount: payment.amountPence - payment.feePence };
}

/** GET /v1/payments/{paymentId}, and the resource inside webhook messages. */
export function paymentToWire(
  payment: SandboxPayment,
  baseUrl: string,
  today: string,
): Schemas['PaymentWithAllLinks'] {
  const summary = refundSummary(payment);
  return {
    payment_id: payment.paymentId,
    amount: payment.amountPence,
    description: payment.description,
    reference: payment.reference,
    language: payment.language,
    ...(payment.email === undefined ? {} : { email: payment.email }),
    // The API carries metadata as a flat map; the spec's wrapper type does not say so.
    ...(payment.metadata === undefined
      ? {}
      : { metadata: payment.metadata as unknown as Schemas['ExternalMetadata'] }),
    state: state(payment),
    return_url: payment.returnUrl,
    payment_provider: 'sandbox',
    created_date: payment.createdAt.toISOString(),
    refund_summary: {
      status: summary.status,
      amount_available: summary.amountAvailablePence,
      amount_submitted: summary.amountSubmittedPence,
    },
    settlement_summary: settlement(payment, today),
    delayed_capture: false,
    moto: false,
    authorisation_mode: 'web',
    ...(payment.cardEntered
      ? { card_details: { ...sandboxCard }, provider_id: `sandbox-${payment.paymentId}` }
      : {}),
    ...money(payment),
    _links: paymentLinks(payment, baseUrl),
  };
}

/** One result of GET /v1/payments: the same payment, with the search form of its links. */
export function searchResultToWire(
  payment: SandboxPayment,
  baseUrl: string,
  today: string,
): Schemas['PaymentDetailForSearch'] {
  const { _links, ...rest } = paymentToWire(payment, baseUrl, today);
  const { self, events, refunds, cancel } = _links ?? {};
  return {
    ...rest,
    _links: { self, events, refunds, ...(cancel === undefined ? {} : { cancel }) },
  };
}

export function refundToWire(
  payment: SandboxPayment,
  refund: SandboxRefund,
  baseUrl: string,
  today: string,
): Schemas['Refund'] {
  const paymentUrl = `${baseUrl}/v1/payments/${payment.paymentId}`;
  return {
    refund_id: refund.refundId,
    payment_id: payment.paymentId,
    amount: refund.amountPence,
    status: refund.status,
    created_date: refund.createdAt.toISOString(),
    settlement_summary:
      refund.settledDate !== undefined && refund.settledDate <= today
        ? { settled_date: refund.settledDate }
        : {},
    _links: {
      self: link(`${paymentUrl}/refunds/${refund.refundId}`, 'GET'),
      payment: link(paymentUrl, 'GET'),
    },
  };
}

/** GET /v1/payments/{paymentId}/refunds. */
export function refundListToWire(
  payment: SandboxPayment,
  baseUrl: string,
  today: string,
): Schemas['RefundForSearchResult'] {
  const paymentUrl = `${baseUrl}/v1/payments/${payment.paymentId}`;
  return {
    payment_id: payment.paymentId,
    _embedded: { refunds: payment.refunds.map((r) => refundToWire(payment, r, baseUrl, today)) },
    _links: { self: link(`${paymentUrl}/refunds`, 'GET'), payment: link(paymentUrl, 'GET') },
  };
}

/** GET /v1/payments: one page of results with GOV.UK Pay's navigation links. */
export function searchPageToWire(
  found: { total: number; results: SandboxPayment[] },
  query: URLSearchParams,
  page: { page: number; displaySize: number },
  baseUrl: string,
  today: string,
): Schemas['PaymentSearchResults'] {
  const lastPage = Math.max(1, Math.ceil(found.total / page.displaySize));
  const pageLink = (n: number): Schemas['Link'] => {
    const params = new URLSearchParams(query);
    params.set('page', String(n));
    params.set('display_size', String(page.displaySize));
    return link(`${baseUrl}/v1/payments?${params}`, 'GET');
  };
  return {
    total: found.total,
    count: found.results.length,
    page: page.page,
    results: found.results.map((p) => searchResultToWire(p, baseUrl, today)),
    _links: {
      self: pageLink(page.page),
      first_page: pageLink(1),
      last_page: pageLink(lastPage),
      ...(page.page > 1 ? { prev_page: pageLink(page.page - 1) } : {}),
      ...(page.page < lastPage ? { next_page: pageLink(page.page + 1) } : {}),
    },
  };
}
