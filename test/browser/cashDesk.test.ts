// Proves the cash desk in a real browser, axe-checked on every page, without JavaScript as a
// counter PC might run it: a cashier takes a cash payment (change due shown) and a cheque, sees
// the printable receipt, starts the day's return, is told to explain a shortage, counts and
// submits; someone else rejects it with a reason from the approval queue, the cashier resubmits,
// and the approver approves; the cashier is never offered the decision on their own return.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { launchChromium } from '../harness/browser';
import { useTestStack } from '../harness/stack';
import { mainText, openScreen } from './screens';

const stack = useTestStack();
let browser: Browser;
const cashier = { username: 'desk.cashier', password: 'a cash desk passphrase' };
const approver = { username: 'desk.approver', password: 'a cash desk passphrase' };
const admin = { username: 'desk.admin', password: 'a cash desk passphrase' };

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  browser = await launchChromium();
  for (const [user, permissions] of [
    [cashier, ['view', 'payment.take']],
    [approver, ['view', 'cashup.approve']],
    [admin, ['view', 'configure']],
  ] as const) {
    const created = await stack.request('POST', '/v1/users', {
      ...user,
      displayName: user.username,
      permissions,
      fundGroups: null,
    });
    expect(created.status, created.text).toBe(201);
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('the cash desk', () => {
  let returnPath = '';

  it('is configured on screen: a cashier at the Town Hall, and its return template', {
    timeout: 60_000,
  }, async () => {
    const setup = await openScreen(browser, stack.baseUrl, {
      ...admin,
      width: 1280,
      javaScript: false,
    });
    await setup.visit('/configuration');
    await setup.page.locator('#config-cash-desk').click();
    await setup.page.waitForURL(/\/configuration\/cash-desk$/);
    await setup.check();
    await setup.page.locator('#save-cashier').click();
    await setup.check();
    expect(await setup.page.locator('.govuk-error-summary').innerText()).toContain(
      'Enter the username',
    );
    await setup.page.locator('#actorId').fill(cashier.username);
    await setup.page.locator('#officeCode').selectOption('TH');
    await setup.page.getByLabel('Cash (CSH)').check();
    await setup.page.getByLabel('Cheque (CHQ)').check();
    await setup.page.locator('#save-cashier').click();
    await setup.page.waitForURL(/notice=cashier/);
    await setup.check();
    await setup.page.locator('#templateId').fill('TH_DAY');
    await setup.page.locator('#templateOfficeCode').selectOption('TH');
    await setup.page.locator('#templateName').fill('Town Hall daily return');
    await setup.page.locator('#add-template').click();
    await setup.page.waitForURL(/notice=template/);
    await setup.check();
    expect(await setup.page.locator('#return-templates').innerText()).toContain('17:00');
    await setup.finish();
  });

  it('takes payments, prints the receipt, and counts and submits the day', {
    timeout: 120_000,
  }, async () => {
    const desk = await openScreen(browser, stack.baseUrl, {
      ...cashier,
      width: 1280,
      javaScript: false,
    });
    await desk.visit('/cash-desk');
    await desk.page.locator('#take-payment').click();
    await desk.page.waitForURL(/\/cash-desk\/new/);
    await desk.check();
    await desk.page.locator('#methodOfPaymentCode').selectOption('CSH');
    await desk.page.locator('#fund0').selectOption('LIB');
    await desk.page.locator('#reference0').fill('BOOK-7');
    await desk.page.locator('#amount0').fill('12.00');
    await desk.page.locator('#tenderKind').check();
    await desk.page.locator('#tendered').fill('20');
    await desk.page.locator('#submit-payment').click();
    await desk.page.waitForURL(/notice=taken/);
    await desk.check();
    const receipt = await mainText(desk.page);
    expect(receipt).toContain('Change due £8.00');
    expect(receipt).toContain('£2.00'); // the VAT in £12 of library charges
    expect(await desk.page.locator('#receipt-pdf').getAttribute('href')).toMatch(/receipt\.pdf$/);

    // A cheque without its number is refused with the GOV.UK error summary naming the field.
    await desk.visit('/cash-desk/new');
    await desk.page.locator('#methodOfPaymentCode').selectOption('CHQ');
    await desk.page.locator('#fund0').selectOption('SUND');
    await desk.page.locator('#reference0').fill('12345678');
    await desk.page.locator('#amount0').fill('50');
    await desk.page.locator('#tenderKind-2').check();
    await desk.page.locator('#drawer').fill('A Customer');
    await desk.page.locator('#sortCode').fill('12-34-56');
    await desk.page.locator('#submit-payment').click();
    await desk.check();
    expect(await desk.page.locator('.govuk-error-summary').innerText()).toContain('Cheque number');
    await desk.page.locator('#chequeNumber').fill('000123');
    await desk.page.locator('#submit-payment').click();
    await desk.page.waitForURL(/notice=taken/);
    await desk.check();

    await desk.visit('/cash-desk');
    await desk.page.locator('#start-return').click();
    await desk.page.waitForURL(/notice=started/);
    await desk.check();
    returnPath = new URL(desk.page.url()).pathname;
    await desk.page.locator('#bag0No').fill('TH0001');
    await desk.page.locator('#c0_1000').fill('1');
    await desk.page.locator('#c0_100').fill('1');
    await desk.page.locator('#c0_50').fill('1');
    await desk.page.locator('#c0_20').fill('2');
    await desk.page.locator('#c0_5').fill('1'); // £11.95: 5p short of £12
    await desk.page.locator('#chequeBag0').fill('TH0001');
    await desk.page.locator('#chequeNumber0').fill('000123');
    await desk.page.locator('#chequeAmount0').fill('50.00');
    await desk.page.locator('#save-count').click();
    await desk.page.waitForURL(/notice=saved/);
    await desk.check();
    await desk.page.locator('#submit-return').click();
    await desk.check();
    expect(await desk.page.locator('.govuk-error-summary').innerText()).toContain('short');
    await desk.page.locator('#explanation').fill('5p given in change by mistake');
    await desk.page.locator('#save-count').click();
    await desk.page.waitForURL(/notice=saved/);
    await desk.page.locator('#submit-return').click();
    await desk.page.waitForURL(/notice=submitted/);
    await desk.check();
    expect(await mainText(desk.page)).toContain('-£0.05');
    expect(await desk.page.locator('#approve-return').count()).toBe(0);
    await desk.finish();
  });

  it('is rejected with a reason from the queue, resubmitted, and approved by someone else', {
    timeout: 120_000,
  }, async () => {
    const approving = await openScreen(browser, stack.baseUrl, {
      ...approver,
      width: 375,
      javaScript: false,
    });
    await approving.visit('/cash-returns');
    await approving.check();
    await approving.page.locator(`#returns-awaiting a[href="${returnPath}"]`).click();
    await approving.page.waitForURL(new RegExp(returnPath));
    await approving.check();
    await approving.page.locator('#reject-return').click();
    await approving.check();
    expect(await approving.page.locator('.govuk-error-summary').innerText()).toContain('reason');
    await approving.page.getByLabel('Reason for rejecting').fill('Recount the coins');
    await approving.page.locator('#reject-return').click();
    await approving.page.waitForURL(/notice=rejected/);
    await approving.check();

    const desk = await openScreen(browser, stack.baseUrl, {
      ...cashier,
      width: 375,
      javaScript: true,
    });
    await desk.visit(returnPath);
    expect(await mainText(desk.page)).toContain('Recount the coins');
    // The return's page, denomination table and all, fits a phone without scrolling sideways.
    const overflowPx = await desk.page.evaluate(
      'document.documentElement.scrollWidth - window.innerWidth',
    );
    expect(overflowPx).toBeLessThanOrEqual(1);
    await desk.page.locator('#submit-return').click();
    await desk.page.waitForURL(/notice=submitted/);
    await desk.check();
    await desk.finish();

    await approving.visit(returnPath);
    await approving.page.locator('#approve-return').click();
    await approving.page.waitForURL(/notice=approved/);
    await approving.check();
    expect(await mainText(approving.page)).toContain('Its bags are now expected at the bank');
    await approving.finish();
  });
});
