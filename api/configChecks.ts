import { inArray } from 'drizzle-orm';
import type { Executor } from '../db/executor';
import { funds, referenceValidators, vatCodes } from '../db/schema';
import { type FieldError, ProblemError } from './problem';

/**
 * Checks that a configuration change names things that exist, before writing, so the caller
 * hears which field is wrong rather than a bare foreign-key failure.
 */

/**
 * A check that needs the database or several fields, run against the entity as it would be
 * after the change; throws a ProblemError to refuse. `patch` holds only what the caller sent
 * (on creation, everything), so a check can skip fields that did not change.
 */
export type ConfigCheck = (
  tx: Executor,
  merged: Record<string, unknown>,
  patch: Record<string, unknown>,
) => Promise<void>;

type Named = { code: string; disabled: boolean };

async function codesIn(
  tx: Executor,
  table: typeof funds | typeof vatCodes | typeof referenceValidators,
  codes: string[],
) {
  if (codes.length === 0) return new Map<string, Named>();
  const rows = await tx
    .select({ code: table.code, disabled: table.disabled })
    .from(table)
    .where(inArray(table.code, codes));
  return new Map(rows.map((row) => [row.code, row]));
}

function refuse(errors: FieldError[]): never {
  throw new ProblemError(
    'validation_failed',
    'The request names configuration that cannot be used',
    errors,
  );
}

/** A fund's VAT code must exist and be in use. */
export async function requireUsableVatCode(tx: Executor, code: string, field: string) {
  const found = (await codesIn(tx, vatCodes, [code])).get(code);
  if (found === undefined) refuse([{ field, message: `no VAT code ${code}` }]);
  if (found.disabled) refuse([{ field, message: `VAT code ${code} is disabled` }]);
}

/** A fund's shared reference check must exist and be in use. */
export async function requireUsableReferenceValidator(tx: Executor, code: string, field: string) {
  const found = (await codesIn(tx, referenceValidators, [code])).get(code);
  if (found === undefined) refuse([{ field, message: `no shared reference check ${code}` }]);
  if (found.disabled) refuse([{ field, message: `shared reference check ${code} is disabled` }]);
}

/**
 * Every listed fund must exist; `fieldOf(index)` names each one's field. Disabled funds are
 * accepted, because a group or route may keep naming a fund that is resting.
 */
export async function requireFunds(
  tx: Executor,
  codes: readonly string[],
  fieldOf: (index: number) => string,
) {
  const found = await codesIn(tx, funds, [...new Set(codes)]);
  const errors: FieldError[] = [];
  codes.forEach((code, index) => {
    if (!found.has(code)) errors.push({ field: fieldOf(index), message: `no fund ${code}` });
  });
  if (errors.length > 0) refuse(errors);
}
