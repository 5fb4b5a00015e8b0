import { z } from 'zod';
import { transactionSchema } from './transactions';

const pence = z.number().int();

export const transactionDetailSchema = z
  .object({
    transaction: transactionSchema,
    journal: z.object({
      id: z.string(),
      kind: z.string(),
      description: z.string(),
      postingDate: z.string(),
      financialYear: z.string(),
      period: z.number().int(),
      causedBy: z.string(),
      lineCount: z.number().int(),
      totalPence: pence,
      createdAt: z.string(),
      lines: z
        .array(
          z.object({
            lineNo: z.number().int(),
            accountCode: z.string(),
            debitPence: pence,
            creditPence: pence,
            accountReference: z.string().nullable(),
            vatCode: z.string().nullable(),
            narrative: z.string().nullable(),
          }),
        )
        .describe('Empty when the journal has more than 50 lines (an import chunk)'),
    }),
    payment: z
      .object({
        paymentId: z.string(),
        state: z.string(),
        description: z.string(),
        pspPaymentId: z.string().nullable(),
        cardBrand: z.string().nullable(),
        cardFirstDigits: z.string().nullable(),
        cardLastDigits: z.string().nullable(),
        cardExpiryDate: z.string().nullable().describe('MM/YY'),
      })
      .nullable()
      .describe('The card payment behind it, with the card as GOV.UK Pay reported it'),
    import: z
      .object({
        importId: z.string(),
        fileName: z.string(),
        profileId: z.string(),
        profileName: z.string(),
        state: z.string(),
        createdAt: z.string(),
      })
      .nullable()
      .describe('The file it was imported from; the line is transaction.fileLineNo'),
    suspenseId: z.string().nullable().describe('The suspense item it went to, or came from'),
  })
  .meta({ id: 'TransactionDetail' });
