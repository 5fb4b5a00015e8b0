import { z } from 'zod';

const pence = z.number().int();

export const paymentStartedSchema = z
  .object({
    paymentId: z.string(),
    state: z.string(),
    nextUrl: z
      .string()
      .nullable()
      .describe(
        'Send the payer here; null while the PSP is still being asked (poll GET /v1/payments/{id})',
      ),
    amountPence: pence,
  })
  .meta({ id: 'PaymentStarted' });

export const paymentSummarySchema = z.object({
  id: z.string(),
  state: z.string(),
  amountPence: pence,
  description: z.string(),
  createdAt: z.string(),
  journalId: z.string().nullable(),
});

export const paymentSchema = z
  .object({
    paymentId: z.string(),
    state: z.string(),
    amountPence: pence,
    description: z.string(),
    methodOfPaymentCode: z.string(),
    officeCode: z.string().nullable(),
    takenBy: z
      .string()
      .describe(
        'Who took the payment: the member of staff signed in, or the API key’s principal (an integration)',
      ),
    pspPaymentId: z.string().nullable(),
    pspStatus: z.string().nullable(),
    nextUrl: z.string().nullable(),
    failureCode: z.string().nullable(),
    feePence: pence.nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    lines: z.array(
      z.object({
        fundCode: z.string(),
        reference: z.string(),
        amountPence: pence,
        vatCode: z.string().nullable(),
      }),
    ),
    journal: z
      .object({
        journalId: z.string(),
        postingDate: z.string(),
        reversedBy: z.string().nullable(),
        lines: z.array(
          z.object({
            accountCode: z.string(),
            debitPence: pence,
            creditPence: pence,
            accountReference: z.string().nullable(),
          }),
        ),
      })
      .nullable(),
    timeline: z.array(
      z.object({ at: z.string(), event: z.string(), detail: z.record(z.string(), z.unknown()) }),
    ),
  })
  .meta({ id: 'Payment' });
