import { z } from 'zod';
import type { getSuspenseItem, searchSuspenseItems } from '../../db/suspense';
import { allocationPartsMax } from '../../domain/suspense';
import { codeSchema } from './common';

/** Requests and answers of the suspense routes. */

const pence = z.number().int();
const positivePence = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const suspenseIdSchema = z.string().regex(/^sus_[0-9a-z]{20}$/, 'must be a suspense id');
export const suspenseParams = z.object({ suspenseId: suspenseIdSchema }).strict();

export const createSuspenseBody = z
  .object({
    amountPence: positivePence,
    receivedReference: z.string().trim().min(1).max(100),
    narrative: z.string().trim().max(500).default(''),
    receivedDate: z.iso.date().optional().describe('Defaults to today (UK)'),
    controlAccountCode: z
      .string()
      .regex(/^CTRL:[A-Z_]{1,40}$/, 'must be a control account code')
      .default('CTRL:BANK')
      .describe('The account debited: where the money is (the bank, cash in hand…)'),
    fundCodeHint: codeSchema.optional(),
    reason: z.string().trim().min(1).max(500),
  })
  .strict();

export const allocateBody = z
  .object({
    parts: z
      .array(
        z
          .object({
            fundCode: codeSchema,
            reference: z.string().trim().min(1).max(50),
            amountPence: positivePence,
          })
          .strict(),
      )
      .min(1)
      .max(allocationPartsMax),
    // Whether the parts add up is the workflow validator's rule (422), not the shape's (400).
    totalPence: positivePence.describe('Control total: the parts must add up to it exactly'),
    reason: z.string().trim().max(500).optional(),
  })
  .strict();

export const noteBody = z.object({ text: z.string().trim().min(1).max(2000) }).strict();
export const assignBody = z
  .object({ assignee: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'must be a user id') })
  .strict();
export const writeOffBody = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
export const approveBody = z.object({ reason: z.string().trim().max(500).optional() }).strict();

/** An item's age in whole calendar days since the day it was received (0: received today). */
const ageDays = z
  .string()
  .regex(/^\d{1,5}$/, 'must be a whole number of days, 0 or more')
  .transform(Number)
  .optional();

/** Pence in a query string: a whole number, 0 or more. */
const wholePence = z
  .string()
  .regex(/^\d{1,15}$/, 'must be a whole number of pence')
  .transform(Number)
  .optional();

export const suspenseSearchQuery = z
  .object({
    state: z.enum(['open', 'allocated', 'refunded', 'written_off']).optional(),
    fundCode: codeSchema.optional(),
    importId: z
      .string()
      .regex(/^imp_[0-9a-z]{20}$/)
      .optional(),
    overdue: z
      .enum(['true', 'false'])
      .optional()
      .transform((value) => (value === undefined ? undefined : value === 'true')),
    writeOff: z
      .enum(['requested'])
      .optional()
      .describe('`requested`: only open items whose write-off awaits a second person (the queue)'),
    minAgeDays: ageDays.describe(
      'Only items received at least this many days ago (0 is today), counted in calendar days on the UK business date',
    ),
    maxAgeDays: ageDays.describe(
      'Only items received at most this many days ago; with minAgeDays, an age band such as 6 to 20',
    ),
    reference: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('The reference the money arrived with contains this (any case)'),
    narrative: z.string().trim().min(1).max(100).optional().describe('The narrative contains this'),
    minAmountPence: wholePence.describe('Received at least this much'),
    maxAmountPence: wholePence.describe('Received at most this much'),
    receivedFrom: z.iso.date().optional().describe('Received on or after this day'),
    receivedTo: z.iso.date().optional().describe('Received on or before this day'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    before: suspenseIdSchema
      .optional()
      .describe('Cursor: the last suspenseId of the previous page'),
  })
  .strict()
  .superRefine((query, ctx) => {
    const bounds: [keyof typeof query, keyof typeof query][] = [
      ['minAmountPence', 'maxAmountPence'],
      ['receivedFrom', 'receivedTo'],
    ];
    for (const [low, high] of bounds) {
      const [from, to] = [query[low], query[high]];
      if (
        from !== undefined &&
        to !== undefined &&
        (from as number | string) > (to as number | string)
      )
        ctx.addIssue({ code: 'custom', path: [high], message: `must not be less than ${low}` });
    }
    if (
      query.minAgeDays !== undefined &&
      query.maxAgeDays !== undefined &&
      query.maxAgeDays < query.minAgeDays
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxAgeDays'],
        message: 'must not be less than minAgeDays',
      });
    }
  });

export const suspenseSummarySchema = z.object({
  suspenseId: z.string(),
  state: z.string(),
  sourceType: z.string(),
  sourceId: z.string(),
  amountPence: pence,
  remainingPence: pence,
  receivedReference: z.string(),
  narrative: z.string(),
  receivedDate: z.string(),
  fundCodeHint: z.string().nullable(),
  assignedTo: z.string().nullable(),
  priority: z.enum(['normal', 'high', 'urgent']),
  overdue: z.boolean(),
  createdAt: z.string(),
});

export const suspenseItemSchema = suspenseSummarySchema
  .extend({
    sourceLineNo: z.number().int().nullable(),
    reason: z.string(),
    journalId: z.string().nullable(),
    overdueSince: z.string().nullable(),
    writeOff: z.object({ requestedBy: z.string(), reason: z.string().nullable() }).nullable(),
    updatedAt: z.string(),
    notes: z.array(z.object({ at: z.string(), actor: z.string(), text: z.string() })),
    allocations: z.array(
      z.object({
        fundCode: z.string(),
        reference: z.string(),
        amountPence: pence,
        journalId: z.string(),
        allocatedBy: z.string(),
        at: z.string(),
      }),
    ),
    history: z.array(
      z.object({
        at: z.string(),
        event: z.string(),
        actor: z.string(),
        detail: z.record(z.string(), z.unknown()),
      }),
    ),
  })
  .meta({ id: 'SuspenseItem' });

export const allocationResultSchema = z
  .object({
    suspenseId: z.string(),
    journalId: z.string(),
    remainingPence: pence,
    state: z.string(),
  })
  .meta({ id: 'SuspenseAllocation' });

type Detail = NonNullable<Awaited<ReturnType<typeof getSuspenseItem>>>;
type SearchRow = Awaited<ReturnType<typeof searchSuspenseItems>>[number];

export function toSuspenseSummary({ item, work }: Pick<Detail, 'item' | 'work'> | SearchRow) {
  return {
    suspenseId: item.id,
    state: item.state,
    sourceType: item.sourceType,
    sourceId: item.sourceId,
    amountPence: item.amountPence,
    remainingPence: item.remainingPence,
    receivedReference: item.receivedReference,
    narrative: item.narrative,
    receivedDate: item.receivedDate,
    fundCodeHint: item.fundCodeHint,
    assignedTo: item.assignedTo,
    priority: work?.priority ?? 'normal',
    overdue: work?.overdue ?? false,
    createdAt: item.createdAt.toISOString(),
  };
}

export function toSuspenseItem(detail: Detail): z.infer<typeof suspenseItemSchema> {
  const { item, work, events, allocations } = detail;
  return {
    ...toSuspenseSummary(detail),
    sourceLineNo: item.sourceLineNo,
    reason: item.reason,
    journalId: item.journalId,
    overdueSince: work?.overdueSince?.toISOString() ?? null,
    writeOff:
      work?.writeOffRequestedBy == null
        ? null
        : { requestedBy: work.writeOffRequestedBy, reason: work.writeOffReason },
    updatedAt: item.updatedAt.toISOString(),
    notes: events
      .filter((event) => event.event === 'note')
      .map((event) => ({
        at: event.occurredAt.toISOString(),
        actor: event.actor,
        text: event.text ?? '',
      })),
    allocations: allocations.map((part) => ({
      fundCode: part.fundCode,
      reference: part.reference,
      amountPence: part.amountPence,
      journalId: part.journalId,
      allocatedBy: part.allocatedBy,
      at: part.createdAt.toISOString(),
    })),
    history: events.map((event) => ({
      at: event.occurredAt.toISOString(),
      event: event.event,
      actor: event.actor,
      detail: event.detail,
    })),
  };
}
