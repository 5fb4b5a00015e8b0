// Shared set-up for the PSP tests: the sandbox on a free port, a webhook receiver, and the real
// GOV.UK Pay adapter pointed at the sandbox with every HTTP exchange recorded for contract checks.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { type GovukPayContract, loadGovukPayContract } from '../../psp/contract';
import { createGovukPayProvider, type GovukPayProviderOptions } from '../../psp/govukPay/provider';
import type { PspRetryEvent } from '../../psp/govukPay/retry';
import type { PaymentServiceProvider, PspPayment } from '../../psp/port';
import { createSandboxPsp, type SandboxPspOptions } from '../../psp/sandbox/sandboxPsp';
import type { WebhookMessage } from '../../psp/sandbox/webhooks';

export const defaultKey = 'api_test_default';
export const parkingKey = 'api_test_parking';
export const webhookSecret = 'webhook-signing-secret';
export const fund = { fundCode: 'CTAX' };
export const parkingFund = { fundCode: 'PARK' };

export const contract: GovukPayContract = loadGovukPayContract();

export interface Exchange {
  method: string;
  path: string;
  requestBody: unknown;
  status: number;
  responseBody: unknown;
}

const parseJson = (text: string): unknown => (text === '' ? undefined : JSON.parse(text));

/** A fetch for the adapter that records each request and response it passes through. */
export function recordingFetch(exchanges: Exchange[]): (request: Request) => Promise<Response> {
  return async (request) => {
    const requestBody = parseJson(await request.clone().text());
    const response = await fetch(request);
    const responseBody = parseJson(await response.clone().text());
    const { pathname } = new URL(request.url);
    exchanges.push({
      method: request.method,
      path: pathname,
      requestBody,
      status: response.status,
      responseBody,
    });
    return response;
  };
}

/**
 * Every recorded request and response checked against the official spec. `undeclared` lists the
 * "METHOD /template status" answers GOV.UK Pay gives but its spec omits, which a test expects.
 */
export function contractViolations(exchanges: Exchange[], undeclared: string[] = []): string[] {
  return exchanges.flatMap((x) => {
    const template = contract.pathTemplateFor(x.method, x.path);
    const problems = [
      ...contract.checkRequest(x.method, x.path, x.requestBody).map((p) => `request: ${p}`),
      ...(undeclared.includes(`${x.method} ${template} ${x.status}`)
        ? contract.checkSchema('RequestError', x.responseBody)
        : contract.checkResponse(x.method, x.path, x.status, x.responseBody)
      ).map((p) => `response ${x.status}: ${p}`),
    ];
    return problems.map((p) => `${x.method} ${x.path} ${p}`);
  });
}

export function testClock(startIso: string) {
  let nowMs = Date.parse(startIso);
  return {
    now: () => new Date(nowMs),
    advanceMs(ms: number) {
      nowMs += ms;
    },
    advanceDays(days: number) {
      nowMs += days * 24 * 60 * 60 * 1000;
    },
  };
}

export interface ReceivedWebhook {
  rawBody: Buffer;
  signature: string | undefined;
  message: WebhookMessage;
  answeredStatus: number;
}

/** A webhook endpoint that keeps the raw bytes (signatures are over them) and can fail on demand. */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  let failuresLeft = 0;
  let failAlways = false;
  const app = express();
  app.post('/webhooks', express.raw({ type: 'application/json' }), (req, res) => {
    const rawBody = req.body as Buffer;
    const answeredStatus = failAlways || failuresLeft-- > 0 ? 500 : 200;
    const message = JSON.parse(rawBody.toString('utf8')) as WebhookMessage;
    received.push({ rawBody, signature: req.get('pay-signature'), message, answeredStatus });
    res.status(answeredStatus).end();
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
    received,
    failNext(count: number) {
      failuresLeft = count;
    },
    failForever() {
      failAlways = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function startPspHarness(
  sandboxOptions: Partial<SandboxPspOptions> = {},
  providerOptions: Partial<GovukPayProviderOptions> = {},
) {
  const clock = testClock('2025-03-03T10:00:00.000Z');
  const receiver = await startWebhookReceiver();
  const sandbox = createSandboxPsp({
    apiKeys: [defaultKey, parkingKey],
    now: clock.now,
    webhookUrl: receiver.url,
    webhookSecret,
    webhookRetryBaseDelayMs: 1,
    ...sandboxOptions,
  });
  const server = await sandbox.start(0);
  const exchanges: Exchange[] = [];
  const retries: PspRetryEvent[] = [];
  const makeProvider = (overrides: Partial<GovukPayProviderOptions> = {}): PaymentServiceProvider =>
    createGovukPayProvider({
      baseUrl: server.url,
      keys: { default: defaultKey, byFund: { PARK: parkingKey } },
      fetch: recordingFetch(exchanges),
      retry: { baseDelayMs: 1, maxDelayMs: 2000 },
      onRetry: (event) => retries.push(event),
      ...providerOptions,
      ...overrides,
    });

  /** What a payer's browser does: open next_url, then press one of the page's buttons. */
  const payerActs = async (payment: PspPayment, action: 'pay' | 'decline' | 'cancel') => {
    const page = await fetch(payment.nextUrl ?? 'missing next_url');
    await page.text();
    const answer = await fetch(`${server.url}/pay/${payment.pspPaymentId}/${action}`, {
      method: 'POST',
      redirect: 'manual',
    });
    return { status: answer.status, location: answer.headers.get('location') };
  };

  return {
    clock,
    receiver,
    sandbox,
    server,
    exchanges,
    retries,
    provider: makeProvider(),
    makeProvider,
    payerActs,
    /** Queues failures for the next API responses, as a test or benchmark would over HTTP. */
    injectFaults: async (body: unknown) => {
      const answer = await fetch(`${server.url}/__sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (answer.status !== 204) throw new Error(`faults refused: ${await answer.text()}`);
    },
    async close() {
      await sandbox.webhooksIdle();
      await server.close();
      await receiver.close();
    },
  };
}

export type PspHarness = Awaited<ReturnType<typeof startPspHarness>>;

export const newPayment = (overrides: Record<string, unknown> = {}) => ({
  amountPence: 12_345,
  reference: 'CT-000123',
  description: 'Council tax, 1 Acacia Avenue',
  returnUrl: 'https://ims.example.gov.uk/payments/pay_1/return',
  metadata: { imsPaymentId: 'pay_1', ledgerCode: 'CTAX-2025', fund: 'CTAX' },
  ...overrides,
});
