// Proves refunds are netted off the expected PSP payout: two card payments and a partial card
// refund on the same day settle the next day as one payout of gross − fees − refund, the bank
// statement's credit of exactly that matches it, and its clearing journal leaves PSP clearing
// at zero for the day's money (payments in, fees and the refund out, the payout to the bank).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import type { PaymentServiceProvider } from '../../psp';
import type { SandboxPsp, SandboxServer } from '../../psp/sandbox/sandboxPsp';
import { useTestStack } from '../harness/stack';
import {
  createMt940Profile,
  mt940Statement,
  payCard,
  startSandboxPsp,
  uploadFile,
  waitForImport,
} from './fullDayHelpers';

// Read when the routes are built: poll the PSP quickly so the refund finishes promptly.
process.env.REFUND_POLL_INITIAL_MS = '100';
process.env.REFUND_POLL_MAX_MS = '400';

const dayMs = 86_400_000;
let clockOffsetMs = 0;
let sandboxPsp: SandboxPsp;
let sandbox: SandboxServer;
let provider: PaymentServiceProvider;
const stack = useTestStack({ worker: false, psp: () => provider });

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  ({ sandboxPsp, sandbox, provider } = await startSandboxPsp(
    stack,
    () => new Date(Date.now() + clockOffsetMs),
  ));
  await stack.startWorker();
  await createMt940Profile(stack);
});

afterAll(async () => {
  await sandbox?.close();
});

async function refundDone(refundId: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { body } = await stack.request('GET', `/v1/refunds/${refundId}`);
    if (['succeeded', 'failed', 'rejected'].includes(body.state)) return body.state;
    if (Date.now() > deadline) throw new Error(`refund ${refundId} stuck: ${body.state}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('refunds in the expected payout', () => {
  let settledDate: string;
  let payoutPence: number;
  let pspPaymentIds: string[];

  it('nets the day’s card refund off the payout', async () => {
    const paymentIds = [await payCard(stack, 10_000), await payCard(stack, 5_000)];
    const refund = await stack.request(
      'POST',
      '/v1/refunds',
      { paymentId: paymentIds[0], amountPence: 2_000, reason: 'Overpaid' },
      { 'X-Actor': 'alice' },
    );
    expect(refund.status).toBe(201);
    expect(await refundDone(refund.body.refundId)).toBe('succeeded');

    clockOffsetMs = 2 * dayMs;
    sandboxPsp.sweep();
    const rows = await stack.database.sql<{ psp_payment_id: string }[]>`
      select psp_payment_id from payments where id in ${stack.database.sql(paymentIds)}`;
    pspPaymentIds = rows.map((row) => row.psp_payment_id);
    const settled = await Promise.all(
      pspPaymentIds.map((id) => provider.getPayment(id, { fundCode: 'CTAX' })),
    );
    settledDate = settled[0]!.settledDate!;
    const feePence = settled.reduce((sum, payment) => sum + (payment.feePence ?? 0), 0);

    const run = await stack.request('POST', '/v1/reconciliation/settlements', {
      date: settledDate,
    });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({
      paymentCount: 2,
      grossPence: 15_000,
      feePence,
      refundPence: 2_000,
      refundCount: 1,
      expectedPayoutPence: 15_000 - feePence - 2_000,
      differences: [],
    });
    payoutPence = run.body.expectedPayoutPence;
  });

  it('matches the bank’s credit of the net payout and empties PSP clearing', async () => {
    const statement = mt940Statement([
      { date: settledDate, amountPence: payoutPence, reference: 'GOVUKPAY PAYOUT' },
    ]);
    const uploaded = await uploadFile(stack, statement, 'bank-mt940', 'refunds.mt940');
    expect((await waitForImport(stack, uploaded.body.importId)).state).toBe('completed');
    const run = await stack.request('POST', '/v1/reconciliation/bank/match', {
      statementImportId: uploaded.body.importId,
    });
    expect(run.status).toBe(200);
    expect(run.body.matches).toEqual([
      expect.objectContaining({
        expectedItemIds: [`psp_payout:${settledDate}`],
        differencePence: 0,
      }),
    ]);
    const [clearing] = await stack.database.sql`
      select posting_date::text as posting_date from journals
       where id = ${run.body.matches[0].clearingJournalId}`;
    expect(clearing?.posting_date).toBe(settledDate);
    const [psp] = await stack.database.sql`
      select coalesce(sum(debit_pence - credit_pence), 0)::bigint as net
        from postings where account_code = 'CTRL:PSP_CLEARING'`;
    expect(psp?.net).toBe(0);
    const [bank] = await stack.database.sql`
      select coalesce(sum(debit_pence - credit_pence), 0)::bigint as net
        from postings where account_code = 'CTRL:BANK'`;
    expect(bank?.net).toBe(payoutPence);
  });
});
