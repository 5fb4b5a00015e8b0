// Proves an office's day at the cash desk on the real stack: 20 counter payments in cash, cheque,
// postal order and PDQ (one basket writing back an earlier line), one voided with a reason, gap-free
// receipt numbers, receipts as PDF (a reprint marked COPY); the cashier's return 10p short,
// explained, rejected once, resubmitted and approved by someone else (one workflow); the bag's
// cash banking matched to a CAMT.053 credit; the day closed with the cash income and the
// over/short line in the GL export; the trial balance zero. Bad input answers problem+json.
import { beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { businessDateOf } from '../../domain/businessDate';
import { denominationsPence } from '../../domain/cashReturn';
import { demoAccountHolders } from '../../domain/demoAccountHolders';
import type { PaymentServiceProvider } from '../../psp';
import { recordHistory } from '../harness/histories';
import { useTestStack } from '../harness/stack';
import { uploadFile, waitForImport, withTomorrowsClock } from './fullDayHelpers';
import { webClient } from './webHelpers';

const stack = useTestStack();
const page = webClient(stack);
const today = businessDateOf(Date.now());
const noPsp = {} as PaymentServiceProvider;
let cashier: Record<string, string>;
let approver: Record<string, string>;
let other: Record<string, string>;

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  for (const method of [
    { code: 'POR', name: 'Postal order', minPence: 1, maxPence: 10_000_000, isCheque: true },
    { code: 'PDQ', name: 'Card (PDQ terminal)', minPence: 1, maxPence: 10_000_000, isCard: true },
  ]) {
    expect((await stack.request('POST', '/v1/methods-of-payment', method)).status).toBe(201);
  }
  const assign = await stack.request('PUT', '/v1/cashiers/cashier1', {
    officeCode: 'CC',
    methodOfPaymentCodes: ['CSH', 'CHQ', 'POR', 'PDQ'],
  });
  expect(assign.status, assign.text).toBe(200);
  const template = await stack.request('POST', '/v1/cash-return-templates', {
    id: 'CC_DAY',
    officeCode: 'CC',
    name: 'Civic Centre daily return',
    fundCodes: ['CTAX', 'LIB', 'SUND', 'PCN'],
    // Closed at midnight: today's return is overdue from the start, as operations should see.
    closesAt: '00:00',
  });
  expect(template.status, template.text).toBe(201);
  cashier = await stack.keyFor('cashier1', ['view', 'payment.take']);
  approver = await stack.keyFor('approver1', ['view', 'cashup.approve']);
  other = await stack.keyFor('nobody1', ['view', 'payment.take']);
});

type Line = { fundCode: string; reference: string; amountPence: number; narrative?: string };
const cash = (tenderedPence: number) => ({ kind: 'cash', tenderedPence });
const cheque = (chequeNumber: string) => ({
  kind: 'cheque',
  drawer: 'A Customer',
  sortCode: '12-34-56',
  chequeNumber,
});

async function take(methodOfPaymentCode: string, tender: object, lines: Line[]) {
  return stack.request(
    'POST',
    '/v1/counter-payments',
    { methodOfPaymentCode, tender, lines },
    cashier,
  );
}

const taken: { id: string; kind: string; amountPence: number }[] = [];
async function takeOk(methodOfPaymentCode: string, tender: object, lines: Line[]) {
  const response = await take(methodOfPaymentCode, tender, lines);
  expect(response.status, response.text).toBe(201);
  taken.push({
    id: response.body.counterPaymentId,
    kind: response.body.tenderKind,
    amountPence: response.body.amountPence,
  });
  return response.body;
}

/** Greedy notes-and-coins breakdown of an amount, as a cashier's count. */
function countOf(amountPence: number): Record<string, number> {
  const counts: Record<string, number> = {};
  let left = amountPence;
  for (const denomination of denominationsPence) {
    const pieces = Math.floor(left / denomination);
    if (pieces > 0) counts[String(denomination)] = pieces;
    left -= pieces * denomination;
  }
  return counts;
}

describe('counter payments', () => {
  it('takes 20 payments in cash, cheque, postal order and PDQ with gap-free receipt numbers', async () => {
    const first = await takeOk('CSH', cash(5_000), [
      { fundCode: 'CTAX', reference: '123456780', amountPence: 4_250, narrative: 'December' },
    ]);
    expect(first).toMatchObject({ receiptNo: 1, changePence: 750, officeCode: 'CC' });
    const book = await takeOk('CSH', cash(1_200), [
      { fundCode: 'LIB', reference: 'BOOK-1', amountPence: 1_200, narrative: 'Lost book' },
    ]);
    // VAT at 20% is extracted from the gross: £12.00 includes £2.00.
    expect(book).toMatchObject({ vatPence: 200, changePence: 0 });
    for (let index = 0; index < 9; index++)
      await takeOk('CSH', cash(2_000), [
        { fundCode: 'SUND', reference: `1000000${index}`, amountPence: 1_000 + index * 111 },
      ]);
    // A write-back: the lost book was charged to the wrong reference this morning.
    const writeBack = await takeOk('CSH', cash(2_000), [
      { fundCode: 'LIB', reference: 'BOOK-1', amountPence: -1_200, narrative: 'Wrong reference' },
      { fundCode: 'LIB', reference: 'BOOK-2', amountPence: 1_200, narrative: 'Lost book' },
      { fundCode: 'PCN', reference: 'BJ12345673', amountPence: 1_999 },
    ]);
    expect(writeBack).toMatchObject({ amountPence: 1_999, changePence: 1 });
    for (let index = 0; index < 4; index++)
      await takeOk('CHQ', cheque(`10000${index}`), [
        { fundCode: 'SUND', reference: `2000000${index}`, amountPence: 10_000 + index },
      ]);
    await takeOk('POR', { kind: 'postal_order', serialNumber: '55512345678' }, [
      { fundCode: 'SUND', reference: '30000000', amountPence: 2_500 },
    ]);
    for (let index = 0; index < 3; index++)
      await takeOk('PDQ', { kind: 'pdq', authorisationCode: `A1B2C${index}` }, [
        { fundCode: 'CTAX', reference: '123456780', amountPence: 3_000 + index },
      ]);
    expect(taken).toHaveLength(20);
    const numbers = await stack.database.sql<{ receipt_no: number }[]>`
      select receipt_no from counter_payments order by receipt_no`;
    expect(numbers.map((row) => row.receipt_no)).toEqual(
      Array.from({ length: 20 }, (_, index) => index + 1),
    );
    // Posted as they were taken: the till holds the cash and cheques, PDQ clearing the cards.
    const [pdq] = await stack.database.sql`
      select sum(debit_pence - credit_pence)::int as net from postings where account_code = 'CTRL:PDQ_CLEARING'`;
    expect(pdq?.net).toBe(9_003);
    const outbox = await stack.database.sql`
      select count(*)::int as n from outbox where topic = 'payment.receipt' and payload->>'channel' = 'counter'`;
    expect(outbox[0]?.n).toBe(20);
  });

  it('gives out receipt numbers without gaps when payments race and when one is refused', async () => {
    const refused = await take('CSH', cash(100), [
      { fundCode: 'SUND', reference: '40000000', amountPence: 500 },
    ]);
    expect(refused.status).toBe(422);
    const raced = await Promise.all(
      [0, 1, 2, 3].map((index) =>
        take('CSH', cash(1_000), [
          { fundCode: 'SUND', reference: `4000000${index}`, amountPence: 100 },
        ]),
      ),
    );
    expect(raced.map((response) => response.status)).toEqual([201, 201, 201, 201]);
    expect(raced.map((response) => response.body.receiptNo).sort()).toEqual([21, 22, 23, 24]);
    for (const response of raced)
      taken.push({ id: response.body.counterPaymentId, kind: 'cash', amountPence: 100 });
  });

  it('takes a retried request once (same Idempotency-Key), and refuses the key for another basket', async () => {
    const body = {
      methodOfPaymentCode: 'CSH',
      tender: cash(500),
      lines: [{ fundCode: 'SUND', reference: '70000000', amountPence: 500 }],
    };
    const headers = { ...cashier, 'Idempotency-Key': 'till-1-0001' };
    const first = await stack.request('POST', '/v1/counter-payments', body, headers);
    expect(first.status, first.text).toBe(201);
    const again = await stack.request('POST', '/v1/counter-payments', body, headers);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      counterPaymentId: first.body.counterPaymentId,
      receiptNo: 25,
    });
    const other = await stack.request(
      'POST',
      '/v1/counter-payments',
      { ...body, lines: [{ ...body.lines[0], amountPence: 400 }] },
      headers,
    );
    expect(other.status).toBe(422);
    expect(other.body.errors).toEqual([
      expect.objectContaining({ field: 'headers.idempotency-key' }),
    ]);
    taken.push({ id: first.body.counterPaymentId, kind: 'cash', amountPence: 500 });
  });

  it('voids one payment with a reason by reversing its journal, once', async () => {
    const victim = taken[2]!;
    const path = `/v1/counter-payments/${victim.id}/void`;
    const voided = await stack.request('POST', path, { reason: 'Keyed twice' }, cashier);
    expect(voided.status, voided.text).toBe(200);
    expect(voided.body).toMatchObject({ state: 'voided', voidReason: 'Keyed twice' });
    const journal = await stack.request('GET', `/v1/ledger/journals/${voided.body.voidJournalId}`);
    expect(journal.body).toMatchObject({
      kind: 'reversal',
      reversesJournalId: voided.body.journalId,
    });
    const again = await stack.request('POST', path, { reason: 'Again' }, cashier);
    expect(again.status).toBe(409);
    victim.amountPence = 0;
  });

  it('prints receipts as PDF, VAT shown, and marks a reprint COPY', async () => {
    const book = taken[1]!;
    const pdf = await fetch(`${stack.baseUrl}/v1/counter-payments/${book.id}/receipt.pdf`, {
      headers: cashier,
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    const text = Buffer.from(await pdf.arrayBuffer()).toString('latin1');
    expect(text.startsWith('%PDF-1.4')).toBe(true);
    expect(text).toContain('Receipt CC/000002');
    expect(text).toContain('includes VAT at 20%');
    expect(text).not.toContain('COPY');
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    const copy = await fetch(
      `${stack.baseUrl}/v1/counter-payments/${book.id}/receipt.pdf?copy=true`,
      { headers: cashier },
    );
    expect(Buffer.from(await copy.arrayBuffer()).toString('latin1')).toContain('COPY');
    const [row] = await stack.database.sql`
      select reprint_count from counter_payments where id = ${book.id}`;
    expect(row?.reprint_count).toBe(1);
    // Every receipt of the day prints, each with its own number.
    for (const [index, payment] of taken.slice(0, 20).entries()) {
      const each = await fetch(`${stack.baseUrl}/v1/counter-payments/${payment.id}/receipt.pdf`, {
        headers: cashier,
      });
      const bytes = Buffer.from(await each.arrayBuffer()).toString('latin1');
      expect(bytes).toContain(`Receipt CC/${String(index + 1).padStart(6, '0')}`);
    }
  });

  it('keeps payments of funds outside a caller’s fund groups out of sight and out of reach', async () => {
    const scoped = await stack.keyFor('cashier1', ['view', 'payment.take'], ['SUN']);
    const ctax = taken[0]!.id;
    expect(
      (await stack.request('GET', `/v1/counter-payments/${ctax}`, undefined, scoped)).status,
    ).toBe(404);
    const pdf = await stack.request(
      'GET',
      `/v1/counter-payments/${ctax}/receipt.pdf`,
      undefined,
      scoped,
    );
    expect(pdf.status).toBe(404);
    const listed = await stack.request('GET', '/v1/counter-payments', undefined, scoped);
    const ids = listed.body.counterPayments.map(
      (payment: { counterPaymentId: string }) => payment.counterPaymentId,
    );
    expect(ids).toContain(taken[1]!.id);
    expect(ids).not.toContain(ctax);
    const outside = await stack.request(
      'POST',
      '/v1/counter-payments',
      {
        methodOfPaymentCode: 'CSH',
        tender: cash(5_000),
        lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 100 }],
      },
      scoped,
    );
    expect(outside.status).toBe(403);
    expect(outside.body.errors).toEqual([
      expect.objectContaining({ field: 'body.lines[0].fundCode' }),
    ]);
  });

  it('refuses bad baskets and tenders with problem+json naming the field', async () => {
    const sund = (reference: string, amountPence = 500) => ({
      fundCode: 'SUND',
      reference,
      amountPence,
    });
    const cases: [string, object, Line[], number, string][] = [
      [
        'CHQ',
        { kind: 'cheque', drawer: 'X', sortCode: '123456' },
        [sund('50000000')],
        400,
        'body.tender.chequeNumber',
      ],
      ['CHQ', cheque(''), [sund('50000000')], 400, 'body.tender.chequeNumber'],
      [
        'CHQ',
        { ...cheque('123456'), sortCode: '12-34-5' },
        [sund('50000000')],
        422,
        'body.tender.sortCode',
      ],
      ['CSH', cash(2_000), [sund('50000000'), sund('50000000')], 422, 'body.lines[1].reference'],
      ['CSH', cash(2_000), [sund('5000000')], 422, 'body.lines[0].reference'],
      ['CSH', cash(100), [sund('50000000')], 422, 'body.tender.tenderedPence'],
      ['CSH', cash(2_000), [sund('50000000', 0)], 400, 'body.lines[0].amountPence'],
      [
        'CSH',
        cash(9_000),
        [{ fundCode: 'LIB', reference: 'BOOK-9', amountPence: -100 }, sund('50000001', 200)],
        422,
        'body.lines[0].amountPence',
      ],
      [
        'CSH',
        cash(9_000),
        [{ fundCode: 'CTAX', reference: demoAccountHolders.CTAX![2]!.reference, amountPence: 500 }],
        422,
        'body.lines[0].reference',
      ],
      ['PDQ', cash(9_000), [sund('50000000')], 422, 'body.tender.kind'],
      ['BT', cash(9_000), [sund('50000000')], 403, 'body.methodOfPaymentCode'],
    ];
    for (const [method, tender, lines, status, field] of cases) {
      const response = await take(method, tender, lines);
      expect(response.status, `${field}: ${response.text}`).toBe(status);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    }
    const unassigned = await stack.request(
      'POST',
      '/v1/counter-payments',
      { methodOfPaymentCode: 'CSH', tender: cash(1_000), lines: [sund('50000000')] },
      other,
    );
    expect(unassigned.status).toBe(403);
    const tooMany = await take(
      'CSH',
      cash(100_000),
      Array.from({ length: 11 }, (_, i) => sund(`6000000${i % 10}`)),
    );
    expect(tooMany.status).toBe(400);
  });
});

describe('the cashier’s return (eReturn)', () => {
  let returnId: string;
  const path = (action = '') => `/v1/cash-returns/${returnId}${action}`;
  const expectedCash = () =>
    taken.filter((payment) => payment.kind === 'cash').reduce((sum, p) => sum + p.amountPence, 0);
  const chequeAmounts = [10_000, 10_001, 10_002, 10_003, 2_500];
  const count = (shortPence: number, explanation?: string) => ({
    bags: [{ bagNo: 'CC0001', counts: countOf(expectedCash() - shortPence) }],
    cheques: chequeAmounts.map((amountPence, index) => ({
      bagNo: 'CC0001',
      chequeNumber: index < 4 ? `10000${index}` : '55512345678',
      drawer: 'A Customer',
      amountPence,
    })),
    ...(explanation === undefined ? {} : { explanation }),
  });

  it('starts one workflow per return, and shows overdue in operations until submitted', async () => {
    const started = await stack.request('POST', '/v1/cash-returns', {}, cashier);
    expect(started.status, started.text).toBe(201);
    returnId = started.body.cashReturn.returnId;
    expect(started.body.expected).toEqual({
      cashPence: expectedCash(),
      chequePence: 42_506,
      pdqPence: 9_003,
    });
    const twice = await stack.request('POST', '/v1/cash-returns', {}, cashier);
    expect(twice.status).toBe(409);
    const overdue = await stack.request('GET', '/v1/operations/overdue-cash-returns');
    expect(overdue.body.overdue).toEqual([
      expect.objectContaining({ officeCode: 'CC', cashier: 'cashier1', returnId, state: 'draft' }),
    ]);
    const operations = await page('GET', '/operations');
    expect(operations.status).toBe(200);
    expect(operations.html).toContain('id="overdue-cash-returns"');
    expect(operations.html).toContain(`/cash-returns/${returnId}`);
  });

  it('refuses bad counts naming the field: negative, unknown denominations, a cheque without a number', async () => {
    const bad = async (body: object, field: string) => {
      const response = await stack.request('PUT', path('/count'), body, cashier);
      expect(response.status, response.text).toBe(400);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    };
    await bad({ bags: [{ bagNo: 'B1', counts: { '500': -1 } }] }, 'body.bags[0].counts.500');
    await bad({ bags: [{ bagNo: 'B1', counts: { '300': 1 } }] }, 'body.bags[0].counts.300');
    await bad(
      { bags: [{ bagNo: 'B1', counts: {} }], cheques: [{ bagNo: 'B1', amountPence: 5 }] },
      'body.cheques[0].chequeNumber',
    );
    const byOther = await stack.request('PUT', path('/count'), count(0), other);
    expect(byOther.status).toBe(403);
  });

  it('is 10p short: refused until explained, then submitted once', async () => {
    expect((await stack.request('PUT', path('/count'), count(10), cashier)).status).toBe(200);
    const unexplained = await stack.request('POST', path('/submit'), {}, cashier);
    expect(unexplained.status, unexplained.text).toBe(422);
    expect(unexplained.body.errors).toEqual([
      expect.objectContaining({ field: 'body.explanation' }),
    ]);
    await stack.request(
      'PUT',
      path('/count'),
      count(10, 'A 10p coin rolled under the till'),
      cashier,
    );
    const submitted = await stack.request('POST', path('/submit'), {}, cashier);
    expect(submitted.status, submitted.text).toBe(200);
    expect(submitted.body.cashReturn).toMatchObject({ state: 'submitted', overShortPence: -10 });
    const twice = await stack.request('POST', path('/submit'), {}, cashier);
    expect(twice.status).toBe(409);
    expect(twice.body.errors).toEqual([expect.objectContaining({ field: 'state' })]);
    const overdue = await stack.request('GET', '/v1/operations/overdue-cash-returns');
    expect(overdue.body.overdue).toEqual([]);
  });

  it('is rejected once with a reason, corrected, resubmitted and approved by another user', async () => {
    const own = await stack.request(
      'POST',
      path('/approve'),
      {},
      await stack.authHeaders('cashier1'),
    );
    expect(own.status).toBe(403);
    expect(own.body.errors).toEqual([expect.objectContaining({ field: 'actor' })]);
    const noReason = await stack.request('POST', path('/reject'), {}, approver);
    expect(noReason.status).toBe(400);
    const rejected = await stack.request(
      'POST',
      path('/reject'),
      { reason: 'Recount bag CC0001' },
      approver,
    );
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body.cashReturn).toMatchObject({
      state: 'draft',
      decisionReason: 'Recount bag CC0001',
    });
    await stack.request('POST', path('/notes'), { text: 'Recounted: still 10p short' }, cashier);
    // A double click submits once: the second meets the first in the workflow's validator.
    const submits = await Promise.all([
      stack.request('POST', path('/submit'), {}, cashier),
      stack.request('POST', path('/submit'), {}, cashier),
    ]);
    expect(submits.map((response) => response.status).sort()).toEqual([200, 409]);
    // Two approvers at once: one approves, the other is told it is no longer submitted.
    const decisions = await Promise.all([
      stack.request('POST', path('/approve'), {}, approver),
      stack.request(
        'POST',
        path('/approve'),
        {},
        await stack.keyFor('approver2', ['view', 'cashup.approve']),
      ),
    ]);
    expect(decisions.map((response) => response.status).sort()).toEqual([200, 409]);
    const approved = decisions.find((response) => response.status === 200)!;
    expect(approved.body.cashReturn).toMatchObject({
      state: 'approved',
      submissionCount: 2,
      decidedBy: expect.stringMatching(/^approver[12]$/),
      notes: [expect.objectContaining({ text: 'Recounted: still 10p short' })],
    });
    const journal = await stack.request(
      'GET',
      `/v1/ledger/journals/${approved.body.cashReturn.overShortJournalId}`,
    );
    expect(
      journal.body.lines.map(
        (line: { accountCode: string; debitPence: number; creditPence: number }) => [
          line.accountCode,
          line.debitPence,
          line.creditPence,
        ],
      ),
    ).toEqual([
      ['CTRL:CASH_OVER_SHORT', 10, 0],
      ['CTRL:CASH', 0, 10],
    ]);
    const handle = stack.temporal.workflow.getHandle(returnId);
    expect(await handle.result()).toMatchObject({ state: 'approved', submissions: 2 });
    // Replayed by replay.test.ts on every run (RECORD_HISTORIES=1 records it again).
    await recordHistory(stack, returnId, 'cash-return-approved');
    const voided = await stack.request('POST', path('/void'), { reason: 'too late' }, cashier);
    expect(voided.status).toBe(409);
    expect(voided.body.errors).toEqual([expect.objectContaining({ field: 'state' })]);
    // A payment its approved return covers cannot be voided any more.
    const lateVoid = await stack.request(
      'POST',
      `/v1/counter-payments/${taken[0]!.id}/void`,
      { reason: 'x' },
      cashier,
    );
    expect(lateVoid.status).toBe(409);
  });

  it('expects the bag at the bank, matches it to a CAMT.053 credit, and closes the day', async () => {
    const bagPence = expectedCash() - 10 + chequeAmounts.reduce((sum, amount) => sum + amount, 0);
    const profile = await stack.request('POST', '/v1/import-profiles', {
      id: 'bank-camt',
      name: 'Bank statement (CAMT.053)',
      kind: 'camt053',
      definition: { kind: 'camt053' },
      methodOfPaymentCode: 'BT',
      clearingAccountCode: 'CTRL:BANK',
    });
    expect(profile.status).toBe(201);
    const uploaded = await uploadFile(
      stack,
      camtStatement(today, bagPence, 'CASH BAG CC0001'),
      'bank-camt',
      'stmt.xml',
    );
    expect((await waitForImport(stack, uploaded.body.importId)).state).toBe('completed');
    const run = await stack.request('POST', '/v1/reconciliation/bank/match', { asOf: today });
    expect(run.status, run.text).toBe(200);
    expect(run.body.matches).toEqual([
      expect.objectContaining({
        expectedItemIds: [`cash_banking:${today}:bag-CC0001`],
        differencePence: 0,
      }),
    ]);
    // Cash in hand is empty again: the bag went to the bank, the 10p to over/short.
    const [till] = await stack.database.sql`
      select sum(debit_pence - credit_pence)::int as net from postings where account_code = 'CTRL:CASH'`;
    expect(till?.net).toBe(0);
    const closed = await withTomorrowsClock(stack, noPsp, () =>
      stack.request('POST', '/v1/close-of-day', { date: today, reason: 'cash desk day' }),
    );
    expect(closed.status, closed.text).toBe(201);
    const gl = await stack.request('GET', `/v1/close-of-day/${today}/gl-export.csv`);
    const overShort = gl.text.split('\r\n').find((line) => line.includes('CTRL:CASH_OVER_SHORT'));
    expect(overShort, gl.text).toMatch(/,0\.10,0\.00$/);
    expect(gl.text).toMatch(/L4100,FN100/);
    // The day's cash report counts the counter's income by its methods, voids netted.
    const report = await stack.request('GET', `/v1/reports/daily-cash?date=${today}`);
    const byMethod = (code: string) =>
      report.body.rows
        .filter((row: { methodOfPaymentCode: string }) => row.methodOfPaymentCode === code)
        .reduce((sum: number, row: { incomePence: number }) => sum + row.incomePence, 0);
    expect(byMethod('CSH')).toBe(expectedCash() - 200); // less the lost book's VAT (£2.00)
    expect(byMethod('PDQ')).toBe(9_003);
    const balance = await stack.request('GET', '/v1/ledger/trial-balance');
    expect(balance.body.balanced).toBe(true);
  });
});

/** A one-entry CAMT.053 statement: opening zero, one credit, closing at it. */
function camtStatement(date: string, amountPence: number, reference: string): string {
  const amount = `${Math.floor(amountPence / 100)}.${String(amountPence % 100).padStart(2, '0')}`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>MSG-CASH</MsgId><CreDtTm>${date}T18:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-CASH</Id>
      <CreDtTm>${date}T18:00:00</CreDtTm>
      <Acct><Id><IBAN>GB33BUKB20201555555555</IBAN></Id><Ccy>GBP</Ccy></Acct>
      <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="GBP">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>
      <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="GBP">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>
      <Ntry>
        <Amt Ccy="GBP">${amount}</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>${date}</Dt></BookgDt>
        <AcctSvcrRef>BRCASH0001</AcctSvcrRef>
        <NtryDtls><TxDtls><RmtInf><Ustrd>${reference}</Ustrd></RmtInf></TxDtls></NtryDtls>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
`;
}
