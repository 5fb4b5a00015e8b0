// Proves a fund's account-holder list is replaced whole from CSV: good files load (100,000
// lines in seconds), any bad line is reported by number and nothing is written, and the
// loaded list drives the on-stop rule. The audit row holds counts, never personal data.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestStack } from '../harness/stack';
import { expectNothingWritten, expectProblem } from '../harness/writes';

const stack = useTestStack({ worker: false });

const header = 'reference,name,address,balance_pence,on_stop_message';
const csv = (...lines: string[]) => [header, ...lines].join('\n');
const put = (body: string, fund = 'SUND', contentType = 'text/csv') =>
  stack.request('PUT', `/v1/funds/${fund}/account-holders`, body, { 'content-type': contentType });

const goodFile = csv(
  '10000001,Ann Example,"1 High St, Town",1250,',
  ' 10000002 ,Bob Sample,,,Account in enforcement: refer to the recovery team',
  '10000003,Cat Person,3 Low St,-500,',
);

beforeAll(async () => {
  await stack.request('POST', '/v1/vat-codes', { code: 'O', name: 'Outside', rateBasisPoints: 0 });
  const fund = {
    name: 'Sundry',
    vatCode: 'O',
    maxPence: 100_000,
    ledgerCode: 'L',
    costCentre: 'C',
  };
  const validator = { minLength: 8, maxLength: 8, characterClass: 'digits' };
  expect(
    (await stack.request('POST', '/v1/funds', { code: 'SUND', validator, ...fund })).status,
  ).toBe(201);
});

describe('accountHolders.happy', () => {
  it('loads a file and reads accounts back, one or a page at a time', async () => {
    const loaded = await put(goodFile);
    expect(loaded.status).toBe(200);
    expect(loaded.body).toMatchObject({
      fundCode: 'SUND',
      rowCount: 3,
      replacedRowCount: 0,
      onStopCount: 1,
    });
    const one = await stack.request('GET', '/v1/funds/SUND/account-holders/10000002');
    expect(one.body).toMatchObject({
      name: 'Bob Sample',
      address: '',
      balancePence: null,
      loadId: loaded.body.loadId,
    });
    expect(one.body.onStopMessage).toMatch(/^Account in enforcement/);
    const first = await stack.request('GET', '/v1/funds/SUND/account-holders?limit=2');
    expect(first.body.items.map((h: { reference: string }) => h.reference)).toEqual([
      '10000001',
      '10000002',
    ]);
    const rest = await stack.request(
      'GET',
      `/v1/funds/SUND/account-holders?limit=2&after=${first.body.nextAfter}`,
    );
    expect(rest.body).toMatchObject({
      items: [{ reference: '10000003', balancePence: -500 }],
      nextAfter: null,
    });
    const prefixed = await stack.request('GET', '/v1/funds/SUND/account-holders?reference=1000000');
    expect(prefixed.body.items).toHaveLength(3);
  });

  it('replaces the previous list, auditing counts and no personal data', async () => {
    const loaded = await stack.request(
      'PUT',
      '/v1/funds/SUND/account-holders?reason=nightly%20export',
      csv('10000009,Dan Newcomer,,,'),
      { 'content-type': 'text/csv' },
    );
    expect(loaded.body).toMatchObject({ rowCount: 1, replacedRowCount: 3, onStopCount: 0 });
    expect((await stack.request('GET', '/v1/funds/SUND/account-holders/10000001')).status).toBe(
      404,
    );
    const audit = await stack.request('GET', '/v1/audit?entityType=fund&entityId=SUND');
    const load = audit.body.items.find((row: { id: string }) => row.id === loaded.body.loadId);
    expect(load).toMatchObject({
      action: 'account_holders.replace',
      reason: 'nightly export',
      after: { rowCount: 1, replacedRowCount: 3 },
    });
    expect(JSON.stringify(audit.body.items)).not.toContain('Newcomer');
  });

  it('loads 100,000 lines in seconds', async () => {
    const lines = Array.from(
      { length: 100_000 },
      (_, i) => `${20_000_000 + i},Holder ${i},${i} Long Road,${i},`,
    );
    const started = Date.now();
    const loaded = await put(csv(...lines));
    expect(loaded.body.rowCount).toBe(100_000);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('accountHolders.error', () => {
  it('writes nothing when one line among good ones is bad, and names the line', async () => {
    await put(goodFile);
    const response = await expectNothingWritten(stack, () =>
      put(csv('10000001,Ann,,1,', '10000004,Eve,,12.50,', '10000005,Fay,,,')),
    );
    expectProblem(response, 400, ['line 3.balance_pence']);
    expect((await stack.request('GET', '/v1/funds/SUND/account-holders/10000002')).status).toBe(
      200,
    );
  });

  it('reports every bad line: reference, duplicate, column count, name', async () => {
    const response = await expectNothingWritten(stack, () =>
      put(
        csv(
          '1234,Short,,,',
          '10000001,Ann,,,',
          '10000001,Ann again,,,',
          '10000007,Too,many,1,,x',
          '10000008,,,,',
        ),
      ),
    );
    expectProblem(response, 400, ['line 2.reference', 'line 4.reference', 'line 5', 'line 6.name']);
    expect(response.body.errors[1].message).toMatch(/line 3/);
  });

  it('refuses a missing or wrong header, an empty file and broken quoting', async () => {
    expectProblem(
      await expectNothingWritten(stack, () => put('reference,name\n10000001,Ann')),
      400,
      ['line 1'],
    );
    expectProblem(await expectNothingWritten(stack, () => put('')), 400, ['line 1']);
    expectProblem(await expectNothingWritten(stack, () => put(csv('10000001,"Ann,,,'))), 400, [
      'line 2',
    ]);
  });

  it('answers 404 for an unknown fund and 415 for a body that is not text/csv', async () => {
    expect((await put(goodFile, 'NOPE')).status).toBe(404);
    const json = await expectNothingWritten(stack, () =>
      put(JSON.stringify({ rows: [] }), 'SUND', 'application/json'),
    );
    expectProblem(json, 415, ['headers.content-type']);
  });
});
