import { randomBytes } from 'node:crypto';

/**
 * Every entity id carries a prefix that says what it is, so a log line or a support ticket
 * never leaves anyone guessing whether `abc123` was a payment or a refund.
 */
export const idPrefixes = {
  payment: 'pay',
  refund: 'rfd',
  journal: 'jnl',
  journalApproval: 'jap',
  suspense: 'sus',
  import: 'imp',
  probe: 'prb',
  outbox: 'obx',
  webhookSubscription: 'whs',
  webhookDelivery: 'whd',
  email: 'eml',
  request: 'req',
  audit: 'aud',
  importProfile: 'ipf',
  bankPayment: 'bac',
  bankStatementLine: 'bsl',
  bankMatch: 'bkm',
  bankException: 'bkx',
  user: 'usr',
  apiKey: 'key',
  counterPayment: 'cpy',
  cashReturn: 'ert',
} as const;

export type IdKind = keyof typeof idPrefixes;

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
const idBodyLength = 20;

/** Time-ordered-ish random id: a base36 millisecond timestamp then random base36 characters. */
export function newId(kind: IdKind, now: number = Date.now()): string {
  const time = now.toString(36).padStart(9, '0');
  const bytes = randomBytes(idBodyLength - time.length);
  let random = '';
  for (const byte of bytes) random += alphabet[byte % alphabet.length];
  return `${idPrefixes[kind]}_${time}${random}`;
}

const idPattern = /^[a-z]{3}_[0-9a-z]{20}$/;

export function isId(kind: IdKind, value: string): boolean {
  return idPattern.test(value) && value.startsWith(`${idPrefixes[kind]}_`);
}
