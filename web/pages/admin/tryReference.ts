import type { ReferenceExplanation, StepOutcome } from '../../../domain/references';
import { stepNames } from '../../../domain/references';
import {
  errorsFromProblem,
  type FormErrors,
  formErrors,
  isFormProblem,
  noErrors,
  oneInput,
} from '../../forms';
import { field } from '../../page';
import type { Api } from './entity';

/**
 * "Try a reference" on a fund's page: a GET form (no JavaScript, nothing changes, so no CSRF
 * token), answered by the `explainReference` API route against the fund's saved validator,
 * shown as one verdict per step so staff can see which rule refuses a reference and, for a
 * check digit, which character it wants.
 */

export type TryReferenceView = {
  value: string;
  /** What the box is asked with; absent until someone tries a reference. */
  result?: {
    valid: boolean;
    normalisedReference: string;
    summary: string;
    rows: { name: string; tag: string; tagClass: string; detail: string }[];
  };
};

export const tryReferenceInput = oneInput('body.reference', 'tryReference', 'Reference to try');

const outcomeTags: Record<StepOutcome, { tag: string; tagClass: string }> = {
  passed: { tag: 'Passed', tagClass: 'govuk-tag--green' },
  failed: { tag: 'Refused', tagClass: 'govuk-tag--red' },
  not_reached: { tag: 'Not reached', tagClass: 'govuk-tag--grey' },
  not_set: { tag: 'Not set', tagClass: 'govuk-tag--grey' },
};

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function checkCharacterDetail(explanation: ReferenceExplanation): string {
  const check = explanation.checkCharacter;
  if (check === null) return '';
  const place = `character ${check.position + 1}`;
  if (check.expected === null) return `No check character at ${place} can make it valid.`;
  return `Expected "${check.expected}" at ${place}; the reference has "${check.found}".`;
}

function rowsOf(explanation: ReferenceExplanation) {
  return explanation.steps.map(({ step, outcome }) => {
    const failed = outcome === 'failed' ? (explanation.failure?.message ?? '') : '';
    const check = step === 'checkDigit' ? checkCharacterDetail(explanation) : '';
    return {
      name: capitalised(stepNames[step]),
      ...outcomeTags[outcome],
      detail: [failed, check].filter((part) => part !== '').join(' '),
    };
  });
}

/** The box for one request: as first shown, with an explanation, or with what to fix. */
export async function tryReferenceView(
  api: Api,
  fundCode: string,
  query: unknown,
): Promise<{ view: TryReferenceView; errors: FormErrors }> {
  const asked = typeof query === 'object' && query !== null && 'tryReference' in query;
  const value = field(query, 'tryReference');
  if (!asked) return { view: { value }, errors: noErrors };
  if (value === '') {
    const errors = formErrors([{ input: 'tryReference', message: 'Enter a reference to try' }]);
    return { view: { value }, errors };
  }
  try {
    const explanation = await api<ReferenceExplanation>('explainReference', {
      body: { fundCode, reference: value },
    });
    const result = {
      valid: explanation.valid,
      normalisedReference: explanation.normalisedReference,
      summary: explanation.summary,
      rows: rowsOf(explanation),
    };
    return { view: { value, result }, errors: noErrors };
  } catch (error) {
    if (!isFormProblem(error)) throw error;
    return { view: { value }, errors: errorsFromProblem(error, tryReferenceInput) };
  }
}
