// Proves that the four UK banks' statement CSV profiles (NatWest Bankline, Lloyds Commercial
// Banking Online, Barclays.Net, HSBCnet) come with every council, seeded for the demo council
// and created at onboarding, and that each imports its example export end to end on the real
// stack into bank reconciliation, posting nothing: its lines are statement lines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { onboardDemoCouncil } from '../harness/councils';
import { type TestResponse, useTestStack } from '../harness/stack';

const stack = useTestStack();
const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'imports', name), 'utf8');

const bankProfileIds = [
  'barclays-net-csv',
  'hsbcnet-csv',
  'lloyds-cbo-csv',
  'natwest-bankline-csv',
];

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
});

async function upload(
  content: string,
  profileId: string,
  fileName: string,
  headers?: Record<string, string>,
): Promise<TestResponse> {
  const form = new FormData();
  form.append('profileId', profileId);
  form.append('file', new Blob([content]), fileName);
  const response = await fetch(`${stack.baseUrl}/v1/imports`, {
    method: 'POST',
    body: form,
    headers: headers ?? (await stack.authHeaders()),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
}

async function settled(importId: string, headers?: Record<string, string>) {
  for (let attempt = 0; attempt < 300; attempt++) {
    const { body } = await stack.request('GET', `/v1/imports/${importId}`, undefined, headers);
    if (body.state === 'completed' || body.state === 'refused') return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`import ${importId} did not finish`);
}

describe.each([
  ['natwest-bankline-csv', 'natwest-bankline-20250401.csv', 12_345, 'CTAX 123456780', '12345678'],
  ['lloyds-cbo-csv', 'lloyds-cbo-20250401.csv', 12_345, 'CTAX 123456780', '309634-12345678 GBP'],
  ['barclays-net-csv', 'barclays-net-20250401.csv', 12_345, 'CTAX 123456780 J SMITH', '43718291'],
  [
    'hsbcnet-csv',
    'hsbcnet-20250401.csv',
    12_345,
    'CTAX 123456780 J SMITH /SREF/HSB2504010001',
    '400000-12345678',
  ],
])('the %s profile with %s', (profileId, file, firstPence, firstReference) => {
  it('imports end to end into bank reconciliation, posting nothing', async () => {
    const uploaded = await upload(fixture(file), profileId, file);
    expect(uploaded.status, uploaded.text).toBe(202);
    const importId = uploaded.body.importId;
    const done = await settled(importId);
    expect(done).toMatchObject({
      state: 'completed',
      rowsRead: 3,
      rowsAllocated: 0,
      rowsSuspended: 0,
      rowsRejected: 0,
    });
    const [journals] = await stack.database
      .sql`select count(*)::int as n from journals where source_id = ${importId}`;
    expect(journals?.n).toBe(0);
    const lines = await stack.database.sql<{ amount_pence: number; reference: string }[]>`
      select amount_pence::int as amount_pence, reference from bank_statement_lines
      where import_id = ${importId} order by line_no`;
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual({ amount_pence: firstPence, reference: firstReference });
    // Every example holds one debit (money out), read as a negative line.
    expect(lines.filter((line) => line.amount_pence < 0)).toHaveLength(1);
  });
});

describe('the bank CSV profiles', () => {
  it('are listed for the demo council as CSV statement profiles', async () => {
    const { body } = await stack.request('GET', '/v1/import-profiles');
    const listed = body.profiles.filter((p: { id: string }) => bankProfileIds.includes(p.id));
    expect(listed.map((p: { id: string }) => p.id)).toEqual(bankProfileIds);
    for (const profile of listed) {
      expect(profile).toMatchObject({ kind: 'csv', definition: { kind: 'csv', statement: true } });
    }
  });

  it('are created for a newly onboarded council, and read its exports there', async () => {
    const headers = await onboardDemoCouncil(stack, 'bankcsvton');
    const { body } = await stack.request('GET', '/v1/import-profiles', undefined, headers);
    const ids = body.profiles.map((p: { id: string }) => p.id);
    expect(ids).toEqual(expect.arrayContaining([...bankProfileIds, 'post-office']));
    const file = 'natwest-bankline-20250401.csv';
    // A penny more on one line, so the file is not the demo council's content again.
    const content = fixture(file).replace(',35.00', ',35.01');
    const uploaded = await upload(content, 'natwest-bankline-csv', file, headers);
    expect(uploaded.status, uploaded.text).toBe(202);
    expect(await settled(uploaded.body.importId, headers)).toMatchObject({
      state: 'completed',
      rowsRead: 3,
      rowsAllocated: 0,
    });
  });
});
