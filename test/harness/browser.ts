import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { findChromium } from '../../platform/chromium';

/**
 * A real browser for the journeys: Debian's Chromium driven by playwright-core, headless.
 * Every IMS page a journey lands on is checked with axe-core against WCAG 2.2 A and AA, and a
 * journey fails on any console error, page error or Content-Security-Policy violation.
 */

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (executablePath === undefined) {
    throw new Error('No Chromium: `npm test` installs it (scripts/ensure-test-tools.ts)');
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

export type Journey = {
  page: Page;
  /** Goes to an IMS path and checks the page it lands on. */
  visit: (path: string) => Promise<void>;
  /** Checks the page the browser is on now (after a click that navigated). */
  check: () => Promise<void>;
  /** IMS pages loaded but never checked, and problems seen: both must be empty at the end. */
  finish: () => Promise<void>;
};

type Violation = { id: string; impact: string; help: string; nodes: { target: string[] }[] };

/** What the page showed, for a failure message: its address and main text. */
export async function describePage(page: Page): Promise<string> {
  const main = await page
    .locator('main')
    .innerText()
    .catch(() => '(no main)');
  return `${page.url()}\n${main.slice(0, 1500)}`;
}

export async function startJourney(browser: Browser, baseUrl: string): Promise<Journey> {
  const context = await browser.newContext({ baseURL: baseUrl });
  const page = await context.newPage();
  const problems: string[] = [];
  const loaded = new Set<string>();
  const checked = new Set<string>();
  const ours = (url: string) => url.startsWith(baseUrl);
  page.on('console', (message) => {
    // A refused sign-in is answered with a 401 document on purpose; Chrome logs every such
    // status as 'Failed to load resource'. Subresources are checked below instead.
    if (message.type() !== 'error' || message.text().startsWith('Failed to load resource')) return;
    if (ours(page.url())) problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    const request = response.request();
    if (request.resourceType() !== 'document' && response.status() >= 400) {
      problems.push(`${response.status()} for ${request.resourceType()} ${response.url()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame() && ours(frame.url())) loaded.add(new URL(frame.url()).pathname);
  });

  const check = async () => {
    await page.waitForLoadState('load');
    const url = page.url();
    if (!ours(url)) return;
    // evaluate() runs over the DevTools protocol, so the page's CSP (no inline scripts) stays on.
    await page.evaluate(axeSource);
    // A string, not a function: this project compiles without the DOM's types.
    const violations = (await page.evaluate(
      `window.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(wcagTags)} } })
        .then((result) => result.violations)`,
    )) as Violation[];
    const summary = violations.map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes
          .map((node) => node.target.join(' '))
          .join(', ')}`,
    );
    expect(summary, `axe on ${url}`).toEqual([]);
    checked.add(new URL(url).pathname);
  };

  return {
    page,
    check,
    visit: async (path) => {
      await page.goto(path);
      await check();
    },
    finish: async () => {
      expect(problems).toEqual([]);
      expect([...loaded].filter((path) => !checked.has(path))).toEqual([]);
      await context.close();
    },
  };
}

export async function signIn(journey: Journey, username: string, password: string): Promise<void> {
  const { page } = journey;
  await journey.visit('/sign-in');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  await journey.check();
}

export async function signOut(journey: Journey): Promise<void> {
  await journey.page.getByRole('button', { name: 'Sign out' }).click();
  await journey.page.waitForURL((url) => url.pathname === '/sign-in');
  await journey.check();
}
