// Proves bank refunds of suspense money on the real stack: the Standard 18 record and the
// journal through refunds payable, bank details checked before anything is recorded, money held
// back from allocation meanwhile, and the refund awaiting its BACS file, never 'succeeded',
// while no file has taken the money out of the bank.
import { beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { recordHistory as recordDecodedHistory, recordingHistories } from '../harness/histories';
import { type TestResponse, useTestStack } from '../harness/stack';

process.env.REFUND_POLL_INITIAL_MS = '100';

const stack = useTestStack();
const alice = { 'X-Actor': 'alice' };
const bob = { 'X-Actor': 'bob' };
const goodAccount = { sortCode: '08-99-99', accountNumber: '66374958', accountName: 'Jo Smith' };

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
});

/** With RECORD_HISTORIES=1, keeps this run's history (decoded) for replay.test.ts. */
const recordHistory = (workflowId: string, name: string) =>
  recordingHistories ? recordDecodedHistory(stack, workflowId, name) : Promise.resolve();

async function newItem(amountPence: number): Promise<string> {
  const created = await stack.request(
    'POST',
    '/v1/suspense',
    { amountPence, receivedReference: 'BGC 99812', reason: 'Unidentified bank credit' },
    alice,
  );
  return created.body.suspenseId;
}

async function waitFor(path: string, done: (body: TestResponse['body']) => boolean) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await stack.request('GET', path);
    if (done(response.body)) return response.body;
    if (Date.now() > deadline) throw new Error(`${path} stuck: ${JSON.stringify(response.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const refund = (suspenseId: string, amountPence: number, bankAccount: unknown = goodAccount) =>
  stack.request(
    'POST',
    '/v1/refunds',
    { suspenseId, amountPence, reason: 'Sent to us in error', bankAccount },
    alice,
  );

describe('bank refunds of suspense money', () => {
  it('write a Standard 18 record and post through refunds payable to the bank', async () => {
    const suspenseId = await newItem(25_000);
    const requested = await refund(suspenseId, 10_000);
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({ method: 'bacs', bankAccountEnding: '58' });
    const done = await waitFor(
      `/v1/refunds/${requested.body.refundId}`,
      (b) => b.state === 'awaiting_bacs_file',
    );

    const [bankPayment] = await stack.database
      .sql`select record, amount_pence from bank_payments where refund_id = ${requested.body.refundId}`;
    const record = bankPayment?.record as string;
    expect(record).toHaveLength(100);
    expect(record.slice(0, 17)).toBe('08999966374958099');
    expect(record.slice(17, 31)).toBe('20000055779911');
    expect(record.slice(35, 46)).toBe('00000010000');
    expect(record.slice(82, 100)).toBe('JO SMITH          ');

    const lines = await stack.database.sql`
      select account_code, debit_pence, credit_pence from postings where journal_id = ${done.journalId}
       order by line_no`;
    expect(lines).toEqual([
      { account_code: 'FUND:SUSP', debit_pence: 10_000, credit_pence: 0 },
      { account_code: 'CTRL:REFUNDS_PAYABLE', debit_pence: 0, credit_pence: 10_000 },
      { account_code: 'CTRL:REFUNDS_PAYABLE', debit_pence: 10_000, credit_pence: 0 },
      { account_code: 'CTRL:BANK', debit_pence: 0, credit_pence: 10_000 },
    ]);
    const item = await waitFor(`/v1/suspense/${suspenseId}`, (b) => b.remainingPence === 15_000);
    expect(item.state).toBe('open');

    const rest = await refund(suspenseId, 15_000);
    await waitFor(`/v1/refunds/${rest.body.refundId}`, (b) => b.state === 'awaiting_bacs_file');
    const closed = await stack.temporal.workflow.getHandle(suspenseId).result();
    expect(closed).toMatchObject({ state: 'refunded', remainingPence: 0 });
    await recordHistory(suspenseId, 'suspense-refunded');
    await recordHistory(rest.body.refundId, 'refund-bacs');
  });

  it('refuses bad bank details naming the field, recording nothing', async () => {
    const suspenseId = await newItem(1_000);
    const shortSortCode = await refund(suspenseId, 100, { ...goodAccount, sortCode: '08-99-9' });
    expect(shortSortCode.status).toBe(400);
    expect(shortSortCode.body.errors[0].field).toBe('body.bankAccount.sortCode');
    const modulus = await refund(suspenseId, 100, { ...goodAccount, accountNumber: '66374959' });
    expect(modulus.status).toBe(422);
    expect(modulus.body.errors).toEqual([
      {
        field: 'body.bankAccount.accountNumber',
        message: 'does not pass the Vocalink modulus check for this sort code',
      },
    ]);
    const missing = await stack.request(
      'POST',
      '/v1/refunds',
      { suspenseId, amountPence: 100, reason: 'x' },
      alice,
    );
    expect(missing.body.errors[0].field).toBe('body.bankAccount');
    const rows = await stack.database
      .sql`select count(*)::int as n from refunds where source_id = ${suspenseId}`;
    expect(rows[0]?.n).toBe(0);
  });

  it('holds money being refunded back from allocation, and refuses more than remains', async () => {
    const suspenseId = await newItem(60_000);
    const tooMuch = await refund(suspenseId, 60_001);
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.errors[0].field).toBe('body.amountPence');

    const big = await refund(suspenseId, 60_000);
    expect(big.body.approvalRequired).toBe(true);
    await waitFor(`/v1/refunds/${big.body.refundId}`, (b) => b.state === 'awaiting_approval');
    const allocate = await stack.request(
      'POST',
      `/v1/suspense/${suspenseId}/allocate`,
      { parts: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 1 }], totalPence: 1 },
      bob,
    );
    expect(allocate.status).toBe(422);
    expect(allocate.body.errors[0].message).toBe('only £0.00 is available to allocate');

    expect(
      (await stack.request('POST', `/v1/refunds/${big.body.refundId}/approve`, {}, alice)).status,
    ).toBe(403);
    await stack.request('POST', `/v1/refunds/${big.body.refundId}/approve`, {}, bob);
    await waitFor(`/v1/refunds/${big.body.refundId}`, (b) => b.state === 'awaiting_bacs_file');
    const closed = await stack.temporal.workflow.getHandle(suspenseId).result();
    expect(closed.state).toBe('refunded');
  });

  it('never say succeeded while the money waits for a BACS file', async () => {
    const suspenseId = await newItem(3_000);
    const requested = await refund(suspenseId, 1_000);
    const refundId: string = requested.body.refundId;
    // The workflow has done all it can: the ledger is posted and the BACS record waits.
    const result = await stack.temporal.workflow.getHandle(refundId).result();
    expect(result.state).toBe('awaiting_bacs_file');
    const stored = await stack.request('GET', `/v1/refunds/${refundId}`);
    expect(stored.body).toMatchObject({ state: 'awaiting_bacs_file', finishedAt: null });
    expect(stored.body.journalId).toMatch(/^jnl_/);
    const [waiting] = await stack.database
      .sql`select file_id from bank_payments where refund_id = ${refundId}`;
    expect(waiting).toEqual({ file_id: null });
    // No 'refund succeeded' notification or audit entry yet; the listing finds it by its state.
    const told = await stack.database
      .sql`select topic from outbox where dedupe_key like ${`refund:${refundId}:%`}`;
    expect(told).toEqual([]);
    const audited = await stack.database
      .sql`select action from audit_log where entity_id = ${refundId} order by occurred_at`;
    expect(audited.map((row) => row.action)).not.toContain('refund.succeeded');
    expect(audited.map((row) => row.action)).toContain('refund.awaiting_bacs_file');
    const listed = await stack.request(
      'GET',
      `/v1/refunds?state=awaiting_bacs_file&sourceId=${suspenseId}`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.refunds.map((each: { refundId: string }) => each.refundId)).toEqual([
      refundId,
    ]);
    const item = await waitFor(`/v1/suspense/${suspenseId}`, (b) => b.remainingPence === 2_000);
    expect(item.state).toBe('open');
  });
});
