import type { Response } from 'express';
import { ProblemError } from '../api/problem';
import { cursorPagination, type FilterTag, type FilterValues, selectedFilters } from './filters';
import { errorsFromProblem, type FieldMap, type FormErrors, hasErrors, noErrors } from './forms';
import { render, type ViewContext } from './render';

/**
 * The API's page of results for a list's filters. The API checks the filters; one it refuses
 * is shown on the filter form above an empty list, not as an error page, so it can be fixed.
 */
export async function loadFiltered<P>(
  load: () => Promise<P>,
  empty: P,
  fields: FieldMap,
): Promise<{ page: P; errors: FormErrors }> {
  try {
    return { page: await load(), errors: noErrors };
  } catch (error) {
    if (!(error instanceof ProblemError) || error.code !== 'validation_failed') throw error;
    return { page: empty, errors: errorsFromProblem(error, fields) };
  }
}

export type FilteredList<P> = {
  /** The list's own address, for the filter tags and the paging links. */
  path: string;
  template: string;
  values: FilterValues;
  /** The cursor this page starts at; '' for the first page. */
  before: string;
  tags: readonly FilterTag[];
  /** Which filter input each API query field is. */
  fields: FieldMap;
  load: () => Promise<P>;
  empty: P;
  /** The view's own context from the page of results. */
  view: (page: P) => ViewContext;
};

/** A filtered, cursor-paged list with the MOJ filter's selected tags and the paging links. */
export async function renderFilteredList<P extends { nextCursor: string | null }>(
  res: Response,
  list: FilteredList<P>,
): Promise<void> {
  const { page, errors } = await loadFiltered(list.load, list.empty, list.fields);
  render(
    res,
    list.template,
    {
      values: list.values,
      errors,
      ...list.view(page),
      selectedFilters: selectedFilters(list.path, list.values, list.tags),
      pagination: cursorPagination(list.path, list.values, list.before, page.nextCursor),
    },
    hasErrors(errors) ? 400 : 200,
  );
}
