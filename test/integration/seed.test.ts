// Proves the demo-council seed writes the whole demo configuration once, through the same
// stores as the API: a ledger account per fund, groups, routes, account holders, audit rows.
import { beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { demoCouncil } from '../../domain/demoCouncil';
import { fundAccountCode } from '../../domain/ledgerAccounts';
import { useTestStack } from '../harness/stack';

const stack = useTestStack({ worker: false });

beforeAll(async () => {
  expect(await runSeedsOnce(stack.database.sql, demoSeeds)).toEqual([
    'demo-council-v1',
    'demo-import-profiles-v1',
    'demo-bank-csv-profiles-v1',
    'demo-notify-templates-v1',
  ]);
});

describe('demo-council-v1 seed', () => {
  it('runs once: a second run applies nothing and writes nothing', async () => {
    const sql = stack.database.sql;
    const [before] = await sql`select count(*)::int as n from audit_log`;
    expect(await runSeedsOnce(sql, demoSeeds)).toEqual([]);
    const [after] = await sql`select count(*)::int as n from audit_log`;
    expect(after?.n).toBe(before?.n);
  });

  it('creates every fund with its own ledger account', async () => {
    const rows = await stack.database.sql<{ code: string; account: string | null }[]>`
      select f.code, a.code as account
        from funds f left join ledger_accounts a on a.fund_code = f.code and a.kind = 'fund'
       order by f.code`;
    expect(rows.map((row) => row.code)).toEqual(demoCouncil.funds.map((fund) => fund.code).sort());
    for (const row of rows) expect(row.account).toBe(fundAccountCode(row.code));
  });

  it('writes the rest of the configuration, readable through the API', async () => {
    const counts = await Promise.all(
      ['/v1/vat-codes', '/v1/methods-of-payment', '/v1/offices', '/v1/fund-groups'].map(
        async (path) => (await stack.request('GET', path)).body.items.length,
      ),
    );
    expect(counts).toEqual([
      demoCouncil.vatCodes.length,
      demoCouncil.methodsOfPayment.length,
      demoCouncil.offices.length,
      demoCouncil.fundGroups.length,
    ]);
    const group = await stack.request('GET', '/v1/fund-groups/REV');
    expect(group.body.fundCodes).toEqual(['CTAX', 'NNDR']);
    const routes = await stack.request('GET', '/v1/reference-routes');
    expect(routes.body.routes).toEqual(demoCouncil.referenceRoutes);
  });

  it('loads demo account holders, one of them on stop', async () => {
    const [row] = await stack.database.sql`
      select count(*)::int as n, count(on_stop_message)::int as on_stop from account_holders`;
    expect(row?.n).toBeGreaterThanOrEqual(3);
    expect(row?.on_stop).toBe(1);
  });

  it('attributes every change to system:seed in the audit log', async () => {
    const rows = await stack.database.sql<{ actor: string; n: number }[]>`
      select actor, count(*)::int as n from audit_log group by actor`;
    expect(rows.map((row) => row.actor)).toEqual(['system:seed']);
    const [funds] = await stack.database.sql`
      select count(*)::int as n from audit_log where action = 'fund.create'`;
    expect(funds?.n).toBe(demoCouncil.funds.length);
  });
});
