// Every screen without a path parameter, opened in a real browser by someone holding every
// permission, passes axe-core's WCAG 2.2 A and AA rules with no console errors.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { permissions } from '../../domain/permissions';
import { webPages } from '../../web/app';
import { launchChromium, signIn, startJourney } from '../harness/browser';
import { useTestStack } from '../harness/stack';

const stack = useTestStack();
let browser: Browser;
const password = 'every page passphrase';

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  browser = await launchChromium();
  const created = await stack.request('POST', '/v1/users', {
    username: 'all.seeing',
    displayName: 'All Seeing',
    password,
    permissions: [...permissions],
    fundGroups: null,
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
});

/** Signs in once, opens each path (each must answer 200) and checks every page. */
async function visitAll(paths: readonly string[]): Promise<void> {
  const journey = await startJourney(browser, stack.baseUrl);
  await signIn(journey, 'all.seeing', password);
  const statuses: string[] = [];
  for (const path of paths) {
    const response = await journey.page.goto(path);
    statuses.push(`${path} ${response?.status()}`);
    await journey.check();
  }
  expect(statuses.filter((line) => !line.endsWith(' 200'))).toEqual([]);
  await journey.finish();
}

describe('every screen', () => {
  it('is accessible (axe, WCAG 2.2 AA) and error-free in a browser', {
    timeout: 180_000,
  }, async () => {
    const paths = webPages(stack.api)
      .filter((page) => page.method === 'get' && !page.path.includes(':'))
      .map((page) => page.path)
      // Signing in is covered by its own journey; a refund form needs the payment it refunds.
      .filter((path) => !path.startsWith('/sign-in') && path !== '/refunds/new');
    expect(paths.length).toBeGreaterThan(15);
    await visitAll(paths);
  });

  it('shows detail and action pages accessibly too', { timeout: 180_000 }, async () => {
    const first = async (path: string) => {
      const listed = await stack.request('GET', path);
      const items = (listed.body.items ?? []) as Record<string, string>[];
      expect(items.length, path).toBeGreaterThan(0);
      return items[0]!;
    };
    const suspense = await stack.request('POST', '/v1/suspense', {
      amountPence: 1_234,
      receivedReference: 'UNKNOWN PAYER',
      reason: 'no reference on the credit',
    });
    const key = await stack.request('POST', '/v1/api-keys', {
      principal: 'page-check',
      description: 'for the page check',
      permissions: ['view'],
      fundGroups: null,
    });
    // A shared reference check with a fund that follows it: its page warns before saving.
    const shared = await stack.request('POST', '/v1/reference-validators', {
      code: 'AXECHECK',
      name: 'Page check reference',
      validator: { minLength: 8, maxLength: 8, characterClass: 'digits' },
    });
    expect(shared.status).toBe(201);
    const follower = await stack.request('POST', '/v1/funds', {
      code: 'AXEFUND',
      name: 'Page check fund',
      validatorCode: 'AXECHECK',
      vatCode: (await first('/v1/vat-codes')).code,
      maxPence: 10_000,
      ledgerCode: 'AX100',
      costCentre: 'AX100',
    });
    expect(follower.status).toBe(201);
    const webhook = await stack.request('POST', '/v1/webhook-subscriptions', {
      url: 'https://crm.council.example/hooks',
      events: ['payment.allocated'],
      description: 'Page check receiver',
    });
    expect(webhook.status).toBe(201);
    const user = await first('/v1/users');
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const paths = [
      `/suspense/${suspense.body.suspenseId}`,
      `/operations/workflows/${suspense.body.suspenseId}/cancel`,
      `/operations/workflows/${suspense.body.suspenseId}/retry`,
      `/configuration/users/${user.userId}`,
      `/configuration/users/${user.userId}/password`,
      `/configuration/api-keys/${key.body.apiKey.keyId}/revoke`,
      `/configuration/webhooks/${webhook.body.subscription.id}`,
      '/configuration/funds/CTAX',
      '/configuration/funds/AXEFUND',
      '/configuration/reference-checks/AXECHECK',
      // A fund's "try a reference" box with its step-by-step explanation.
      '/configuration/funds/PCN?tryReference=BJ12345674',
      `/configuration/fund-groups/${(await first('/v1/fund-groups')).code}`,
      `/configuration/methods-of-payment/${(await first('/v1/methods-of-payment')).code}`,
      `/configuration/vat-codes/${(await first('/v1/vat-codes')).code}`,
      `/configuration/offices/${(await first('/v1/offices')).code}`,
      `/close-of-day/${yesterday}/close`,
      `/journals/${suspense.body.journalId}`,
      `/suspense/together?items=${suspense.body.suspenseId}`,
      '/account-holders?postcode=DT1',
      '/account-holders/CTAX/123456780',
    ];
    await visitAll(paths);
  });
});
