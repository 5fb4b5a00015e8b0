// Proves the IMS-Signature a receiver checks (docs/webhooks.md): what the IMS signs verifies,
// and a changed body, another secret, an old or future timestamp, or a malformed header never do.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  isDeliveredStatus,
  matchingSubscriptions,
  webhookEventOfTopic,
  webhookUrlProblem,
} from '../../domain/webhooks';
import {
  generateWebhookSecret,
  signImsPayload,
  verifyImsSignature,
} from '../../platform/webhookSignature';

const secret = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA';
const body = '{"id":"obx_1","type":"payment.allocated"}';
const now = 1_750_000_000_000;

describe('IMS-Signature', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">', () => {
    const header = signImsPayload(body, secret, now);
    const expected = createHmac('sha256', secret).update(`1750000000.${body}`).digest('hex');
    expect(header).toBe(`t=1750000000,v1=${expected}`);
  });

  it('verifies what was signed, within the window either side', () => {
    const header = signImsPayload(body, secret, now);
    expect(verifyImsSignature(body, header, secret, now)).toBe(true);
    expect(verifyImsSignature(body, header, secret, now + 299_000)).toBe(true);
    expect(verifyImsSignature(body, header, secret, now - 299_000)).toBe(true);
  });

  it('refuses a replay older than the window, and a timestamp far in the future', () => {
    const header = signImsPayload(body, secret, now);
    expect(verifyImsSignature(body, header, secret, now + 301_000)).toBe(false);
    expect(verifyImsSignature(body, header, secret, now - 301_000)).toBe(false);
    expect(verifyImsSignature(body, header, secret, now + 10_000, 5_000)).toBe(false);
  });

  it('refuses a changed body, another secret, and a re-stamped signature', () => {
    const header = signImsPayload(body, secret, now);
    expect(verifyImsSignature(`${body} `, header, secret, now)).toBe(false);
    expect(verifyImsSignature(body, header, generateWebhookSecret(), now)).toBe(false);
    const restamped = header.replace('t=1750000000', 't=1750000001');
    expect(verifyImsSignature(body, restamped, secret, now)).toBe(false);
  });

  it('refuses missing and malformed headers without throwing', () => {
    for (const header of [undefined, null, '', 't=1', 'v1=abc', 't=x,v1=00', 't=1750000000,v1=zz'])
      expect(verifyImsSignature(body, header, secret, now)).toBe(false);
  });

  it('accepts any one of several v1 entries (two secrets during a rotation)', () => {
    const header = signImsPayload(body, secret, now);
    const other = signImsPayload(body, 'old-secret', now).split(',')[1];
    expect(verifyImsSignature(body, `${header},${other}`, secret, now)).toBe(true);
  });

  it('generates 32 random bytes, base64url, different each time', () => {
    const one = generateWebhookSecret();
    expect(Buffer.from(one, 'base64url')).toHaveLength(32);
    expect(one).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateWebhookSecret()).not.toBe(one);
  });
});

describe('webhook rules', () => {
  it('maps the outbox topics to events, and nothing else', () => {
    expect(webhookEventOfTopic('payment.receipt')).toBe('payment.allocated');
    expect(webhookEventOfTopic('refund.succeeded')).toBe('payment.refunded');
    expect(webhookEventOfTopic('something.else')).toBeNull();
  });

  it('matches enabled subscriptions by event and fund', () => {
    const subscriptions = [
      { id: 'all', events: ['payment.allocated'], fundCode: null, disabled: false },
      { id: 'ctax', events: ['payment.allocated'], fundCode: 'CTAX', disabled: false },
      { id: 'rent', events: ['payment.allocated'], fundCode: 'RENT', disabled: false },
      { id: 'off', events: ['payment.allocated'], fundCode: null, disabled: true },
      { id: 'refunds', events: ['payment.refunded'], fundCode: null, disabled: false },
    ];
    const ids = (event: string, funds: string[]) =>
      matchingSubscriptions(subscriptions, event, funds).map((s) => s.id);
    expect(ids('payment.allocated', ['CTAX'])).toEqual(['all', 'ctax']);
    expect(ids('payment.refunded', ['CTAX'])).toEqual(['refunds']);
    expect(ids('payment.allocated', [])).toEqual(['all']);
  });

  it('takes https, and http only to this machine', () => {
    expect(webhookUrlProblem('https://crm.council.example/hooks')).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:8080/x')).toBeNull();
    expect(webhookUrlProblem('http://localhost/x')).toBeNull();
    expect(webhookUrlProblem('http://crm.council.example/x')).toMatch(/https/);
    expect(webhookUrlProblem('ftp://x.example')).toMatch(/https/);
    expect(webhookUrlProblem('https://user:pw@x.example')).toMatch(/password/);
    expect(webhookUrlProblem('not a url')).toMatch(/URL/);
  });

  it('counts 2xx as delivered and nothing else', () => {
    expect([199, 200, 204, 299, 300, 404, 500].map(isDeliveredStatus)).toEqual([
      false,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
