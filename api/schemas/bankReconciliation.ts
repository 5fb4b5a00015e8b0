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
    statementImportId: z
      .string()
      .regex(/^imp_[0-9a-z]{20}$/, 'must be an import id')
      .optional()
      .describe(
        'The statement import this run is for: the run is then done once per import (asking again answers the first run’s result)',
      ),
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
      .describe(
        '`psp_payout:<date>`, `collection_file:<importId>`, `cash_banking:<date>:<office or profile>` or `direct_credit:<journalId>:<lineNo>`',
      ),
    differencePence: z.number().int().describe('Statement total minus expected total'),
    matchedBy: z.string(),
    note: z.string().nullable(),
    createdAt: z.string(),
    unmatchedAt: z.string().nullable(),
    unmatchedBy: z.string().nullable(),
    unmatchReason: z.string().nullable(),
    clearingJournalId: z
      .string()
      .nullable()
      .describe(
        'Dr CTRL:BANK / Cr the items’ clearing accounts, posted with the match; null when nothing needed clearing (direct credits)',
      ),
    clearingReversalJournalId: z
      .string()
      .nullable()
      .describe('The clearing journal’s reversal, posted when the match was undone'),
  })
  .meta({ id: 'BankMatch' });

export const bankMatchRunSchema = z
  .object({
    matches: z.array(bankMatchSchema),
    openExceptions: z.number().int(),
    workflowId: z.string().optional().describe('The bank matching workflow that ran'),
  })
  .meta({ id: 'BankMatchRun' });

const itemKindSchema = z.enum(['psp_payout', 'collection_file', 'cash_banking', 'direct_credit']);

export const matchRuleSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9_]{1,60}$/, 'must be 1 to 60 lower-case letters, digits or underscores')
      .refine((name) => name !== 'manual', 'is reserved for manual matches'),
    kind: z
      .enum(['one_to_one', 'one_to_many', 'many_to_one'])
      .describe(
        '`one_to_many`: one statement line pays several items; `many_to_one`: several lines pay one item',
      ),
    dateWindowDays: z.number().int().min(0).max(31),
    amountTolerancePence: z.number().int().min(0).max(100_000),
    reference: z
      .enum(['exact', 'contains', 'ignore'])
      .describe('How the item’s reference must agree with the line’s (letters and digits only)'),
    itemKinds: z
      .array(itemKindSchema)
      .min(1)
      .refine((kinds) => new Set(kinds).size === kinds.length, 'must not repeat a kind')
      .optional()
      .describe('Only items of these kinds; every kind when absent'),
  })
  .strict()
  .meta({ id: 'BankMatchRule' });

const bankMatchSettingsFields = {
  rules: z
    .array(matchRuleSchema)
    .max(20)
    .refine(
      (rules) => new Set(rules.map((rule) => rule.name)).size === rules.length,
      'rule names must be unique',
    )
    .describe('Tried in order, strictest first; each sees only what earlier rules left'),
  mismatchWindowDays: z
    .number()
    .int()
    .min(0)
    .max(31)
    .nullable()
    .describe('Window for pairing leftovers by reference as `mismatched`; null: the widest rule’s'),
  pspPayoutReference: z
    .string()
    .trim()
    .max(35)
    .describe('What PSP payout credits carry on the statement (e.g. GOVUK PAY); empty: none'),
};

export const bankMatchRulesRequestSchema = z
  .object({
    ...bankMatchSettingsFields,
    mismatchWindowDays: bankMatchSettingsFields.mismatchWindowDays.default(null),
    pspPayoutReference: bankMatchSettingsFields.pspPayoutReference.default(''),
    reason: noteSchema,
  })
  .strict()
  .meta({ id: 'BankMatchRulesRequest' });

export const bankMatchRulesSchema = z
  .object({
    ...bankMatchSettingsFields,
    configured: z.boolean().describe('False while the built-in default is in force'),
    updatedBy: z.string().nullable(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'BankMatchRules' });

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
    statementLine: z
      .object({
        date: z.string(),
        amountPence: z.number().int(),
        reference: z.string(),
        narrative: z.string(),
      })
      .nullable()
      .describe('The statement line as the bank printed it; null for an item that never arrived'),
    expectedItem: z
      .object({ description: z.string(), amountPence: z.number().int(), expectedDate: z.string() })
      .nullable()
      .describe('What the IMS expected, in words; null for money nobody expected'),
    sinceDate: z.string().describe('The line’s date or the item’s expected date'),
    ageDays: z.number().int(),
    note: z.string().nullable(),
    firstSeenAt: z.string(),
  })
  .meta({ id: 'BankException' });

export const bankExceptionListSchema = z
  .object({ exceptions: z.array(bankExceptionSchema) })
  .meta({ id: 'BankExceptionList' });
