import { field } from './page';

/**
 * The query strings of filtered lists: links that keep the other filters, and the MOJ filter's
 * 'selected filters' tags, each a link that removes just that filter (no JavaScript needed).
 */
export type FilterValues = Record<string, string>;

/** The filter form's values from the query string: every key, '' when not set. */
export function filterValuesFrom(query: unknown, keys: readonly string[]): FilterValues {
  return Object.fromEntries(keys.map((key) => [key, field(query, key)]));
}

export function hrefWith(path: string, values: FilterValues): string {
  const query = new URLSearchParams(Object.entries(values).filter(([, value]) => value !== ''));
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** One selected-filter tag: set when any of `keys` has a value; removing it clears them all. */
export type FilterTag = { heading: string; keys: string[]; text: (values: FilterValues) => string };

export const tag = (heading: string, key: string, text?: (value: string) => string): FilterTag => ({
  heading,
  keys: [key],
  text: (values) => (text === undefined ? (values[key] ?? '') : text(values[key] ?? '')),
});

/** The MOJ filter's `selectedFilters`, or undefined when no filter is set. */
export function selectedFilters(path: string, values: FilterValues, tags: readonly FilterTag[]) {
  const categories = tags
    .filter((t) => t.keys.some((key) => (values[key] ?? '') !== ''))
    .map((t) => {
      const rest = { ...values };
      for (const key of t.keys) rest[key] = '';
      return {
        heading: { text: t.heading },
        items: [{ href: hrefWith(path, rest), text: t.text(values) }],
      };
    });
  if (categories.length === 0) return undefined;
  return {
    heading: { text: 'Selected filters' },
    clearLink: { text: 'Clear filters', href: path },
    categories,
  };
}

/** The pagination partial's links for a cursor-paged list. */
export function cursorPagination(
  path: string,
  filters: FilterValues,
  before: string,
  nextCursor: string | null,
) {
  return {
    nextHref: nextCursor === null ? null : hrefWith(path, { ...filters, before: nextCursor }),
    firstHref: before === '' ? null : hrefWith(path, filters),
  };
}

/** The three inputs of the GOV.UK date filter named `prefix`: fromDay, fromMonth, fromYear. */
export function dateKeys(prefix: string): string[] {
  return [`${prefix}Day`, `${prefix}Month`, `${prefix}Year`];
}

/** A date filter's value as YYYY-MM-DD; '' when its three inputs are empty. */
export function dateFilter(values: FilterValues, prefix: string): string {
  const [day = '', month = '', year = ''] = dateKeys(prefix).map((key) => values[key] ?? '');
  return dateFromParts(day, month, year);
}

/** One selected-filter tag for a date filter's three inputs. */
export function dateTag(heading: string, prefix: string): FilterTag {
  return { heading, keys: dateKeys(prefix), text: (values) => dateFilter(values, prefix) };
}

/** A GOV.UK date input's three fields as YYYY-MM-DD; '' when all are empty. */
export function dateFromParts(day: string, month: string, year: string): string {
  if (day === '' && month === '' && year === '') return '';
  // Anything malformed goes to the API as it is, whose validation names the field.
  return `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}
