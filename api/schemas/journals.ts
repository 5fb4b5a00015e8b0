import { z } from 'zod';
import type { JournalApproval } from '../../db/journalApprovals';
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
        type: z.enum(['payment', 'suspense', 'import']),
        id: z
          .string()
          .regex(/^(pay|sus|imp)_[0-9a-z]{20}$/, 'must be a payment, suspense or import id'),
      })
      .strict()
      .describe(
        'The income whose allocation moves: a payment, a suspense item, or an import (whose rows are found by the from fund and reference)',
      ),
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
    withVat: z
      .boolean()
      .default(false)
      .describe(
        "true: the amount is gross and VAT follows the funds (given back at the source fund's VAT rate, extracted at the target's); false: no VAT effect",
      ),
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

export const journalApprovalParams = z
  .object({ approvalId: z.string().regex(/^jap_[0-9a-z]{20}$/, 'must be a journal approval id') })
  .strict();

export const journalApprovalSchema = z
  .object({
    approvalId: z.string(),
    kind: z.enum(['move', 'transfer', 'reverse']),
    state: z.enum(['awaiting_approval', 'approved', 'rejected']),
    amountPence: pence,
    reason: z.string(),
    requestedBy: z.string(),
    requestedAt: z.string(),
    decidedBy: z.string().nullable(),
    decisionReason: z.string().nullable(),
    decidedAt: z.string().nullable(),
    journalId: z.string().nullable().describe('The journal posted on approval'),
    request: z
      .record(z.string(), z.unknown())
      .describe(
        'What will be posted on approval: source, from, to, amount (or the journal to reverse)',
      ),
  })
  .meta({ id: 'JournalApproval' });

/** A journal posted at once, or one held for four-eyes approval (answered with 202). */
export const journalOrApprovalSchema = z.union([postedJournalSchema, journalApprovalSchema]);

export function toJournalApproval(row: JournalApproval): z.infer<typeof journalApprovalSchema> {
  return {
    approvalId: row.id,
    kind: row.kind,
    state: row.state,
    amountPence: row.amountPence,
    reason: row.reason,
    requestedBy: row.requestedBy,
    requestedAt: row.createdAt.toISOString(),
    decidedBy: row.decidedBy,
    decisionReason: row.decisionReason,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    journalId: row.journalId,
    request: row.request,
  };
}

export const decideBody = z.object({ reason }).strict();
export const approveJournalBody = z
  .object({ reason: z.string().trim().max(500).optional() })
  .strict();

export const journalApprovalListQuery = z
  .object({
    state: z.enum(['awaiting_approval', 'approved', 'rejected']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    before: z
      .string()
      .regex(/^jap_[0-9a-z]{20}$/, 'must be a journal approval id')
      .optional()
      .describe('Cursor: the last approvalId of the previous page'),
  })
  .strict();

export const journalListQuery = z
  .object({
    kind: z
      .string()
      .regex(/^[a-z_]{1,30}$/, 'must be a journal kind')
      .optional(),
    sourceId: z
      .string()
      .regex(/^[a-z]{3}_[0-9a-z]{20}$/, 'must be an id')
      .optional(),
    reversesJournalId: journalParams.shape.journalId.optional(),
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
    manual: z
      .enum(['true'])
      .optional()
      .describe('`true`: only the journals staff post by hand (moves, transfers, their reversals)'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    before: journalParams.shape.journalId
      .optional()
      .describe('Cursor: the last journalId of the previous page'),
  })
  .strict()
  .superRefine((query, ctx) => {
    if (query.from !== undefined && query.to !== undefined && query.from > query.to)
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after `to`' });
  });

export const journalSummarySchema = z
  .object({
    journalId: z.string(),
    kind: z.string(),
    description: z.string(),
    postingDate: z.string(),
    causedBy: z.string(),
    sourceType: z.string().nullable(),
    sourceId: z.string().nullable(),
    reversesJournalId: z.string().nullable(),
    reversedBy: z.string().nullable(),
    totalPence: pence,
    createdAt: z.string(),
  })
  .meta({ id: 'JournalSummary' });
