// Proves a whole business day: card payments and a collection file, a PSP settlement, a statement
// with the payout 1p short shown as exceptions and resolved (audited), clearing journals emptying
// the clearing accounts into the bank, then a balanced, reproducible close.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { produceCloseFiles } from '../../db/glExport';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { businessDateOf } from '../../domain/businessDate';
import { generateCollectionFile } from '../../domain/imports';
import type { PaymentServiceProvider } from '../../psp';
import type { SandboxPsp, SandboxServer } from '../../psp/sandbox/sandboxPsp';
import { type TestResponse, useTestStack } from '../harness/stack';
import {
  createMt940Profile,
  mt940Statement,
  payCard,
  startSandboxPsp,
  uploadFile,
  waitForImport,
  withTomorrowsClock,
} from './fullDayHelpers';

const dayMs = 86_400_000;
const actor = { 'X-Actor': 'finance.lead' };
let clockOffsetMs = 0;
let sandboxPsp: SandboxPsp;
let sandbox: SandboxServer;
let provider: PaymentServiceProvider;
const stack = useTestStack({ worker: false, psp: () => provider });
const today = businessDateOf(Date.now());

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

const exceptions = async (query = ''): Promise<TestResponse['body'][]> =>
  (await stack.request('GET', `/v1/reconciliation/bank/exceptions${query}`)).body.exceptions;

describe('a full business day', () => {
  let settledDate: string;
  let payoutPence: number;
  let collection: { importId: string; totalPence: number };

  it('takes card payments and a collection file, then settles the PSP day', async () => {
    for (const amountPence of [12_345, 7_001]) await payCard(stack, amountPence);
    const file = [...generateCollectionFile({ rows: 3, unidentifiableRatio: 0, seed: 11 })];
    const uploaded = await uploadFile(stack, file.join(''), 'post-office', 'po-today.txt');
    const done = await waitForImport(stack, uploaded.body.importId);
    expect(done.state).toBe('completed');
    collection = { importId: done.id ?? uploaded.body.importId, totalPence: done.totalPence };

    clockOffsetMs = 2 * dayMs;
    sandboxPsp.sweep();
    const [row] = await stack.database.sql<{ psp_payment_id: string }[]>`
      select psp_payment_id from payments limit 1`;
    const settled = await provider.getPayment(row!.psp_payment_id, { fundCode: 'CTAX' });
    settledDate = settled.settledDate!;
    const run = await stack.request('POST', '/v1/reconciliation/settlements', {
      date: settledDate,
    });
    expect(run.body).toMatchObject({ paymentCount: 2, grossPence: 19_346, differences: [] });
    payoutPence = run.body.expectedPayoutPence;
    expect(payoutPence).toBe(19_346 - run.body.feePence);
  });

  it('matches the statement, showing the 1p-short payout as exceptions', async () => {
    const statement = mt940Statement([
      { date: settledDate, amountPence: payoutPence - 1, reference: 'GOVUKPAY PAYOUT' },
      { date: today, amountPence: collection.totalPence, reference: 'POST OFFICE COLL' },
    ]);
    const uploaded = await uploadFile(stack, statement, 'bank-mt940', 'statement.mt940');
    expect((await waitForImport(stack, uploaded.body.importId)).state).toBe('completed');

    const run = await stack.request('POST', '/v1/reconciliation/bank/match', {});
    expect(run.status).toBe(200);
    expect(run.body.matches).toHaveLength(1);
    expect(run.body.matches[0]).toMatchObject({
      expectedItemIds: [`collection_file:${collection.importId}`],
      differencePence: 0,
      matchedBy: 'system',
    });
    const open = await exceptions();
    expect(open.map((exception) => exception.kind).sort()).toEqual(['expected', 'unexpected']);
    expect(open.find((e) => e.kind === 'expected')?.expectedItemId).toBe(
      `psp_payout:${settledDate}`,
    );
    expect(await exceptions('?kind=unexpected')).toHaveLength(1);
    expect(await exceptions('?minAgeDays=30')).toHaveLength(0);
  });

  it('lets staff annotate, match by hand, and unmatch with history kept, all audited', async () => {
    const [unexpected] = await exceptions('?kind=unexpected');
    const noted = await stack.request(
      'POST',
      `/v1/reconciliation/bank/exceptions/${unexpected.id}/notes`,
      { note: 'payout short by 1p: PSP fee rounding, query raised' },
      actor,
    );
    expect(noted.status).toBe(200);
    const manual = await stack.request(
      'POST',
      '/v1/reconciliation/bank/matches',
      {
        statementLineIds: [unexpected.statementLineId],
        expectedItemIds: [`psp_payout:${settledDate}`],
        note: 'accepted 1p short',
      },
      actor,
    );
    expect(manual.status).toBe(201);
    expect(manual.body).toMatchObject({
      rule: 'manual',
      differencePence: -1,
      matchedBy: 'finance.lead',
    });
    expect(await exceptions()).toEqual([]);

    const unmatched = await stack.request(
      'POST',
      `/v1/reconciliation/bank/matches/${manual.body.id}/unmatch`,
      { reason: 'matched too early' },
      actor,
    );
    expect(unmatched.body).toMatchObject({
      unmatchedBy: 'finance.lead',
      unmatchReason: 'matched too early',
    });
    expect((await stack.request('POST', '/v1/reconciliation/bank/match', {})).body.matches).toEqual(
      [],
    );
    expect(await exceptions()).toHaveLength(2);
    const again = await stack.request('POST', '/v1/reconciliation/bank/matches', {
      statementLineIds: [unexpected.statementLineId],
      expectedItemIds: [`psp_payout:${settledDate}`],
      note: 'accepted 1p short after review',
    });
    expect(again.status).toBe(201);
    const history = await stack.database.sql`
      select count(*)::int as n from bank_matches where unmatched_at is not null`;
    expect(history[0]?.n).toBe(1);
    // Each match cleared what the bank received: the collection total leaves collection
    // clearing, and PSP clearing keeps only the 1p the PSP did not pay (the undone match's
    // journal and its reversal cancel out).
    const net = await stack.database.sql<{ account_code: string; net: number }[]>`
      select account_code, sum(debit_pence - credit_pence)::bigint as net from postings
       where account_code in ('CTRL:PSP_CLEARING', 'CTRL:COLLECTION_CLEARING', 'CTRL:BANK')
       group by account_code order by account_code`;
    expect(net).toEqual([
      { account_code: 'CTRL:BANK', net: payoutPence - 1 + collection.totalPence },
      { account_code: 'CTRL:COLLECTION_CLEARING', net: 0 },
      { account_code: 'CTRL:PSP_CLEARING', net: 1 },
    ]);
    const audit = await stack.database.sql`
      select action from audit_log where entity_type like 'bank_%' order by occurred_at`;
    expect(audit.map((row) => row.action)).toEqual([
      'bank_exception.note',
      'bank_match.create',
      'bank_match.unmatch',
      'bank_match.create',
    ]);
  });

  it('reports the day: cash per fund and method, reconciliation status, exception ages', async () => {
    const cash = await stack.request('GET', `/v1/reports/daily-cash?date=${today}`);
    const byMethod = (code: string) =>
      cash.body.rows
        .filter((row: { methodOfPaymentCode: string }) => row.methodOfPaymentCode === code)
        .reduce((sum: number, row: { incomePence: number }) => sum + row.incomePence, 0);
    expect(byMethod('PO')).toBe(collection.totalPence);
    // The statement's credits are the payout and the collection total again: counted once, by
    // their own channels, never a second time as bank-transfer income.
    expect(byMethod('BT')).toBe(0);
    const status = await stack.request(
      'GET',
      `/v1/reports/reconciliation-status?date=${settledDate}`,
    );
    expect(status.body).toMatchObject({
      settlement: { expectedPayoutPence: payoutPence },
      statementCreditsMatched: 1,
      statementCreditsUnmatched: 0,
      expectedItemsMatched: 1,
      expectedItemsUnmatched: 0,
    });
    const ages = await stack.request('GET', '/v1/reports/exceptions-by-age');
    expect(ages.body.buckets.map((bucket: { count: number }) => bucket.count)).toEqual([
      0, 0, 0, 0,
    ]);
  });

  it('closes the day (from tomorrow) with a balanced GL export that regenerates byte for byte', async () => {
    const closed = await withTomorrowsClock(stack, provider, () =>
      stack.request('POST', '/v1/close-of-day', { date: today, reason: 'full day' }, actor),
    );
    expect(closed.status).toBe(201);
    expect(closed.body.totalDebitPence).toBe(closed.body.totalCreditPence);
    const gl = await stack.request('GET', `/v1/close-of-day/${today}/gl-export.csv`);
    const trailer = gl.text.split('\r\n').at(-2)?.split(',');
    expect(trailer?.[2]).toBe(trailer?.[3]);
    expect(createHash('sha256').update(gl.text).digest('hex')).toBe(closed.body.glExportSha256);
    const again = await produceCloseFiles(stack.database.db, today);
    expect(Buffer.from(again.glExportCsv).equals(Buffer.from(gl.text))).toBe(true);
  });
});
