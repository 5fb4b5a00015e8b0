// The main staff journeys in headless Chromium, on the real stack with the sandbox PSP: take a
// payment for a caller, request a refund that a second person approves, allocate a suspense
// item. Every IMS page visited is checked with axe-core (test/harness/browser.ts).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import type { PaymentServiceProvider } from '../../psp';
import {
  describePage,
  type Journey,
  launchChromium,
  signIn,
  signOut,
  startJourney,
} from '../harness/browser';
import { startSandboxPsp } from '../harness/sandbox';
import { useTestStack } from '../harness/stack';

let provider: PaymentServiceProvider;
let stopSandbox: (() => Promise<void>) | undefined;
const stack = useTestStack({ worker: false, psp: () => provider });
let browser: Browser;
const password = 'a journey passphrase';

async function createUser(username: string, permissions: string[]) {
  const created = await stack.request('POST', '/v1/users', {
    username,
    displayName: username.replace('.', ' '),
    password,
    permissions,
    fundGroups: null,
  });
  expect(created.status).toBe(201);
}

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  const sandbox = await startSandboxPsp(stack, () => new Date());
  provider = sandbox.provider;
  stopSandbox = () => sandbox.sandbox.close();
  await stack.startWorker();
  browser = await launchChromium();
  await createUser('cash.clerk', ['view', 'payment.take', 'refund.request']);
  await createUser('finance.officer', ['view', 'refund.approve']);
  await createUser('case.worker', ['view', 'suspense.work']);
});

afterAll(async () => {
  await browser?.close();
  await stack.stopWorker();
  await stopSandbox?.();
});

/** Reloads (checking each load) until the page shows the text: the workflow works meanwhile. */
async function reloadUntil(journey: Journey, text: string): Promise<void> {
  for (let attempt = 0; attempt < 60; attempt++) {
    if ((await journey.page.locator('main').innerText()).includes(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
    await journey.page.reload();
    await journey.check();
  }
  throw new Error(`"${text}" never appeared on ${await describePage(journey.page)}`);
}

async function takePayment(journey: Journey, amount: string): Promise<string> {
  const { page } = journey;
  await journey.visit('/payments/new');
  await page.getByLabel('Fund').selectOption('CTAX');
  await page.getByLabel('Account reference').fill('123456780');
  await page.getByLabel('Amount').fill(amount);
  await page.getByLabel('Description').fill('Council tax by phone');
  await page.getByLabel('Card (phone)').check();
  await page.locator('#continue-to-payment').click();
  await page
    .waitForURL(/\/payments\/pay_[0-9a-z]{20}\/pay$/, { timeout: 10_000 })
    .catch(async () => {
      throw new Error(`not on the pay page: ${await describePage(page)}`);
    });
  await journey.check();
  const paymentId = /payments\/(pay_[0-9a-z]{20})/.exec(page.url())![1]!;
  // On to the PSP's own page (the sandbox), as the caller's card details go there, not to us.
  await page.locator('#go-to-payment-page').click();
  await page.getByRole('heading', { name: 'Enter card details' }).waitFor();
  await page.getByRole('button', { name: 'Pay now' }).click();
  await page.waitForURL((url) => url.href.startsWith(stack.baseUrl));
  await journey.check();
  await page
    .waitForURL(new RegExp(`/payments/${paymentId}/returned$`), { timeout: 10_000 })
    .catch(async () => {
      throw new Error(`not back on the payment: ${await describePage(page)}`);
    });
  // The page waits for the ledger, updating itself until the payment is received.
  await page.getByRole('heading', { name: 'Payment received' }).waitFor({ timeout: 30_000 });
  await journey.check();
  await journey.visit(`/payments/${paymentId}`);
  await reloadUntil(journey, 'Allocated');
  return paymentId;
}

const textOf = (page: Page) => page.locator('main').innerText();

describe('staff journeys in a browser', () => {
  it('takes a card payment for a caller through the PSP', async () => {
    const journey = await startJourney(browser, stack.baseUrl);
    await signIn(journey, 'cash.clerk', password);
    const paymentId = await takePayment(journey, '42.50');
    expect(await textOf(journey.page)).toContain('£42.50');
    const stored = await stack.request('GET', `/v1/payments/${paymentId}`);
    expect(stored.body).toMatchObject({ state: 'allocated', amountPence: 4_250 });
    await journey.visit('/payments');
    expect(await textOf(journey.page)).toContain(paymentId);
    await journey.finish();
  });

  it('requests a refund that only a second person can approve', async () => {
    const clerk = await startJourney(browser, stack.baseUrl);
    await signIn(clerk, 'cash.clerk', password);
    const paymentId = await takePayment(clerk, '600.00');
    await clerk.page.locator('#request-refund').click();
    await clerk.check();
    await clerk.page.getByLabel('Amount to refund').fill('550.00');
    await clerk.page.getByLabel('Reason for the refund').fill('Paid twice by the caller');
    await clerk.page.locator('#request-refund').click();
    await clerk.page
      .waitForURL(/\/refunds\/rfd_[0-9a-z]{20}/, { timeout: 10_000 })
      .catch(async () => {
        throw new Error(`not on the refund: ${await describePage(clerk.page)}`);
      });
    await clerk.check();
    const refundId = /refunds\/(rfd_[0-9a-z]{20})/.exec(clerk.page.url())![1]!;
    expect(await textOf(clerk.page)).toMatch(/Needs approval\s+Yes/);
    // The requester cannot approve: the clerk has no refund.approve, so sees no button.
    expect(await clerk.page.locator('#approve-refund').count()).toBe(0);
    await signOut(clerk);
    await clerk.finish();

    const officer = await startJourney(browser, stack.baseUrl);
    await signIn(officer, 'finance.officer', password);
    await officer.visit('/refunds');
    await officer.page.locator(`a[href="/refunds/${refundId}"]`).first().click();
    await officer.check();
    await officer.page.locator('#approve-refund').click();
    await officer.page.waitForURL(new RegExp(`/refunds/${refundId}`));
    await officer.check();
    await reloadUntil(officer, 'Succeeded');
    const refund = await stack.request('GET', `/v1/refunds/${refundId}`);
    expect(refund.body).toMatchObject({ amountPence: 55_000, requestedBy: 'cash.clerk' });
    expect(refund.body).toMatchObject({ approvalRequired: true, decidedBy: 'finance.officer' });
    const payment = await stack.request('GET', `/v1/payments/${paymentId}`);
    expect(payment.status).toBe(200);
    await officer.finish();
  });

  it('allocates a suspense item across two accounts', async () => {
    const created = await stack.request('POST', '/v1/suspense', {
      amountPence: 30_000,
      receivedReference: 'BGC SMITH J',
      reason: 'Bank credit with no usable reference',
    });
    expect(created.status).toBe(201);
    const suspenseId: string = created.body.suspenseId;
    const journey = await startJourney(browser, stack.baseUrl);
    const { page } = journey;
    await signIn(journey, 'case.worker', password);
    await journey.visit('/suspense');
    await page.locator(`a[href="/suspense/${suspenseId}"]`).first().click();
    await journey.check();
    await page.locator('#fundCode-0').selectOption('CTAX');
    await page.locator('#reference-0').fill('123456780');
    await page.locator('#amount-0').fill('200.00');
    await page.locator('#fundCode-1').selectOption('SUND');
    await page.locator('#reference-1').fill('12345678');
    await page.locator('#amount-1').fill('100.00');
    await page.locator('#total').fill('300.00');
    await page.locator('#allocate-submit').click();
    await page.waitForURL(new RegExp(`/suspense/${suspenseId}`));
    await journey.check();
    await reloadUntil(journey, 'Allocated');
    const item = await stack.request('GET', `/v1/suspense/${suspenseId}`);
    expect(item.body.state).toBe('allocated');
    await journey.finish();
  });
});
