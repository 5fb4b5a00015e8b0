// Proves the transaction search on the real stack: a card payment (found by its card's last
// four digits and PSP reference, with the card GOV.UK Pay reported stored and nothing more) and
// an imported file (found by amount, range, reference, channel, narrative and file, each row
// naming its file and line) are one search; keyset pages cover every row once in either order;
// the CSV export streams every row the summary counts; bad filters answer problem+json naming
// the field; a caller limited to some funds sees only theirs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { createGovukPayProvider, type PaymentServiceProvider } from '../../psp';
import { createSandboxPsp, type SandboxServer } from '../../psp/sandbox/sandboxPsp';
import { type TestResponse, useTestStack } from '../harness/stack';

const apiKey = 'api_test_search_key';
const webhookSecret = 'search-webhook-secret';
let sandbox: SandboxServer;
let provider: PaymentServiceProvider;
const stack = useTestStack({ worker: false, psp: () => provider, webhookSecret });

/** A Post Office file (domain/imports/postOfficeProfile.ts): header, details, trailer. */
const detail = (reference: string, pence: number, sequence: number) =>
  `D${reference.padEnd(19)}${String(pence).padStart(10, '0')}P20261121${String(sequence).padStart(12, '0')}`;
const fileLines = [
  'H',
  detail('123456780', 1_250, 1), // council tax, line 2
  detail('123456780', 2_000, 2), // line 3
  detail('BJ12345673', 3_100, 3), // a parking fine, line 4
  detail('ZZ999', 4_321, 4), // unidentifiable: suspense, line 5
  `T${'4'.padStart(9, '0')}${String(1_250 + 2_000 + 3_100 + 4_321).padStart(13, '0')}`,
];
let importId: string;
let paymentId: string;

async function upload(content: string): Promise<TestResponse> {
  const form = new FormData();
  form.append('profileId', 'post-office');
  form.append('file', new Blob([content]), 'po-search.txt');
  const response = await fetch(`${stack.baseUrl}/v1/imports`, {
    method: 'POST',
    body: form,
    headers: await stack.authHeaders(),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: await response.json(),
    text: '',
  };
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function payByCard(): Promise<string> {
  const created = await stack.request('POST', '/v1/payments', {
    lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 5_555 }],
    description: 'Council tax',
    returnUrl: 'https://council.example/paid',
  });
  expect(created.status).toBe(201);
  const { origin, pathname } = new URL(created.body.nextUrl);
  await fetch(`${origin}${pathname}/pay`, { method: 'POST', redirect: 'manual' });
  const id = created.body.paymentId as string;
  await until(
    async () => (await stack.request('GET', `/v1/payments/${id}`)).body.state === 'allocated',
    'the card payment',
  );
  return id;
}

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  const sandboxPsp = createSandboxPsp({
    apiKeys: [apiKey],
    webhookUrl: `${stack.baseUrl}/v1/webhooks/govuk-pay`,
    webhookSecret,
    webhookRetryBaseDelayMs: 50,
  });
  sandbox = await sandboxPsp.start(0, '127.0.0.1');
  provider = createGovukPayProvider({ baseUrl: sandbox.url, keys: { default: apiKey } });
  await stack.startWorker();
  const uploaded = await upload(`${fileLines.join('\n')}\n`);
  expect(uploaded.status).toBe(202);
  importId = uploaded.body.importId;
  await until(
    async () => (await stack.request('GET', `/v1/imports/${importId}`)).body.state === 'completed',
    'the import',
  );
  paymentId = await payByCard();
}, 90_000);

afterAll(async () => {
  await sandbox?.close();
});

const search = (query: string) => stack.request('GET', `/v1/transactions?${query}`);

describe('GET /v1/transactions.happy', () => {
  it('finds an imported row by amount, naming its file and line', async () => {
    const found = await search('amountPence=3100');
    expect(found.status).toBe(200);
    expect(found.body.transactions).toHaveLength(1);
    expect(found.body.transactions[0]).toMatchObject({
      channel: 'import',
      fundCode: 'PCN',
      reference: 'BJ12345673',
      direction: 'in',
      amountPence: 3_100,
      methodOfPaymentCode: 'PO',
      sourceType: 'import',
      sourceId: importId,
      fileName: 'po-search.txt',
      fileLineNo: 4,
    });
    const { journalId, lineNo } = found.body.transactions[0];
    const detail = await stack.request('GET', `/v1/transactions/${journalId}/${lineNo}`);
    expect(detail.status).toBe(200);
    expect(detail.body.import).toMatchObject({ importId, fileName: 'po-search.txt' });
    expect(detail.body.journal).toMatchObject({ kind: 'import', id: journalId });
  });

  it('finds by range, reference, channel, file and suspense across channels', async () => {
    const ranged = await search(
      'amountFromPence=2000&amountToPence=5555&sort=amount&direction=asc',
    );
    expect(ranged.body.transactions.map((t: { amountPence: number }) => t.amountPence)).toEqual([
      2_000, 3_100, 4_321, 5_555,
    ]);
    const byReference = await search('reference=123456780');
    expect(byReference.body.transactions.map((t: { channel: string }) => t.channel).sort()).toEqual(
      ['card', 'import', 'import'],
    );
    const fromFile = await search(`importId=${importId}&channel=import`);
    expect(fromFile.body.transactions).toHaveLength(4);
    const suspended = await search('fundCode=SUSP');
    expect(suspended.body.transactions[0]).toMatchObject({ amountPence: 4_321, fileLineNo: 5 });
  });

  it('finds a card payment by last four digits and PSP reference, storing only what Pay reports', async () => {
    const byCard = await search('cardLastDigits=4242');
    expect(byCard.body.transactions).toHaveLength(1);
    const card = byCard.body.transactions[0];
    expect(card).toMatchObject({ channel: 'card', amountPence: 5_555, cardBrand: 'Visa' });
    expect(card.sourceId).toBe(paymentId);
    const byPsp = await search(`pspReference=${card.pspReference}`);
    expect(byPsp.body.transactions).toHaveLength(1);
    const byReceipt = await search(`receiptNumber=${paymentId}`);
    expect(byReceipt.body.transactions).toHaveLength(1);
    const detail = await stack.request('GET', `/v1/transactions/${card.journalId}/${card.lineNo}`);
    expect(detail.body.payment).toMatchObject({
      cardFirstDigits: '424242',
      cardLastDigits: '4242',
      cardBrand: 'Visa',
      cardExpiryDate: '12/30',
    });
    const [stored] = await stack.database.sql`select * from payments where id = ${paymentId}`;
    expect(Object.keys(stored ?? {}).filter((column) => column.startsWith('card'))).toEqual([
      'card_first_digits',
      'card_last_digits',
      'card_brand',
      'card_expiry_date',
    ]);
    expect(JSON.stringify(stored)).not.toContain('Sandbox Payer');
  });

  it('pages by cursor through every row once, newest first and by amount', async () => {
    for (const order of ['sort=recorded&direction=desc', 'sort=amount&direction=asc']) {
      const all = (await search(`${order}&limit=200`)).body.transactions;
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: TestResponse = await search(
          `${order}&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
        );
        expect(page.body.transactions.length).toBeLessThanOrEqual(2);
        paged.push(
          ...page.body.transactions.map((t: { transactionId: string }) => t.transactionId),
        );
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      expect(paged).toEqual(all.map((t: { transactionId: string }) => t.transactionId));
      expect(new Set(paged).size).toBe(paged.length);
    }
  });

  it('exports every row of a search as CSV, as many as the summary counts', async () => {
    const summary = await stack.request('GET', '/v1/transactions/summary?methodOfPaymentCode=PO');
    expect(summary.body).toEqual({ count: 4, netPence: 1_250 + 2_000 + 3_100 + 4_321 });
    const response = await fetch(`${stack.baseUrl}/v1/transactions.csv?methodOfPaymentCode=PO`, {
      headers: await stack.authHeaders(),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^transaction_id,recorded_at,posting_date,channel/);
    expect(lines).toHaveLength(1 + 4);
    expect(lines.some((line) => line.includes('po-search.txt,4,'))).toBe(true);
  });
});

describe('GET /v1/transactions.error', () => {
  it.each([
    ['amountPence=12.50', 'query.amountPence'],
    ['amountFromPence=10&amountToPence=5', 'query.amountFromPence'],
    ['amountPence=5&amountToPence=6', 'query.amountPence'],
    ['from=2026-12-02&to=2026-12-01', 'query.from'],
    ['cardLastDigits=42', 'query.cardLastDigits'],
    ['cursor=not-a-cursor', 'query.cursor'],
    ['channel=pigeon', 'query.channel'],
    ['colour=red', 'query'],
  ])('%s answers problem+json naming %s', async (query, field) => {
    const response = await search(query);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers 404 for a posting that is not to a fund', async () => {
    const found = await search('amountPence=3100');
    const { journalId } = found.body.transactions[0];
    const control = await stack.request('GET', `/v1/transactions/${journalId}/1`);
    expect(control.status).toBe(404);
  });
});

describe('GET /v1/transactions.security', () => {
  it('shows a caller limited to some funds only theirs, in pages, detail and export', async () => {
    // Revenues: council tax and business rates, not parking.
    const headers = await stack.keyFor('scoped-searcher', ['view'], ['REV']);
    const scoped = await stack.request('GET', '/v1/transactions?limit=200', undefined, headers);
    expect(scoped.status).toBe(200);
    expect(scoped.body.transactions.map((t: { fundCode: string }) => t.fundCode)).not.toContain(
      'PCN',
    );
    const parking = (await search('amountPence=3100')).body.transactions[0];
    const detail = await stack.request(
      'GET',
      `/v1/transactions/${parking.journalId}/${parking.lineNo}`,
      undefined,
      headers,
    );
    expect(detail.status).toBe(404);
  });

  it('refuses an anonymous caller', async () => {
    const response = await stack.request('GET', '/v1/transactions', undefined, {
      Authorization: '',
    });
    expect(response.status).toBe(401);
  });
});
