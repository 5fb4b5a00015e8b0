import { z } from 'zod';
import { isIsoDate } from '../../domain/financialPeriod';
import {
  glColumnFields,
  glDateFormats,
  glLayoutProblems,
  glSignConventions,
} from '../../domain/glExport';
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

const glLayoutFields = {
  columns: z
    .array(
      z
        .object({
          field: z.enum(glColumnFields),
          header: z.string().min(1).max(60).describe('The column’s heading in the header line'),
        })
        .strict(),
    )
    .min(1)
    .max(glColumnFields.length)
    .describe('In file order'),
  dateFormat: z.enum(glDateFormats).describe('How posting_date is written'),
  signConvention: z
    .enum(glSignConventions)
    .describe(
      '`separate_columns`: debit and credit columns, both positive; `debit_positive` / `credit_positive`: one signed amount column, a line per side (never netted)',
    ),
};

export const glLayoutRequestSchema = z
  .object({ ...glLayoutFields, reason: reasonSchema })
  .strict()
  .superRefine((layout, context) => {
    for (const message of glLayoutProblems(layout))
      context.addIssue({ code: 'custom', path: ['columns'], message });
  })
  .meta({ id: 'GlLayoutRequest' });

export const glLayoutSchema = z
  .object({
    ...glLayoutFields,
    configured: z.boolean().describe('False while the built-in default layout is in force'),
    updatedBy: z.string().nullable(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'GlLayout' });
