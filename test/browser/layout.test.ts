// Proves the list screens fit the widths staff use (#19, defect 7): at 375 px and 1280 px no
// page scrolls sideways and no table hides columns in an inner scroll; on a phone the filter
// starts hidden behind "Show filter" and has a Close button (the MOJ filter toggle), and every
// page passes axe.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { permissions } from '../../domain/permissions';
import { launchChromium } from '../harness/browser';
import { payCard, useSandboxStack } from '../harness/sandbox';
import { openScreen, screenWidths } from './screens';

const stack = useSandboxStack();
let browser: Browser;
const user = { username: 'layout.officer', password: 'a layout passphrase' };

const listPages = ['/payments', '/refunds', '/suspense', '/reconciliation', '/audit'];
const otherPages = [
  '/',
  '/imports',
  '/operations',
  '/close-of-day',
  '/configuration/funds',
  '/cash-desk',
  '/cash-desk/new',
  '/cash-returns',
  '/configuration/cash-desk',
];

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  browser = await launchChromium();
  const created = await stack.request('POST', '/v1/users', {
    ...user,
    displayName: 'Layout Officer',
    permissions: [...permissions].filter((permission) => permission !== 'provider'),
    fundGroups: null,
  });
  expect(created.status).toBe(201);
  // Rows in every list, with long ids and references: what makes a table wide.
  for (const amountPence of [12_345, 98_765]) {
    const paymentId = await payCard(stack, amountPence);
    await stack.request('POST', '/v1/refunds', {
      paymentId,
      amountPence: 100,
      reason: 'Paid twice',
    });
  }
  for (const reference of ['UNKNOWN PAYER WITH A VERY LONG NARRATIVE 1234567890', 'BGC JONES']) {
    await stack.request('POST', '/v1/suspense', {
      amountPence: 98_765,
      receivedReference: reference,
      reason: 'Bank credit with no usable reference',
    });
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

/** Elements that scroll sideways (or clip) what they hold, and the page itself, if too wide. */
async function overflowOf(page: Page): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const found = [];
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth + 1)
      found.push('the page: ' + root.scrollWidth + ' px wide in ' + window.innerWidth);
    for (const element of document.querySelectorAll('main *')) {
      const style = getComputedStyle(element);
      if (!['auto', 'scroll', 'hidden'].includes(style.overflowX)) continue;
      if (element.classList.contains('govuk-visually-hidden')) continue;
      if (element.scrollWidth > element.clientWidth + 1) {
        // Which columns take the room, for whoever has to fix it.
        const table = element.querySelector('table');
        const columns = table === null ? '' : ' (columns: ' +
          [...table.querySelectorAll('thead th')].map((th) =>
            th.textContent.trim().slice(0, 20) + ' ' + th.offsetWidth).join(', ') + ')';
        found.push((element.id || element.className || element.tagName) + ': ' +
          element.scrollWidth + ' px of content in ' + element.clientWidth + columns);
      }
    }
    return found;
  })()`)) as string[];
}

describe.each(screenWidths)('the screens at %i px wide', (width) => {
  it('never scroll sideways nor hide columns in an inner scroll', {
    timeout: 120_000,
  }, async () => {
    const journey = await openScreen(browser, stack.baseUrl, { ...user, width, javaScript: true });
    const problems: string[] = [];
    for (const path of [...listPages, ...otherPages]) {
      await journey.visit(path);
      for (const problem of await overflowOf(journey.page)) problems.push(`${path}: ${problem}`);
    }
    expect(problems).toEqual([]);
    await journey.finish();
  });

  it('puts the filter behind a button on a phone, with a way to close it', {
    timeout: 60_000,
  }, async () => {
    const journey = await openScreen(browser, stack.baseUrl, { ...user, width, javaScript: true });
    const { page } = journey;
    for (const path of listPages) {
      await journey.visit(path);
      const filter = page.locator('.moj-filter');
      const toggle = page.getByRole('button', { name: /Show filter|Hide filter/ });
      if (width >= 1000) {
        // Room for both: the filter sits beside the list, open.
        expect(await filter.isVisible(), path).toBe(true);
        continue;
      }
      expect(await filter.isVisible(), path).toBe(false);
      await toggle.click();
      expect(await filter.isVisible(), path).toBe(true);
      await page.getByRole('button', { name: 'Close' }).click();
      expect(await filter.isVisible(), path).toBe(false);
      expect(await toggle.textContent()).toBe('Show filter');
    }
    await journey.finish();
  });
});
