import { z } from 'zod';
import { anchoredPattern } from '../../domain/references';

/**
 * A fund's reference validator, checked deeply before it is stored: a validator that cannot
 * compile or can never pass would refuse every payer of the fund, which staff would only find
 * out from the complaints.
 */

const weightedSchema = z
  .object({
    kind: z.literal('weighted'),
    modulus: z.number().int().min(2).max(1000),
    weights: z.array(z.number().int().nonnegative().max(1000)).min(1).max(100),
    sourceSubstitution: z.string().max(100).optional(),
    subtractFromModulus: z.boolean(),
    resultSubstitutions: z
      .record(
        z.string().regex(/^\d{1,4}$/, 'keys must be whole numbers (a check result)'),
        z.string().length(1),
      )
      .optional(),
    checkPosition: z.number().int().nonnegative().max(199).optional(),
  })
  .strict();

const luhnSchema = z.object({ kind: z.literal('luhn') }).strict();

// Printable ASCII: every mask character is either a placeholder or a literal someone can type.
const maskCharacters = /^[\x20-\x7e]+$/;

type ValidatorDraft = {
  minLength?: number | undefined;
  maxLength?: number | undefined;
  pattern?: string | undefined;
  mask?: string | undefined;
};

/** Why a configured regex source cannot be used, or null when it compiles. */
export function patternProblem(pattern: string): string | null {
  try {
    anchoredPattern(pattern);
    return null;
  } catch (error) {
    if (error instanceof SyntaxError) return `is not a valid regular expression: ${error.message}`;
    throw error;
  }
}

function maskProblem(mask: string, value: ValidatorDraft): string | null {
  if (!maskCharacters.test(mask)) return 'may hold only printable ASCII characters';
  if (mask.indexOf('@') !== mask.lastIndexOf('@')) return 'may hold at most one check character @';
  const { minLength = 1, maxLength = Number.POSITIVE_INFINITY } = value;
  if (mask.length < minLength || mask.length > maxLength) {
    return `is ${mask.length} characters, outside minLength–maxLength, so nothing could match`;
  }
  return null;
}

function checkValidator(value: ValidatorDraft, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [path], message });
  if (
    value.minLength !== undefined &&
    value.maxLength !== undefined &&
    value.minLength > value.maxLength
  ) {
    issue('minLength', 'must not exceed maxLength');
  }
  const pattern = value.pattern === undefined ? null : patternProblem(value.pattern);
  if (pattern !== null) issue('pattern', pattern);
  const mask = value.mask === undefined ? null : maskProblem(value.mask, value);
  if (mask !== null) issue('mask', mask);
}

export const referenceValidatorSchema = z
  .object({
    minLength: z.number().int().min(1).max(200).optional(),
    maxLength: z.number().int().min(1).max(200).optional(),
    characterClass: z.enum(['digits', 'letters', 'alphanumeric', 'any']).optional(),
    pattern: z.string().min(1).max(500).optional(),
    patternDescription: z.string().max(200).optional(),
    mask: z.string().min(1).max(200).optional(),
    checkDigit: z.discriminatedUnion('kind', [weightedSchema, luhnSchema]).optional(),
  })
  .strict()
  .superRefine(checkValidator)
  .meta({ id: 'ReferenceValidator' });
