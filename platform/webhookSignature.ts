import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The `IMS-Signature` header on every webhook (docs/webhooks.md): `t=<unix seconds>,v1=<hex
 * HMAC-SHA256(secret, "<t>.<raw body>")>`. The timestamp is signed with the body, so a receiver
 * that refuses old timestamps refuses replays. Pure functions of their inputs (no clock, no I/O),
 * so the documented receiver check is the one tested here.
 */

export const signatureHeader = 'IMS-Signature';

/** 32 random bytes, base64url: a subscription's signing secret. */
export function generateWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

function mac(secret: string, timestamp: string, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex');
}

export function signImsPayload(rawBody: string, secret: string, nowMs: number): string {
  const timestamp = String(Math.floor(nowMs / 1000));
  return `t=${timestamp},v1=${mac(secret, timestamp, rawBody)}`;
}

/**
 * True when `header` signs `rawBody` with `secret` and its timestamp lies within `toleranceMs`
 * of `nowMs` (either side: clocks drift). Any `v1` entry may match, so a sender may sign with
 * two secrets while one is rotated. The compare is constant-time.
 */
export function verifyImsSignature(
  rawBody: string,
  header: string | null | undefined,
  secret: string,
  nowMs: number,
  toleranceMs = 5 * 60 * 1000,
): boolean {
  if (typeof header !== 'string') return false;
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamp = parts.find(([key]) => key === 't')?.[1];
  const signatures = parts.filter(([key]) => key === 'v1').map(([, value]) => value ?? '');
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp) || signatures.length === 0)
    return false;
  if (Math.abs(nowMs - Number(timestamp) * 1000) > toleranceMs) return false;
  const expected = Buffer.from(mac(secret, timestamp, rawBody), 'hex');
  return signatures.some((signature) => {
    if (!/^[0-9a-f]{64}$/.test(signature)) return false;
    return timingSafeEqual(Buffer.from(signature, 'hex'), expected);
  });
}
