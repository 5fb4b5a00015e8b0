import { afterAll, beforeAll, expect } from 'vitest';
import { createGovukPayProvider, type PaymentServiceProvider } from '../../psp';
import { createSandboxPsp } from '../../psp/sandbox/sandboxPsp';
import { type TestStack, type TestStackOptions, useTestStack } from './stack';

/** Card payments on the sandbox PSP, for test files that need real money in the ledger. */

/** The sandbox PSP on its own clock, and a GOV.UK Pay provider talking to it. */
export async function startSandboxPsp(stack: TestStack, now: () => Date) {
  const apiKey = 'test-api-key';
  const sandboxPsp = createSandboxPsp({
    apiKeys: [apiKey],
    webhookUrl: `${stack.baseUrl}/v1/webhooks/govuk-pay`,
    webhookSecret: 'unused',
    sweepIntervalMs: 100,
    now,
  });
  const sandbox = await sandboxPsp.start(0, '127.0.0.1');
  const provider = createGovukPayProvider({
    baseUrl: sandbox.url,
    keys: { default: apiKey },
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
  });
  return { sandboxPsp, sandbox, provider };
}

export async function payCard(stack: TestStack, amountPence: number): Promise<string> {
  const created = await stack.request('POST', '/v1/payments', {
    lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence }],
    description: 'Council tax',
    returnUrl: 'https://council.example/paid',
  });
  expect(created.status).toBe(201);
  const { origin, pathname } = new URL(created.body.nextUrl);
  await fetch(`${origin}${pathname}/pay`, { method: 'POST', redirect: 'manual' });
  // Without webhooks the workflow polls the PSP; wait until it has posted the journal.
  for (;;) {
    const payment = await stack.request('GET', `/v1/payments/${created.body.paymentId}`);
    if (payment.body.state === 'allocated') return created.body.paymentId;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A test stack whose worker talks to a sandbox PSP: both start before the file's own beforeAll
 * hooks run and stop after its tests, so a file only seeds what it needs.
 */
export function useSandboxStack(options: Omit<TestStackOptions, 'worker' | 'psp'> = {}): TestStack {
  let provider: PaymentServiceProvider | undefined;
  let stop: (() => Promise<void>) | undefined;
  const stack = useTestStack({ ...options, worker: false, psp: () => provider! });
  beforeAll(async () => {
    const started = await startSandboxPsp(stack, () => new Date());
    provider = started.provider;
    stop = () => started.sandbox.close();
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack.stopWorker();
    await stop?.();
  });
  return stack;
}
