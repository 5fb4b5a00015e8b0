import { z } from 'zod';
import { businessDateSchema } from './closeOfDay';

export const reportDateQuerySchema = z.object({ date: businessDateSchema }).strict();

export const dailyCashSchema = z
  .object({
    date: z.string(),
    rows: z.array(
      z.object({
        fundCode: z.string(),
        methodOfPaymentCode: z
          .string()
          .nullable()
          .describe('Null for journals not about a payment or an import'),
        incomePence: z.number().int().describe('Credits less debits on the fund account'),
      }),
    ),
    totalPence: z.number().int(),
  })
  .meta({ id: 'DailyCashReport' });

export const reconciliationStatusSchema = z
  .object({
    date: z.string(),
    settlement: z
      .object({
        paymentCount: z.number().int(),
        grossPence: z.number().int(),
        feePence: z.number().int(),
        expectedPayoutPence: z.number().int(),
        differenceCount: z.number().int(),
      })
      .nullable(),
    statementCreditsMatched: z.number().int(),
    statementCreditsUnmatched: z.number().int(),
    unmatchedCreditPence: z.number().int(),
    expectedItemsMatched: z.number().int(),
    expectedItemsUnmatched: z.number().int(),
  })
  .meta({ id: 'ReconciliationStatusReport' });

export const exceptionsByAgeSchema = z
  .object({
    asOf: z.string(),
    buckets: z.array(
      z.object({
        label: z.string(),
        minDays: z.number().int(),
        maxDays: z.number().int().nullable(),
        count: z.number().int(),
        expected: z.number().int(),
        mismatched: z.number().int(),
        unexpected: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'ExceptionsByAgeReport' });
