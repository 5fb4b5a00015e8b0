import { z } from 'zod';

/** Building blocks shared by the configuration schemas. */

/** Codes are what people type and files carry: short upper-case tokens, never free text. */
export const codeSchema = z
  .string()
  .regex(/^[A-Z0-9_]{1,20}$/, 'must be 1 to 20 upper-case letters, digits or "_"');

export const officeCodeSchema = z.string().regex(/^[A-Z]{2}$/, 'must be exactly two letters A–Z');

/** Money is integer pence; the upper bound keeps it exact in a JavaScript number. */
export const penceSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const nameSchema = z.string().trim().min(1).max(200);

/** Why a change was made; goes into the audit row, not onto the entity. */
export const reasonSchema = z.string().trim().min(1).max(500).optional();

/** Creation and change times of a configuration row, as ISO 8601 strings. */
export const timestampsShape = {
  disabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

/** Query flag for lists: `disabled=false` for what is in use, `true` for what is retired. */
export const disabledFilterSchema = z
  .enum(['true', 'false'])
  .optional()
  .transform((value) => (value === undefined ? undefined : value === 'true'));
