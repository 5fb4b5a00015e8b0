import { z } from 'zod';
import { normalisePostcode } from '../../domain/accountHolders';
import { codeSchema, reasonSchema } from './common';

/** Requests of the account-holder search and the on-screen create and edit. */

const line = z.string().trim().max(200);

/** Absent fields are `absent` (null on create, unchanged on edit); "" clears a field. */
function shapeWith<Absent extends null | undefined>(absent: Absent) {
  const optionalLine = line
    .optional()
    .transform((value) => (value === undefined ? absent : value === '' ? null : value));
  const postcode = z
    .string()
    .trim()
    .max(10)
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return absent as Absent;
      if (value === '') return null;
      const normalised = normalisePostcode(value);
      if (normalised === null) ctx.addIssue({ code: 'custom', message: 'must be a UK postcode' });
      return normalised;
    });
  return {
    title: optionalLine,
    forenames: optionalLine,
    surname: optionalLine,
    organisation: optionalLine,
    addressLine1: optionalLine,
    addressLine2: optionalLine,
    town: optionalLine,
    postcode,
    balancePence: z
      .number()
      .int()
      .min(-Number.MAX_SAFE_INTEGER)
      .max(Number.MAX_SAFE_INTEGER)
      .nullable()
      .optional(),
    onStop: onStop.optional(),
    reason: reasonSchema,
  };
}

const onStop = z
  .union([
    z.object({ messageCode: codeSchema }).strict(),
    z.object({ message: z.string().trim().min(1).max(500) }).strict(),
    z.null(),
  ])
  .describe(
    "On stop: one of the fund's reusable messages by code, or a message of its own; null takes the account off stop",
  );

const named = (
  body: { surname?: string | null; organisation?: string | null },
  ctx: z.RefinementCtx,
) => {
  if (body.surname == null && body.organisation == null)
    ctx.addIssue({
      code: 'custom',
      path: ['surname'],
      message: 'enter a surname or an organisation',
    });
};

export const createHolderBody = z
  .object({ reference: z.string().trim().min(1).max(50), ...shapeWith(null) })
  .strict()
  .superRefine(named);

/** Every field optional: only what is sent changes (send "" to clear a line). */
export const updateHolderBody = z.object(shapeWith(undefined)).strict();

export const holderSearchQuery = z
  .object({
    q: z
      .string()
      .trim()
      .min(2)
      .max(100)
      .optional()
      .describe('A reference, name or part of an address'),
    postcode: z
      .string()
      .trim()
      .min(2)
      .max(10)
      .regex(/^[A-Za-z0-9 ]+$/, 'must be letters, digits and spaces')
      .optional()
      .describe('All or the start of a postcode; spaces and case do not matter'),
    fundCode: codeSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict()
  .superRefine((query, ctx) => {
    if (query.q === undefined && query.postcode === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['q'],
        message: 'enter a name, reference, address or postcode',
      });
  });

export const onStopMessageSchema = z
  .object({ code: z.string(), message: z.string() })
  .meta({ id: 'OnStopMessage' });

export const createOnStopMessageBody = z
  .object({ code: codeSchema, message: z.string().trim().min(1).max(500), reason: reasonSchema })
  .strict();
