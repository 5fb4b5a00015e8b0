// Proves the outbox is delivered as signed webhooks (issue 13): a card payment reaches its
// subscriber once, signed verifiably and with the payment id; failures are retried with the same
// Idempotency-Key and logged per attempt; a receiver that never answers 2xx leaves a dead
// delivery that operations redeliver by hand; one payment's messages arrive in order; disabled
// and other councils' subscriptions receive nothing; the secret is shown once; a worker killed
// mid-delivery still delivers; a receiver that is down and then back receives a payment's
// allocation, move and reversal once each, in order; suspense allocations are relayed by the
// sweep; and a receiver that does not answer in time is retried.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { newId } from '../../domain/ids';
import { verifyImsSignature } from '../../platform/webhookSignature';
import {
  outboxDeliveryWorkflow,
  outboxSweepWorkflow,
  outboxWorkflowId,
} from '../../workflows/outbox';
import { onboardDemoCouncil } from '../harness/councils';
import { eventually } from '../harness/eventually';
import { payCard, useSandboxStack } from '../harness/sandbox';

// Read by the worker's plan activity: seconds, not 72 hours.
process.env.OUTBOX_RETRY_FOR_MS = '8000';
process.env.OUTBOX_RETRY_INITIAL_MS = '200';
process.env.OUTBOX_RETRY_MAX_INTERVAL_MS = '500';
process.env.OUTBOX_ATTEMPT_TIMEOUT_MS = '2000';

const stack = useSandboxStack();

type Received = { path: string; headers: IncomingMessage['headers']; raw: string; at: number };
const received: Received[] = [];
/** Per path: what to answer to the n-th request (0-based); default 200. */
const behaviours = new Map<string, (n: number) => { status: number; delayMs?: number }>();
let receiver: Server;
let receiverUrl: string;

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const path = req.url ?? '/';
      const n = received.filter((each) => each.path === path).length;
      received.push({ path, headers: req.headers, raw, at: Date.now() });
      const { status, delayMs = 0 } = behaviours.get(path)?.(n) ?? { status: 200 };
      setTimeout(() => res.writeHead(status).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  if (address === null || typeof address === 'string') throw new Error('receiver did not bind');
  receiverUrl = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  receiver?.closeAllConnections();
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
});

async function subscribe(path: string, extra: Record<string, unknown> = {}, headers = {}) {
  const created = await stack.request(
    'POST',
    '/v1/webhook-subscriptions',
    {
      url: `${receiverUrl}${path}`,
      events: ['payment.allocated', 'payment.refunded'],
      description: `receiver ${path}`,
      ...extra,
    },
    headers,
  );
  expect(created.status, created.text).toBe(201);
  return created.body as { subscription: { id: string }; secret: string };
}

const disable = (id: string) =>
  stack.request('POST', `/v1/webhook-subscriptions/${id}/disable`, { reason: 'test over' });

async function deliveriesOf(subscriptionId: string) {
  const page = await stack.request('GET', `/v1/webhook-subscriptions/${subscriptionId}/deliveries`);
  expect(page.status, page.text).toBe(200);
  return page.body.items as {
    id: string;
    outboxId: string;
    status: string;
    attempts: number;
    lastError: string | null;
    attemptLog: { statusCode: number | null; latencyMs: number; error: string | null }[];
  }[];
}

const deliveryWith = (subscriptionId: string, status: string) =>
  eventually(`a ${status} delivery`, async () =>
    (await deliveriesOf(subscriptionId)).find((each) => each.status === status),
  );

async function outboxIdOfPayment(paymentId: string) {
  const [row] = await stack.database.sql<{ id: string }[]>`
    select id from outbox where dedupe_key = ${`receipt:${paymentId}`}`;
  return row!.id;
}

const relayed = (outboxId: string) =>
  eventually('the message to be relayed', async () => {
    const [row] = await stack.database.sql<{ sent: boolean }[]>`
      select sent_at is not null as sent from outbox where id = ${outboxId}`;
    return row?.sent ? true : undefined;
  });

describe('subscriptions', () => {
  it('show the secret once: in the create and rotate answers, never on GET or in audit', async () => {
    const { subscription, secret } = await subscribe('/secret');
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    const read = await stack.request('GET', `/v1/webhook-subscriptions/${subscription.id}`);
    expect(read.status).toBe(200);
    expect(read.text).not.toContain(secret);
    const list = await stack.request('GET', '/v1/webhook-subscriptions');
    expect(list.text).not.toContain(secret);
    const rotated = await stack.request(
      'POST',
      `/v1/webhook-subscriptions/${subscription.id}/rotate-secret`,
      { reason: 'leaked' },
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(secret);
    const audit = await stack.database.sql`
      select * from audit_log where entity_id = ${subscription.id}`;
    expect(audit.map((row) => row.action)).toEqual(
      expect.arrayContaining(['webhook_subscription.create', 'webhook_subscription.rotate_secret']),
    );
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(JSON.stringify(audit)).not.toContain(rotated.body.secret);
    await disable(subscription.id);
  });

  it('refuse plain http to other hosts, unknown events and unknown funds', async () => {
    const bad = await stack.request('POST', '/v1/webhook-subscriptions', {
      url: 'http://crm.council.example/hook',
      events: ['payment.exploded'],
      fundCode: 'NOPE',
      description: 'bad',
    });
    expect(bad.status).toBe(400);
    const fields = bad.body.errors.map((error: { field: string }) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['body.url', 'body.events[0]']));
  });

  it('test-send one signed ping and answer its status and latency', async () => {
    const { subscription, secret } = await subscribe('/ping');
    const tested = await stack.request('POST', `/v1/webhook-subscriptions/${subscription.id}/test`);
    expect(tested.status, tested.text).toBe(200);
    expect(tested.body).toMatchObject({ delivered: true, statusCode: 200, error: null });
    expect(tested.body.latencyMs).toBeGreaterThanOrEqual(0);
    const ping = received.find((each) => each.path === '/ping')!;
    expect(ping.headers['ims-event']).toBe('ping');
    expect(
      verifyImsSignature(ping.raw, String(ping.headers['ims-signature']), secret, Date.now()),
    ).toBe(true);
    behaviours.set('/ping', () => ({ status: 503 }));
    const refused = await stack.request(
      'POST',
      `/v1/webhook-subscriptions/${subscription.id}/test`,
    );
    expect(refused.body).toMatchObject({ delivered: false, statusCode: 503, error: 'HTTP 503' });
    await disable(subscription.id);
  });
});

describe('delivery', () => {
  it('sends a card payment to its subscriber once, signed, with the payment id', async () => {
    const { subscription, secret } = await subscribe('/one');
    const paymentId = await payCard(stack, 1_234);
    const outboxId = await outboxIdOfPayment(paymentId);
    await relayed(outboxId);
    const hits = received.filter((each) => each.path === '/one');
    expect(hits).toHaveLength(1);
    const hit = hits[0]!;
    const body = JSON.parse(hit.raw);
    expect(body).toMatchObject({
      id: outboxId,
      type: 'payment.allocated',
      councilId: 'default',
      data: { paymentId, amountPence: 1_234 },
    });
    expect(hit.headers['idempotency-key']).toBe(outboxId);
    expect(hit.headers['ims-event']).toBe('payment.allocated');
    const header = String(hit.headers['ims-signature']);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyImsSignature(hit.raw, header, secret, Date.now())).toBe(true);
    const [delivery] = await deliveriesOf(subscription.id);
    expect(delivery).toMatchObject({ outboxId, status: 'delivered', attempts: 1 });
    expect(delivery!.attemptLog[0]).toMatchObject({ statusCode: 200, error: null });
    await disable(subscription.id);
  });

  it('retries a failing receiver with the same Idempotency-Key, logging each attempt', async () => {
    behaviours.set('/flaky', (n) => ({ status: n < 2 ? 500 : 200 }));
    const { subscription } = await subscribe('/flaky');
    await payCard(stack, 2_000);
    const delivery = await deliveryWith(subscription.id, 'delivered');
    expect(delivery.attempts).toBe(3);
    expect(delivery.attemptLog.map((attempt) => attempt.statusCode)).toEqual([500, 500, 200]);
    const keys = received
      .filter((each) => each.path === '/flaky')
      .map((each) => each.headers['idempotency-key']);
    expect(keys).toEqual([delivery.outboxId, delivery.outboxId, delivery.outboxId]);
    await disable(subscription.id);
  });

  it('parks a delivery that never succeeds as dead, then redelivers it by hand', async () => {
    behaviours.set('/down', () => ({ status: 502 }));
    const { subscription } = await subscribe('/down');
    await payCard(stack, 3_000);
    const dead = await deliveryWith(subscription.id, 'dead');
    expect(dead.lastError).toContain('HTTP 502');
    expect(dead.attempts).toBeGreaterThan(1);
    const deadList = await stack.request('GET', '/v1/webhook-deliveries?status=dead');
    expect(deadList.status).toBe(200);
    expect(deadList.body.items.map((each: { id: string }) => each.id)).toContain(dead.id);
    // The receiver is fixed: operations send the dead delivery again by hand.
    behaviours.set('/down', () => ({ status: 200 }));
    const redelivered = await stack.request('POST', `/v1/webhook-deliveries/${dead.id}/redeliver`, {
      reason: 'receiver fixed',
    });
    expect(redelivered.status, redelivered.text).toBe(202);
    await eventually('the redelivery', async () =>
      (await deliveriesOf(subscription.id)).find(
        (each) => each.id === dead.id && each.status === 'delivered',
      ),
    );
    const audit = await stack.database.sql`
      select action from audit_log where entity_id = ${dead.id}`;
    expect(audit.map((row) => row.action)).toEqual(['webhook_delivery.redeliver']);
    const again = await stack.request(
      'POST',
      `/v1/webhook-deliveries/${newId('webhookDelivery')}/redeliver`,
      {},
    );
    expect(again.status).toBe(404);
    await disable(subscription.id);
  });

  it('keeps one payment’s messages in order even when the first fails once', async () => {
    const { subscription } = await subscribe('/order');
    const orderingKey = newId('payment');
    const first = newId('outbox');
    const second = newId('outbox');
    behaviours.set('/order', (n) => ({ status: n === 0 ? 500 : 200 }));
    await stack.database.sql`
      insert into outbox (id, topic, dedupe_key, payload, ordering_key, created_at)
      values
        (${first}, 'payment.receipt', ${`t:${first}`}, ${JSON.stringify({ n: 1 })}::jsonb,
         ${orderingKey}, now() - interval '1 second'),
        (${second}, 'refund.succeeded', ${`t:${second}`}, ${JSON.stringify({ n: 2 })}::jsonb,
         ${orderingKey}, now())`;
    // The second's relay starts first: it must wait for the first to arrive.
    for (const outboxId of [second, first])
      await stack.temporal.workflow.start(outboxDeliveryWorkflow, {
        workflowId: outboxWorkflowId('default', outboxId),
        taskQueue: stack.taskQueue,
        args: [{ outboxId }],
      });
    await relayed(second);
    await relayed(first);
    const order = received
      .filter((each) => each.path === '/order')
      .map((each) => JSON.parse(each.raw).id);
    expect(order).toEqual([first, first, second]);
    await disable(subscription.id);
  });

  it('sends nothing to a disabled subscription, nor to another council’s', async () => {
    const { subscription } = await subscribe('/off');
    await disable(subscription.id);
    const otherAuth = await onboardDemoCouncil(stack, 'westshire');
    const theirs = await subscribe('/theirs', {}, otherAuth);
    const mine = await stack.request('GET', '/v1/webhook-subscriptions');
    expect(mine.body.items.map((each: { id: string }) => each.id)).not.toContain(
      theirs.subscription.id,
    );
    const paymentId = await payCard(stack, 4_000);
    await relayed(await outboxIdOfPayment(paymentId));
    expect(received.filter((each) => each.path === '/off')).toEqual([]);
    expect(received.filter((each) => each.path === '/theirs')).toEqual([]);
    expect(await deliveriesOf(subscription.id)).toEqual([]);
    const seenByThem = await stack.request(
      'GET',
      `/v1/webhook-subscriptions/${subscription.id}`,
      undefined,
      otherAuth,
    );
    expect(seenByThem.status).toBe(404);
  });

  it('still delivers when the worker is killed mid-delivery', async () => {
    behaviours.set('/slow', (n) => ({ status: 200, delayMs: n === 0 ? 8_000 : 0 }));
    const { subscription } = await subscribe('/slow');
    const paymentId = await payCard(stack, 5_000);
    await eventually('the first attempt to reach the receiver', async () =>
      received.some((each) => each.path === '/slow') ? true : undefined,
    );
    await stack.stopWorker();
    await stack.startWorker();
    const delivery = await deliveryWith(subscription.id, 'delivered');
    expect(delivery.outboxId).toBe(await outboxIdOfPayment(paymentId));
    const keys = new Set(
      received
        .filter((each) => each.path === '/slow')
        .map((each) => each.headers['idempotency-key']),
    );
    expect([...keys]).toEqual([delivery.outboxId]);
    await disable(subscription.id);
  });
});

describe('every event, a receiver down then back', () => {
  const allEvents = [
    'payment.allocated',
    'payment.refunded',
    'payment.moved',
    'payment.reversed',
    'suspense.allocated',
  ];

  /** The ids the receiver accepted (answered 2xx), in the order it accepted them. */
  const accepted = (path: string, ok: (n: number) => boolean) =>
    received
      .filter((each) => each.path === path)
      .filter((_each, n) => ok(n))
      .map((each) => JSON.parse(each.raw) as { id: string; type: string });

  it('receives a payment’s allocation, move and reversal once each, in order', async () => {
    let down = true;
    const answers: number[] = [];
    behaviours.set('/late', () => {
      const status = down ? 503 : 200;
      answers.push(status);
      return { status };
    });
    const { subscription } = await subscribe('/late', { events: allEvents });
    const paymentId = await payCard(stack, 6_000);
    const moved = await stack.request('POST', '/v1/journals/move', {
      source: { type: 'payment', id: paymentId },
      from: { fundCode: 'CTAX', reference: '123456780' },
      to: { fundCode: 'LIB', reference: 'LOAN-9' },
      amountPence: 6_000,
      reason: 'Paid to the wrong account',
    });
    expect(moved.status, moved.text).toBe(201);
    const reversed = await stack.request('POST', `/v1/journals/${moved.body.journalId}/reverse`, {
      reason: 'Moved in error',
    });
    expect(reversed.status, reversed.text).toBe(201);
    await eventually('the receiver to refuse twice', async () =>
      answers.filter((status) => status === 503).length >= 2 ? true : undefined,
    );
    down = false; // the receiver is back
    const delivered = await eventually('all three delivered', async () => {
      const deliveries = await deliveriesOf(subscription.id);
      return deliveries.length === 3 && deliveries.every((each) => each.status === 'delivered')
        ? deliveries
        : undefined;
    });
    const okIds = accepted('/late', (n) => answers[n] === 200);
    expect(okIds.map((body) => body.type)).toEqual([
      'payment.allocated',
      'payment.moved',
      'payment.reversed',
    ]);
    expect(new Set(okIds.map((body) => body.id)).size).toBe(3);
    expect(okIds.map((body) => body.id).sort()).toEqual(
      delivered.map((each) => each.outboxId).sort(),
    );
    const movedBody = received.find(
      (each) => each.path === '/late' && JSON.parse(each.raw).type === 'payment.moved',
    );
    expect(JSON.parse(movedBody!.raw).data).toMatchObject({
      journalId: moved.body.journalId,
      sourceId: paymentId,
      from: { fundCode: 'CTAX', reference: '123456780' },
      to: { fundCode: 'LIB', reference: 'LOAN-9' },
      amountPence: 6_000,
    });
    await disable(subscription.id);
  });

  it('relays a suspense allocation from the sweep', async () => {
    const { subscription } = await subscribe('/suspense', { events: ['suspense.allocated'] });
    const created = await stack.request('POST', '/v1/suspense', {
      amountPence: 700,
      receivedReference: 'unknown 7',
      reason: 'Cheque with no slip',
    });
    expect(created.status, created.text).toBe(201);
    const suspenseId = created.body.suspenseId as string;
    const allocated = await stack.request('POST', `/v1/suspense/${suspenseId}/allocate`, {
      parts: [{ fundCode: 'LIB', reference: 'LOAN-1', amountPence: 700 }],
      totalPence: 700,
    });
    expect(allocated.status, allocated.text).toBe(200);
    await stack.temporal.workflow.execute(outboxSweepWorkflow, {
      workflowId: `webhooks-sweep-${suspenseId}`,
      taskQueue: stack.taskQueue,
    });
    const delivery = await deliveryWith(subscription.id, 'delivered');
    const hit = received.find((each) => each.path === '/suspense')!;
    expect(JSON.parse(hit.raw)).toMatchObject({
      id: delivery.outboxId,
      type: 'suspense.allocated',
      data: {
        suspenseId,
        journalId: allocated.body.journalId,
        amountPence: 700,
        lines: [{ fundCode: 'LIB', reference: 'LOAN-1', amountPence: 700 }],
      },
    });
    await disable(subscription.id);
  });

  it('retries a receiver that does not answer in time, logging the timeout', async () => {
    behaviours.set('/silent', (n) => ({ status: 200, delayMs: n === 0 ? 4_000 : 0 }));
    const { subscription } = await subscribe('/silent');
    await payCard(stack, 7_000);
    const delivery = await deliveryWith(subscription.id, 'delivered');
    expect(delivery.attemptLog[0]).toMatchObject({
      statusCode: null,
      error: expect.stringContaining('no answer within 2 s'),
    });
    expect(delivery.attemptLog.at(-1)).toMatchObject({ statusCode: 200, error: null });
    const listed = await stack.request('GET', '/v1/webhook-deliveries');
    expect(listed.body.items.map((each: { id: string }) => each.id)).toContain(delivery.id);
    await disable(subscription.id);
  });
});
