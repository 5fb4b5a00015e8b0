import { z } from 'zod';
import type { CashReturnRow, TemplateRow } from '../../db/cashReturns';
import { bagTotals } from '../../domain/cashReturn';
import { codeSchema, officeCodeSchema } from './common';

/** Cash returns (eReturns) and their templates, on the API (docs/cash-desk.md). */

export const templateBody = z
  .object({
    id: codeSchema,
    officeCode: officeCodeSchema,
    name: z.string().trim().min(1).max(200),
    fundCodes: z.array(codeSchema).max(50).default([]),
    actorIds: z.array(z.string().trim().min(1).max(100)).max(200).default([]),
    closesAt: z
      .string()
      .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be HH:MM, UK local time')
      .default('17:00'),
  })
  .meta({ id: 'CashReturnTemplateRequest' });

export const templateSchema = z
  .object({
    id: z.string(),
    officeCode: z.string(),
    name: z.string(),
    fundCodes: z.array(z.string()),
    actorIds: z.array(z.string()),
    closesAt: z.string(),
  })
  .meta({ id: 'CashReturnTemplate' });

export const toTemplate = ({
  id,
  officeCode,
  name,
  fundCodes,
  actorIds,
  closesAt,
}: TemplateRow) => ({
  id,
  officeCode,
  name,
  fundCodes,
  actorIds,
  closesAt,
});

export const startReturnBody = z.object({
  templateId: codeSchema
    .optional()
    .describe('Defaults to the office’s first template the cashier may use'),
});

export const returnParams = z.object({
  returnId: z.string().regex(/^ert_[0-9a-z]{20}$/, 'must be a cash return id'),
});

export const countBody = z
  .object({
    bags: z
      .array(
        z.object({
          bagNo: z.string().trim().min(1).max(20),
          counts: z
            .record(z.string(), z.number().int().nonnegative('must not be negative'))
            .describe('Pieces per denomination in pence: "5000" (£50) … "1" (1p)'),
        }),
      )
      .max(20),
    cheques: z
      .array(
        z.object({
          bagNo: z.string().trim().min(1).max(20),
          chequeNumber: z.string().trim().min(1, 'is required: a cheque needs its number').max(12),
          drawer: z.string().trim().max(100).default(''),
          amountPence: z.number().int().positive(),
        }),
      )
      .max(500)
      .default([]),
    explanation: z.string().trim().max(1000).optional(),
  })
  .meta({ id: 'CashReturnCount' });

export const reasonBody = z.object({ reason: z.string().trim().min(1).max(500) });
export const noteBody = z.object({ text: z.string().trim().min(1).max(500) });

export const returnSearchQuery = z.object({
  state: z.enum(['draft', 'submitted', 'approved', 'voided']).optional(),
  officeCode: officeCodeSchema.optional(),
  cashier: z.string().max(100).optional(),
  businessDate: z.iso.date().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const cashReturnSchema = z
  .object({
    returnId: z.string(),
    templateId: z.string(),
    officeCode: z.string(),
    cashier: z.string(),
    businessDate: z.string(),
    state: z.enum(['draft', 'submitted', 'approved', 'voided']),
    bags: z.array(
      z.object({
        bagNo: z.string(),
        counts: z.record(z.string(), z.number().int()),
        cashPence: z.number().int(),
        chequePence: z.number().int(),
        totalPence: z.number().int(),
      }),
    ),
    cheques: z.array(
      z.object({
        bagNo: z.string(),
        chequeNumber: z.string(),
        drawer: z.string(),
        amountPence: z.number().int(),
      }),
    ),
    explanation: z.string().nullable(),
    notes: z.array(z.object({ at: z.string(), by: z.string(), text: z.string() })),
    expectedCashPence: z.number().int().nullable(),
    expectedChequePence: z.number().int().nullable(),
    declaredCashPence: z.number().int().nullable(),
    declaredChequePence: z.number().int().nullable(),
    overShortPence: z.number().int().nullable(),
    submissionCount: z.number().int(),
    decidedBy: z.string().nullable(),
    decisionReason: z.string().nullable(),
    overShortJournalId: z.string().nullable(),
    voidReason: z.string().nullable(),
  })
  .meta({ id: 'CashReturn' });

export function toCashReturn(row: CashReturnRow): z.infer<typeof cashReturnSchema> {
  const totals = new Map(bagTotals(row).map((bag) => [bag.bagNo, bag]));
  return {
    returnId: row.id,
    templateId: row.templateId,
    officeCode: row.officeCode,
    cashier: row.cashier,
    businessDate: row.businessDate,
    state: row.state as z.infer<typeof cashReturnSchema>['state'],
    bags: row.bags.map((bag) => {
      const total = totals.get(bag.bagNo)!;
      return {
        ...bag,
        cashPence: total.cashPence,
        chequePence: total.chequePence,
        totalPence: total.totalPence,
      };
    }),
    cheques: row.cheques,
    explanation: row.explanation,
    notes: row.notes,
    expectedCashPence: row.expectedCashPence,
    expectedChequePence: row.expectedChequePence,
    declaredCashPence: row.declaredCashPence,
    declaredChequePence: row.declaredChequePence,
    overShortPence: row.overShortPence,
    submissionCount: row.submissionCount,
    decidedBy: row.decidedBy,
    decisionReason: row.decisionReason,
    overShortJournalId: row.overShortJournalId,
    voidReason: row.voidReason,
  };
}

export const returnDetailSchema = z
  .object({
    cashReturn: cashReturnSchema,
    /** What the ledger says now: for a draft, what the count will be compared with. */
    expected: z.object({
      cashPence: z.number().int(),
      chequePence: z.number().int(),
      pdqPence: z.number().int(),
    }),
    takingsByFund: z.array(z.object({ fundCode: z.string(), amountPence: z.number().int() })),
  })
  .meta({ id: 'CashReturnDetail' });

export const overdueSchema = z.object({
  overdue: z.array(
    z.object({
      officeCode: z.string(),
      cashier: z.string(),
      businessDate: z.string(),
      closesAt: z.string(),
      returnId: z.string().nullable(),
      state: z.string(),
    }),
  ),
});
