// Proves a refund by bank credit is never shown as succeeded while no BACS file has taken the
// money out of the bank, at 375 px and 1280 px: once its workflow has posted the ledger and
// written the BACS record, the refund and the refunds list say 'Awaiting BACS file'.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { launchChromium } from '../harness/browser';
import { useTestStack } from '../harness/stack';
import { mainText, openScreen, screenWidths } from './screens';

const stack = useTestStack();
let browser: Browser;
const user = { username: 'refund.clerk', password: 'a bank refund passphrase' };

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  browser = await launchChromium();
  const created = await stack.request('POST', '/v1/users', {
    ...user,
    displayName: 'Refund Clerk',
    permissions: ['view', 'refund.request', 'suspense.work'],
    fundGroups: null,
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
});

/** A bank refund of part of a suspense item, once its workflow has done all it can. */
async function bankRefundDone(): Promise<{ refundId: string; suspenseId: string }> {
  const item = await stack.request('POST', '/v1/suspense', {
    amountPence: 5_000,
    receivedReference: 'BGC JONES',
    reason: 'Bank credit with no usable reference',
  });
  const suspenseId: string = item.body.suspenseId;
  const requested = await stack.request('POST', '/v1/refunds', {
    suspenseId,
    amountPence: 2_000,
    reason: 'Sent to us in error',
    bankAccount: { sortCode: '08-99-99', accountNumber: '66374958', accountName: 'Jo Jones' },
  });
  expect(requested.status).toBe(201);
  const refundId: string = requested.body.refundId;
  await stack.temporal.workflow.getHandle(refundId).result();
  return { refundId, suspenseId };
}

describe.each(screenWidths)('a bank refund at %i px wide', (width) => {
  it('shows as awaiting its BACS file, never as succeeded', async () => {
    const { refundId, suspenseId } = await bankRefundDone();
    const journey = await openScreen(browser, stack.baseUrl, { ...user, width, javaScript: true });
    await journey.visit(`/refunds/${refundId}`);
    const detail = await mainText(journey.page);
    expect(detail).toContain('State: Awaiting BACS file');
    expect(detail).not.toMatch(/succeeded/i);
    expect(detail).toContain('No money has left the bank account yet');
    await journey.visit(`/refunds?sourceId=${suspenseId}`);
    // Its row, not the page: the state filter offers 'Succeeded' among the states.
    const row = await journey.page.locator('tr', { hasText: refundId }).innerText();
    expect(row).toContain('Awaiting BACS file');
    expect(row).not.toMatch(/succeeded/i);
    await journey.visit(`/refunds?state=awaiting_bacs_file`);
    expect(await mainText(journey.page)).toContain(refundId);
    await journey.visit(`/suspense/${suspenseId}`);
    expect(await mainText(journey.page)).not.toMatch(/refund succeeded/i);
    await journey.finish();
  });
});
