import { z } from 'zod';
import type { RefundRow } from '../../db/refunds';

/** Requests and answers of the refund routes. Bank details go in, and never come back out. */

const pence = z.number().int();

export const refundIdSchema = z.string().regex(/^rfd_[0-9a-z]{20}$/, 'must be a refund id');
export const refundParams = z.object({ refundId: refundIdSchema }).strict();

export const bankAccountSchema = z
  .object({
    sortCode: z
      .string()
      .trim()
      .regex(/^\d{2}-?\d{2}-?\d{2}$/, 'must be six digits, e.g. 12-34-56'),
    accountNumber: z
      .string()
      .trim()
      .regex(/^\d{8}$/, 'must be eight digits'),
    accountName: z.string().trim().min(1).max(70),
  })
  .strict();

export const createRefundBody = z
  .object({
    paymentId: z
      .string()
      .regex(/^pay_[0-9a-z]{20}$/, 'must be a payment id')
      .optional()
      .describe('A card payment: refunded to the card through the PSP'),
    suspenseId: z
      .string()
      .regex(/^sus_[0-9a-z]{20}$/, 'must be a suspense id')
      .optional()
      .describe('Money in suspense: refunded by bank credit (BACS)'),
    amountPence: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    reason: z.string().trim().min(1).max(500),
    bankAccount: bankAccountSchema.optional().describe('Required for a bank credit'),
  })
  .strict()
  .superRefine((body, ctx) => {
    if ((body.paymentId === undefined) === (body.suspenseId === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['paymentId'],
        message: 'name exactly one of paymentId and suspenseId',
      });
    }
    if (body.suspenseId !== undefined && body.bankAccount === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['bankAccount'],
        message: 'is required to refund by bank credit',
      });
    }
    if (body.paymentId !== undefined && body.bankAccount !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['bankAccount'],
        message: 'card payments are refunded to the card',
      });
    }
  });

export const decisionBody = z
  .object({ reason: z.string().trim().min(1).max(500).optional() })
  .strict();
export const rejectionBody = z.object({ reason: z.string().trim().min(1).max(500) }).strict();

export const refundSearchQuery = z
  .object({
    state: z
      .enum([
        'requested',
        'awaiting_approval',
        'rejected',
        'submitting',
        'submitted',
        'awaiting_bacs_file',
        'succeeded',
        'failed',
      ])
      .optional(),
    sourceId: z
      .string()
      .regex(/^(pay|sus)_[0-9a-z]{20}$/)
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    before: refundIdSchema.optional().describe('Cursor: the last refundId of the previous page'),
  })
  .strict();

export const refundSchema = z
  .object({
    refundId: z.string(),
    sourceType: z.enum(['payment', 'suspense']),
    sourceId: z.string(),
    method: z.enum(['card', 'bacs']),
    amountPence: pence,
    reason: z.string(),
    state: z.string(),
    requestedBy: z.string(),
    approvalRequired: z.boolean(),
    fundCodes: z.array(z.string()),
    decidedBy: z.string().nullable(),
    decisionReason: z.string().nullable(),
    pspRefundId: z.string().nullable(),
    pspStatus: z.string().nullable(),
    failureReason: z.string().nullable(),
    journalId: z.string().nullable(),
    /** Only the last two digits: enough for staff to recognise it, too little to misuse. */
    bankAccountEnding: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'Refund' });

export function toRefund(row: RefundRow): z.infer<typeof refundSchema> {
  return {
    refundId: row.id,
    sourceType: row.sourceType,
    sourceId: row.sourceId,
    method: row.method,
    amountPence: row.amountPence,
    reason: row.reason,
    state: row.state,
    requestedBy: row.requestedBy,
    approvalRequired: row.approvalRequired,
    fundCodes: row.fundCodes,
    decidedBy: row.decidedBy,
    decisionReason: row.decisionReason,
    pspRefundId: row.pspRefundId,
    pspStatus: row.pspStatus,
    failureReason: row.failureReason,
    journalId: row.journalId,
    bankAccountEnding: row.bankAccountNumber === null ? null : row.bankAccountNumber.slice(-2),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
