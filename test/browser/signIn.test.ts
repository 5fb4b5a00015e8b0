// In a real browser: the sign-in page, a wrong password, then in and out again.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signOut, startJourney } from '../harness/browser';
import { useTestStack } from '../harness/stack';

const stack = useTestStack({ worker: false });
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  await stack.request('POST', '/v1/users', {
    username: 'sam.finance',
    displayName: 'Sam Finance',
    password: 'browser journey password',
    permissions: ['view'],
    fundGroups: null,
  });
});

afterAll(async () => {
  await browser?.close();
});

describe('sign-in in a browser', () => {
  it('refuses a wrong password with an accessible error, then signs in and out', async () => {
    const journey = await startJourney(browser, stack.baseUrl);
    const { page } = journey;
    await journey.visit('/payments');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.getByLabel('Username').fill('sam.finance');
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await journey.check();
    await expect(page.locator('.govuk-error-summary')).toBeDefined();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain(
      'Enter a correct username and password',
    );
    // The form remembers where the visitor was going.
    await page.getByLabel('Password', { exact: true }).fill('browser journey password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/payments');
    await journey.check();
    expect(await page.getByText('Sam Finance').count()).toBeGreaterThan(0);
    await signOut(journey);
    await journey.finish();
  });
});
