// A user or key limited to some fund groups sees and acts on only those funds' money.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import type { PaymentServiceProvider } from '../../psp';
import { payCard, startSandboxPsp } from '../harness/sandbox';
import { useTestStack } from '../harness/stack';

let provider: PaymentServiceProvider;
let stopSandbox: (() => Promise<void>) | undefined;
const stack = useTestStack({ worker: false, psp: () => provider });

let ctaxPaymentId: string;
let parkingOfficer: Record<string, string>;

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  const started = await startSandboxPsp(stack, () => new Date());
  provider = started.provider;
  stopSandbox = () => started.sandbox.close();
  await stack.startWorker();
  ctaxPaymentId = await payCard(stack, 2_500);
  // Parking and enforcement only: PCN and FPN, not council tax.
  parkingOfficer = await stack.keyFor(
    'parking.officer',
    ['view', 'payment.take', 'refund.request', 'journal.post', 'suspense.work'],
    ['PKE'],
  );
});

afterAll(async () => {
  await stack.stopWorker();
  await stopSandbox?.();
});

describe('fund-group scope', () => {
  it('hides payments of other funds, as if they did not exist', async () => {
    const list = await stack.request('GET', '/v1/payments', undefined, parkingOfficer);
    expect(list.status).toBe(200);
    expect(list.body.payments).toEqual([]);
    const everyone = await stack.request('GET', '/v1/payments');
    expect(everyone.body.payments.map((p: { id: string }) => p.id)).toContain(ctaxPaymentId);
    const one = await stack.request(
      'GET',
      `/v1/payments/${ctaxPaymentId}`,
      undefined,
      parkingOfficer,
    );
    expect(one.status).toBe(404);
  });

  it('refuses a payment or a journal naming a fund outside the scope, naming the field', async () => {
    const payment = await stack.request(
      'POST',
      '/v1/payments',
      {
        lines: [
          { fundCode: 'PCN', reference: 'BJ12345670', amountPence: 100 },
          { fundCode: 'CTAX', reference: '123456780', amountPence: 100 },
        ],
        description: 'mixed basket',
        returnUrl: 'https://council.example/paid',
      },
      parkingOfficer,
    );
    expect(payment.status).toBe(403);
    expect(payment.body.errors).toEqual([
      { field: 'body.lines[1].fundCode', message: 'CTAX is not in your fund groups' },
    ]);
    const transfer = await stack.request(
      'POST',
      '/v1/journals/transfer',
      {
        from: { fundCode: 'CTAX', reference: '123456780' },
        to: { fundCode: 'PCN', reference: 'BJ12345670' },
        amountPence: 100,
        reason: 'wrong fund',
      },
      parkingOfficer,
    );
    expect(transfer.status).toBe(403);
    expect(transfer.body.errors[0].field).toBe('body.from.fundCode');
  });

  it('refuses a refund of a payment it cannot see', async () => {
    const refund = await stack.request(
      'POST',
      '/v1/refunds',
      { paymentId: ctaxPaymentId, amountPence: 100, reason: 'paid twice' },
      parkingOfficer,
    );
    expect(refund.status).toBe(404);
  });

  it('shows only its funds in the ledger and the daily cash report', async () => {
    const ledger = await stack.request('GET', '/v1/ledger/accounts', undefined, parkingOfficer);
    const funds = new Set(ledger.body.accounts.map((a: { fundCode: string | null }) => a.fundCode));
    expect([...funds].sort()).toEqual(['FPN', 'PCN']);
    const today = new Date().toISOString().slice(0, 10);
    const cash = await stack.request(
      'GET',
      `/v1/reports/daily-cash?date=${today}`,
      undefined,
      parkingOfficer,
    );
    expect(cash.body.totalPence).toBe(0);
    const all = await stack.request('GET', `/v1/reports/daily-cash?date=${today}`);
    expect(all.body.totalPence).toBeGreaterThanOrEqual(2_500);
  });

  it('hides other funds’ account holders (personal data) and their on-stop status', async () => {
    const holders = await stack.request(
      'GET',
      '/v1/funds/CTAX/account-holders',
      undefined,
      parkingOfficer,
    );
    expect(holders.status).toBe(404);
    const one = await stack.request(
      'GET',
      '/v1/funds/CTAX/account-holders/512345677',
      undefined,
      parkingOfficer,
    );
    expect(one.status).toBe(404);
    const validate = await stack.request(
      'POST',
      '/v1/references/validate',
      { fundCode: 'CTAX', reference: '512345677', amountPence: 100 },
      parkingOfficer,
    );
    expect(validate.status).toBe(403);
    expect(validate.body.errors[0].field).toBe('body.fundCode');
  });

  it('does not decrypt workflow payloads for someone limited to some funds', async () => {
    const scopedOperator = await stack.keyFor('scoped.operator', ['operations'], ['PKE']);
    const refused = await stack.request('POST', '/codec/decode', { payloads: [] }, scopedOperator);
    expect(refused.status).toBe(403);
  });
});
