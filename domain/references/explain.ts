import { expectedCheckCharacter } from './checkDigit';
import { type ReferenceStep, schemeFor, shapeSteps } from './shapeSteps';
import type { ReferenceErrorCode, ReferenceValidator } from './types';
import { normaliseReference } from './validator';

/**
 * Why a reference passes or fails a validator, step by step, for the staff who configure
 * funds ("try a reference") and for integrators debugging a web form. It walks the same steps
 * as validation, so its verdict is always validation's verdict. Amounts are not involved.
 */

/** `not_set`: the validator does not configure the step; `not_reached`: an earlier one failed. */
export const stepOutcomes = ['passed', 'failed', 'not_reached', 'not_set'] as const;

export type StepOutcome = (typeof stepOutcomes)[number];

export type StepExplanation = { step: ReferenceStep; outcome: StepOutcome };

export type ReferenceExplanation = {
  valid: boolean;
  /** The reference as every step saw it: trimmed and upper-cased. */
  normalisedReference: string;
  steps: StepExplanation[];
  /** The first failing step with validation's own code and message; null when valid. */
  failure: { step: ReferenceStep; code: ReferenceErrorCode; message: string } | null;
  /**
   * The check character, when the validator has a check digit and every step before it passed
   * (the rest is well formed, so the expectation means something). `expected` is null when no
   * single character can make the reference valid: a Luhn payload with a non-digit, or a
   * result such as 10 that the scheme does not write as one character. Null otherwise.
   */
  checkCharacter: { position: number; found: string; expected: string | null } | null;
  /** One sentence for a person: the verdict, the step and, for a check digit, what it wants. */
  summary: string;
};

/** How each step is named to people, on screens and in summaries. */
export const stepNames: Record<ReferenceStep, string> = {
  length: 'length',
  characterClass: 'characters allowed',
  pattern: 'pattern',
  mask: 'mask',
  checkDigit: 'check digit',
};

function checkCharacterOf(
  reference: string,
  validator: ReferenceValidator,
): ReferenceExplanation['checkCharacter'] {
  const scheme = schemeFor(validator);
  if (scheme === undefined) return null;
  const found = expectedCheckCharacter(scheme, reference);
  if (found === null) {
    // Only Luhn gets here with a position inside the reference (a non-digit payload); an empty
    // reference has already failed on length.
    return { position: reference.length - 1, found: reference.slice(-1), expected: null };
  }
  const expected = found.expected.length === 1 ? found.expected : null;
  return { position: found.position, found: reference.charAt(found.position), expected };
}

function summaryOf(explanation: Omit<ReferenceExplanation, 'summary'>): string {
  const { failure, checkCharacter } = explanation;
  if (failure === null) return 'The reference passes every step.';
  const refused = `Refused at the ${stepNames[failure.step]} step: ${failure.message.replace(/\.$/, '')}.`;
  if (failure.step !== 'checkDigit' || checkCharacter === null) return refused;
  const place = `character ${checkCharacter.position + 1}`;
  if (checkCharacter.expected === null) {
    return `${refused} No check character at ${place} can make this reference valid.`;
  }
  return `${refused} The check character (${place}) should be "${checkCharacter.expected}", not "${checkCharacter.found}".`;
}

/** Explains `reference` (as typed; it is normalised here) against `validator`. */
export function explainReference(
  reference: string,
  validator: ReferenceValidator,
): ReferenceExplanation {
  const normalisedReference = normaliseReference(reference, validator);
  const steps: StepExplanation[] = [];
  let failure: ReferenceExplanation['failure'] = null;
  for (const { step, isSet, failure: failureOf } of shapeSteps) {
    if (!isSet(validator)) {
      steps.push({ step, outcome: 'not_set' });
    } else if (failure !== null) {
      steps.push({ step, outcome: 'not_reached' });
    } else {
      const failed = failureOf(normalisedReference, validator);
      if (failed !== null) failure = { step, code: failed.code, message: failed.message };
      steps.push({ step, outcome: failed === null ? 'passed' : 'failed' });
    }
  }
  const restWellFormed = failure === null || failure.step === 'checkDigit';
  const checkCharacter = restWellFormed ? checkCharacterOf(normalisedReference, validator) : null;
  const partial = { valid: failure === null, normalisedReference, steps, failure, checkCharacter };
  return { ...partial, summary: summaryOf(partial) };
}
