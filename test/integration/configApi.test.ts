// Proves the configuration API end to end: create, read, list, change, disable and re-enable
// with an audit row per change (before and after), funds with their ledger accounts, fund
// groups with members, and the one-suspense-fund rule.
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../harness/stack';
import { expectNothingWritten, expectProblem } from '../harness/writes';

const stack = useTestStack({ worker: false });

const admin = { 'X-Actor': 'jo.admin' };

const fund = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  name: `Fund ${code}`,
  validator: { minLength: 8, maxLength: 8, characterClass: 'digits' },
  vatCode: 'OUT',
  maxPence: 100_000,
  ledgerCode: 'L100',
  costCentre: 'CC100',
  ...extra,
});

async function auditOf(entityType: string, entityId: string) {
  const response = await stack.request(
    'GET',
    `/v1/audit?entityType=${entityType}&entityId=${entityId}`,
  );
  expect(response.status).toBe(200);
  return response.body.items;
}

describe('configuration.happy', () => {
  it('creates, reads, lists, changes, disables and re-enables a VAT code, auditing each step', async () => {
    const created = await stack.request(
      'POST',
      '/v1/vat-codes',
      { code: 'OUT', name: 'Outside scope', rateBasisPoints: 0, reason: 'setup' },
      admin,
    );
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/v1/vat-codes/OUT');
    expect(created.body).toMatchObject({ code: 'OUT', rateBasisPoints: 0, disabled: false });
    await stack.request('POST', '/v1/vat-codes', {
      code: 'STD',
      name: 'Standard',
      rateBasisPoints: 2000,
    });

    const changed = await stack.request(
      'PATCH',
      '/v1/vat-codes/STD',
      { name: 'Standard rate' },
      admin,
    );
    expect(changed.body).toMatchObject({
      code: 'STD',
      name: 'Standard rate',
      rateBasisPoints: 2000,
    });
    expect(
      (await stack.request('POST', '/v1/vat-codes/STD/disable', { reason: 'retired' })).body
        .disabled,
    ).toBe(true);
    expect(
      (await stack.request('GET', '/v1/vat-codes?disabled=false')).body.items.map(
        (v: { code: string }) => v.code,
      ),
    ).toEqual(['OUT']);
    expect((await stack.request('POST', '/v1/vat-codes/STD/enable', {})).body.disabled).toBe(false);
    expect((await stack.request('GET', '/v1/vat-codes/STD')).body.name).toBe('Standard rate');

    const audit = await auditOf('vat_code', 'STD');
    expect(audit.map((row: { action: string }) => row.action)).toEqual([
      'vat_code.enable',
      'vat_code.disable',
      'vat_code.update',
      'vat_code.create',
    ]);
    expect(audit[2]).toMatchObject({
      actor: 'jo.admin',
      before: { name: 'Standard' },
      after: { name: 'Standard rate' },
    });
    expect(audit[1]).toMatchObject({ actor: 'tester', reason: 'retired' });
    expect((await auditOf('vat_code', 'OUT'))[0]).toMatchObject({ reason: 'setup', before: null });
  });

  it('creates a fund together with its ledger account and audit row', async () => {
    const created = await stack.request('POST', '/v1/funds', fund('SUNDRY'), admin);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      code: 'SUNDRY',
      isSuspense: false,
      accountHolderListRequired: false,
    });
    const accounts = await stack.database
      .sql`select code, kind, name from ledger_accounts where fund_code = 'SUNDRY'`;
    expect(accounts).toEqual([{ code: 'FUND:SUNDRY', kind: 'fund', name: 'Fund SUNDRY' }]);
    expect(await auditOf('fund', 'SUNDRY')).toHaveLength(1);
  });

  it('keeps a fund group’s members and replaces them on change', async () => {
    await stack.request('POST', '/v1/funds', fund('GA'));
    await stack.request('POST', '/v1/funds', fund('GB'));
    const created = await stack.request('POST', '/v1/fund-groups', {
      code: 'GRP',
      name: 'Group',
      fundCodes: ['GB', 'GA'],
    });
    expect(created.status).toBe(201);
    expect(created.body.fundCodes).toEqual(['GA', 'GB']);
    const renamed = await stack.request('PATCH', '/v1/fund-groups/GRP', { name: 'Renamed' });
    expect(renamed.body).toMatchObject({ name: 'Renamed', fundCodes: ['GA', 'GB'] });
    const changed = await stack.request('PATCH', '/v1/fund-groups/GRP', { fundCodes: ['GB'] });
    expect(changed.body.fundCodes).toEqual(['GB']);
    expect((await auditOf('fund_group', 'GRP'))[0]).toMatchObject({
      before: { fundCodes: ['GA', 'GB'] },
      after: { fundCodes: ['GB'] },
    });
  });

  it('creates methods of payment and offices', async () => {
    const method = await stack.request('POST', '/v1/methods-of-payment', {
      code: 'CASH',
      name: 'Cash',
      minPence: 1,
      maxPence: 50_000,
      isCash: true,
    });
    expect(method.status).toBe(201);
    expect(method.body).toMatchObject({ isCash: true, isCard: false, minPence: 1 });
    const office = await stack.request('POST', '/v1/offices', { code: 'TH', name: 'Town Hall' });
    expect(office.status).toBe(201);
  });
});

describe('configuration.error', () => {
  it('refuses a duplicate code with 409 naming body.code, writing nothing', async () => {
    await stack.request('POST', '/v1/offices', { code: 'CC', name: 'Civic Centre' });
    const response = await expectNothingWritten(stack, () =>
      stack.request('POST', '/v1/offices', { code: 'CC', name: 'Again' }),
    );
    expectProblem(response, 409, ['body.code']);
  });

  it('allows one suspense fund only: 409 naming body.isSuspense, and it cannot be disabled', async () => {
    expect(
      (await stack.request('POST', '/v1/funds', fund('SUSP', { isSuspense: true }))).status,
    ).toBe(201);
    const second = await expectNothingWritten(stack, () =>
      stack.request('POST', '/v1/funds', fund('SUSP2', { isSuspense: true })),
    );
    expectProblem(second, 409, ['body.isSuspense']);
    const disabled = await expectNothingWritten(stack, () =>
      stack.request('POST', '/v1/funds/SUSP/disable', {}),
    );
    expect(disabled.status).toBe(409);
    expect((await stack.request('GET', '/v1/funds/SUSP')).body.disabled).toBe(false);
  });

  it('answers 404 for an unknown code, writing nothing', async () => {
    for (const [method, path, body] of [
      ['GET', '/v1/funds/NOPE', undefined],
      ['PATCH', '/v1/funds/NOPE', { name: 'x' }],
      ['POST', '/v1/offices/ZZ/disable', {}],
    ] as const) {
      const response = await expectNothingWritten(stack, () => stack.request(method, path, body));
      expectProblem(response, 404, []);
    }
  });

  it('refuses limits the wrong way round on create and on change', async () => {
    const created = await expectNothingWritten(stack, () =>
      stack.request('POST', '/v1/methods-of-payment', {
        code: 'BAD',
        name: 'Bad',
        minPence: 10,
        maxPence: 5,
      }),
    );
    expectProblem(created, 400, ['body.minPence']);
    await stack.request('POST', '/v1/methods-of-payment', {
      code: 'CHQ',
      name: 'Cheque',
      minPence: 1,
      maxPence: 100,
    });
    const changed = await expectNothingWritten(stack, () =>
      stack.request('PATCH', '/v1/methods-of-payment/CHQ', { minPence: 101 }),
    );
    expectProblem(changed, 400, ['body.minPence']);
    expect((await stack.request('GET', '/v1/methods-of-payment/CHQ')).body.minPence).toBe(1);
  });
});
