// Proves, in a real browser at 375 px and 1280 px, that pressing Back and sending a form again
// does not do its work twice: a refund requested, Back, "Request refund" again makes one refund;
// an API key created, the "created" page reloaded (Chromium posts the form again) makes one key.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { describePage, launchChromium } from '../harness/browser';
import { useTestStack } from '../harness/stack';
import { mainText, openScreen, screenWidths } from './screens';

const stack = useTestStack();
let browser: Browser;
const user = { username: 'replay.clerk', password: 'a form replay passphrase' };

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  browser = await launchChromium();
  const created = await stack.request('POST', '/v1/users', {
    ...user,
    displayName: 'Replay Clerk',
    permissions: ['view', 'refund.request', 'suspense.work', 'configure'],
    fundGroups: null,
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
});

/** Fills in the bank refund form, whatever the browser kept of it, and sends it. */
async function sendRefundForm(page: Page): Promise<void> {
  await page.getByLabel('Amount to refund').fill('10.00');
  await page.getByLabel('Reason for the refund').fill('Sent to us in error');
  await page.getByLabel('Name on the account').fill('Jo Jones');
  await page.getByLabel('Sort code').fill('08-99-99');
  await page.getByLabel('Account number').fill('66374958');
  await page.locator('#request-refund').click();
}

async function refundsOf(suspenseId: string): Promise<string[]> {
  const listed = await stack.request('GET', `/v1/refunds?sourceId=${suspenseId}&limit=50`);
  return (listed.body.refunds as { refundId: string }[]).map((refund) => refund.refundId);
}

describe.each(screenWidths)('a form sent again at %i px wide', (width) => {
  it('requests one refund when Back is pressed and the form is sent again', async () => {
    const item = await stack.request('POST', '/v1/suspense', {
      amountPence: 5_000,
      receivedReference: 'BGC REPLAY',
      reason: 'Bank credit with no usable reference',
    });
    const suspenseId: string = item.body.suspenseId;
    const journey = await openScreen(browser, stack.baseUrl, { ...user, width, javaScript: true });
    const { page } = journey;
    await journey.visit(`/refunds/new?suspenseId=${suspenseId}`);
    await sendRefundForm(page);
    await page.waitForURL(/\/refunds\/rfd_[0-9a-z]{20}/, { timeout: 10_000 }).catch(async () => {
      throw new Error(`not on the refund: ${await describePage(page)}`);
    });
    const first = new URL(page.url()).pathname;
    await journey.check();

    await page.goBack();
    await journey.check();
    expect(new URL(page.url()).pathname).toBe('/refunds/new');
    await sendRefundForm(page);
    await page.waitForLoadState('load');
    await journey.check();
    // The replay lands on the refund the first post made, or says it was already sent.
    const landed = new URL(page.url()).pathname;
    if (landed !== first) expect(await mainText(page)).toContain('already sent this form');
    expect(await refundsOf(suspenseId)).toEqual([first.replace('/refunds/', '')]);
    await journey.finish();
  });

  it('creates one API key when the "created" page is reloaded', async () => {
    const principal = `replay-kiosk-${width}`;
    const journey = await openScreen(browser, stack.baseUrl, { ...user, width, javaScript: true });
    const { page } = journey;
    await journey.visit('/configuration/api-keys/new');
    await page.locator('[name="principal"]').fill(principal);
    await page.locator('[name="description"]').fill('A kiosk in the library');
    await page.locator('[name="permissions"][value="view"]').check();
    await page.locator('#save').click();
    await page.waitForLoadState('load');
    await journey.check();
    const secret = await page.locator('#api-key-secret').inputValue();
    expect(secret).not.toBe('');
    await page.reload();
    await journey.check();
    expect(await mainText(page)).not.toContain(secret);
    const keys = await stack.request('GET', '/v1/api-keys');
    const named = (keys.body.items as { principal: string }[]).filter(
      (key) => key.principal === principal,
    );
    expect(named).toHaveLength(1);
    await journey.finish();
  });
});
