import { z } from 'zod';
import type { Journal } from '../../db/ledger';
import { codeSchema } from './common';

/** Requests and answers of the manual journal routes: move, transfer, reverse. */

const pence = z.number().int();
const positivePence = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const reference = z.string().trim().min(1).max(50);
const reason = z.string().trim().min(1).max(500).describe('Why: goes into the audit log');
const postingDate = z.iso.date().optional().describe('Defaults to today (UK)');

export const journalParams = z
  .object({ journalId: z.string().regex(/^jnl_[0-9a-z]{20}$/, 'must be a journal id') })
  .strict();

export const moveBody = z
  .object({
    source: z
      .object({
        type: z.enum(['payment', 'suspense']),
        id: z.string().regex(/^(pay|sus)_[0-9a-z]{20}$/, 'must be a payment or suspense id'),
      })
      .strict()
      .describe('The income whose allocation moves'),
    from: z.object({ fundCode: codeSchema, reference }).strict(),
    to: z.object({ fundCode: codeSchema, reference }).strict(),
    amountPence: positivePence,
    reason,
    postingDate,
  })
  .strict();

export const transferBody = z
  .object({
    from: z.object({ fundCode: codeSchema, reference: reference.optional() }).strict(),
    to: z.object({ fundCode: codeSchema, reference: reference.optional() }).strict(),
    amountPence: positivePence,
    reason,
    postingDate,
  })
  .strict();

export const reverseBody = z.object({ reason, postingDate }).strict();

export const postedJournalSchema = z
  .object({
    journalId: z.string(),
    kind: z.string(),
    postingDate: z.string(),
    causedBy: z.string(),
    sourceType: z.string().nullable(),
    sourceId: z.string().nullable(),
    reversesJournalId: z.string().nullable(),
    totalPence: pence,
    lines: z.array(
      z.object({
        accountCode: z.string(),
        debitPence: pence,
        creditPence: pence,
        accountReference: z.string().nullable(),
        vatPence: pence,
      }),
    ),
  })
  .meta({ id: 'PostedJournal' });

export function toPostedJournal(journal: Journal): z.infer<typeof postedJournalSchema> {
  return {
    journalId: journal.id,
    kind: journal.kind,
    postingDate: journal.postingDate,
    causedBy: journal.causedBy,
    sourceType: journal.sourceType,
    sourceId: journal.sourceId,
    reversesJournalId: journal.reversesJournalId,
    totalPence: journal.totalPence,
    lines: journal.lines.map((line) => ({
      accountCode: line.accountCode,
      debitPence: line.debitPence,
      creditPence: line.creditPence,
      accountReference: line.accountReference ?? null,
      vatPence: line.vatPence ?? 0,
    })),
  };
}
