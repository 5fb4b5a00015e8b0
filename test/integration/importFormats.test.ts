// Proves a realistic sample of each supported format imports end to end through the API on the
// real stack: CSV and fixed-width income is posted; CAMT.053 and MT940 statements go to bank
// reconciliation without posting (no double counting); an unbalanced statement is refused whole.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { bankExportCsvProfile } from '../fixtures/imports/profiles';
import { type TestResponse, useTestStack } from '../harness/stack';

const stack = useTestStack();
const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'imports', name), 'utf8');

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  const profiles = [
    {
      id: 'bank-csv',
      name: 'Demo Bank CSV export',
      kind: 'csv',
      definition: bankExportCsvProfile,
      methodOfPaymentCode: 'BT',
      clearingAccountCode: 'CTRL:BANK',
    },
    {
      id: 'bank-camt',
      name: 'Bank statement (CAMT.053)',
      kind: 'camt053',
      definition: { kind: 'camt053' },
      methodOfPaymentCode: 'BT',
      clearingAccountCode: 'CTRL:BANK',
    },
    {
      id: 'bank-mt940',
      name: 'Bank statement (MT940)',
      kind: 'mt940',
      definition: { kind: 'mt940' },
      methodOfPaymentCode: 'BT',
      clearingAccountCode: 'CTRL:BANK',
    },
  ];
  for (const profile of profiles) {
    const created = await stack.request('POST', '/v1/import-profiles', profile);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
});

async function upload(content: string, profileId: string, fileName: string): Promise<TestResponse> {
  const form = new FormData();
  form.append('profileId', profileId);
  form.append('file', new Blob([content]), fileName);
  const response = await fetch(`${stack.baseUrl}/v1/imports`, {
    method: 'POST',
    body: form,
    headers: await stack.authHeaders(),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
}

async function settled(importId: string): Promise<TestResponse['body']> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const { body } = await stack.request('GET', `/v1/imports/${importId}`);
    if (body.state === 'completed' || body.state === 'refused') return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`import ${importId} did not finish`);
}

async function journalCount(importId: string): Promise<number> {
  const [row] = await stack.database
    .sql`select count(*)::int as n from journals where source_id = ${importId}`;
  return row?.n ?? -1;
}

describe.each([
  ['bank-csv', 'bank-export.csv'],
  ['post-office', 'postoffice-20250401.txt'],
])('income profile %s with %s', (profileId, file) => {
  it('imports end to end: every credit allocated or in suspense, debits listed as not income', async () => {
    const uploaded = await upload(fixture(file), profileId, file);
    expect(uploaded.status).toBe(202);
    const done = await settled(uploaded.body.importId);
    expect(done.state).toBe('completed');
    expect(done.rowsRead).toBeGreaterThan(0);
    expect(done.rowsAllocated + done.rowsSuspended + done.rowsRejected).toBe(done.rowsRead);
    expect(done.rowsAllocated).toBeGreaterThan(0);
    expect(await journalCount(uploaded.body.importId)).toBeGreaterThan(0);
    const errors = await stack.request('GET', `/v1/imports/${uploaded.body.importId}/errors`);
    expect(errors.body.errors).toHaveLength(done.rowsRejected);
  });
});

describe.each([
  ['bank-camt', 'statement-20250401.camt053.xml'],
  ['bank-mt940', 'statement-20250401.mt940'],
])('statement profile %s with %s', (profileId, file) => {
  it('imports end to end into bank reconciliation, posting nothing (its money is counted elsewhere)', async () => {
    const uploaded = await upload(fixture(file), profileId, file);
    expect(uploaded.status).toBe(202);
    const done = await settled(uploaded.body.importId);
    expect(done).toMatchObject({
      state: 'completed',
      rowsAllocated: 0,
      rowsSuspended: 0,
      rowsRejected: 0,
    });
    expect(done.rowsRead).toBeGreaterThan(0);
    expect(await journalCount(uploaded.body.importId)).toBe(0);
    const [lines] = await stack.database
      .sql`select count(*)::int as n from bank_statement_lines where import_id = ${uploaded.body.importId}`;
    expect(lines?.n).toBe(done.rowsRead);
  });
});

describe('an unbalanced statement', () => {
  it.each([
    [
      'bank-camt',
      'statement-20250401.camt053.xml',
      '<Amt Ccy="GBP">10062.96</Amt>',
      '<Amt Ccy="GBP">10062.97</Amt>',
    ],
    [
      'bank-mt940',
      'statement-20250401.mt940',
      ':62F:C250401GBP10062,96',
      ':62F:C250401GBP10062,97',
    ],
  ])(
    '%s is refused whole with the closing balance line named, nothing posted',
    async (profileId, file, from, to) => {
      const broken = fixture(file).replace(from, to);
      const uploaded = await upload(broken, profileId, `broken-${file}`);
      const done = await settled(uploaded.body.importId);
      expect(done.state).toBe('refused');
      const errors = await stack.request('GET', `/v1/imports/${uploaded.body.importId}/errors`);
      expect(errors.body.errors.length).toBeGreaterThan(0);
      expect(errors.body.errors[0].message).toMatch(/balance|closing/i);
      expect(await journalCount(uploaded.body.importId)).toBe(0);
    },
  );
});
