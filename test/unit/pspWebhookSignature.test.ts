// Proves webhook signatures are checked exactly as GOV.UK Pay makes them (lower-case hex
// HMAC-SHA256 of the raw body) and that anything else, however close, is refused.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from '../../psp/webhookSignature';

const secret = 'webhook_live_secret';
const body = '{"webhook_message_id":"abc","event_type":"card_payment_succeeded","amount":1000}';
const good = createHmac('sha256', secret).update(body).digest('hex');

describe('signWebhook', () => {
  it('is the lower-case hex HMAC-SHA256 of the raw body', () => {
    expect(signWebhook(body, secret)).toBe(good);
    expect(signWebhook(Buffer.from(body, 'utf8'), secret)).toBe(good);
    expect(good).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('verifyWebhookSignature', () => {
  it('accepts the right signature over the same bytes, as a string or a Buffer', () => {
    expect(verifyWebhookSignature(body, good, secret)).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(body, 'utf8'), good, secret)).toBe(true);
  });

  it('refuses a tampered body, even by one character or re-serialised JSON', () => {
    expect(verifyWebhookSignature(body.replace('1000', '1001'), good, secret)).toBe(false);
    const reserialised = JSON.stringify(JSON.parse(body), null, 2);
    expect(verifyWebhookSignature(reserialised, good, secret)).toBe(false);
  });

  it('refuses a signature made with another secret', () => {
    expect(verifyWebhookSignature(body, signWebhook(body, 'other'), secret)).toBe(false);
  });

  it('refuses a missing or empty header', () => {
    expect(verifyWebhookSignature(body, undefined, secret)).toBe(false);
    expect(verifyWebhookSignature(body, '', secret)).toBe(false);
  });

  it('refuses upper-case hex: GOV.UK Pay sends lower case, so anything else is not its signature', () => {
    expect(verifyWebhookSignature(body, good.toUpperCase(), secret)).toBe(false);
  });

  it('refuses wrong lengths and non-hex before comparing (timingSafeEqual needs equal lengths)', () => {
    expect(verifyWebhookSignature(body, good.slice(0, 63), secret)).toBe(false);
    expect(verifyWebhookSignature(body, `${good}0`, secret)).toBe(false);
    expect(verifyWebhookSignature(body, `sha256=${good}`, secret)).toBe(false);
    expect(verifyWebhookSignature(body, 'z'.repeat(64), secret)).toBe(false);
    // A multi-byte character keeps the string length at 64 but not the byte length.
    expect(verifyWebhookSignature(body, `${good.slice(0, 63)}é`, secret)).toBe(false);
  });

  it('refuses a valid-looking signature that differs in one hex digit', () => {
    const last = good.at(-1) === '0' ? '1' : '0';
    expect(verifyWebhookSignature(body, `${good.slice(0, 63)}${last}`, secret)).toBe(false);
  });
});
