// Proves at 375 px and 1280 px that four-eyes reads right on screen (#19, defects 8 and 9): the
// person who asked for a write-off is shown no Approve or Reject button and told why, someone
// else rejects it with a reason from the queue the dashboard links to, and a payment names the
// member of staff who took it.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { launchChromium } from '../harness/browser';
import { payCard, useSandboxStack } from '../harness/sandbox';
import { mainText, openScreen, screenWidths } from './screens';

const stack = useSandboxStack();
let browser: Browser;
const clerk = { username: 'eyes.clerk', password: 'a four eyes passphrase' };
const officer = { username: 'eyes.officer', password: 'a four eyes passphrase' };

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  browser = await launchChromium();
  for (const [user, permissions] of [
    [clerk, ['view', 'suspense.work']],
    [officer, ['view', 'suspense.work', 'writeoff.approve']],
  ] as const) {
    const created = await stack.request('POST', '/v1/users', {
      ...user,
      displayName: user.username,
      permissions,
      fundGroups: null,
    });
    expect(created.status).toBe(201);
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe.each(screenWidths)('four-eyes at %i px wide', (width) => {
  it('hides the decision from the requester; another person rejects from the queue', {
    timeout: 90_000,
  }, async () => {
    const item = await stack.request('POST', '/v1/suspense', {
      amountPence: 2_500,
      receivedReference: `NO TRACE ${width}`,
      reason: 'Bank credit with no usable reference',
    });
    const suspenseId: string = item.body.suspenseId;
    const asked = await openScreen(browser, stack.baseUrl, { ...clerk, width, javaScript: true });
    await asked.visit(`/suspense/${suspenseId}`);
    await asked.page.getByLabel('Reason for writing off').fill('Untraceable after a year');
    await asked.page.locator('#request-write-off').click();
    await asked.page.waitForURL(/notice=write-off-requested/);
    await asked.check();
    expect(await mainText(asked.page)).toContain(
      'You asked for this write-off, so someone else must approve or reject it.',
    );
    expect(await asked.page.locator('#approve-write-off, #reject-write-off').count()).toBe(0);
    await asked.finish();

    const decides = await openScreen(browser, stack.baseUrl, {
      ...officer,
      width,
      javaScript: true,
    });
    await decides.visit('/');
    await decides.page.locator('#write-offs-awaiting').click();
    await decides.page.waitForURL(/writeOff=requested/);
    await decides.check();
    await decides.page.locator(`a[href="/suspense/${suspenseId}"]`).click();
    await decides.page.waitForURL(new RegExp(`/suspense/${suspenseId}`));
    await decides.check();
    expect(await decides.page.locator('#approve-write-off').isVisible()).toBe(true);
    await decides.page.getByLabel('Reason for rejecting').fill('The payer has been found');
    await decides.page.locator('#reject-write-off').click();
    await decides.page.waitForURL(/notice=write-off-rejected/);
    await decides.check();
    const after = await mainText(decides.page);
    expect(after).toContain('The write-off has been rejected. The money stays in suspense.');
    expect(after).toContain('Request write-off'); // open again, to be worked
    expect(await decides.page.locator('#approve-write-off').count()).toBe(0);
    await decides.finish();
  });

  it('names who took a payment', { timeout: 60_000 }, async () => {
    const paymentId = await payCard(stack, 4_200);
    const journey = await openScreen(browser, stack.baseUrl, {
      ...officer,
      width,
      javaScript: true,
    });
    await journey.visit(`/payments/${paymentId}`);
    expect(await journey.page.locator('#payment-taken-by').innerText()).toBe('tester');
    expect(await mainText(journey.page)).not.toContain('Requested by IMS');
    await journey.finish();
  });
});
