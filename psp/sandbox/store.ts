import { advance, type LifecycleDeps } from './lifecycle';
import { isoDay, type SandboxPayment } from './model';
import { SandboxProblem } from './problem';

/**
 * The sandbox's payments, in memory. Every read first brings the payment up to date with the
 * clock (expiry, refunds, settlement), so results never depend on when the timer last ran.
 * Payments belong to the API key that created them, as they would to a GOV.UK Pay service.
 */
export interface NewPayment {
  amountPence: number;
  reference: string;
  description: string;
  returnUrl: string;
  language: 'en' | 'cy';
  metadata?: Record<string, string | number | boolean>;
  email?: string;
}

export interface SearchFilter {
  fromSettledDate?: string;
  toSettledDate?: string;
  reference?: string;
  state?: string;
  page: number;
  displaySize: number;
}

export interface PaymentStore {
  create(apiKey: string, input: NewPayment, idempotencyKey?: string): SandboxPayment;
  /** A payment the key may see, brought up to date; 404 with `notFoundCode` otherwise. */
  find(apiKey: string, paymentId: string, notFoundCode: string): SandboxPayment;
  /** For the hosted page, which the payer's browser reaches without an API key. */
  findForPayer(paymentId: string): SandboxPayment | undefined;
  search(apiKey: string, filter: SearchFilter): { total: number; results: SandboxPayment[] };
  /** Brings every payment up to date: what the timer calls. */
  sweep(): void;
}

function settledIn(payment: SandboxPayment, filter: SearchFilter, today: string): boolean {
  const settled = payment.settledDate;
  if (filter.fromSettledDate === undefined && filter.toSettledDate === undefined) return true;
  // A payment is only "settled" once its settlement date has arrived; both bounds are inclusive.
  if (settled === undefined || settled > today) return false;
  if (filter.fromSettledDate !== undefined && settled < filter.fromSettledDate) return false;
  return filter.toSettledDate === undefined || settled <= filter.toSettledDate;
}

export function createPaymentStore(deps: LifecycleDeps): PaymentStore {
  const payments = new Map<string, SandboxPayment>();
  const idempotent = new Map<string, SandboxPayment>();

  const create = (apiKey: string, input: NewPayment, idempotencyKey?: string) => {
    const fingerprint = JSON.stringify(input);
    const slot = idempotencyKey === undefined ? undefined : `${apiKey}\n${idempotencyKey}`;
    const earlier = slot === undefined ? undefined : idempotent.get(slot);
    if (earlier !== undefined) {
      if (earlier.requestFingerprint === fingerprint) return earlier;
      throw new SandboxProblem(
        422,
        'P0191',
        'Idempotency-Key was used for a different payment',
        undefined,
      );
    }
    const payment: SandboxPayment = {
      ...input,
      paymentId: deps.newId(),
      apiKey,
      createdAt: deps.now(),
      status: 'created',
      cardEntered: false,
      settledAnnounced: false,
      refunds: [],
      requestFingerprint: fingerprint,
    };
    payments.set(payment.paymentId, payment);
    if (slot !== undefined) idempotent.set(slot, payment);
    return payment;
  };

  const find = (apiKey: string, paymentId: string, notFoundCode: string) => {
    const payment = payments.get(paymentId);
    if (payment === undefined || payment.apiKey !== apiKey) {
      throw new SandboxProblem(404, notFoundCode, 'Not found');
    }
    advance(payment, deps);
    return payment;
  };

  const findForPayer = (paymentId: string) => {
    const payment = payments.get(paymentId);
    if (payment !== undefined) advance(payment, deps);
    return payment;
  };

  const search = (apiKey: string, filter: SearchFilter) => {
    const today = isoDay(deps.now());
    const own = [...payments.values()].filter((p) => p.apiKey === apiKey);
    for (const payment of own) advance(payment, deps);
    const matches = own
      .filter((p) => settledIn(p, filter, today))
      .filter((p) => filter.reference === undefined || p.reference === filter.reference)
      .filter((p) => filter.state === undefined || p.status === filter.state)
      // GOV.UK Pay lists the most recently created first.
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    const start = (filter.page - 1) * filter.displaySize;
    return { total: matches.length, results: matches.slice(start, start + filter.displaySize) };
  };

  const sweep = () => {
    for (const payment of payments.values()) advance(payment, deps);
  };

  return { create, find, findForPayer, search, sweep };
}
