// The public face of reference validation: other modules import from here, not from the
// individual files, so the files can be rearranged without touching callers.
export { anchoredPattern } from './anchoredPattern';
export type { CheckDigitScheme, LuhnCheckDigit, WeightedCheckDigit } from './checkDigit';
export { computeCheckCharacter, verifyCheckDigit } from './checkDigit';
export { luhnCheck, luhnCheckDigit } from './luhn';
export type { MaskResult } from './mask';
export { checkPositionOf, matchesMask } from './mask';
export type { ReferenceRoute } from './routing';
export { routeByValidator, routeReference } from './routing';
export type {
  AmountLimits,
  ReferenceErrorCode,
  ReferenceValidator,
  ValidationFailure,
  ValidationResult,
} from './validator';
export {
  normaliseReference,
  validateAmount,
  validateReference,
  validateReferenceShape,
} from './validator';
