// Proves each council's own GOV.UK Pay account on one deployment (issue 15): against the real
// Pay (deploymentPspKeysServe 'default-council') a council without its own API key takes no
// card payment; once its administrator sets one, its payments are made with it (the sandbox
// keeps each key's payments apart, as Pay keeps services apart); the key is sealed at rest and
// never shown or audited in clear; each council's webhooks are checked with its own secret; and
// a council's payload key rotates on its own while what was sealed before still opens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { createGovukPayProvider, type PaymentServiceProvider, signWebhook } from '../../psp';
import { createSandboxPsp, type SandboxServer } from '../../psp/sandbox/sandboxPsp';
import { onboardDemoCouncil } from '../harness/councils';
import { type TestResponse, useTestStack } from '../harness/stack';
import { errorSummary, textOf, webClient } from './webHelpers';

const deploymentKey = 'deployment-pay-key-0000';
const councilKey = 'southshire-own-pay-key-4321';
const deploymentHookSecret = 'deployment-webhook-secret';
const councilHookSecret = 'southshire-webhook-secret-9876';
const council = 'southshire';

let sandbox: SandboxServer;
let provider: PaymentServiceProvider;
const stack = useTestStack({
  worker: false,
  psp: () => provider,
  webhookSecret: deploymentHookSecret,
  deploymentPspKeysServe: 'default-council',
});
let auth: Record<string, string>;

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  sandbox = await createSandboxPsp({ apiKeys: [deploymentKey, councilKey] }).start(0, '127.0.0.1');
  provider = createGovukPayProvider({
    baseUrl: sandbox.url,
    keys: { default: deploymentKey },
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
  });
  await stack.startWorker();
  auth = await onboardDemoCouncil(stack, council);
});

afterAll(async () => {
  await stack.stopWorker();
  await sandbox?.close();
});

const payment = {
  lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 1_500 }],
  description: 'Council tax',
  returnUrl: 'https://council.example/paid',
};

async function waitForState(paymentId: string, headers: Record<string, string>) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const read = await stack.request('GET', `/v1/payments/${paymentId}`, undefined, headers);
    if (read.body.state !== 'created' || Date.now() > deadline) return read.body;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Whether the sandbox shows the PSP payment to this key: each key is its own service. */
async function seenWith(key: string, pspPaymentId: string) {
  const response = await fetch(`${sandbox.url}/v1/payments/${pspPaymentId}`, {
    headers: { Authorization: `Bearer ${key}` },
  });
  return response.status;
}

async function pspIdOf(paymentId: string, headers: Record<string, string>) {
  const [row] = await stack.database.sql<{ pspPaymentId: string }[]>`
    select psp_payment_id as "pspPaymentId" from payments where id = ${paymentId}`;
  expect(headers).toBeDefined();
  return row?.pspPaymentId as string;
}

const setKey = (body: Record<string, unknown>, headers = auth) =>
  stack.request('PUT', '/v1/council/psp-credentials', body, headers);

describe('pspCredentials: a council pays through its own GOV.UK Pay account', () => {
  it('takes no card payment before the council has a key of its own', async () => {
    const created = await stack.request('POST', '/v1/payments', payment, auth);
    expect(created.status, created.text).toBe(503);
    expect(created.body.detail).toContain(
      'Council southshire has no GOV.UK Pay API key for fund CTAX',
    );
    const paymentId = created.body.paymentId as string;
    expect(paymentId).toBeDefined();
    const read = await waitForState(paymentId, auth);
    expect(read.state).not.toBe('awaiting_payment');
    expect(await pspIdOf(paymentId, auth)).toBeNull();
  });

  it('sets a key, shown only by its last four characters and never audited in clear', async () => {
    const set = await setKey({ kind: 'apiKey', secret: councilKey, reason: 'our Pay service' });
    expect(set.status, set.text).toBe(200);
    expect(set.body).toMatchObject({ kind: 'apiKey', fundCode: null, hint: '…4321' });
    const listed = await stack.request('GET', '/v1/council/psp-credentials', undefined, auth);
    expect(listed.body.items).toEqual([expect.objectContaining({ kind: 'apiKey', hint: '…4321' })]);
    expect(listed.text).not.toContain(councilKey);
    const audit = await stack.request(
      'GET',
      '/v1/audit?entityType=psp_credential&limit=10',
      undefined,
      auth,
    );
    expect(audit.body.items.length).toBeGreaterThan(0);
    expect(audit.text).not.toContain(councilKey);
    const stored = await stack.database.sql<{ sealed: string }[]>`
      select sealed_secret as sealed from psp_credentials where council_id = ${council}`;
    expect(stored).toHaveLength(1);
    expect(stored[0]?.sealed).not.toContain(councilKey);
    expect(Buffer.from(stored[0]?.sealed.split('.')[1] ?? '', 'base64').toString()).not.toContain(
      councilKey,
    );
  });

  it("makes the council's payments with its own key, and the default council's with the deployment's", async () => {
    const created = await stack.request('POST', '/v1/payments', payment, auth);
    expect(created.status, created.text).toBe(201);
    const ownPsp = await pspIdOf(created.body.paymentId, auth);
    expect(await seenWith(councilKey, ownPsp)).toBe(200);
    expect(await seenWith(deploymentKey, ownPsp)).toBe(404);

    const defaults = await stack.request('POST', '/v1/payments', payment);
    expect(defaults.status, defaults.text).toBe(201);
    const defaultPsp = await pspIdOf(defaults.body.paymentId, {});
    expect(await seenWith(deploymentKey, defaultPsp)).toBe(200);
    expect(await seenWith(councilKey, defaultPsp)).toBe(404);
  });

  it('refuses a key for a fund the council does not have, and a webhook secret for a fund', async () => {
    const noFund = await setKey({ kind: 'apiKey', fundCode: 'NOFUND', secret: 'x'.repeat(20) });
    expect(noFund.status).toBe(400);
    expect(noFund.body.errors[0].field).toBe('body.fundCode');
    const secretForFund = await setKey({
      kind: 'webhookSecret',
      fundCode: 'CTAX',
      secret: 'x'.repeat(20),
    });
    expect(secretForFund.status).toBe(400);
  });

  it("lets no council see or change another's credentials", async () => {
    const listed = await stack.request('GET', '/v1/council/psp-credentials');
    expect(listed.body.items).toEqual([]);
  });
});

describe("pspCredentials: webhooks are checked with the council's own secret", () => {
  const body = JSON.stringify({
    resource_id: 'unknown-payment',
    resource_type: 'payment',
    event_type: 'card_payment_succeeded',
  });
  const post = (path: string, secret: string) =>
    fetch(`${stack.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Pay-Signature': signWebhook(body, secret) },
      body,
    });

  it("accepts the council's own signature at its own URL only", async () => {
    const set = await setKey({ kind: 'webhookSecret', secret: councilHookSecret });
    expect(set.status).toBe(200);
    const url = `/v1/webhooks/govuk-pay?council=${council}`;
    expect((await post(url, councilHookSecret)).status).toBe(200);
    // The deployment's secret does not serve another council against the real Pay.
    expect((await post(url, deploymentHookSecret)).status).toBe(401);
    expect((await post('/v1/webhooks/govuk-pay', councilHookSecret)).status).toBe(401);
    expect((await post('/v1/webhooks/govuk-pay', deploymentHookSecret)).status).toBe(200);
  });

  it('refuses every webhook of a council with no secret of its own against the real Pay', async () => {
    const removed = await stack.request(
      'POST',
      '/v1/council/psp-credentials/remove',
      { kind: 'webhookSecret' },
      auth,
    );
    expect(removed.status).toBe(200);
    const url = `/v1/webhooks/govuk-pay?council=${council}`;
    expect((await post(url, councilHookSecret)).status).toBe(401);
    expect((await post(url, deploymentHookSecret)).status).toBe(401);
  });
});

describe("pspCredentials: a council's payload key rotates on its own", () => {
  let before: TestResponse;

  it('adds a new current key, keeps the old one, and still opens what the old one sealed', async () => {
    before = await stack.request('GET', '/v1/council/payload-keys', undefined, auth);
    expect(before.body.items).toHaveLength(1);
    const rotated = await stack.request(
      'POST',
      '/v1/council/payload-keys',
      { reason: 'yearly rotation' },
      auth,
    );
    expect(rotated.status, rotated.text).toBe(201);
    expect(rotated.body.current).toBe(true);
    const after = await stack.request('GET', '/v1/council/payload-keys', undefined, auth);
    expect(after.body.items.map((key: { keyId: string }) => key.keyId)).toEqual([
      rotated.body.keyId,
      before.body.items[0].keyId,
    ]);
    expect(after.text).not.toMatch(/wrappedKey|wrapped_key/);
    // The API key sealed under the old key still pays; a new key is sealed under the new one.
    const paid = await stack.request('POST', '/v1/payments', payment, auth);
    expect(paid.status, paid.text).toBe(201);
    const reset = await setKey({ kind: 'apiKey', secret: councilKey });
    expect(reset.status).toBe(200);
    const [sealed] = await stack.database.sql<{ sealed: string }[]>`
      select sealed_secret as sealed from psp_credentials
       where council_id = ${council} and kind = 'api_key'`;
    expect(sealed?.sealed.startsWith(`${rotated.body.keyId}.`)).toBe(true);
  });

  it("refuses to rotate the default council's key, which is the deployment's", async () => {
    const refused = await stack.request('POST', '/v1/council/payload-keys', {});
    expect(refused.status).toBe(409);
  });
});

describe('pspCredentials: on screen', () => {
  const page = webClient(stack);

  it('shows what is set by its last four characters, and the council’s webhook address', async () => {
    const shown = await page('GET', '/configuration/card-payments', { headers: auth });
    expect(shown.status).toBe(200);
    expect(textOf(shown.html)).toContain('GOV.UK Pay API key Every fund …4321');
    expect(shown.html).not.toContain(councilKey);
    expect(shown.html).toContain(`/v1/webhooks/govuk-pay?council=${council}`);
    expect(shown.html).toContain('id="rotate-key"');
  });

  it('sets a secret from the form, and asks again for an empty one without echoing anything', async () => {
    const empty = await page('POST', '/configuration/card-payments', {
      headers: auth,
      form: { kind: 'webhookSecret', fundCode: '', secret: '' },
    });
    expect(empty.status).toBe(400);
    expect(errorSummary(empty.html).map((error) => error.text)).toEqual([
      'Enter the key or secret',
    ]);
    const set = await page('POST', '/configuration/card-payments', {
      headers: auth,
      form: { kind: 'webhookSecret', fundCode: '', secret: 'screen-set-secret-7777' },
    });
    expect(set.status).toBe(303);
    const shown = await page('GET', '/configuration/card-payments?notice=saved', { headers: auth });
    expect(textOf(shown.html)).toContain('GOV.UK Pay webhook signing secret Every fund …7777');
    expect(shown.html).not.toContain('screen-set-secret-7777');
  });
});
