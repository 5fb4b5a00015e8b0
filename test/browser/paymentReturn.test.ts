// Proves the page a clerk comes back to from the PSP never says the payment succeeded before
// the ledger does, at 375 px and 1280 px: while the workflow has not yet seen the payment it
// shows the real state, warns against taking the card again and offers no way back to the
// payment page; it then refreshes itself (JavaScript) or offers to check again (without) until
// the payment is final.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import type { PaymentServiceProvider } from '../../psp';
import { type Journey, launchChromium } from '../harness/browser';
import { startSandboxPsp } from '../harness/sandbox';
import { useTestStack } from '../harness/stack';
import { mainText, openScreen, screenWidths, waitForText } from './screens';

let provider: PaymentServiceProvider;
let stopSandbox: (() => Promise<void>) | undefined;
const stack = useTestStack({ worker: false, psp: () => provider });
let browser: Browser;
const user = { username: 'phone.clerk', password: 'a phone payment passphrase' };

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  const sandbox = await startSandboxPsp(stack, () => new Date());
  provider = sandbox.provider;
  stopSandbox = () => sandbox.sandbox.close();
  await stack.startWorker();
  browser = await launchChromium();
  const created = await stack.request('POST', '/v1/users', {
    ...user,
    displayName: 'Phone Clerk',
    permissions: ['view', 'payment.take'],
    fundGroups: null,
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
  await stack.stopWorker();
  await stopSandbox?.();
});

/**
 * Takes a phone payment and pays it on the sandbox's page while no worker runs, so the clerk
 * is back on the IMS before the workflow can have seen the payment succeed.
 */
async function payWhileWorkflowWaits(journey: Journey, amount: string): Promise<string> {
  const { page } = journey;
  await journey.visit('/payments/new');
  await page.getByLabel('Fund').selectOption('CTAX');
  await page.getByLabel('Account reference').fill('123456780');
  await page.getByLabel('Amount').fill(amount);
  await page.getByLabel('Description').fill('Council tax by phone');
  await page.getByLabel('Card (phone)').check();
  await page.locator('#continue-to-payment').click();
  await page.waitForURL(/\/payments\/pay_[0-9a-z]{20}\/pay$/, { timeout: 10_000 });
  await journey.check();
  const paymentId = /payments\/(pay_[0-9a-z]{20})/.exec(page.url())![1]!;
  await page.locator('#go-to-payment-page').click();
  await page.getByRole('heading', { name: 'Enter card details' }).waitFor();
  await stack.stopWorker();
  await page.getByRole('button', { name: 'Pay now' }).click();
  await page.waitForURL(new RegExp(`/payments/${paymentId}(/returned)?(\\?|$)`), {
    timeout: 10_000,
  });
  await journey.check();
  return paymentId;
}

async function expectNotYetConfirmed(journey: Journey, paymentId: string) {
  const { page } = journey;
  const text = await mainText(page);
  expect(text).not.toMatch(/success/i);
  expect(text).not.toContain('Payment received');
  expect(text).toContain('Awaiting payment');
  expect(text).toContain('Do not take the card details again');
  expect(await page.getByText('Continue to the payment page').count()).toBe(0);
  expect(await page.locator(`a[href="/payments/${paymentId}/pay"]`).count()).toBe(0);
  expect(await page.locator('#check-again').getAttribute('href')).toBe(
    `/payments/${paymentId}/returned`,
  );
  const stored = await stack.request('GET', `/v1/payments/${paymentId}`);
  expect(stored.body).toMatchObject({ state: 'awaiting_payment', journal: null });
}

async function expectReceived(journey: Journey, paymentId: string, amount: string) {
  const text = await mainText(journey.page);
  expect(text).toContain('Payment received');
  expect(text).toContain(amount);
  expect(text).not.toContain('Do not take the card details again');
  expect(await journey.page.locator('#check-again').count()).toBe(0);
  expect(await journey.page.locator('#take-another').getAttribute('href')).toBe('/payments/new');
  expect(await journey.page.title()).toMatch(/^Payment received/);
  const stored = await stack.request('GET', `/v1/payments/${paymentId}`);
  expect(stored.body.state).toBe('allocated');
  expect(stored.body.journal).not.toBeNull();
}

describe.each(screenWidths)('back from the payment page at %i px wide', (width) => {
  it('waits for the ledger and updates itself (JavaScript)', { timeout: 90_000 }, async () => {
    const journey = await openScreen(browser, stack.baseUrl, { ...user, width, javaScript: true });
    try {
      const paymentId = await payWhileWorkflowWaits(journey, '42.50');
      await expectNotYetConfirmed(journey, paymentId);
      // A mark on the window survives only if the page is updated in place, not reloaded.
      await journey.page.evaluate('window.stillTheSamePage = true');
      await stack.startWorker();
      await waitForText(journey, 'Payment received');
      expect(await journey.page.evaluate('window.stillTheSamePage')).toBe(true);
      await journey.check();
      await expectReceived(journey, paymentId, '£42.50');
    } finally {
      await stack.startWorker();
    }
    await journey.finish();
  });

  it('waits for the ledger with a link to check again (no JavaScript)', {
    timeout: 90_000,
  }, async () => {
    const journey = await openScreen(browser, stack.baseUrl, { ...user, width, javaScript: false });
    try {
      const paymentId = await payWhileWorkflowWaits(journey, '17.25');
      await expectNotYetConfirmed(journey, paymentId);
      await journey.page.locator('#check-again').click();
      await journey.check();
      await expectNotYetConfirmed(journey, paymentId);
      await stack.startWorker();
      await waitForText(journey, 'Payment received', async () => {
        await journey.page.locator('#check-again').click();
        await journey.check();
      });
      await expectReceived(journey, paymentId, '£17.25');
    } finally {
      await stack.startWorker();
    }
    await journey.finish();
  });
});
