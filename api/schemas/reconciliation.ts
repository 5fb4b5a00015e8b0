import { z } from 'zod';
import { businessDateSchema } from './closeOfDay';

export const settlementRequestSchema = z
  .object({
    date: businessDateSchema.describe('The day the PSP settled (paid out), YYYY-MM-DD'),
    settlementDelayDays: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(1)
      .describe(
        'Days from capture to settlement; payments captured that many days earlier are due',
      ),
  })
  .strict()
  .meta({ id: 'SettlementRequest' });

export const settlementSchema = z
  .object({
    settledDate: z.string(),
    paymentCount: z.number().int(),
    grossPence: z.number().int(),
    feePence: z.number().int(),
    refundPence: z
      .number()
      .int()
      .describe(
        'Card refunds netted off: the ledger’s card refunds made the day the payments were captured',
      ),
    refundCount: z
      .number()
      .int()
      .nullable()
      .describe('How many card refunds refundPence sums; null when reconciled before it was kept'),
    expectedPayoutPence: z
      .number()
      .int()
      .describe('gross − fees − refunds: the expected bank credit'),
    differences: z.array(
      z.object({
        kind: z.enum(['settled_not_in_ledger', 'in_ledger_not_settled', 'amount_differs']),
        pspPaymentId: z.string(),
        pspAmountPence: z.number().int().nullable(),
        ledgerAmountPence: z.number().int().nullable(),
      }),
    ),
    reconciledAt: z.string(),
  })
  .meta({ id: 'Settlement' });
