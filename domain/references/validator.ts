import { formatPounds, pence } from '../money';
import { shapeSteps } from './shapeSteps';
import type {
  AmountLimits,
  ReferenceErrorCode,
  ReferenceValidator,
  ValidationFailure,
  ValidationResult,
} from './types';

function amountFailure(code: ReferenceErrorCode, message: string): ValidationFailure {
  return { ok: false, code, field: 'amountPence', message };
}

/**
 * The one normalisation every reference gets before any check, and the form callers store:
 * whitespace is trimmed from both ends (people paste references with stray spaces), and the
 * whole is upper-cased (people type them in lower case). Spaces inside are removed too, as
 * people type "1234 5678" for 12345678, unless the fund's references may hold spaces (a
 * `…WithSpaces` class, `any`, or a pattern or mask with a space): there they stay as typed.
 * Without the fund's validator only the ends are trimmed.
 */
export function normaliseReference(reference: string, validator?: ReferenceValidator): string {
  const trimmed = reference.trim().toUpperCase();
  if (validator === undefined || keepsInnerSpaces(validator)) return trimmed;
  return trimmed.replace(/ +/g, '');
}

/** Whether a fund's references may hold spaces, so that a space typed inside is meaningful. */
export function keepsInnerSpaces(validator: ReferenceValidator): boolean {
  const spacedClass =
    validator.characterClass === 'any' || validator.characterClass?.endsWith('WithSpaces');
  const spacedPattern = validator.pattern !== undefined && /\\s| /.test(validator.pattern);
  // A mask's `*` takes a space as well as a letter or digit.
  const spacedMask = /[ *]/.test(validator.mask ?? '');
  return spacedClass === true || spacedPattern || spacedMask;
}

/**
 * Checks the amount against every set of limits (fund and method of payment) at once, and
 * reports the tightest bound, because that is the one the payer has to meet. A non-integer
 * amount is a caller's mistake (amounts are parsed into pence before they get here).
 */
export function validateAmount(
  amountPence: number,
  limits: readonly AmountLimits[],
): ValidationFailure | null {
  pence(amountPence);
  if (amountPence <= 0) {
    return amountFailure('amount_not_positive', 'Amount must be more than £0.00');
  }
  let minPence = 0;
  let maxPence = Number.POSITIVE_INFINITY;
  for (const limit of limits) {
    if (limit.minPence !== undefined && limit.minPence > minPence) minPence = limit.minPence;
    if (limit.maxPence !== undefined && limit.maxPence < maxPence) maxPence = limit.maxPence;
  }
  if (amountPence < minPence) {
    const min = formatPounds(pence(minPence));
    const got = formatPounds(pence(amountPence));
    return amountFailure('amount_below_minimum', `Amount must be at least ${min}; got ${got}`);
  }
  if (amountPence > maxPence) {
    const max = formatPounds(pence(maxPence));
    const got = formatPounds(pence(amountPence));
    return amountFailure('amount_above_maximum', `Amount must be no more than ${max}; got ${got}`);
  }
  return null;
}

/**
 * Checks an already normalised reference against length, character class, pattern, mask
 * and check digit, in that order, and returns the first failure. Amounts are not involved,
 * so this also answers "which funds could this reference belong to?".
 */
export function validateReferenceShape(
  normalisedReference: string,
  validator: ReferenceValidator,
): ValidationFailure | null {
  for (const step of shapeSteps) {
    const failure = step.failure(normalisedReference, validator);
    if (failure !== null) return failure;
  }
  return null;
}

/**
 * Validates a payment's reference for a fund: amount limits first (every entry: fund and
 * method of payment), then the reference's shape. The reference is normalised first (see
 * `normaliseReference`), and that normalised form is what callers should store.
 */
export function validateReference(input: {
  reference: string;
  amountPence: number;
  validator: ReferenceValidator;
  limits: readonly AmountLimits[];
}): ValidationResult {
  const amountProblem = validateAmount(input.amountPence, input.limits);
  if (amountProblem !== null) return amountProblem;
  const normalisedReference = normaliseReference(input.reference, input.validator);
  const shapeProblem = validateReferenceShape(normalisedReference, input.validator);
  if (shapeProblem !== null) return shapeProblem;
  return { ok: true, normalisedReference };
}
