// The pure rules of payer email (domain/email.ts): which outbox messages become which email,
// which template a fund uses, what a receipt says (VAT to the penny, zero, one penny), and the
// Notify reference that carries the council back on a callback.
import { describe, expect, it } from 'vitest';
import {
  emailIntentOf,
  notifyReferenceOf,
  parseNotifyReference,
  receiptPersonalisation,
  refundPersonalisation,
  templateFor,
} from '../../domain/email';

describe('emailIntentOf', () => {
  it('makes a receipt of a payment receipt and a confirmation of a payment’s refund', () => {
    expect(emailIntentOf('payment.receipt', { paymentId: 'pay_1' })).toEqual({
      purpose: 'payment_receipt',
      sourceId: 'pay_1',
      to: 'payer',
    });
    expect(emailIntentOf('refund.succeeded', { sourceType: 'payment', sourceId: 'pay_2' })).toEqual(
      { purpose: 'refund_confirmation', sourceId: 'pay_2', to: 'payer' },
    );
  });

  it('tells the cashier, by their staff account, that their cash return was voided', () => {
    expect(emailIntentOf('cash_return.voided', { returnId: 'crt_1', cashier: 'cashier1' })).toEqual(
      { purpose: 'ereturn_voided', sourceId: 'crt_1', to: 'staff', username: 'cashier1' },
    );
    expect(emailIntentOf('cash_return.voided', { returnId: 'crt_1' })).toBe(null);
  });

  it('makes nothing of a suspense refund, a journal, or a message without its payment', () => {
    expect(emailIntentOf('refund.succeeded', { sourceType: 'suspense', sourceId: 'sus_1' })).toBe(
      null,
    );
    expect(emailIntentOf('journal.moved', { sourceId: 'pay_1' })).toBe(null);
    expect(emailIntentOf('payment.receipt', {})).toBe(null);
    expect(emailIntentOf('payment.receipt', { paymentId: 42 })).toBe(null);
  });
});

describe('templateFor', () => {
  const rows = [
    { purpose: 'payment_receipt', fundCode: '', templateId: 'every' },
    { purpose: 'payment_receipt', fundCode: 'LIB', templateId: 'library' },
    { purpose: 'refund_confirmation', fundCode: 'LIB', templateId: 'library-refund' },
  ];

  it('prefers the first fund with its own template, else the every-fund one', () => {
    expect(templateFor(rows, 'payment_receipt', ['CTAX', 'LIB'])).toEqual({
      templateId: 'library',
      fundCode: 'LIB',
    });
    expect(templateFor(rows, 'payment_receipt', ['CTAX'])).toEqual({
      templateId: 'every',
      fundCode: 'CTAX',
    });
  });

  it('answers null when the purpose has no template for the funds', () => {
    expect(templateFor(rows, 'refund_confirmation', ['CTAX'])).toBe(null);
    expect(templateFor([], 'payment_receipt', [])).toBe(null);
  });
});

describe('receiptPersonalisation', () => {
  const facts = {
    councilName: 'Demo Council',
    paymentId: 'pay_x',
    postingDate: '2026-12-04',
  };

  it('shows each line’s VAT, extracted from the gross, and the VAT total', () => {
    const values = receiptPersonalisation({
      ...facts,
      amountPence: 1_201,
      lines: [
        { fundName: 'Library', reference: 'L-1', amountPence: 1_200, vatRateBasisPoints: 2_000 },
        { fundName: 'Library', reference: 'L-2', amountPence: 1, vatRateBasisPoints: 2_000 },
      ],
    });
    expect(values).toMatchObject({ amount: '£12.01', vat_receipt: 'yes', vat_total: '£2.00' });
    expect(values.lines).toBe(
      '* Library, reference L-1: £12.00 (includes VAT at 20%: £2.00)\n' +
        '* Library, reference L-2: £0.01 (includes VAT at 20%: £0.00)',
    );
  });

  it('is no VAT receipt when no line carries VAT, or its VAT code is unknown', () => {
    const values = receiptPersonalisation({
      ...facts,
      amountPence: 0,
      lines: [
        { fundName: 'Council tax', reference: '1', amountPence: 0, vatRateBasisPoints: null },
      ],
    });
    expect(values).toMatchObject({ amount: '£0.00', vat_receipt: 'no', vat_total: '£0.00' });
  });
});

describe('refundPersonalisation', () => {
  it('says where the money went', () => {
    const base = {
      councilName: 'Demo',
      refundId: 'rfd_1',
      paymentId: 'pay_1',
      postingDate: '2026-12-04',
      amountPence: 1_234_567,
    };
    expect(refundPersonalisation({ ...base, method: 'card' })).toMatchObject({
      amount: '£12,345.67',
      method: 'to the card you paid with',
    });
    expect(refundPersonalisation({ ...base, method: 'bacs' }).method).toBe('to your bank account');
  });
});

describe('Notify references', () => {
  it('round-trips the council and email id, and refuses anything else', () => {
    const reference = notifyReferenceOf('north-shire', 'eml_0123456789abcdefghij');
    expect(parseNotifyReference(reference)).toEqual({
      councilId: 'north-shire',
      emailId: 'eml_0123456789abcdefghij',
    });
    expect(parseNotifyReference('eml_0123456789abcdefghij')).toBe(null);
    expect(parseNotifyReference('x:eml_short')).toBe(null);
    expect(parseNotifyReference('Upper:eml_0123456789abcdefghij')).toBe(null);
  });
});
