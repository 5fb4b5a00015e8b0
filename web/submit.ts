import type { Request, Response } from 'express';
import type { ApiContext } from '../api/context';
import { type ProblemCode, ProblemError } from '../api/problem';
import type { RouteInput } from '../api/route';
import { callApi } from './api';
import {
  errorsFromProblem,
  type FieldMap,
  type FormError,
  type FormErrors,
  formErrors,
  isFormProblem,
  statusOf,
} from './forms';

/**
 * One form's post: what can be checked here is checked first (a 400 without asking the API),
 * then the API route runs. Success goes on, post/redirect/get, usually to a `?notice=`; a
 * refusal the person can fix shows the same form again with the API's words on its inputs;
 * anything else (a fault, a missing page) goes on to the error page.
 */
export type FormSubmission<T> = {
  /** Mistakes found before asking the API, written `reason === '' && { input, message }`. */
  checks?: readonly (FormError | false)[];
  operationId: string;
  input?: RouteInput;
  /** Which input each API field is, and its label. */
  fields: FieldMap;
  /** Words for a refusal the field map cannot give (four-eyes); undefined for the map's. */
  explain?: (problem: ProblemError) => FormErrors | undefined;
  /** Refusals besides the usual form problems that this form can show (a typed reference). */
  alsoFixable?: readonly ProblemCode[];
  /** Shows the form again with these errors and this status. */
  again: (errors: FormErrors, status: number) => unknown;
} & (
  | { redirect: string | ((result: T) => string) }
  /** Renders the result in place, for what must never be in a URL (a new API key's secret). */
  | { respond: (result: T) => void }
);

function fixable(error: unknown, also: readonly ProblemCode[] = []): error is ProblemError {
  return isFormProblem(error) || (error instanceof ProblemError && also.includes(error.code));
}

export async function submitForm<T>(
  ctx: ApiContext,
  req: Request,
  res: Response,
  form: FormSubmission<T>,
): Promise<void> {
  const mistakes = (form.checks ?? []).filter((check): check is FormError => check !== false);
  if (mistakes.length > 0) {
    await form.again(formErrors(mistakes), 400);
    return;
  }
  let result: T;
  try {
    result = await callApi<T>(ctx, form.operationId, form.input ?? {}, req, res);
  } catch (error) {
    if (!fixable(error, form.alsoFixable)) throw error;
    const errors = form.explain?.(error) ?? errorsFromProblem(error, form.fields);
    await form.again(errors, statusOf(error));
    return;
  }
  if ('respond' in form) form.respond(result);
  else res.redirect(303, typeof form.redirect === 'string' ? form.redirect : form.redirect(result));
}
