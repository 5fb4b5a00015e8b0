// Proves suspense is found by reference, narrative, amount and dates; that several items are
// allocated together in one balanced journal, with a credit note taken back from an account
// that holds credit; that each item's workflow and row agree afterwards; and that a bad sum, a
// share larger than an item holds, a credit note larger than the account's credit, or an item
// named twice is refused naming the field, leaving every item as it was (its hold released).
import { beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { stateQuery } from '../../workflows/suspense';
import { useTestStack } from '../harness/stack';
import { expectProblem } from '../harness/writes';

const stack = useTestStack();
const alice = { 'X-Actor': 'alice' };

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
});

async function newItem(amountPence: number, receivedReference: string, narrative = '') {
  const created = await stack.request(
    'POST',
    '/v1/suspense',
    { amountPence, receivedReference, narrative, reason: 'Bank credit with no reference' },
    alice,
  );
  expect(created.status).toBe(201);
  return created.body.suspenseId as string;
}

const together = (body: unknown, headers: Record<string, string> = {}) =>
  stack.request('POST', '/v1/suspense/allocations', body, { ...alice, ...headers });

const workflowStatus = (suspenseId: string) =>
  stack.temporal.workflow.getHandle(suspenseId).query(stateQuery);

describe('suspenseTogether.happy', () => {
  it('finds items by reference, narrative, amount and dates received', async () => {
    const id = await newItem(4_321, 'SMITH J RENT', 'FPS CREDIT 0412 SMITH');
    await newItem(9_999, 'OTHER');
    const ids = async (query: string) =>
      (await stack.request('GET', `/v1/suspense?${query}`)).body.items.map(
        (item: { suspenseId: string }) => item.suspenseId,
      );
    expect(await ids('reference=smith%20j')).toEqual([id]);
    expect(await ids('narrative=fps%20credit')).toEqual([id]);
    expect(await ids('minAmountPence=4321&maxAmountPence=4321')).toEqual([id]);
    expect(await ids('reference=smith&receivedFrom=2000-01-01&receivedTo=2000-01-02')).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await ids(`reference=smith&receivedFrom=${today}`)).toEqual([id]);
  });

  it('allocates two items and a credit note together in one journal', async () => {
    // Credit on an account: 15.00 allocated to LIB LOAN-7 out of an earlier item.
    const earlier = await newItem(1_500, 'EARLIER');
    const credited = await stack.request(
      'POST',
      `/v1/suspense/${earlier}/allocate`,
      { parts: [{ fundCode: 'LIB', reference: 'LOAN-7', amountPence: 1_500 }], totalPence: 1_500 },
      alice,
    );
    expect(credited.status).toBe(200);
    const first = await newItem(6_000, 'A SMITH 1');
    const second = await newItem(5_000, 'A SMITH 2');
    const request = {
      items: [
        { suspenseId: first, amountPence: 6_000 },
        { suspenseId: second, amountPence: 3_000 },
      ],
      creditNotes: [{ fundCode: 'LIB', reference: 'LOAN-7', amountPence: 1_000 }],
      parts: [
        { fundCode: 'CTAX', reference: '123456780', amountPence: 8_000 },
        { fundCode: 'PCN', reference: 'bj12345673', amountPence: 2_000 },
      ],
      totalPence: 10_000,
      reason: 'Both payments are Mrs Smith’s council tax and fine',
    };
    const answer = await together(request, { 'Idempotency-Key': 'together-1' });
    expect(answer.status).toBe(201);
    expect(answer.body.items).toEqual([
      { suspenseId: first, remainingPence: 0, state: 'allocated' },
      { suspenseId: second, remainingPence: 2_000, state: 'open' },
    ]);
    const journal = await stack.request('GET', `/v1/ledger/journals/${answer.body.journalId}`);
    expect(journal.body).toMatchObject({ kind: 'allocation', sourceType: 'suspense_group' });
    const debits = journal.body.lines
      .filter((line: { debitPence: number }) => line.debitPence > 0)
      .map((line: { accountCode: string; accountReference: string; debitPence: number }) => [
        line.accountCode,
        line.accountReference,
        line.debitPence,
      ]);
    expect(debits).toEqual([
      ['FUND:SUSP', 'A SMITH 1', 6_000],
      ['FUND:SUSP', 'A SMITH 2', 3_000],
      // Library income carries 20% VAT: the credit note takes its VAT back too.
      ['FUND:LIB', 'LOAN-7', 833],
      ['CTRL:VAT_OUTPUT', null, 167],
    ]);
    // Each item's record shows where its own money went; its workflow agrees with its row.
    const second_ = await stack.request('GET', `/v1/suspense/${second}`);
    expect(
      second_.body.allocations.map((a: { fundCode: string; amountPence: number }) => [
        a.fundCode,
        a.amountPence,
      ]),
    ).toEqual([
      ['CTAX', 2_000],
      ['PCN', 1_000],
    ]);
    const status = await workflowStatus(second);
    expect(status).toMatchObject({ remainingPence: 2_000, reservedPence: 0, holds: {} });
    // A retry with the same key answers the same journal and moves nothing again.
    const again = await together(request, { 'Idempotency-Key': 'together-1' });
    expect(again.body.journalId).toBe(answer.body.journalId);
    expect((await stack.request('GET', `/v1/suspense/${second}`)).body.remainingPence).toBe(2_000);
  });
});

describe('suspenseTogether.error', () => {
  it('refuses bad sums, too large a share, too much credit and a repeated item, changing nothing', async () => {
    const one = await newItem(2_000, 'ERR 1');
    const two = await newItem(2_000, 'ERR 2');
    const base = {
      items: [
        { suspenseId: one, amountPence: 2_000 },
        { suspenseId: two, amountPence: 2_000 },
      ],
      parts: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 4_000 }],
      totalPence: 4_000,
      reason: 'Test',
    };
    expectProblem(await together({ ...base, totalPence: 4_001 }), 422, ['body.totalPence']);
    expectProblem(
      await together({
        ...base,
        parts: [{ ...base.parts[0], amountPence: 3_000 }],
        totalPence: 3_000,
      }),
      422,
      ['body.totalPence'],
    );
    expectProblem(
      await together({
        ...base,
        items: [
          { suspenseId: one, amountPence: 2_000 },
          { suspenseId: one, amountPence: 2_000 },
        ],
      }),
      422,
      ['body.items[1].suspenseId'],
    );
    // The second item holds only 20.00: the first item's hold is released again.
    expectProblem(
      await together({
        ...base,
        items: [
          { suspenseId: one, amountPence: 2_000 },
          { suspenseId: two, amountPence: 2_500 },
        ],
        parts: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 4_500 }],
        totalPence: 4_500,
      }),
      422,
      ['body.items[1].amountPence'],
    );
    expect(await workflowStatus(one)).toMatchObject({ reservedPence: 0, holds: {} });
    // LIB NOCREDIT holds nothing: the posting is refused and both holds are released.
    expectProblem(
      await together({
        ...base,
        creditNotes: [{ fundCode: 'LIB', reference: 'NOCREDIT', amountPence: 500 }],
        parts: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 4_500 }],
        totalPence: 4_500,
      }),
      422,
      ['body.creditNotes[0].amountPence'],
    );
    for (const id of [one, two]) {
      expect(await workflowStatus(id)).toMatchObject({ remainingPence: 2_000, reservedPence: 0 });
      expect((await stack.request('GET', `/v1/suspense/${id}`)).body.remainingPence).toBe(2_000);
    }
    expectProblem(
      await together({
        ...base,
        parts: [{ fundCode: 'CTAX', reference: '12', amountPence: 4_000 }],
      }),
      422,
      ['body.parts[0].reference'],
    );
    expectProblem(
      await stack.request('GET', '/v1/suspense?minAmountPence=5&maxAmountPence=4'),
      400,
      ['query.maxAmountPence'],
    );
  });
});
