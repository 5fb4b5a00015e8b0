import { formatPounds, pence } from './money';
import { extractVat } from './vat';

/**
 * Email to payers through GOV.UK Notify (docs/email.md): which outbox messages become which
 * email, which template a fund uses, and the values (Notify "personalisation") each email
 * carries. Pure: the relay's activities and the API share it. No address ever passes through
 * here: the email's values are amounts, references and dates.
 */
export const emailPurposes = ['payment_receipt', 'refund_confirmation', 'ereturn_voided'] as const;
export type EmailPurpose = (typeof emailPurposes)[number];

export const emailStatuses = [
  'pending',
  'sending',
  'delivered',
  'permanent-failure',
  'temporary-failure',
  'technical-failure',
  'failed',
  'skipped',
] as const;
export type EmailStatus = (typeof emailStatuses)[number];

/** Notify's final statuses for an email, as its callbacks and GET /v2/notifications report. */
export const notifyFinalStatuses = new Set<EmailStatus>([
  'delivered',
  'permanent-failure',
  'temporary-failure',
  'technical-failure',
]);

/**
 * The email an outbox message leads to: its purpose, what it is about (`sourceId`: the payment
 * whose payer receives it, or the cash return), and who receives it: the payer who gave an
 * address, or a member of staff (by username) whose account has one.
 */
export type EmailIntent =
  | { purpose: EmailPurpose; sourceId: string; to: 'payer' }
  | { purpose: EmailPurpose; sourceId: string; to: 'staff'; username: string };

/** Null: the message goes to nobody by email (a suspense refund, a journal). */
export function emailIntentOf(topic: string, payload: Record<string, unknown>): EmailIntent | null {
  const text = (key: string) => (typeof payload[key] === 'string' ? (payload[key] as string) : '');
  if (topic === 'payment.receipt' && text('paymentId') !== '')
    return { purpose: 'payment_receipt', sourceId: text('paymentId'), to: 'payer' };
  if (topic === 'refund.succeeded' && text('sourceType') === 'payment' && text('sourceId') !== '')
    return { purpose: 'refund_confirmation', sourceId: text('sourceId'), to: 'payer' };
  if (topic === 'cash_return.voided' && text('returnId') !== '' && text('cashier') !== '')
    return {
      purpose: 'ereturn_voided',
      sourceId: text('returnId'),
      to: 'staff',
      username: text('cashier'),
    };
  return null;
}

export type TemplateRow = { purpose: string; fundCode: string; templateId: string };

/** The fund's own template for the purpose, else the council's every-fund one, else null. */
export function templateFor(
  rows: readonly TemplateRow[],
  purpose: EmailPurpose,
  fundCodes: readonly string[],
): { templateId: string; fundCode: string | null } | null {
  for (const fundCode of fundCodes) {
    const own = rows.find((row) => row.purpose === purpose && row.fundCode === fundCode);
    if (own) return { templateId: own.templateId, fundCode };
  }
  const every = rows.find((row) => row.purpose === purpose && row.fundCode === '');
  return every ? { templateId: every.templateId, fundCode: fundCodes[0] ?? null } : null;
}

export type ReceiptLine = {
  fundName: string;
  reference: string;
  amountPence: number;
  /** Null: the line's VAT code is not known (never validated); treated as no VAT. */
  vatRateBasisPoints: number | null;
};

export type ReceiptFacts = {
  councilName: string;
  paymentId: string;
  postingDate: string;
  amountPence: number;
  lines: readonly ReceiptLine[];
};

const percent = (basisPoints: number) => `${(basisPoints / 100).toString()}%`;

/**
 * A receipt's values. Where any line carries VAT the email is a VAT receipt: each line's net and
 * VAT (extracted from the gross, domain/vat.ts) and the VAT total; `vat_receipt` is "yes" so the
 * template can show its VAT block (Notify's conditional `((vat_receipt??…))`).
 */
export function receiptPersonalisation(facts: ReceiptFacts): Record<string, string> {
  let vatTotalPence = 0;
  const lines = facts.lines.map((line) => {
    const rate = line.vatRateBasisPoints ?? 0;
    const { vatPence } = extractVat(line.amountPence, rate);
    vatTotalPence += vatPence;
    const vatWords =
      rate > 0 ? ` (includes VAT at ${percent(rate)}: ${formatPounds(vatPence)})` : '';
    return `${line.fundName}, reference ${line.reference}: ${formatPounds(pence(line.amountPence))}${vatWords}`;
  });
  return {
    council_name: facts.councilName,
    payment_reference: facts.paymentId,
    date: facts.postingDate,
    amount: formatPounds(pence(facts.amountPence)),
    lines: lines.map((line) => `* ${line}`).join('\n'),
    vat_receipt: vatTotalPence !== 0 ? 'yes' : 'no',
    vat_total: formatPounds(pence(vatTotalPence)),
  };
}

export type RefundFacts = {
  councilName: string;
  refundId: string;
  paymentId: string;
  postingDate: string;
  amountPence: number;
  method: string;
};

export function refundPersonalisation(facts: RefundFacts): Record<string, string> {
  return {
    council_name: facts.councilName,
    refund_reference: facts.refundId,
    payment_reference: facts.paymentId,
    date: facts.postingDate,
    amount: formatPounds(pence(facts.amountPence)),
    method: facts.method === 'card' ? 'to the card you paid with' : 'to your bank account',
  };
}

export type ReturnVoidedFacts = {
  councilName: string;
  returnId: string;
  officeCode: string;
  businessDate: string;
  voidedBy: string;
  reason: string;
};

export function returnVoidedPersonalisation(facts: ReturnVoidedFacts): Record<string, string> {
  return {
    council_name: facts.councilName,
    return_reference: facts.returnId,
    office: facts.officeCode,
    date: facts.businessDate,
    voided_by: facts.voidedBy,
    reason: facts.reason,
  };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Notify template ids are UUIDs. */
export const isNotifyTemplateId = (value: string) => uuidPattern.test(value);

/**
 * Our reference on a Notify email: the council and the email log id. Notify's status callbacks
 * carry it back, which is how a callback finds its council before any database read.
 */
export function notifyReferenceOf(councilId: string, emailId: string): string {
  return `${councilId}:${emailId}`;
}

export function parseNotifyReference(
  reference: string,
): { councilId: string; emailId: string } | null {
  const match = /^([a-z0-9-]{1,40}):(eml_[0-9a-z]{20})$/.exec(reference);
  return match ? { councilId: match[1]!, emailId: match[2]! } : null;
}
