import { type ProblemCode, ProblemError, problemCodes } from '../api/problem';

/**
 * Errors of a form in the shape GOV.UK's components want: the error summary's list (each
 * linking to its input) and each input's own message. The API names fields as
 * `body.lines[0].amountPence`; each form says which input that is.
 */
export type FormErrors = {
  list: { text: string; href?: string }[];
  byField: Record<string, { text: string }>;
};

export const noErrors: FormErrors = { list: [], byField: {} };

/** A confirmation page whose one input is the reason, as first shown or shown again. */
export type ReasonForm = { errors: FormErrors; reason: string; status: number };
export const blankReasonForm: ReasonForm = { errors: noErrors, reason: '', status: 200 };

export type FormError = { input: string | null; message: string };

export function formErrors(errors: readonly FormError[]): FormErrors {
  const result: FormErrors = { list: [], byField: {} };
  for (const { input, message } of errors) {
    if (input !== null && result.byField[input] !== undefined) continue; // first message wins
    result.list.push(input === null ? { text: message } : { text: message, href: `#${input}` });
    if (input !== null) result.byField[input] = { text: message };
  }
  return result;
}

/** Two forms' errors on one page, the first's listed first (each input keeps its own). */
export function combinedErrors(first: FormErrors, second: FormErrors): FormErrors {
  return {
    list: [...first.list, ...second.list],
    byField: { ...second.byField, ...first.byField },
  };
}

export function hasErrors(errors: FormErrors): boolean {
  return errors.list.length > 0;
}

/**
 * How one form reads the API's field names: `inputs` maps an API field (exact, e.g.
 * `body.reason`, or a function for indexed ones) to the input's id; `labels` names each input,
 * so the API's 'must be eight digits' reads 'Account number must be eight digits'.
 */
export type FieldMap = {
  inputs: Record<string, string> | ((apiField: string) => string | undefined);
  labels: Record<string, string>;
};

function sentence(label: string | undefined, message: string): string {
  const text = message.trim();
  if (text === '') return label === undefined ? 'There is a problem' : `${label} is not valid`;
  // The API writes most field messages to follow the field's name ('must be a fund code').
  if (label !== undefined && /^(must|is|are|was|has|have|cannot|should|does|do)\b/.test(text)) {
    return `${label} ${text}`;
  }
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Problems a person can fix by changing the form, rather than a fault or a missing page. */
const formProblemCodes = new Set<ProblemCode>([
  'validation_failed',
  'unprocessable',
  'conflict',
  'forbidden',
]);

export function isFormProblem(error: unknown): error is ProblemError {
  return error instanceof ProblemError && formProblemCodes.has(error.code);
}

export function statusOf(problem: ProblemError): number {
  return problemCodes[problem.code].status;
}

/** The API's refusal as form errors; an error naming no input of this form links nowhere. */
export function errorsFromProblem(problem: ProblemError, map: FieldMap): FormErrors {
  const inputOf = (apiField: string) =>
    typeof map.inputs === 'function' ? map.inputs(apiField) : map.inputs[apiField];
  const errors: FormError[] = problem.errors.map((error) => {
    const input = inputOf(error.field);
    const label = input === undefined ? undefined : map.labels[input];
    return { input: input ?? null, message: sentence(label, error.message) };
  });
  if (errors.length === 0 || errors.every((error) => error.input === null)) {
    errors.unshift({ input: null, message: sentence(undefined, problem.detail) });
  }
  return formErrors(errors);
}

/** The field map of a form with one input, such as a reason or a note. */
export function oneInput(apiField: string, input: string, label: string): FieldMap {
  return { inputs: { [apiField]: input }, labels: { [input]: label } };
}

/** The reason box most confirmation pages have, as the API names it. */
export const reasonInput = oneInput('body.reason', 'reason', 'Reason');

/**
 * The four-eyes refusal in the form's own words (the API names the actor field when the person
 * who asked tries to approve too); undefined for any other refusal.
 */
export function fourEyesRefusal(problem: ProblemError, message: string): FormErrors | undefined {
  const sameActor =
    problem.code === 'forbidden' && problem.errors.some((error) => /actor$/i.test(error.field));
  return sameActor ? formErrors([{ input: null, message }]) : undefined;
}

/** Items for a GOV.UK select: an optional first 'any' item, and the current value selected. */
export function selectItems(
  options: readonly { value: string; text: string }[],
  selected: string,
  first?: string,
) {
  return [
    ...(first === undefined ? [] : [{ value: '', text: first }]),
    ...options.map((option) => ({ ...option, selected: option.value === selected })),
  ];
}
