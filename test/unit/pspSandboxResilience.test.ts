// Proves the adapter's failure handling against the sandbox: 500s and 429s retried and counted,
// Retry-After respected, attempts bounded, timeouts and bad or missing keys mapped to typed errors.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGovukPayProvider } from '../../psp/govukPay/provider';
import {
  contractViolations,
  defaultKey,
  fund,
  newPayment,
  type PspHarness,
  startPspHarness,
} from './pspHarness';

let h: PspHarness;
beforeEach(async () => {
  h = await startPspHarness();
});
afterEach(async () => {
  expect(contractViolations(h.exchanges)).toEqual([]);
  await h.close();
});

describe('retries', () => {
  it('rides out a 500 then a 429, and says so through onRetry', async () => {
    const created = await h.provider.createPayment(newPayment(), fund);
    await h.injectFaults({ responses: [{ status: 500 }, { status: 429 }], path: '/v1/payments' });

    const payment = await h.provider.getPayment(created.pspPaymentId, fund);
    expect(payment.pspPaymentId).toBe(created.pspPaymentId);
    expect(h.retries.map((r) => [r.operation, r.attempt, r.kind, r.httpStatus])).toEqual([
      ['get payment', 1, 'unavailable', 500],
      ['get payment', 2, 'rate_limited', 429],
    ]);
    expect(h.sandbox.stats().faultsServed).toBe(2);
    expect(h.exchanges.map((x) => x.status)).toEqual([201, 500, 429, 200]);
  });

  it('creates one payment, not two, when the answer to a creation is lost and retried', async () => {
    await h.injectFaults({
      responses: [{ status: 500, afterHandling: true }],
      path: '/v1/payments',
    });
    const created = await h.provider.createPayment(newPayment({ reference: 'LOST-1' }), fund);
    expect(h.retries).toHaveLength(1);

    const search = await fetch(`${h.server.url}/v1/payments?reference=LOST-1`, {
      headers: { authorization: `Bearer ${defaultKey}` },
    });
    const found = (await search.json()) as {
      total: number;
      results: Array<{ payment_id: string }>;
    };
    expect(found.total).toBe(1);
    expect(found.results[0]?.payment_id).toBe(created.pspPaymentId);
  });

  it('waits as long as Retry-After asks, and gives up at once when that is too long', async () => {
    const slept: number[] = [];
    const provider = h.makeProvider({ sleep: async (ms) => void slept.push(ms) });
    const created = await provider.createPayment(newPayment(), fund);

    await h.injectFaults({ responses: [{ status: 429, retryAfterSeconds: 1 }] });
    await provider.getPayment(created.pspPaymentId, fund);
    expect(slept).toEqual([1000]);

    await h.injectFaults({ responses: [{ status: 429, retryAfterSeconds: 60 }] });
    await expect(provider.getPayment(created.pspPaymentId, fund)).rejects.toMatchObject({
      kind: 'rate_limited',
      retryable: true,
      retryAfterMs: 60_000,
    });
    expect(slept).toEqual([1000]);
  });

  it('stops after attemptsMax and throws the last failure as retryable', async () => {
    const provider = h.makeProvider({ retry: { attemptsMax: 3, baseDelayMs: 1 } });
    const created = await provider.createPayment(newPayment(), fund);
    await h.injectFaults({
      responses: [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }],
    });
    await expect(provider.getPayment(created.pspPaymentId, fund)).rejects.toMatchObject({
      kind: 'unavailable',
      retryable: true,
      httpStatus: 500,
    });
    expect(h.sandbox.stats().faultsServed).toBe(3);
    await fetch(`${h.server.url}/__sandbox/faults`, { method: 'DELETE' });
  });
});

describe('typed errors', () => {
  it('maps a key the PSP refuses to unauthorised (401)', async () => {
    const provider = h.makeProvider({ keys: { default: 'api_test_wrong' } });
    await expect(provider.createPayment(newPayment(), fund)).rejects.toMatchObject({
      kind: 'unauthorised',
      retryable: false,
      httpStatus: 401,
    });
  });

  it('refuses a fund with no key and no default, naming the fund, without calling the PSP', async () => {
    const provider = h.makeProvider({ keys: { byFund: { PARK: 'api_test_parking' } } });
    await expect(
      provider.createPayment(newPayment(), { fundCode: 'LIBRARY' }),
    ).rejects.toMatchObject({
      kind: 'unauthorised',
      message: expect.stringContaining('LIBRARY'),
    });
    expect(h.exchanges).toHaveLength(0);
  });

  it('maps an unknown payment to not_found', async () => {
    await expect(h.provider.getPayment('nosuchpayment', fund)).rejects.toMatchObject({
      kind: 'not_found',
      httpStatus: 404,
      pspCode: 'P0200',
    });
  });

  it('maps a PSP that never answers to timeout, and one that is not there to unavailable', async () => {
    const silent = express().get('/v1/payments/:id', () => undefined);
    const server = silent.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const once = { attemptsMax: 1 };
    const hanging = createGovukPayProvider({
      baseUrl,
      keys: { default: 'k' },
      timeoutMs: 50,
      retry: once,
    });
    await expect(hanging.getPayment('p', fund)).rejects.toMatchObject({
      kind: 'timeout',
      retryable: true,
    });
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));

    const gone = createGovukPayProvider({ baseUrl, keys: { default: 'k' }, retry: once });
    await expect(gone.getPayment('p', fund)).rejects.toMatchObject({
      kind: 'unavailable',
      retryable: true,
    });
  });
});
