import { z } from 'zod';
import {
  anchoredPattern,
  characterClasses,
  normaliseReference,
  type ReferenceErrorCode,
  type ReferenceValidator,
  validateReferenceShape,
} from '../../domain/references';
import { strictPatternProblem } from './patterns';

export { patternProblem, strictPatternProblem } from './patterns';

/**
 * A fund's reference validator, checked deeply before it is stored: a validator that cannot
 * compile or can never pass would refuse every payer of the fund, which staff would only find
 * out from the complaints. Two schemas share one shape: what a caller may save (every check
 * below), and what a stored validator may look like when it is read back (the checks that
 * were in force when it was saved), so that tightening the rules for saving never turns a
 * validator saved earlier into a failing read.
 */

const modulusSchema = z.number().int().min(2).max(1000);
const weightsSchema = z.array(z.number().int().nonnegative().max(1000)).min(1).max(100);
const resultSubstitutionsSchema = z
  .record(
    z.string().regex(/^\d{1,4}$/, 'keys must be whole numbers (a check result)'),
    z.string().length(1),
  )
  .optional();
const checkPositionSchema = z.number().int().nonnegative().max(199).optional();

const weightedSchema = z
  .object({
    kind: z.literal('weighted'),
    modulus: modulusSchema,
    weights: weightsSchema,
    sourceSubstitution: z.string().max(100).optional(),
    subtractFromModulus: z.boolean(),
    resultSubstitutions: resultSubstitutionsSchema,
    checkPosition: checkPositionSchema,
  })
  .strict();

const luhnSchema = z.object({ kind: z.literal('luhn') }).strict();

const dynixSchema = z
  .object({
    kind: z.literal('dynix'),
    modulus: modulusSchema,
    weights: weightsSchema,
    resultSubstitutions: resultSubstitutionsSchema,
    checkPosition: checkPositionSchema,
  })
  .strict();

// Printable ASCII: every mask character is either a placeholder or a literal someone can type.
const maskCharacters = /^[\x20-\x7e]+$/;

type ValidatorDraft = {
  minLength?: number | undefined;
  maxLength?: number | undefined;
  pattern?: string | undefined;
  mask?: string | undefined;
  examples?: string[] | undefined;
};

function maskProblem(mask: string, value: ValidatorDraft): string | null {
  if (!maskCharacters.test(mask)) return 'may hold only printable ASCII characters';
  if (mask.indexOf('@') !== mask.lastIndexOf('@')) return 'may hold at most one check character @';
  const { minLength = 1, maxLength = Number.POSITIVE_INFINITY } = value;
  if (mask.length < minLength || mask.length > maxLength) {
    return `is ${mask.length} characters, outside minLength–maxLength, so nothing could match`;
  }
  return null;
}

type Issue = (path: string, message: string) => void;

/** The checks every stored validator has passed; returns whether the validator is usable. */
function checkShape(value: ValidatorDraft, issue: Issue): boolean {
  let usable = true;
  if (
    value.minLength !== undefined &&
    value.maxLength !== undefined &&
    value.minLength > value.maxLength
  ) {
    issue('minLength', 'must not exceed maxLength');
  }
  if (value.pattern !== undefined) {
    try {
      anchoredPattern(value.pattern);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      issue('pattern', `is not a valid regular expression: ${error.message}`);
      usable = false;
    }
  }
  const mask = value.mask === undefined ? null : maskProblem(value.mask, value);
  if (mask !== null) issue('mask', mask);
  return usable;
}

/** Which setting refused an example, named as the API names the validator's fields. */
const fieldOfFailure: Partial<Record<ReferenceErrorCode, string>> = {
  too_short: 'minLength',
  too_long: 'maxLength',
  bad_characters: 'characterClass',
  pattern_mismatch: 'pattern',
  mask_mismatch: 'mask',
  check_digit_mismatch: 'checkDigit',
};

/**
 * What only a save must pass (issue 19): a pattern compiles strictly, a pattern comes with at
 * least one example, and every example passes the whole validator. A refused example is
 * reported on the setting that refused it, because that is usually what is wrong: the
 * pattern `6[0-9]{10` compiles in JavaScript's lenient mode as "6, a digit, then the text
 * {10", so it refuses every rent reference.
 */
function checkBeforeSaving(value: ValidatorDraft, issue: Issue): void {
  if (value.pattern !== undefined) {
    const problem = strictPatternProblem(value.pattern);
    if (problem !== null) {
      issue('pattern', problem);
      return;
    }
    if ((value.examples ?? []).length === 0) {
      issue('examples', 'must hold at least one reference the pattern accepts');
      return;
    }
  }
  for (const example of value.examples ?? []) {
    const normalised = normaliseReference(example);
    // A blank example is refused by its own schema; checking it here would blame a setting.
    if (normalised === '') continue;
    const failure = validateReferenceShape(normalised, value as ReferenceValidator);
    if (failure === null) continue;
    const message = `does not accept the example "${example}": ${failure.message}`;
    issue(fieldOfFailure[failure.code] ?? 'examples', message);
  }
}

const validatorShape = z
  .object({
    minLength: z.number().int().min(1).max(200).optional(),
    maxLength: z.number().int().min(1).max(200).optional(),
    characterClass: z.enum(characterClasses).optional(),
    pattern: z.string().min(1).max(500).optional(),
    patternDescription: z.string().max(200).optional(),
    mask: z.string().min(1).max(200).optional(),
    checkDigit: z.discriminatedUnion('kind', [weightedSchema, luhnSchema, dynixSchema]).optional(),
    examples: z
      .array(z.string().trim().min(1).max(200))
      .max(20)
      .optional()
      .describe('References the validator must accept; required with a pattern'),
  })
  .strict();

const issuesOf =
  (ctx: z.RefinementCtx): Issue =>
  (path, message) =>
    ctx.addIssue({ code: 'custom', path: [path], message });

/** A validator as stored and read back: the checks in force when it was saved. */
export const storedReferenceValidatorSchema = validatorShape
  .superRefine((value, ctx) => {
    checkShape(value, issuesOf(ctx));
  })
  .meta({ id: 'ReferenceValidator' });

/** A validator a caller wants to save: everything above, and the checks of `checkBeforeSaving`. */
export const referenceValidatorSchema = validatorShape
  .superRefine((value, ctx) => {
    const issue = issuesOf(ctx);
    if (checkShape(value, issue)) checkBeforeSaving(value, issue);
  })
  .meta({ id: 'ReferenceValidatorInput' });
