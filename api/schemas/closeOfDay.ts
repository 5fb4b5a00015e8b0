import { z } from 'zod';
import { isIsoDate } from '../../domain/financialPeriod';
import { reasonSchema } from './common';

/** A real calendar date, YYYY-MM-DD (2026-02-30 is refused, not rolled over). */
export const businessDateSchema = z
  .string()
  .refine(isIsoDate, 'must be a date written YYYY-MM-DD')
  .describe('A business day, YYYY-MM-DD (UK local time)');

export const closeOfDayRequestSchema = z
  .object({ date: businessDateSchema, reason: reasonSchema })
  .strict()
  .meta({ id: 'CloseOfDayRequest' });

export const closedDaySchema = z
  .object({
    businessDate: z.string(),
    closedAt: z.string(),
    closedBy: z.string(),
    glExportSha256: z.string().describe('sha256 (hex) of the stored GL export bytes'),
    fundFeedSha256: z.string().describe('sha256 (hex) of the stored fund feed bytes'),
    glLineCount: z.number().int().describe('GL export detail lines, header and trailer excluded'),
    totalDebitPence: z.number().int(),
    totalCreditPence: z.number().int(),
  })
  .meta({ id: 'ClosedDay' });

export const dateParamsSchema = z.object({ date: businessDateSchema });
