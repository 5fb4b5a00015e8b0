// Proves the local GOV.UK Notify simulator keeps Notify's published contract: JWT bearer
// authentication from the API key (service id as issuer, HS256 with the secret, a clock within
// 30 seconds), Notify's error shapes, the send-email answer, the notification read back, the
// simulated failure addresses and the delivery-status callback.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifyEmailSender } from '../../notify/emailSender';
import { createNotifySimulator, notifyToken } from '../../notify/simulator/notifySimulator';

const serviceId = '26785a09-ab16-4eb0-8407-a37497a57506';
const secret = '3d844edf-8d35-48ac-975b-e847b4f122b0';
const apiKey = `ims_test-${serviceId}-${secret}`;
const templateId = 'f33517ff-2a88-4f6e-b855-c550268ce08a';

const callbacks: { authorization: string | undefined; body: Record<string, unknown> }[] = [];
const receiver = createServer((req: IncomingMessage, res) => {
  let text = '';
  req.on('data', (chunk) => {
    text += chunk;
  });
  req.on('end', () => {
    callbacks.push({ authorization: req.headers.authorization, body: JSON.parse(text) });
    res.end();
  });
});

let url: string;
let close: () => Promise<void>;
const simulatorFor = (callbackUrl: string) =>
  createNotifySimulator({
    apiKeys: [apiKey],
    callbackUrl,
    callbackBearerToken: 'callback-token',
    deliveryDelayMs: 10,
  });
let simulator: ReturnType<typeof simulatorFor>;

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  simulator = simulatorFor(`http://127.0.0.1:${port}/callback`);
  ({ url, close } = await simulator.start());
});

afterAll(async () => {
  await close();
  receiver.close();
});

const send = (body: Record<string, unknown>, token = notifyToken(apiKey)) =>
  fetch(`${url}/v2/notifications/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });

type NotifyErrors = { errors: { error: string; message: string }[] };
const errorsOf = async (response: Response) => ((await response.json()) as NotifyErrors).errors;

async function until<T>(read: () => T | undefined): Promise<T> {
  for (let tries = 0; tries < 100; tries++) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('timed out');
}

describe('the Notify simulator', () => {
  it('sends an email and answers as Notify does, then reports delivery to the callback', async () => {
    const response = await send({
      email_address: 'payer@example.org',
      template_id: templateId,
      personalisation: { amount: '£12.50' },
      reference: 'receipt:pay_1',
    });
    expect(response.status).toBe(201);
    const sent = (await response.json()) as { id: string; uri: string };
    expect(sent).toMatchObject({
      reference: 'receipt:pay_1',
      content: { subject: `Template ${templateId}`, body: 'amount: £12.50' },
      template: { id: templateId, version: 1 },
    });
    expect(sent.uri).toBe(`${url}/v2/notifications/${sent.id}`);
    const callback = await until(() => callbacks.find((c) => c.body.id === sent.id));
    expect(callback.authorization).toBe('Bearer callback-token');
    expect(callback.body).toMatchObject({
      status: 'delivered',
      reference: 'receipt:pay_1',
      to: 'payer@example.org',
      notification_type: 'email',
    });
    const read = await fetch(`${url}/v2/notifications/${sent.id}`, {
      headers: { Authorization: `Bearer ${notifyToken(apiKey)}` },
    });
    expect(await read.json()).toMatchObject({ id: sent.id, status: 'delivered', type: 'email' });
  });

  it.each([
    ['temp-fail@simulator.notify', 'temporary-failure'],
    ['perm-fail@simulator.notify', 'permanent-failure'],
  ])('ends %s in %s, as Notify’s test addresses do', async (address, status) => {
    const sent = (await (
      await send({ email_address: address, template_id: templateId })
    ).json()) as {
      id: string;
    };
    const callback = await until(() => callbacks.find((c) => c.body.id === sent.id));
    expect(callback.body.status).toBe(status);
  });

  it('refuses a request without a token, with a wrong signature, or from a skewed clock', async () => {
    const none = await fetch(`${url}/v2/notifications/email`, { method: 'POST' });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      status_code: 401,
      errors: [
        { error: 'AuthError', message: 'Unauthorized: authentication token must be provided' },
      ],
    });
    const forged = notifyToken(`ims_test-${serviceId}-${'0'.repeat(36)}`);
    expect((await send({}, forged)).status).toBe(403);
    const skewed = notifyToken(apiKey, new Date(Date.now() - 60_000));
    const late = await send({ email_address: 'a@b.org', template_id: templateId }, skewed);
    expect(late.status).toBe(403);
    expect((await errorsOf(late))[0]?.message).toContain('within 30 seconds');
  });

  it('refuses a bad address or template id with a ValidationError naming the field', async () => {
    const response = await send({ email_address: 'not an address', template_id: templateId });
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[0]).toEqual({
      error: 'ValidationError',
      message: 'email_address Not a valid email address',
    });
    const template = await send({ email_address: 'a@b.org', template_id: 'x' });
    expect((await errorsOf(template))[0]?.message).toContain('template_id');
  });
});

describe('the official Notify client against the simulator', () => {
  it('sends through notifications-node-client, and names Notify’s refusal in its own words', async () => {
    const sender = createNotifyEmailSender({ apiKey, baseUrl: url });
    const sent = await sender.send({
      templateId,
      emailAddress: 'payer@example.org',
      personalisation: { amount: '£3.00' },
      reference: 'receipt:pay_2',
    });
    expect(simulator.sent().find((email) => email.id === sent.notificationId)).toMatchObject({
      reference: 'receipt:pay_2',
      emailAddress: 'payer@example.org',
    });
    const refused = sender.send({
      templateId,
      emailAddress: 'not an address',
      personalisation: {},
      reference: 'receipt:pay_3',
    });
    await expect(refused).rejects.toMatchObject({
      retryable: false,
      httpStatus: 400,
      message: expect.stringContaining('ValidationError: email_address Not a valid email address'),
    });
    const wrongKey = createNotifyEmailSender({
      apiKey: `ims_test-${serviceId}-${'1'.repeat(36)}`,
      baseUrl: url,
    });
    await expect(
      wrongKey.send({ templateId, emailAddress: 'a@b.org', personalisation: {}, reference: 'r' }),
    ).rejects.toMatchObject({ httpStatus: 403, retryable: false });
  });
});
