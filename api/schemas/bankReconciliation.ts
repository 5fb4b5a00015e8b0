import { z } from 'zod';
import { businessDateSchema } from './closeOfDay';

const noteSchema = z.string().trim().min(1).max(500);
const idListSchema = z
  .array(z.string().min(1).max(100))
  .min(1)
  .max(100)
  .refine((ids) => new Set(ids).size === ids.length, 'must not repeat an id');

export const bankMatchRunRequestSchema = z
  .object({
    asOf: businessDateSchema
      .optional()
      .describe('The business date exceptions are aged from; today when absent'),
  })
  .strict()
  .meta({ id: 'BankMatchRunRequest' });

export const bankMatchSchema = z
  .object({
    id: z.string(),
    rule: z.string().describe('The matching rule, or `manual`'),
    statementLineIds: z.array(z.string()),
    expectedItemIds: z
      .array(z.string())
      .describe('`psp_payout:<date>` or `collection_file:<importId>`'),
    differencePence: z.number().int().describe('Statement total minus expected total'),
    matchedBy: z.string(),
    note: z.string().nullable(),
    createdAt: z.string(),
    unmatchedAt: z.string().nullable(),
    unmatchedBy: z.string().nullable(),
    unmatchReason: z.string().nullable(),
  })
  .meta({ id: 'BankMatch' });

export const bankMatchRunSchema = z
  .object({ matches: z.array(bankMatchSchema), openExceptions: z.number().int() })
  .meta({ id: 'BankMatchRun' });

export const manualMatchRequestSchema = z
  .object({ statementLineIds: idListSchema, expectedItemIds: idListSchema, note: noteSchema })
  .strict()
  .meta({ id: 'ManualBankMatchRequest' });

export const unmatchRequestSchema = z
  .object({ reason: noteSchema })
  .strict()
  .meta({ id: 'UnmatchRequest' });

export const exceptionNoteRequestSchema = z
  .object({ note: noteSchema })
  .strict()
  .meta({ id: 'BankExceptionNoteRequest' });

export const idParamsSchema = z.object({ id: z.string().min(1).max(100) });

const kindSchema = z.enum(['expected', 'mismatched', 'unexpected']);

export const exceptionQuerySchema = z
  .object({
    kind: kindSchema.optional(),
    minAgeDays: z.coerce.number().int().min(0).max(100_000).optional(),
  })
  .strict();

export const bankExceptionSchema = z
  .object({
    id: z.string(),
    kind: kindSchema,
    statementLineId: z.string().nullable(),
    expectedItemId: z.string().nullable(),
    differencePence: z.number().int().nullable(),
    sinceDate: z.string().describe('The line’s date or the item’s expected date'),
    ageDays: z.number().int(),
    note: z.string().nullable(),
    firstSeenAt: z.string(),
  })
  .meta({ id: 'BankException' });

export const bankExceptionListSchema = z
  .object({ exceptions: z.array(bankExceptionSchema) })
  .meta({ id: 'BankExceptionList' });
