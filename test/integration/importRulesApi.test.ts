// Proves import rules are stored only when they compile, listed in position order, disabled
// rather than deleted, and that staff can evaluate sample rows against the enabled rules
// without writing anything.
import { beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { useTestStack } from '../harness/stack';
import { expectNothingWritten, expectProblem } from '../harness/writes';

const stack = useTestStack({ worker: false });

const rule = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Rule ${id}`,
  position: 10,
  conditionGroups: [[{ field: 'narrative', operator: 'contains', value: 'parking' }]],
  actions: { setFundCode: 'PCN' },
  ...extra,
});

const row = (narrative: string, extra: Record<string, unknown> = {}) => ({
  reference: ' bj12345673',
  amountPence: 7_000,
  narrative,
  fundCode: null,
  ...extra,
});

const evaluate = (rows: unknown[]) => stack.request('POST', '/v1/import-rules/evaluate', { rows });

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
});

describe('importRules.happy', () => {
  it('creates rules, lists them by position, changes and disables them, auditing each', async () => {
    expect((await stack.request('POST', '/v1/import-rules', rule('PARKING'))).status).toBe(201);
    const tidy = rule('TIDY_REF', {
      position: 5,
      conditionGroups: [[{ field: 'reference', operator: 'startsWith', value: ' ' }]],
      actions: { setReference: 'BJ12345673' },
    });
    expect((await stack.request('POST', '/v1/import-rules', tidy)).body).toMatchObject({
      id: 'TIDY_REF',
      stopProcessing: false,
    });
    const listed = await stack.request('GET', '/v1/import-rules');
    expect(listed.body.items.map((r: { id: string }) => r.id)).toEqual(['TIDY_REF', 'PARKING']);
    const moved = await stack.request('PATCH', '/v1/import-rules/TIDY_REF', { position: 20 });
    expect(moved.body.position).toBe(20);
    const audit = await stack.request('GET', '/v1/audit?entityType=import_rule&entityId=TIDY_REF');
    expect(audit.body.items[0]).toMatchObject({
      action: 'import_rule.update',
      before: { position: 5 },
      after: { position: 20 },
    });
  });

  it('evaluates rows against the enabled rules in order, writing nothing', async () => {
    const response = await expectNothingWritten(stack, () =>
      evaluate([row('PARKING fine'), row('council tax', { amountPence: -5 })]),
    );
    expect(response.status).toBe(200);
    expect(response.body.results).toEqual([
      {
        row: row('PARKING fine', { fundCode: 'PCN', reference: 'BJ12345673' }),
        matchedRuleIds: ['PARKING', 'TIDY_REF'],
      },
      {
        row: row('council tax', { amountPence: -5, reference: 'BJ12345673' }),
        matchedRuleIds: ['TIDY_REF'],
      },
    ]);
    await stack.request('POST', '/v1/import-rules/PARKING/disable', { reason: 'testing' });
    const after = await evaluate([row('parking')]);
    expect(after.body.results[0].matchedRuleIds).toEqual(['TIDY_REF']);
  });
});

describe('importRules.error', () => {
  it('refuses rules that do not compile, naming the condition, writing nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { conditionGroups: [[{ field: 'amountPence', operator: 'greaterThan', value: 'ten' }]] },
        'body.conditionGroups[0][0]',
      ],
      [
        {
          conditionGroups: [
            [
              { field: 'narrative', operator: 'equals', value: 'x' },
              { field: 'reference', operator: 'lessThan', value: '5' },
            ],
          ],
        },
        'body.conditionGroups[0][1]',
      ],
      [
        { conditionGroups: [[{ field: 'narrative', operator: 'matches', value: '(' }]] },
        'body.conditionGroups[0][0]',
      ],
      [{ conditionGroups: [] }, 'body.conditionGroups'],
      [
        { conditionGroups: [[{ field: 'colour', operator: 'equals', value: 'x' }]] },
        'body.conditionGroups[0][0].field',
      ],
      [{ actions: { setFundCode: 'NOPE' } }, 'body.actions.setFundCode'],
      [{ id: 'lower' }, 'body.id'],
    ];
    for (const [extra, field] of cases) {
      const response = await expectNothingWritten(stack, () =>
        stack.request('POST', '/v1/import-rules', rule('BAD', extra)),
      );
      expectProblem(response, 400, [field]);
    }
  });

  it('refuses a change that would break a stored rule, keeping it as it was', async () => {
    await stack.request('POST', '/v1/import-rules', rule('KEEP'));
    const broken = {
      conditionGroups: [[{ field: 'amountPence', operator: 'contains', value: '1' }]],
    };
    const response = await expectNothingWritten(stack, () =>
      stack.request('PATCH', '/v1/import-rules/KEEP', broken),
    );
    expectProblem(response, 400, ['body.conditionGroups[0][0]']);
    expect(
      (await stack.request('GET', '/v1/import-rules/KEEP')).body.conditionGroups[0][0].field,
    ).toBe('narrative');
  });

  it('refuses a duplicate id with 409 and more than 1,000 sample rows with 400', async () => {
    const duplicate = await expectNothingWritten(stack, () =>
      stack.request('POST', '/v1/import-rules', rule('KEEP')),
    );
    expectProblem(duplicate, 409, ['body.id']);
    const tooMany = await evaluate(Array.from({ length: 1001 }, () => row('x')));
    expectProblem(tooMany, 400, ['body.rows']);
    expectProblem(await evaluate([row('x', { amountPence: 1.5 })]), 400, [
      'body.rows[0].amountPence',
    ]);
  });
});
