// Proves in a real browser that a signed-in operator reads decoded workflow payloads in the
// Temporal Web UI with no manual setting (#19, defect 4): the IMS serves the UI at /temporal,
// the UI calls the codec endpoint on the same origin with the operator's session, and the
// workflow's input (encrypted in Temporal) shows as plain JSON.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { describePage, launchChromium, signIn, startJourney } from '../harness/browser';
import { useTestStack } from '../harness/stack';

const stack = useTestStack({ temporalUi: true });
let browser: Browser;
const user = { username: 'ui.operator', password: 'a temporal ui passphrase' };

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  browser = await launchChromium();
  const created = await stack.request('POST', '/v1/users', {
    ...user,
    displayName: 'UI Operator',
    permissions: ['view', 'operations'],
    fundGroups: null,
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
});

describe('the Temporal Web UI served by the IMS', () => {
  it('decodes an encrypted workflow input for a signed-in operator', {
    timeout: 90_000,
  }, async () => {
    const item = await stack.request('POST', '/v1/suspense', {
      amountPence: 4_321,
      receivedReference: 'UNKNOWN PAYER',
      reason: 'no reference on the credit',
    });
    const suspenseId: string = item.body.suspenseId;
    // Temporal holds the input encrypted: only the codec can read it.
    const history = await stack.temporal.workflow.getHandle(suspenseId).fetchHistory();
    const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input;
    const encoding = Buffer.from(input?.payloads?.[0]?.metadata?.encoding ?? []).toString();
    expect(encoding).toBe('binary/encrypted');

    const journey = await startJourney(browser, stack.baseUrl);
    await signIn(journey, user.username, user.password);
    const { page } = journey;
    const decodes: number[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/codec/decode') decodes.push(response.status());
    });
    await page.goto(`/temporal/namespaces/${stack.info.namespace}/workflows/${suspenseId}`);
    await page
      .getByText(`"suspenseId": "${suspenseId}"`)
      .first()
      .waitFor({ timeout: 60_000 })
      .catch(async () => {
        throw new Error(`no decoded input; decode answers ${decodes}: ${await describePage(page)}`);
      });
    expect(decodes.length).toBeGreaterThan(0);
    expect(decodes.every((status) => status === 200)).toBe(true);
    await page.context().close();
  });
});
