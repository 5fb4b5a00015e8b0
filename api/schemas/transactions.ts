import { z } from 'zod';
import { isIsoDate } from '../../domain/financialPeriod';
import {
  decodeTransactionCursor,
  type TransactionCursor,
  type TransactionFilter,
  transactionChannels,
  transactionSorts,
} from '../../domain/transactionSearch';
import { codeSchema, officeCodeSchema } from './common';

const pence = z.number().int();
const isoDate = z.string().refine(isIsoDate, 'must be a date as YYYY-MM-DD');
const queryPence = z.coerce
  .number({ error: 'must be a whole number of pence' })
  .int('must be a whole number of pence')
  .nonnegative('must not be negative')
  .max(Number.MAX_SAFE_INTEGER);
const text = (max: number) => z.string().trim().min(1).max(max);

const cursorSchema = z
  .string()
  .max(400)
  .transform((value, ctx): TransactionCursor => {
    const cursor = decodeTransactionCursor(value);
    if (cursor !== null) return cursor;
    ctx.addIssue({ code: 'custom', message: 'must be a nextCursor from a previous page' });
    return z.NEVER;
  });

/** The filters every form of the search shares: the page, the CSV export and the summary. */
export const transactionFilterShape = {
  reference: text(50).optional().describe('The account reference, exactly'),
  amountPence: queryPence.optional().describe('Exactly this amount, VAT included'),
  amountFromPence: queryPence.optional().describe('At least this amount'),
  amountToPence: queryPence.optional().describe('At most this amount'),
  from: isoDate.optional().describe('Recorded on or after this London day'),
  to: isoDate.optional().describe('Recorded on or before this London day'),
  fundCode: codeSchema.optional(),
  methodOfPaymentCode: codeSchema.optional(),
  officeCode: officeCodeSchema.optional(),
  pspReference: text(100).optional().describe('The PSP’s payment id'),
  cardLastDigits: z
    .string()
    .regex(/^\d{4}$/, 'must be the last four digits of the card')
    .optional(),
  narrative: text(100).optional().describe('Words the narrative contains'),
  receiptNumber: text(100)
    .optional()
    .describe('A journal id, or the payment, import or suspense item behind it'),
  user: text(100).optional().describe('Who posted it, took the payment or uploaded the file'),
  channel: z.enum(transactionChannels).optional(),
  importId: text(100).optional(),
};

const orderShape = {
  sort: z.enum(transactionSorts).default('recorded'),
  direction: z.enum(['asc', 'desc']).default('desc'),
};

type Bounds = {
  amountPence?: number;
  amountFromPence?: number;
  amountToPence?: number;
  from?: string;
  to?: string;
};

/** Checks across fields, each issue naming the field to change. */
function checkBounds(query: Bounds, ctx: z.RefinementCtx): void {
  const ranged = query.amountFromPence !== undefined || query.amountToPence !== undefined;
  if (query.amountPence !== undefined && ranged)
    ctx.addIssue({
      code: 'custom',
      path: ['amountPence'],
      message: 'give an amount or a range, not both',
    });
  if ((query.amountFromPence ?? 0) > (query.amountToPence ?? Number.MAX_SAFE_INTEGER))
    ctx.addIssue({
      code: 'custom',
      path: ['amountFromPence'],
      message: 'must not be more than amountToPence',
    });
  if (query.from !== undefined && query.to !== undefined && query.from > query.to)
    ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after `to`' });
}

export const transactionQuerySchema = z
  .object({
    ...transactionFilterShape,
    ...orderShape,
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: cursorSchema.optional().describe('nextCursor from the previous page'),
  })
  .strict()
  .superRefine(checkBounds);

/** The export's query: the search's filters and order, no page. */
export const transactionExportQuerySchema = z
  .object({ ...transactionFilterShape, ...orderShape })
  .strict()
  .superRefine(checkBounds);

export const transactionSummaryQuerySchema = z
  .object(transactionFilterShape)
  .strict()
  .superRefine(checkBounds);

export type TransactionQuery = z.output<typeof transactionQuerySchema>;

/** The query's filters in the search's own terms. */
export function filterOf(query: Partial<TransactionQuery>): TransactionFilter {
  const filter: TransactionFilter = {
    reference: query.reference,
    amountFromPence: query.amountPence ?? query.amountFromPence,
    amountToPence: query.amountPence ?? query.amountToPence,
    recordedFrom: query.from,
    recordedTo: query.to,
    fundCode: query.fundCode,
    methodOfPaymentCode: query.methodOfPaymentCode,
    officeCode: query.officeCode,
    pspReference: query.pspReference,
    cardLastDigits: query.cardLastDigits,
    narrative: query.narrative,
    receiptNumber: query.receiptNumber,
    user: query.user,
    channel: query.channel,
    importId: query.importId,
  };
  return Object.fromEntries(
    Object.entries(filter).filter(([, value]) => value !== undefined),
  ) as TransactionFilter;
}

export const transactionSchema = z
  .object({
    transactionId: z.string().describe('journalId.lineNo: the posting'),
    journalId: z.string(),
    lineNo: z.number().int(),
    channel: z.enum(transactionChannels),
    kind: z.string().describe('The journal’s kind'),
    recordedAt: z.string(),
    postingDate: z.string(),
    fundCode: z.string(),
    reference: z.string().nullable(),
    direction: z.enum(['in', 'out']).describe('in: credited to the fund; out: debited from it'),
    amountPence: pence.describe('VAT included, always positive; see direction'),
    vatPence: pence,
    narrative: z.string().nullable(),
    methodOfPaymentCode: z.string().nullable(),
    officeCode: z.string().nullable(),
    pspReference: z.string().nullable(),
    cardLastDigits: z.string().nullable(),
    cardBrand: z.string().nullable(),
    user: z.string().describe('Who took the payment, uploaded the file or posted the journal'),
    sourceType: z.string().nullable(),
    sourceId: z.string().nullable(),
    fileName: z.string().nullable(),
    fileLineNo: z.number().int().nullable(),
    reversesJournalId: z.string().nullable(),
    reversedByJournalId: z.string().nullable(),
  })
  .meta({ id: 'Transaction' });

export const transactionPageSchema = z.object({
  transactions: z.array(transactionSchema),
  nextCursor: z.string().nullable(),
});
