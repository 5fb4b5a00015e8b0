import type { Browser, Page } from 'playwright-core';
import { describePage, type Journey, signIn, startJourney } from '../harness/browser';

/**
 * Journeys at the widths staff use, a phone's and a desktop's, with JavaScript or without, for
 * the browser tests of single screens.
 */
export const screenWidths = [375, 1280] as const;

export type ScreenOptions = {
  username: string;
  password: string;
  width: number;
  javaScript: boolean;
};

/**
 * A signed-in journey at this width. Without JavaScript, pages load with script execution off
 * (so neither the design systems' scripts nor ours run, and <noscript> shows); it comes back on
 * only while a loaded page is checked, because axe-core needs timers.
 */
export async function openScreen(
  browser: Browser,
  baseUrl: string,
  options: ScreenOptions,
): Promise<Journey> {
  const journey = await startJourney(browser, baseUrl);
  const { page } = journey;
  await page.setViewportSize({ width: options.width, height: 900 });
  await signIn(journey, options.username, options.password);
  if (options.javaScript) return journey;
  const cdp = await page.context().newCDPSession(page);
  const scriptsOff = (off: boolean) =>
    cdp.send('Emulation.setScriptExecutionDisabled', { value: off });
  await scriptsOff(true);
  const checkWithAxe = journey.check;
  journey.check = async () => {
    await page.waitForLoadState('load');
    await scriptsOff(false);
    try {
      await checkWithAxe();
    } finally {
      await scriptsOff(true);
    }
  };
  journey.visit = async (path) => {
    await page.goto(path);
    await journey.check();
  };
  return journey;
}

export const mainText = (page: Page) => page.locator('main').innerText();

/** Waits until the page shows the text, doing `again` (a reload, a click) between looks. */
export async function waitForText(
  journey: Journey,
  text: string,
  again?: () => Promise<void>,
): Promise<void> {
  for (let attempt = 0; attempt < 60; attempt++) {
    if ((await mainText(journey.page)).includes(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
    await again?.();
  }
  throw new Error(`"${text}" never appeared on ${await describePage(journey.page)}`);
}
