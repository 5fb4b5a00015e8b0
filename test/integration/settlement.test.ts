// Proves PSP settlement reconciliation against the sandbox PSP: two card payments paid through
// the API settle the next day, and the settlement workflow records the expected payout as
// gross − fees with no differences from the ledger; a day with nothing settled expects zero.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { createGovukPayProvider, type PaymentServiceProvider } from '../../psp';
import {
  createSandboxPsp,
  type SandboxPsp,
  type SandboxServer,
} from '../../psp/sandbox/sandboxPsp';
import { payCard as payCardOn } from '../harness/sandbox';
import { useTestStack } from '../harness/stack';

const apiKey = 'test-api-key';
const dayMs = 86_400_000;
let clockOffsetMs = 0;
let sandboxPsp: SandboxPsp;
let sandbox: SandboxServer;
let provider: PaymentServiceProvider;

const stack = useTestStack({ worker: false, psp: () => provider });

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  sandboxPsp = createSandboxPsp({
    apiKeys: [apiKey],
    webhookUrl: `${stack.baseUrl}/v1/webhooks/govuk-pay`,
    webhookSecret: 'unused',
    sweepIntervalMs: 100,
    now: () => new Date(Date.now() + clockOffsetMs),
  });
  sandbox = await sandboxPsp.start(0, '127.0.0.1');
  provider = createGovukPayProvider({
    baseUrl: sandbox.url,
    keys: { default: apiKey },
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
  });
  await stack.startWorker();
});

afterAll(async () => {
  await sandbox?.close();
});

const payCard = (amountPence: number) => payCardOn(stack, amountPence);

describe('PSP settlement', () => {
  it('expects gross less fees for the day the PSP settled, matching the ledger', async () => {
    const paymentIds = [await payCard(12_345), await payCard(7_001)];
    clockOffsetMs = 2 * dayMs;
    sandboxPsp.sweep();
    const rows = await stack.database.sql<{ psp_payment_id: string }[]>`
      select psp_payment_id from payments where id in ${stack.database.sql(paymentIds)}`;
    const settled = await Promise.all(
      rows.map((row) => provider.getPayment(row.psp_payment_id, { fundCode: 'CTAX' })),
    );
    const settledDate = settled[0]?.settledDate;
    expect(settledDate).toBeDefined();
    expect(settled[1]?.settledDate).toBe(settledDate);
    const feePence = settled.reduce((sum, payment) => sum + (payment.feePence ?? 0), 0);
    expect(feePence).toBe(Math.floor((12_345 * 150) / 10_000) + Math.floor((7_001 * 150) / 10_000));

    const run = await stack.request('POST', '/v1/reconciliation/settlements', {
      date: settledDate,
    });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({
      settledDate,
      paymentCount: 2,
      grossPence: 19_346,
      feePence,
      refundPence: 0,
      expectedPayoutPence: 19_346 - feePence,
      differences: [],
    });
    const read = await stack.request('GET', `/v1/reconciliation/settlements/${settledDate}`);
    expect(read.body).toEqual(run.body);
  });

  it('expects nothing on a day nothing settled, and 404s a day never reconciled', async () => {
    const run = await stack.request('POST', '/v1/reconciliation/settlements', {
      date: '2020-01-01',
    });
    expect(run.body).toMatchObject({ paymentCount: 0, expectedPayoutPence: 0, differences: [] });
    expect((await stack.request('GET', '/v1/reconciliation/settlements/2020-01-02')).status).toBe(
      404,
    );
  });
});
