// The public face of reference validation: other modules import from here, not from the
// individual files, so the files can be rearranged without touching callers.
export { anchoredPattern } from './anchoredPattern';
export type {
  CheckDigitScheme,
  DynixCheckDigit,
  LuhnCheckDigit,
  WeightedCheckDigit,
} from './checkDigit';
export {
  checkDigitKinds,
  computeCheckCharacter,
  expectedCheckCharacter,
  verifyCheckDigit,
} from './checkDigit';
export { dynixTerm } from './dynix';
export type { ReferenceExplanation, StepExplanation, StepOutcome } from './explain';
export { explainReference, stepNames, stepOutcomes } from './explain';
export { luhnCheck, luhnCheckDigit } from './luhn';
export type { MaskResult } from './mask';
export { checkPositionOf, matchesMask } from './mask';
export type { ReferenceRoute } from './routing';
export { routeByValidator, routeReference } from './routing';
export type { ReferenceStep } from './shapeSteps';
export { referenceSteps } from './shapeSteps';
export type {
  AmountLimits,
  CharacterClass,
  ReferenceErrorCode,
  ReferenceValidator,
  ValidationFailure,
  ValidationResult,
} from './types';
export { characterClasses } from './types';
export {
  normaliseReference,
  validateAmount,
  validateReference,
  validateReferenceShape,
} from './validator';
