// Issue 14's journeys in headless Chromium, every page checked with axe-core: move a payment
// that came in on an imported file to another account and undo the move by reversing it; find
// an account holder by postcode from the suspense screen and allocate two suspense items to
// that account together, in one journal.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { generateCollectionFile } from '../../domain/imports';
import { describePage, launchChromium, signIn, startJourney } from '../harness/browser';
import { useTestStack } from '../harness/stack';
import { uploadFile, waitForImport } from '../integration/fullDayHelpers';
import { mainText } from './screens';

const stack = useTestStack();
let browser: Browser;
const password = 'a finance clerk passphrase';

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  browser = await launchChromium();
  const created = await stack.request('POST', '/v1/users', {
    username: 'finance.clerk',
    displayName: 'Finance Clerk',
    password,
    permissions: ['view', 'journal.post', 'suspense.work'],
    fundGroups: null,
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
});

/** A Post Office file imported through the API; answers one row it allocated to a fund. */
async function importedRow() {
  const file = [
    ...generateCollectionFile({
      rows: 10,
      unidentifiableRatio: 0,
      seed: 14,
      transactionDate: '2026-11-23',
    }),
  ].join('');
  const uploaded = await uploadFile(stack, file, 'post-office', 'po-20261123.txt');
  const importId = uploaded.body.importId as string;
  expect((await waitForImport(stack, importId)).state).toBe('completed');
  const [row] = await stack.database.sql<{ fund_code: string; reference: string; gross: number }[]>`
    select a.fund_code, p.account_reference as reference,
           (p.credit_pence + p.vat_pence)::int as gross
      from postings p
      join journals j on j.id = p.journal_id
      join ledger_accounts a on a.code = p.account_code and a.kind = 'fund'
     where j.source_type = 'import' and j.source_id = ${importId} and a.fund_code <> 'SUSP'
       and p.credit_pence > 0
     order by p.line_no limit 1`;
  expect(row).toBeDefined();
  return { importId, ...row! };
}

describe('staff journeys of issue 14', () => {
  it('moves an imported payment to another account and undoes the move', {
    timeout: 120_000,
  }, async () => {
    const row = await importedRow();
    const journey = await startJourney(browser, stack.baseUrl);
    const { page } = journey;
    await signIn(journey, 'finance.clerk', password);
    await journey.visit(`/imports/${row.importId}`);
    await page.locator('#move-from-import').click();
    await page.waitForURL(/\/journals\/move\?/);
    await journey.check();
    expect(await page.locator('#sourceId').inputValue()).toBe(row.importId);
    await page.locator('#fromFund').selectOption(row.fund_code);
    await page.locator('#fromReference').fill(row.reference);
    const target =
      row.fund_code === 'PCN'
        ? { fund: 'CTAX', ref: '123456780' }
        : { fund: 'PCN', ref: 'BJ12345673' };
    await page.locator('#toFund').selectOption(target.fund);
    await page.locator('#toReference').fill(target.ref);
    await page.locator('#amount').fill('1.00');
    await page.locator('#reason').fill('Paid at the post office to the wrong account');
    await page.locator('#move-money').click();
    await page.waitForURL(/\/journals\/jnl_[0-9a-z]{20}\?notice=moved/).catch(async () => {
      throw new Error(`not on the move's journal: ${await describePage(page)}`);
    });
    await journey.check();
    const moveId = /journals\/(jnl_[0-9a-z]{20})/.exec(page.url())![1]!;
    expect(await mainText(page)).toContain(`Import ${row.importId}`);

    await page.locator('#reason').fill('Moved in error');
    await page.locator('#reverse-journal').click();
    await page.waitForURL(/\/journals\/jnl_[0-9a-z]{20}\?notice=reversed/).catch(async () => {
      throw new Error(`not on the reversal: ${await describePage(page)}`);
    });
    await journey.check();
    expect(await page.locator('#reverses').innerText()).toBe(moveId);
    await journey.visit(`/journals/${moveId}`);
    expect(await page.locator('#reversed-by').innerText()).toMatch(/^jnl_/);
    await journey.visit('/journals?kind=transfer');
    expect(await mainText(page)).toContain(moveId);
    await journey.finish();
  });

  it('finds an account holder by postcode from suspense and allocates two items to it together', {
    timeout: 120_000,
  }, async () => {
    const ids: string[] = [];
    for (const amountPence of [2_500, 1_750]) {
      const created = await stack.request('POST', '/v1/suspense', {
        amountPence,
        receivedReference: 'A EXAMPLE DT1',
        narrative: 'Standing order, no account number',
        reason: 'Bank credit with no usable reference',
      });
      ids.push(created.body.suspenseId);
    }
    const journey = await startJourney(browser, stack.baseUrl);
    const { page } = journey;
    await signIn(journey, 'finance.clerk', password);
    await journey.visit('/suspense?reference=example%20dt1');
    for (const id of ids) await page.locator(`#choose-${id}`).check();
    await page.locator('#allocate-chosen').click();
    await page.waitForURL(/\/suspense\/together\?/);
    await journey.check();
    await page.locator('#find-holder').click();
    await page.waitForURL(/\/account-holders\?/);
    await journey.check();
    await page.locator('#postcode').fill('dt1 1aa');
    await page.locator('#apply-filters').click();
    await page.waitForURL(/postcode=dt1/);
    await journey.check();
    await page.locator('#use-CTAX-123456780').click();
    await page.waitForURL(/\/suspense\/together\?.*reference=123456780/);
    await journey.check();
    expect(await page.locator('#partReference-0').inputValue()).toBe('123456780');
    await page.locator('#partAmount-0').fill('42.50');
    await page.locator('#total').fill('42.50');
    await page.locator('#reason').fill('Both standing orders are A. Example’s council tax');
    await page.locator('#allocate-together-submit').click();
    await page
      .waitForURL(/\/journals\/jnl_[0-9a-z]{20}\?notice=allocated-together/)
      .catch(async () => {
        throw new Error(`not on the journal: ${await describePage(page)}`);
      });
    await journey.check();
    expect(await mainText(page)).toContain('Suspense items allocated together');
    for (const id of ids) {
      const item = await stack.request('GET', `/v1/suspense/${id}`);
      expect(item.body).toMatchObject({ state: 'allocated', remainingPence: 0 });
    }
    await journey.finish();
  });
});
