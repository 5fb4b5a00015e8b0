import { z } from 'zod';
import { allocationPartsMax } from '../../domain/suspense';
import { creditNotesMax, togetherItemsMax } from '../../domain/suspenseTogether';
import { codeSchema } from './common';
import { suspenseIdSchema } from './suspense';

/** The request and answer of allocating several suspense items together. */

const positivePence = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const line = z
  .object({
    fundCode: codeSchema,
    reference: z.string().trim().min(1).max(50),
    amountPence: positivePence,
  })
  .strict();

export const allocateTogetherBody = z
  .object({
    items: z
      .array(z.object({ suspenseId: suspenseIdSchema, amountPence: positivePence }).strict())
      .min(1)
      .max(togetherItemsMax)
      .describe('Each item and how much of what remains in it goes into this allocation'),
    parts: z.array(line).min(1).max(allocationPartsMax).describe('Where the money goes'),
    creditNotes: z
      .array(line)
      .max(creditNotesMax)
      .optional()
      .describe(
        'Credit held on accounts, taken back and allocated with the items: each account must hold at least this much',
      ),
    totalPence: positivePence.describe(
      'Control total: the parts, and the items plus credit notes, must each add up to it exactly',
    ),
    reason: z.string().trim().min(1).max(500),
  })
  .strict();

export const togetherResultSchema = z
  .object({
    journalId: z.string(),
    items: z.array(
      z.object({ suspenseId: z.string(), remainingPence: z.number().int(), state: z.string() }),
    ),
  })
  .meta({ id: 'SuspenseAllocationTogether' });
