// Proves import profiles and rules as staff set them up, on the real stack: a profile's preview
// parses a sample as an import would (rows, total, errors by line) and refuses a definition that
// cannot read files naming the field; a profile is changed with an audit record (404 for none);
// rules are scoped to a profile (another profile's files never meet them) and can set the amount.
import { beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { useTestStack } from '../harness/stack';
import { webClient } from './webHelpers';

const stack = useTestStack();
const page = webClient(stack);

const definition = {
  kind: 'csv',
  delimiter: ',',
  hasHeader: true,
  columns: { reference: 'Reference', amount: 'Amount', date: 'Date', narrative: 'Details' },
  dateFormat: 'DD/MM/YYYY',
  amountFormat: 'pounds',
};
const sample = [
  'Date,Reference,Details,Amount',
  '21/11/2026,123456780,Standing order,45.67',
  '21/11/2026,123456780,Fixed fee file,1.00',
  '31/02/2026,123456780,Bad date,3.00',
].join('\n');

async function waitForImport(importId: string) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { body } = await stack.request('GET', `/v1/imports/${importId}`);
    if (['completed', 'refused', 'failed'].includes(body.state)) return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`import ${importId} did not finish`);
}

async function upload(profileId: string, text: string, fileName: string) {
  const form = new FormData();
  form.append('profileId', profileId);
  form.append('file', new Blob([text]), fileName);
  const response = await fetch(`${stack.baseUrl}/v1/imports`, {
    method: 'POST',
    body: form,
    headers: await stack.authHeaders(),
  });
  expect(response.status).toBe(202);
  return waitForImport(((await response.json()) as { importId: string }).importId);
}

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  for (const id of ['standing-orders', 'other-bank']) {
    const created = await stack.request('POST', '/v1/import-profiles', {
      id,
      name: id,
      kind: 'csv',
      definition,
      methodOfPaymentCode: 'BT',
      clearingAccountCode: 'CTRL:BANK',
    });
    expect(created.status).toBe(201);
  }
});

describe('POST /v1/import-profiles/preview', () => {
  it('shows the rows a sample makes, their total and the errors by line', async () => {
    const shown = await stack.request('POST', '/v1/import-profiles/preview', {
      kind: 'csv',
      definition,
      sample,
    });
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ rowCount: 2, totalPence: 4_667 });
    expect(shown.body.rows[0]).toMatchObject({
      lineNo: 2,
      reference: '123456780',
      amountPence: 4_567,
    });
    expect(shown.body.errors.map((e: { lineNo: number }) => e.lineNo)).toEqual([4]);
  });

  it.each([
    [
      { kind: 'csv', definition: { ...definition, kind: 'fixedWidth' }, sample },
      'body.definition.kind',
    ],
    [
      { kind: 'csv', definition: { ...definition, columns: { reference: 'R' } }, sample },
      'body.definition',
    ],
    [{ kind: 'csv', definition, sample: '' }, 'body.sample'],
    [{ kind: 'camt053', definition, sample }, 'body.kind'],
  ])('refuses %j naming %s', async (body, field) => {
    const refused = await stack.request('POST', '/v1/import-profiles/preview', body);
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});

describe('PUT /v1/import-profiles/:profileId', () => {
  it('changes a profile and records who did it', async () => {
    const changed = await stack.request('PUT', '/v1/import-profiles/other-bank', {
      name: 'Other bank',
      definition: { ...definition, dateFormat: 'YYYY-MM-DD' },
      methodOfPaymentCode: 'BT',
      clearingAccountCode: 'CTRL:BANK',
      reason: 'The bank changed its export',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      name: 'Other bank',
      definition: { dateFormat: 'YYYY-MM-DD' },
    });
    const [audit] = await stack.database
      .sql`select action, reason from audit_log where entity_id = 'other-bank' order by occurred_at desc limit 1`;
    expect(audit).toEqual({
      action: 'import_profile.update',
      reason: 'The bank changed its export',
    });
  });

  it('answers 404 for no such profile and 422 for a statement format', async () => {
    const body = {
      name: 'x',
      definition,
      methodOfPaymentCode: 'BT',
      clearingAccountCode: 'CTRL:BANK',
    };
    expect((await stack.request('PUT', '/v1/import-profiles/nope', body)).status).toBe(404);
    const camt = await stack.request('GET', '/v1/import-profiles');
    const statement = camt.body.profiles.find((p: { kind: string }) => p.kind === 'camt053');
    if (statement !== undefined)
      expect((await stack.request('PUT', `/v1/import-profiles/${statement.id}`, body)).status).toBe(
        422,
      );
  });
});

describe('import rules scoped to a profile', () => {
  it('set the amount of its own files only', async () => {
    const rule = (id: string, profileId: string, setAmountPence: number) =>
      stack.request('POST', '/v1/import-rules', {
        id,
        name: id,
        position: 1,
        conditionGroups: [[{ field: 'narrative', operator: 'contains', value: 'fixed fee' }]],
        actions: { setAmountPence },
        profileId,
      });
    expect((await rule('FEE_FILE', 'standing-orders', 250)).status).toBe(201);
    expect((await rule('OTHER_FEE', 'other-bank', 999)).status).toBe(201);
    const noProfile = await rule('NO_PROFILE', 'no-such-profile', 5);
    expect(noProfile.status).toBe(400);
    expect(noProfile.body.errors[0].field).toBe('body.profileId');
    const badAmount = await rule('BAD_AMOUNT', 'standing-orders', 0);
    expect(badAmount.status).toBe(400);

    const good = sample.split('\n').slice(0, 3).join('\n');
    const done = await upload('standing-orders', good, 'so-1.csv');
    expect(done.state).toBe('completed');
    const found = await stack.request(
      'GET',
      `/v1/transactions?importId=${done.importId}&sort=amount`,
    );
    expect(found.body.transactions.map((t: { amountPence: number }) => t.amountPence)).toEqual([
      4_567, 250,
    ]);
    const evaluated = await stack.request('POST', '/v1/import-rules/evaluate', {
      rows: [{ reference: 'x', amountPence: 100, narrative: 'Fixed fee', fundCode: null }],
      profileId: 'other-bank',
    });
    expect(evaluated.body.results[0].row.amountPence).toBe(999);
  });
});

describe('the import rule screen', () => {
  it('scopes a rule to a profile and sets its amount in pounds', async () => {
    const form = await page('GET', '/configuration/import-rules/new');
    expect(form.html).toContain('Only for files read with');
    const created = await page('POST', '/configuration/import-rules/new', {
      form: {
        id: 'SCREEN_FEE',
        name: 'Fee rows',
        position: '5',
        profileId: 'standing-orders',
        g0c0field: 'narrative',
        g0c0operator: 'contains',
        g0c0value: 'fee',
        setAmount: '2.50',
      },
    });
    expect(created.status).toBe(303);
    const rule = await stack.request('GET', '/v1/import-rules/SCREEN_FEE');
    expect(rule.body).toMatchObject({
      profileId: 'standing-orders',
      actions: { setAmountPence: 250 },
    });
  });
});
