// Issue 14's journeys in headless Chromium on the real stack, every page checked with axe: find
// an imported payment by amount on the transaction search, open it (its file and line), and
// export the search as CSV (the count shown first, every row in the file); then create a CSV
// import profile from a sample file (its preview shows the rows it would make and the errors
// per line) and import a file through it.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { type Journey, launchChromium, signIn, startJourney } from '../harness/browser';
import { useTestStack } from '../harness/stack';

const stack = useTestStack();
let browser: Browser;
const password = 'a search journey passphrase';

const detail = (reference: string, pence: number, sequence: number) =>
  `D${reference.padEnd(19)}${String(pence).padStart(10, '0')}P20261121${String(sequence).padStart(12, '0')}`;
const collectionFile = `${[
  'H',
  detail('123456780', 1_250, 1),
  detail('BJ12345673', 7_777, 2),
  `T${'2'.padStart(9, '0')}${String(1_250 + 7_777).padStart(13, '0')}`,
].join('\n')}\n`;

async function waitForImport(importId: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { body } = await stack.request('GET', `/v1/imports/${importId}`);
    if (body.state === 'completed') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`import ${importId} did not complete`);
}

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  browser = await launchChromium();
  const created = await stack.request('POST', '/v1/users', {
    username: 'income.officer',
    displayName: 'Income Officer',
    password,
    permissions: ['view', 'import', 'configure'],
    fundGroups: null,
  });
  expect(created.status).toBe(201);
  const form = new FormData();
  form.append('profileId', 'post-office');
  form.append('file', new Blob([collectionFile]), 'po-journey.txt');
  const uploaded = await fetch(`${stack.baseUrl}/v1/imports`, {
    method: 'POST',
    body: form,
    headers: await stack.authHeaders(),
  });
  expect(uploaded.status).toBe(202);
  await waitForImport(((await uploaded.json()) as { importId: string }).importId);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

async function signedIn(): Promise<Journey> {
  const journey = await startJourney(browser, stack.baseUrl);
  await signIn(journey, 'income.officer', password);
  return journey;
}

describe('the transaction search', () => {
  it('finds an imported payment by amount, shows its file and line, and exports the search', {
    timeout: 90_000,
  }, async () => {
    const journey = await signedIn();
    const { page } = journey;
    await journey.visit('/transactions');
    await page.getByLabel('Amount', { exact: true }).fill('77.77');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await journey.check();
    const rows = page.locator('#transactions tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('BJ12345673');

    await rows.first().getByRole('link').click();
    await journey.check();
    const file = await page.locator('#imported-file').innerText();
    expect(file).toContain('po-journey.txt');
    expect(file).toMatch(/Line\s+3/);

    await page.goBack();
    await page.getByRole('link', { name: /Export this search/ }).click();
    await journey.check();
    expect(await page.locator('#export-count').innerText()).toContain('finds 1 transaction');
    const href = await page.locator('#download-csv').getAttribute('href');
    const csv = await page.context().request.get(String(href));
    expect(csv.status()).toBe(200);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',BJ12345673,in,77.77,7777,');
    await journey.finish();
  });

  it('says which filter is wrong', { timeout: 60_000 }, async () => {
    const journey = await signedIn();
    const { page } = journey;
    await journey.visit('/transactions?amount=12.345');
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Amount');
    await journey.visit('/transactions?cardLastDigits=12');
    expect(await page.locator('.govuk-error-summary').innerText()).toContain(
      'Card’s last four digits',
    );
    await journey.finish();
  });
});

const bankCsv = [
  'Date,Reference,Details,Amount',
  '21/11/2026,123456780,Council tax by bank transfer,45.67',
  '21/11/2026,BJ12345673,PCN paid online banking,70.00',
  '22/11/2026,123456780,Second instalment,not money',
].join('\n');

describe('import profiles on screen', () => {
  it('creates a CSV profile from a sample file, previews it, and imports through it', {
    timeout: 120_000,
  }, async () => {
    const journey = await signedIn();
    const { page } = journey;
    await journey.visit('/imports/profiles');
    await page.getByRole('button', { name: 'New CSV profile' }).click();
    await journey.check();
    await page.getByLabel('Profile id').fill('bank-transfers');
    await page.getByLabel('Name', { exact: true }).fill('Bank transfers (CSV)');
    await page.getByLabel('Method of payment').selectOption('BT');
    await page.getByLabel('Reference').fill('Reference');
    await page.getByLabel('Amount', { exact: true }).fill('Amount');
    await page.getByLabel('Date', { exact: true }).fill('Date');
    await page.getByLabel('Narrative').fill('Details');
    const sample = { name: 'sample.csv', mimeType: 'text/csv', buffer: Buffer.from(bankCsv) };
    await page.getByLabel('Sample file').setInputFiles(sample);
    await page.getByRole('button', { name: 'Preview' }).click();
    await journey.check();
    expect(await page.locator('#preview-summary').innerText()).toContain('reads 2 rows');
    expect(await page.locator('#preview-rows').innerText()).toContain('BJ12345673');
    const errors = await page.locator('#preview-errors').innerText();
    expect(errors).toMatch(/^4\s/m);

    await page.getByRole('button', { name: 'Save profile' }).click();
    await journey.check();
    expect(await page.locator('#profiles').innerText()).toContain('Bank transfers (CSV)');

    const goodFile = bankCsv.split('\n').slice(0, 3).join('\n');
    await journey.visit('/imports/new');
    await page.getByLabel('Import profile').selectOption('bank-transfers');
    await page
      .locator('#file')
      .setInputFiles({ ...sample, name: 'bank-1121.csv', buffer: Buffer.from(goodFile) });
    await page.getByRole('button', { name: 'Upload file' }).click();
    await journey.check();
    for (let attempt = 0; attempt < 60; attempt++) {
      if ((await page.locator('main').innerText()).includes('Completed')) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
      await page.reload();
      await journey.check();
    }
    expect(await page.locator('main').innerText()).toContain('Completed');
    await journey.visit('/transactions?amount=45.67&methodOfPaymentCode=BT');
    const rows = page.locator('#transactions tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('Council tax by bank transfer');
    await journey.finish();
  });
});
