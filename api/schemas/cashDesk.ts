import { z } from 'zod';
import type { CounterPaymentRecord } from '../../db/cashDesk';
import { basketLinesMax } from '../../domain/payment';
import { codeSchema, officeCodeSchema, penceSchema } from './common';

/** The cash desk's request and response bodies (docs/cash-desk.md). */

const signedPenceSchema = z
  .number()
  .int()
  .min(-Number.MAX_SAFE_INTEGER)
  .max(Number.MAX_SAFE_INTEGER)
  .refine((value) => value !== 0, 'must not be zero');

export const tenderSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('cash'), tenderedPence: penceSchema }),
    z.object({
      kind: z.literal('cheque'),
      drawer: z.string().trim().min(1).max(100),
      sortCode: z.string().max(10),
      chequeNumber: z.string().trim().min(1, 'is required: a cheque needs its number').max(10),
    }),
    z.object({ kind: z.literal('postal_order'), serialNumber: z.string().trim().min(1).max(12) }),
    z.object({
      kind: z.literal('pdq'),
      authorisationCode: z.string().trim().min(1).max(12),
    }),
  ])
  .meta({ id: 'CounterTender' });

export const counterPaymentBody = z
  .object({
    methodOfPaymentCode: codeSchema,
    tender: tenderSchema,
    lines: z
      .array(
        z.object({
          fundCode: codeSchema,
          reference: z.string().trim().min(1).max(40),
          amountPence: signedPenceSchema.describe(
            'Negative for a write-back line, which undoes a same-day mistake at this office',
          ),
          narrative: z.string().trim().max(200).optional(),
        }),
      )
      .min(1)
      .max(basketLinesMax),
    /** The payer's address for an emailed receipt too (docs/email.md): kept sealed, then erased. */
    email: z.email().max(254).optional(),
  })
  .meta({ id: 'CounterPaymentRequest' });

export const counterPaymentParams = z.object({
  counterPaymentId: z.string().regex(/^cpy_[0-9a-z]{20}$/, 'must be a counter payment id'),
});

export const voidBody = z.object({ reason: z.string().trim().min(1).max(500) });

export const counterPaymentSchema = z
  .object({
    counterPaymentId: z.string(),
    officeCode: z.string(),
    receiptNo: z.number().int(),
    cashier: z.string(),
    methodOfPaymentCode: z.string(),
    tenderKind: z.enum(['cash', 'cheque', 'postal_order', 'pdq']),
    amountPence: z.number().int(),
    tenderedPence: z.number().int().nullable(),
    changePence: z.number().int().nullable(),
    chequeDrawer: z.string().nullable(),
    chequeSortCode: z.string().nullable(),
    chequeNumber: z.string().nullable(),
    pdqAuthCode: z.string().nullable(),
    businessDate: z.string(),
    state: z.enum(['posted', 'voided']),
    journalId: z.string(),
    voidJournalId: z.string().nullable(),
    voidReason: z.string().nullable(),
    vatPence: z.number().int(),
    lines: z.array(
      z.object({
        fundCode: z.string(),
        reference: z.string(),
        amountPence: z.number().int(),
        vatCode: z.string(),
        vatPence: z.number().int(),
        narrative: z.string().nullable(),
      }),
    ),
    createdAt: z.string(),
  })
  .meta({ id: 'CounterPayment' });

export type CounterPaymentView = z.infer<typeof counterPaymentSchema>;

export function toCounterPayment(record: CounterPaymentRecord): CounterPaymentView {
  const { payment, lines } = record;
  return {
    counterPaymentId: payment.id,
    officeCode: payment.officeCode,
    receiptNo: payment.receiptNo,
    cashier: payment.cashier,
    methodOfPaymentCode: payment.methodOfPaymentCode,
    tenderKind: payment.tenderKind as CounterPaymentView['tenderKind'],
    amountPence: payment.amountPence,
    tenderedPence: payment.tenderedPence,
    changePence: payment.changePence,
    chequeDrawer: payment.chequeDrawer,
    chequeSortCode: payment.chequeSortCode,
    chequeNumber: payment.chequeNumber,
    pdqAuthCode: payment.pdqAuthCode,
    businessDate: payment.businessDate,
    state: payment.state as CounterPaymentView['state'],
    journalId: payment.journalId,
    voidJournalId: payment.voidJournalId,
    voidReason: payment.voidReason,
    vatPence: lines.reduce((sum, line) => sum + line.vatPence, 0),
    lines: lines.map(({ fundCode, reference, amountPence, vatCode, vatPence, narrative }) => ({
      fundCode,
      reference,
      amountPence,
      vatCode,
      vatPence,
      narrative,
    })),
    createdAt: payment.createdAt.toISOString(),
  };
}

export const counterPaymentSearchQuery = z.object({
  businessDate: z.iso.date().optional(),
  officeCode: officeCodeSchema.optional(),
  cashier: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const cashierParams = z.object({ actorId: z.string().trim().min(1).max(100) });

export const cashierBody = z.object({
  officeCode: officeCodeSchema,
  methodOfPaymentCodes: z.array(codeSchema).min(1).max(20),
});

export const cashierSchema = z
  .object({
    actorId: z.string(),
    officeCode: z.string(),
    methodOfPaymentCodes: z.array(z.string()),
  })
  .meta({ id: 'Cashier' });

export const receiptQuery = z.object({
  copy: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true'),
});
