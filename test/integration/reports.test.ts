// Proves the report routes answer for a quiet day (nothing posted, nothing settled) with zeros,
// and refuse an impossible date; the full-day test covers them on a busy day.
import { beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { useTestStack } from '../harness/stack';

const stack = useTestStack({ worker: false });

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
});

describe('reports', () => {
  it('give zeros for a day with nothing posted or settled', async () => {
    const cash = await stack.request('GET', '/v1/reports/daily-cash?date=2025-06-02');
    expect(cash.body).toEqual({ date: '2025-06-02', rows: [], totalPence: 0 });
    const status = await stack.request('GET', '/v1/reports/reconciliation-status?date=2025-06-02');
    expect(status.body).toMatchObject({
      settlement: null,
      statementCreditsMatched: 0,
      statementCreditsUnmatched: 0,
      expectedItemsUnmatched: 0,
    });
    const ages = await stack.request('GET', '/v1/reports/exceptions-by-age');
    expect(ages.body.buckets.map((bucket: { label: string }) => bucket.label)).toEqual([
      '0-1',
      '2-5',
      '6-20',
      '>20',
    ]);
  });

  it('refuse an impossible or missing date', async () => {
    expect((await stack.request('GET', '/v1/reports/daily-cash?date=2025-02-30')).status).toBe(400);
    expect((await stack.request('GET', '/v1/reports/reconciliation-status')).status).toBe(400);
  });
});
