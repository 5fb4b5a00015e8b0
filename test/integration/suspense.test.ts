import { beforeAll, describe, expect, it } from 'vitest';
import { startSuspenseWorkflow } from '../../activities/suspenseStart';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { createManualSuspenseItem } from '../../db/suspense';
import { businessDateOf } from '../../domain/businessDate';
import { addDays } from '../../domain/settlement';
import { withCouncil } from '../../platform/councilScope';
import { recordHistory as recordDecodedHistory, recordingHistories } from '../harness/histories';
import { type TestResponse, useTestStack } from '../harness/stack';

const stack = useTestStack();
const alice = { 'X-Actor': 'alice' };
const bob = { 'X-Actor': 'bob' };

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
});

/** With RECORD_HISTORIES=1, keeps this run's history (decoded) for replay.test.ts. */
const recordHistory = (workflowId: string, name: string) =>
  recordingHistories ? recordDecodedHistory(stack, workflowId, name) : Promise.resolve();

async function newItem(amountPence: number, overrides: Record<string, unknown> = {}) {
  const created = await stack.request(
    'POST',
    '/v1/suspense',
    { amountPence, receivedReference: 'unknown 42', reason: 'Cheque with no slip', ...overrides },
    alice,
  );
  expect(created.status).toBe(201);
  return created.body.suspenseId as string;
}

async function waitFor(check: () => Promise<TestResponse>, done: (r: TestResponse) => boolean) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await check();
    if (done(response)) return response;
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${JSON.stringify(response.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function acceptedUpdateIds(suspenseId: string): Promise<string[]> {
  const history = await stack.temporal.workflow.getHandle(suspenseId).fetchHistory();
  return (history.events ?? [])
    .map((event) => event.workflowExecutionUpdateAcceptedEventAttributes)
    .filter((accepted) => accepted != null)
    .map((accepted) => accepted.acceptedRequest?.meta?.updateId ?? '');
}

describe('allocating suspense', () => {
  it('splits 1:N across funds as one balanced journal and leaves nothing remaining', async () => {
    const suspenseId = await newItem(20_000);
    const intake = await stack.request('GET', `/v1/suspense/${suspenseId}`);
    expect(intake.body).toMatchObject({
      state: 'open',
      remainingPence: 20_000,
      sourceType: 'manual',
    });

    const allocated = await stack.request(
      'POST',
      `/v1/suspense/${suspenseId}/allocate`,
      {
        parts: [
          { fundCode: 'CTAX', reference: '123456780', amountPence: 12_000 },
          { fundCode: 'PCN', reference: 'bj12345673', amountPence: 7_000 },
          { fundCode: 'LIB', reference: 'LOAN-1', amountPence: 1_000 },
        ],
        totalPence: 20_000,
      },
      alice,
    );
    expect(allocated.status).toBe(200);
    expect(allocated.body).toMatchObject({ remainingPence: 0, state: 'allocated' });

    const journal = await stack.request('GET', `/v1/ledger/journals/${allocated.body.journalId}`);
    expect(journal.body).toMatchObject({
      kind: 'allocation',
      sourceType: 'suspense',
      sourceId: suspenseId,
    });
    const net = (account: string) =>
      journal.body.lines
        .filter((line: { accountCode: string }) => line.accountCode === account)
        .reduce(
          (sum: number, line: { debitPence: number; creditPence: number }) =>
            sum + line.debitPence - line.creditPence,
          0,
        );
    expect(net('FUND:SUSP')).toBe(20_000);
    expect(net('FUND:CTAX')).toBe(-12_000);
    expect(net('FUND:PCN')).toBe(-7_000);
    expect(net('FUND:LIB') + net('CTRL:VAT_OUTPUT')).toBe(-1_000);
    expect(net('CTRL:VAT_OUTPUT')).toBe(-167);
    const journals = await stack.database
      .sql`select count(*)::int as n from journals where source_id = ${suspenseId} and kind = 'allocation'`;
    expect(journals[0]?.n).toBe(1);

    const after = await stack.request('GET', `/v1/suspense/${suspenseId}`);
    expect(after.body).toMatchObject({ state: 'allocated', remainingPence: 0 });
    expect(after.body.allocations.map((a: { reference: string }) => a.reference)).toEqual([
      '123456780',
      'BJ12345673',
      'LOAN-1',
    ]);
    const result = await stack.temporal.workflow.getHandle(suspenseId).result();
    expect(result).toMatchObject({ state: 'allocated', remainingPence: 0 });
    await recordHistory(suspenseId, 'suspense-allocated');
  });

  it('refuses a split that does not add up in the validator, so nothing enters history', async () => {
    const suspenseId = await newItem(10_000);
    const refused = await stack.request(
      'POST',
      `/v1/suspense/${suspenseId}/allocate`,
      {
        parts: [
          { fundCode: 'CTAX', reference: '123456780', amountPence: 5_000 },
          { fundCode: 'SUND', reference: '12345678', amountPence: 4_999 },
        ],
        totalPence: 10_000,
      },
      { ...alice, 'Idempotency-Key': 'bad-split-1' },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      { field: 'body.totalPence', message: 'the parts add up to £99.99, not £100.00' },
    ]);
    const tooMuch = await stack.request(
      'POST',
      `/v1/suspense/${suspenseId}/allocate`,
      {
        parts: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 10_001 }],
        totalPence: 10_001,
      },
      { ...alice, 'Idempotency-Key': 'bad-split-2' },
    );
    expect(tooMuch.status).toBe(422);
    expect(await acceptedUpdateIds(suspenseId)).toEqual([]);

    // A partial allocation is fine and leaves the rest open; the money core refuses a bad reference.
    const partial = await stack.request(
      'POST',
      `/v1/suspense/${suspenseId}/allocate`,
      {
        parts: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 4_000 }],
        totalPence: 4_000,
      },
      { ...alice, 'Idempotency-Key': 'partial-1' },
    );
    expect(partial.body).toMatchObject({ remainingPence: 6_000, state: 'open' });
    const badReference = await stack.request(
      'POST',
      `/v1/suspense/${suspenseId}/allocate`,
      {
        parts: [{ fundCode: 'PCN', reference: 'BJ12345674', amountPence: 1_000 }],
        totalPence: 1_000,
      },
      alice,
    );
    expect(badReference.status).toBe(422);
    expect(badReference.body.errors[0].field).toBe('body.parts[0].reference');
    expect(await acceptedUpdateIds(suspenseId)).toContain('partial-1');
    expect(await acceptedUpdateIds(suspenseId)).not.toContain('bad-split-1');
    const item = await stack.request('GET', `/v1/suspense/${suspenseId}`);
    expect(item.body.remainingPence).toBe(6_000);
  });
});

describe('working an item', () => {
  it('takes notes and an assignee, and lists items by fund hint and state', async () => {
    const suspenseId = await newItem(500, { fundCodeHint: 'RENT' });
    const noted = await stack.request(
      'POST',
      `/v1/suspense/${suspenseId}/notes`,
      { text: 'Called the bank' },
      alice,
    );
    expect(noted.status).toBe(200);
    const assigned = await stack.request(
      'POST',
      `/v1/suspense/${suspenseId}/assign`,
      { assignee: 'carol' },
      alice,
    );
    expect(assigned.body).toMatchObject({
      assignedTo: 'carol',
      notes: [{ actor: 'alice', text: 'Called the bank' }],
    });
    const listed = await stack.request('GET', '/v1/suspense?state=open&fundCode=RENT');
    expect(listed.body.items.map((i: { suspenseId: string }) => i.suspenseId)).toEqual([
      suspenseId,
    ]);
    const blank = await stack.request(
      'POST',
      `/v1/suspense/${suspenseId}/notes`,
      { text: ' ' },
      alice,
    );
    expect(blank.status).toBe(400);
  });

  it('writes off only with a second person’s approval', async () => {
    const suspenseId = await newItem(300);
    const requested = await stack.request(
      'POST',
      `/v1/suspense/${suspenseId}/write-off`,
      { reason: 'Untraceable after 6 months' },
      alice,
    );
    expect(requested.body.writeOff).toEqual({
      requestedBy: 'alice',
      reason: 'Untraceable after 6 months',
    });
    const blocked = await stack.request(
      'POST',
      `/v1/suspense/${suspenseId}/allocate`,
      { parts: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 300 }], totalPence: 300 },
      bob,
    );
    expect(blocked.status).toBe(409);
    const self = await stack.request(
      'POST',
      `/v1/suspense/${suspenseId}/write-off/approve`,
      {},
      alice,
    );
    expect(self.status).toBe(403);
    expect(self.body.errors).toEqual([
      { field: 'actor', message: 'must not be the person who requested the write-off' },
    ]);
    const approved = await stack.request(
      'POST',
      `/v1/suspense/${suspenseId}/write-off/approve`,
      {},
      bob,
    );
    expect(approved.body).toMatchObject({ state: 'written_off', remainingPence: 0 });
    const rows = await stack.database.sql`
      select p.account_code, p.credit_pence from postings p join journals j on j.id = p.journal_id
       where j.source_id = ${suspenseId} and j.kind = 'write_off' and p.credit_pence > 0`;
    expect(rows).toEqual([{ account_code: 'CTRL:WRITE_OFF', credit_pence: 300 }]);
    const again = await stack.request(
      'POST',
      `/v1/suspense/${suspenseId}/notes`,
      { text: 'late' },
      bob,
    );
    expect(again.status).toBe(409);
  });

  it('lets a second person reject a write-off with a reason, and lists those awaiting one', async () => {
    const suspenseId = await newItem(400);
    await stack.request(
      'POST',
      `/v1/suspense/${suspenseId}/write-off`,
      { reason: 'Untraceable' },
      alice,
    );
    const queue = async () =>
      (await stack.request('GET', '/v1/suspense?writeOff=requested&limit=200')).body.items.map(
        (item: { suspenseId: string }) => item.suspenseId,
      );
    expect(await queue()).toContain(suspenseId);
    const self = await stack.request(
      'POST',
      `/v1/suspense/${suspenseId}/write-off/reject`,
      { reason: 'Changed my mind' },
      alice,
    );
    expect(self.status).toBe(403);
    const noReason = await stack.request(
      'POST',
      `/v1/suspense/${suspenseId}/write-off/reject`,
      {},
      bob,
    );
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'body.reason' })]);
    const rejected = await stack.request(
      'POST',
      `/v1/suspense/${suspenseId}/write-off/reject`,
      { reason: 'The payer has been traced: allocate it' },
      bob,
    );
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ state: 'open', remainingPence: 400, writeOff: null });
    expect(await queue()).not.toContain(suspenseId);
    const item = await stack.request('GET', `/v1/suspense/${suspenseId}`);
    expect(item.body.writeOff).toBeNull();
    const [event] = await stack.database.sql`
      select actor from suspense_events
       where suspense_id = ${suspenseId} and event = 'write_off_rejected'`;
    expect(event).toEqual({ actor: 'bob' });
    const again = await stack.request(
      'POST',
      `/v1/suspense/${suspenseId}/write-off/approve`,
      {},
      bob,
    );
    expect(again.status).toBe(409);
  });

  it('marks an item overdue, then urgent, as working days pass', async () => {
    const item = await createManualSuspenseItem(
      stack.database.db,
      {
        amountPence: 100,
        receivedReference: 'AGEING',
        narrative: '',
        receivedDate: '2026-01-05',
        controlAccountCode: 'CTRL:BANK',
        fundCodeHint: null,
        reason: 'ageing test',
      },
      { actor: 'alice' },
    );
    await withCouncil('default', () =>
      startSuspenseWorkflow(stack.temporal, item, {
        taskQueue: stack.taskQueue,
        ageing: { overdueWorkingDays: 1, escalateWorkingDays: 2, workingDayMs: 300 },
      }),
    );
    const urgent = await waitFor(
      () => stack.request('GET', `/v1/suspense/${item.id}`),
      (r) => r.body.priority === 'urgent',
    );
    expect(urgent.body.overdue).toBe(true);
    expect(urgent.body.history.map((e: { event: string }) => e.event)).toEqual([
      'overdue',
      'escalated',
    ]);
    const overdue = await stack.request('GET', '/v1/suspense?overdue=true');
    expect(overdue.body.items.map((i: { suspenseId: string }) => i.suspenseId)).toContain(item.id);
    const status = await stack.temporal.workflow.getHandle(item.id).query('state');
    expect(status).toMatchObject({ priority: 'urgent', overdue: true, state: 'open' });
  });

  it('refuses callers without the permission', async () => {
    const suspenseId = await newItem(100);
    const viewer = await stack.keyFor('viewer', ['view']);
    const refused = await stack.request(
      'POST',
      `/v1/suspense/${suspenseId}/notes`,
      { text: 'x' },
      viewer,
    );
    expect(refused.status).toBe(403);
    expect(refused.body.errors[0]).toEqual({
      field: 'permission',
      message: 'viewer lacks suspense.work',
    });
  });
});

describe('listing by age', () => {
  it('filters on whole days since received, both ends inclusive, as the dashboard bands', async () => {
    const today = businessDateOf(Date.now());
    const receivedDaysAgo = (days: number) =>
      newItem(100, { receivedReference: `AGE ${days}`, receivedDate: addDays(today, -days) });
    const ages = [0, 5, 6, 20, 21];
    const ids = new Map<number, string>();
    for (const days of ages) ids.set(days, await receivedDaysAgo(days));
    const agesListed = async (query: string) => {
      const response = await stack.request('GET', `/v1/suspense?limit=200&${query}`);
      expect(response.status, query).toBe(200);
      const listed = new Set(response.body.items.map((i: { suspenseId: string }) => i.suspenseId));
      return ages.filter((days) => listed.has(ids.get(days)));
    };
    expect(await agesListed('minAgeDays=0&maxAgeDays=5')).toEqual([0, 5]);
    expect(await agesListed('minAgeDays=6&maxAgeDays=20')).toEqual([6, 20]);
    expect(await agesListed('minAgeDays=21')).toEqual([21]);
    expect(await agesListed('maxAgeDays=0')).toEqual([0]);
    expect(await agesListed('minAgeDays=6&maxAgeDays=6&state=open')).toEqual([6]);
    expect(await agesListed('minAgeDays=6&maxAgeDays=20&state=allocated')).toEqual([]);
  });

  it('refuses an age that is not a whole number, or a band upside down, naming the field', async () => {
    for (const [query, field] of [
      ['minAgeDays=abc', 'query.minAgeDays'],
      ['minAgeDays=-1', 'query.minAgeDays'],
      ['maxAgeDays=2.5', 'query.maxAgeDays'],
      ['minAgeDays=10&maxAgeDays=5', 'query.maxAgeDays'],
    ]) {
      const refused = await stack.request('GET', `/v1/suspense?${query}`);
      expect(refused.status, query).toBe(400);
      expect(refused.body.errors, query).toEqual([expect.objectContaining({ field })]);
    }
  });
});
