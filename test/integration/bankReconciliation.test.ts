// Proves bank matching on the real stack: a statement import keeps its lines, a payout split
// over two credits matches many-to-one, refusals are 404/409/400, and exceptions age by date.
import { beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { useTestStack } from '../harness/stack';
import { createMt940Profile, mt940Statement, uploadFile, waitForImport } from './fullDayHelpers';

const stack = useTestStack();
const payoutDate = '2026-03-02';

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  await createMt940Profile(stack);
  // Two settled days: one paid out in two credits, one never paid (left expected, and old).
  await stack.database.sql`
    insert into psp_settlements (settled_date, payment_count, gross_pence, fee_pence, refund_pence,
                                 expected_payout_pence, differences)
    values (${payoutDate}, 3, 10100, 100, 0, 10000, '[]'::jsonb),
           ('2026-01-05', 1, 5000, 75, 0, 4925, '[]'::jsonb)`;
  const statement = mt940Statement([
    { date: '2026-03-03', amountPence: 6_000, reference: 'PAYOUT PART 1' },
    { date: '2026-03-03', amountPence: 4_000, reference: 'PAYOUT PART 2' },
    { date: '2026-03-04', amountPence: 1_234, reference: 'UNKNOWN CREDIT' },
  ]);
  const uploaded = await uploadFile(stack, statement, 'bank-mt940', 'split.mt940');
  expect((await waitForImport(stack, uploaded.body.importId)).state).toBe('completed');
});

describe('bank matching', () => {
  it('keeps the statement’s lines once, signed, with the import they came from', async () => {
    const lines = await stack.database.sql`
      select amount_pence, date::text as date, match_id from bank_statement_lines order by line_no`;
    expect(lines.map((line) => Number(line.amount_pence))).toEqual([6_000, 4_000, 1_234]);
    expect(lines.every((line) => line.match_id === null)).toBe(true);
  });

  // With references ignored the engine groups the credits of one day, so the parts share a date.
  it('matches a payout split over two credits, and leaves the rest as exceptions', async () => {
    const run = await stack.request('POST', '/v1/reconciliation/bank/match', {
      asOf: '2026-03-05',
    });
    expect(run.status).toBe(200);
    expect(run.body.matches).toEqual([
      expect.objectContaining({
        rule: 'split_payout',
        expectedItemIds: [`psp_payout:${payoutDate}`],
        differencePence: 0,
      }),
    ]);
    expect(run.body.matches[0].statementLineIds).toHaveLength(2);
    expect(run.body.openExceptions).toBe(2);
    // Listing ages to today: both are months old, oldest first.
    const old = await stack.request('GET', '/v1/reconciliation/bank/exceptions?minAgeDays=30');
    expect(old.body.exceptions).toEqual([
      expect.objectContaining({ kind: 'expected', expectedItemId: 'psp_payout:2026-01-05' }),
      expect.objectContaining({ kind: 'unexpected', sinceDate: '2026-03-04' }),
    ]);
    const again = await stack.request('POST', '/v1/reconciliation/bank/match', {});
    expect(again.body.matches).toEqual([]);
    const [count] = await stack.database.sql`select count(*)::int as n from bank_exceptions`;
    expect(count?.n).toBe(2);
  });

  it('refuses matching what is matched, unknown ids, a second unmatch and bad input', async () => {
    const [match] = await stack.database.sql`select id, statement_line_ids from bank_matches`;
    const taken = await stack.request('POST', '/v1/reconciliation/bank/matches', {
      statementLineIds: [match?.statement_line_ids[0]],
      expectedItemIds: ['psp_payout:2026-01-05'],
      note: 'try',
    });
    expect(taken.status).toBe(409);
    const unknown = await stack.request('POST', '/v1/reconciliation/bank/matches', {
      statementLineIds: ['bsl_nope'],
      expectedItemIds: ['psp_payout:2026-01-05'],
      note: 'try',
    });
    expect(unknown.status).toBe(404);
    const repeated = await stack.request('POST', '/v1/reconciliation/bank/matches', {
      statementLineIds: ['a', 'a'],
      expectedItemIds: ['b'],
      note: 'x',
    });
    expect(repeated.status).toBe(400);
    const path = `/v1/reconciliation/bank/matches/${match?.id}/unmatch`;
    expect((await stack.request('POST', path, { reason: 'wrong' })).status).toBe(200);
    expect((await stack.request('POST', path, { reason: 'wrong' })).status).toBe(409);
    expect(
      (
        await stack.request('POST', '/v1/reconciliation/bank/matches/bkm_none/unmatch', {
          reason: 'x',
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await stack.request('POST', '/v1/reconciliation/bank/exceptions/bkx_none/notes', {
          note: 'x',
        })
      ).status,
    ).toBe(404);
    expect((await stack.request('GET', '/v1/reconciliation/bank/exceptions?kind=odd')).status).toBe(
      400,
    );
  });

  it('counts open exceptions by age', async () => {
    const ages = await stack.request('GET', '/v1/reports/exceptions-by-age');
    expect(ages.status).toBe(200);
    const total = ages.body.buckets.reduce((sum: number, b: { count: number }) => sum + b.count, 0);
    expect(total).toBe(2);
    // Both are months old by today's date.
    expect(ages.body.buckets.at(-1)).toMatchObject({ label: '>20', count: 2 });
  });
});
