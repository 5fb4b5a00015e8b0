import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * GOV.UK Pay signs each webhook with the `Pay-Signature` header: the lower-case hex HMAC-SHA256
 * of the exact raw body, keyed with the webhook's signing secret. Verify against the raw bytes
 * as received; re-serialising parsed JSON would change them.
 */
export const paySignatureHeader = 'pay-signature';

const sha256HexLength = 64;
const lowerHex = /^[0-9a-f]+$/;

export function signWebhook(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * True only for the exact lower-case hex signature. A missing, malformed or wrong-length header
 * is refused before comparing; the comparison itself runs in constant time so a forger learns
 * nothing from how long a wrong guess took.
 */
export function verifyWebhookSignature(
  rawBody: Buffer | string,
  header: string | undefined,
  secret: string,
): boolean {
  if (header === undefined || header.length !== sha256HexLength || !lowerHex.test(header)) {
    return false;
  }
  const expected = Buffer.from(signWebhook(rawBody, secret), 'utf8');
  const received = Buffer.from(header, 'utf8');
  return timingSafeEqual(expected, received);
}
