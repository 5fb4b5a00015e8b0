// Proves the suspense allocation form does what a keyboard user expects, at 375 px and 1280 px,
// with JavaScript and without: Enter in a field allocates (the form's default button is
// Allocate, not 'Add another row'), and 'Add another row' puts the focus on the row it added.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { describePage, launchChromium } from '../harness/browser';
import { useTestStack } from '../harness/stack';
import { mainText, openScreen, screenWidths } from './screens';

const stack = useTestStack();
let browser: Browser;
const user = { username: 'case.worker', password: 'a suspense passphrase' };

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  browser = await launchChromium();
  const created = await stack.request('POST', '/v1/users', {
    ...user,
    displayName: 'Case Worker',
    permissions: ['view', 'suspense.work'],
    fundGroups: null,
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
});

async function newSuspenseItem(amountPence: number): Promise<string> {
  const created = await stack.request('POST', '/v1/suspense', {
    amountPence,
    receivedReference: 'BGC JONES',
    reason: 'Bank credit with no usable reference',
  });
  expect(created.status).toBe(201);
  return created.body.suspenseId as string;
}

const activeElementId = (page: Page) =>
  page.evaluate('document.activeElement && document.activeElement.id') as Promise<string | null>;

describe.each(screenWidths)('the allocation form at %i px wide', (width) => {
  describe.each([true, false])('with JavaScript %s', (javaScript) => {
    const open = () => openScreen(browser, stack.baseUrl, { ...user, width, javaScript });

    it('allocates when Enter is pressed in a field', async () => {
      const suspenseId = await newSuspenseItem(10_000);
      const journey = await open();
      const { page } = journey;
      await journey.visit(`/suspense/${suspenseId}`);
      await page.locator('#fundCode-0').selectOption('CTAX');
      await page.locator('#reference-0').fill('123456780');
      await page.locator('#amount-0').fill('100.00');
      await page.locator('#total').fill('100.00');
      await page.locator('#total').press('Enter');
      // Either page: allocated (the item with its notice) or a row added (the form again).
      await page.waitForURL((url) => url.search !== '' || url.pathname.endsWith('/allocate'));
      await journey.check();
      expect(new URL(page.url()).search, await describePage(page)).toBe('?notice=allocated');
      expect(await mainText(page)).toContain('The money has been allocated.');
      const item = await stack.request('GET', `/v1/suspense/${suspenseId}`);
      expect(item.body.remainingPence).toBe(0);
      await journey.finish();
    });

    it("puts the focus on the row 'Add another row' adds", async () => {
      const suspenseId = await newSuspenseItem(10_000);
      const journey = await open();
      const { page } = journey;
      await journey.visit(`/suspense/${suspenseId}`);
      await page.locator('#fundCode-0').selectOption('CTAX');
      await page.locator('#reference-0').fill('123456780');
      await page.locator('#amount-0').fill('60.00');
      await page.locator('#add-row').click();
      await page.waitForURL(new RegExp(`/suspense/${suspenseId}/allocate`));
      await journey.check();
      expect(await page.locator('#fundCode-3').count()).toBe(1);
      expect(await activeElementId(page)).toBe('fundCode-3');
      expect(await page.locator('#reference-0').inputValue()).toBe('123456780');
      // Typing goes on in the new row, and the split allocates.
      await page.locator('#fundCode-3').selectOption('SUND');
      await page.locator('#reference-3').fill('12345678');
      await page.locator('#amount-3').fill('40.00');
      await page.locator('#total').fill('100.00');
      await page.locator('#allocate-submit').click();
      await page.waitForURL(new RegExp(`/suspense/${suspenseId}\\?notice=allocated`));
      await journey.check();
      await journey.finish();
    });
  });
});
