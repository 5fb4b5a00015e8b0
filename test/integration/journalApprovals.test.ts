// Proves four-eyes on manual journals: a move or transfer at or under the threshold posts at
// once; above it (JOURNAL_APPROVAL_THRESHOLD_PENCE, £1,000 by default) it waits, posting
// nothing, until someone else holding journal.approve approves it (then it is posted) or
// rejects it; the requester cannot decide their own; a reversal above the threshold waits too.
// And the journal list finds moves and their reversals.
import { beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { useTestStack } from '../harness/stack';
import { expectProblem } from '../harness/writes';

const stack = useTestStack();
const alice = { 'X-Actor': 'alice' };
const bob = { 'X-Actor': 'bob' };
const ctax = { fundCode: 'CTAX', reference: '123456780' };

/** A suspense item allocated to council tax (or another account): income a move can take from. */
async function allocatedItem(
  amountPence: number,
  to: { fundCode: string; reference: string } = ctax,
) {
  const created = await stack.request(
    'POST',
    '/v1/suspense',
    { amountPence, receivedReference: 'JOURNAL TEST', reason: 'Test income' },
    alice,
  );
  const suspenseId = created.body.suspenseId as string;
  const allocated = await stack.request(
    'POST',
    `/v1/suspense/${suspenseId}/allocate`,
    { parts: [{ ...to, amountPence }], totalPence: amountPence },
    alice,
  );
  expect(allocated.status).toBe(200);
  return suspenseId;
}

const move = (suspenseId: string, amountPence: number, headers = alice) =>
  stack.request(
    'POST',
    '/v1/journals/move',
    {
      source: { type: 'suspense', id: suspenseId },
      from: ctax,
      to: { fundCode: 'PCN', reference: 'BJ12345673' },
      amountPence,
      reason: 'Paid to the wrong account',
    },
    headers,
  );

const journalCount = async () =>
  Number((await stack.database.sql`select count(*)::int as n from journals`)[0]?.n);

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
});

describe('journalApprovals.happy', () => {
  it('posts at the threshold at once, and holds above it until someone else approves', async () => {
    const suspenseId = await allocatedItem(300_000);
    const small = await move(suspenseId, 100_000);
    expect(small.status).toBe(201);
    expect(small.body.journalId).toMatch(/^jnl_/);

    const before = await journalCount();
    const held = await move(suspenseId, 100_001);
    expect(held.status).toBe(202);
    expect(held.headers.get('location')).toBe(`/v1/journal-approvals/${held.body.approvalId}`);
    expect(held.body).toMatchObject({
      kind: 'move',
      state: 'awaiting_approval',
      amountPence: 100_001,
      requestedBy: 'alice',
      journalId: null,
    });
    expect(await journalCount()).toBe(before);
    const queue = await stack.request('GET', '/v1/journal-approvals?state=awaiting_approval');
    expect(queue.body.items.map((a: { approvalId: string }) => a.approvalId)).toEqual([
      held.body.approvalId,
    ]);

    const approved = await stack.request(
      'POST',
      `/v1/journal-approvals/${held.body.approvalId}/approve`,
      { reason: 'Checked the bank statement' },
      bob,
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'approved', decidedBy: 'bob' });
    const journal = await stack.request('GET', `/v1/ledger/journals/${approved.body.journalId}`);
    expect(journal.body).toMatchObject({
      kind: 'transfer',
      causedBy: 'alice',
      sourceId: suspenseId,
    });

    // Undoing it is above the threshold too: it waits for a second person as well.
    const undo = await stack.request(
      'POST',
      `/v1/journals/${approved.body.journalId}/reverse`,
      { reason: 'Moved in error' },
      alice,
    );
    expect(undo.status).toBe(202);
    expect(undo.body).toMatchObject({ kind: 'reverse', amountPence: journal.body.totalPence });
    const reversed = await stack.request(
      'POST',
      `/v1/journal-approvals/${undo.body.approvalId}/approve`,
      {},
      bob,
    );
    expect(reversed.status).toBe(200);
    const list = await stack.request(
      'GET',
      `/v1/ledger/journals?manual=true&sourceId=${suspenseId}`,
    );
    expect(
      list.body.items.map((j: { journalId: string; reversedBy: string | null }) => [
        j.journalId,
        j.reversedBy,
      ]),
    ).toEqual([
      [reversed.body.journalId, null],
      [approved.body.journalId, reversed.body.journalId],
      [small.body.journalId, null],
    ]);
    const byReversal = await stack.request(
      'GET',
      `/v1/ledger/journals?reversesJournalId=${approved.body.journalId}`,
    );
    expect(byReversal.body.items.map((j: { journalId: string }) => j.journalId)).toEqual([
      reversed.body.journalId,
    ]);
  });

  it('rejects with a reason: nothing is posted; a retried request is the same approval', async () => {
    const suspenseId = await allocatedItem(200_000);
    const key = { ...alice, 'Idempotency-Key': 'approval-retry-1' };
    const held = await move(suspenseId, 150_000, key);
    const retried = await move(suspenseId, 150_000, key);
    expect(retried.status).toBe(200);
    expect(retried.body.approvalId).toBe(held.body.approvalId);
    const before = await journalCount();
    const rejected = await stack.request(
      'POST',
      `/v1/journal-approvals/${held.body.approvalId}/reject`,
      { reason: 'Wrong fund' },
      bob,
    );
    expect(rejected.body).toMatchObject({ state: 'rejected', decisionReason: 'Wrong fund' });
    expect(await journalCount()).toBe(before);
  });
});

describe('transfers with VAT', () => {
  it('gives VAT back at the source fund’s rate and charges the target’s', async () => {
    // Library income carries 20% VAT: 120.00 gross is 100.00 net in the fund and 20.00 VAT.
    await allocatedItem(12_000, { fundCode: 'LIB', reference: 'LOAN-9' });
    const transfer = (withVat: boolean, amountPence: number) =>
      stack.request(
        'POST',
        '/v1/journals/transfer',
        {
          from: { fundCode: 'LIB', reference: 'LOAN-9' },
          to: ctax,
          amountPence,
          withVat,
          reason: 'Paid to the library by mistake',
        },
        alice,
      );
    const moved = await transfer(true, 6_000);
    expect(moved.status).toBe(201);
    const lines = moved.body.lines.map(
      (line: {
        accountCode: string;
        debitPence: number;
        creditPence: number;
        vatPence: number;
      }) => [line.accountCode, line.debitPence, line.creditPence, line.vatPence],
    );
    expect(lines).toEqual([
      ['FUND:LIB', 5_000, 0, 1_000],
      ['CTRL:VAT_OUTPUT', 1_000, 0, 0],
      ['FUND:CTAX', 0, 6_000, 0],
    ]);
    // 50.00 net is left in the library fund: 60.00 gross with VAT is 50.00 net, so that works,
    // but 60.01 would take more than is held.
    expectProblem(await transfer(true, 6_001), 422, ['body.amountPence']);
    expect((await transfer(true, 6_000)).status).toBe(201);
  });
});

describe('journalApprovals.security', () => {
  it('refuses the requester deciding their own, a second decision, and a caller without journal.approve', async () => {
    const suspenseId = await allocatedItem(200_000);
    const held = await move(suspenseId, 150_000);
    const path = `/v1/journal-approvals/${held.body.approvalId}`;
    expectProblem(await stack.request('POST', `${path}/approve`, {}, alice), 403, ['actor']);
    expectProblem(await stack.request('POST', `${path}/reject`, { reason: 'No' }, alice), 403, [
      'actor',
    ]);
    const poster = await stack.keyFor('carol', ['view', 'journal.post']);
    expect((await stack.request('POST', `${path}/approve`, {}, poster)).status).toBe(403);
    expect((await stack.request('POST', `${path}/approve`, {}, bob)).status).toBe(200);
    expectProblem(await stack.request('POST', `${path}/approve`, {}, bob), 409, ['state']);
  });
});

describe('journalApprovals.error', () => {
  it('names the field: a bad id, a reject without a reason, a bad list filter', async () => {
    expectProblem(await stack.request('GET', '/v1/journal-approvals/jap_nope'), 400, [
      'params.approvalId',
    ]);
    expect(
      (await stack.request('GET', '/v1/journal-approvals/jap_00000000000000000000')).status,
    ).toBe(404);
    const suspenseId = await allocatedItem(200_000);
    const held = await move(suspenseId, 150_000);
    expectProblem(
      await stack.request('POST', `/v1/journal-approvals/${held.body.approvalId}/reject`, {}, bob),
      400,
      ['body.reason'],
    );
    expectProblem(
      await stack.request('GET', '/v1/ledger/journals?from=2026-02-01&to=2026-01-01'),
      400,
      ['query.from'],
    );
    // The money moved on while it waited: approval is refused and the request still waits.
    const other = await move(suspenseId, 100_000, bob);
    expect(other.status).toBe(201);
    expectProblem(
      await stack.request('POST', `/v1/journal-approvals/${held.body.approvalId}/approve`, {}, bob),
      422,
      ['body.amountPence'],
    );
    const still = await stack.request('GET', `/v1/journal-approvals/${held.body.approvalId}`);
    expect(still.body.state).toBe('awaiting_approval');
  });
});
