import { anchoredPattern } from './anchoredPattern';
import type { ReferenceValidator } from './types';
import { normaliseReference, validateReferenceShape } from './validator';

export type ReferenceRoute = { fundCode: string; pattern: string };

/**
 * Picks the fund for a reference that arrived without one (a bank line, a collection file):
 * the first route whose anchored pattern matches the normalised reference wins, so routes
 * are listed most specific first. Null means no route matched and the item goes to suspense.
 */
export function routeReference(
  reference: string,
  routes: readonly ReferenceRoute[],
): string | null {
  const normalised = normaliseReference(reference);
  for (const route of routes) {
    if (anchoredPattern(route.pattern).test(normalised)) return route.fundCode;
  }
  return null;
}

/**
 * Every fund whose validator accepts the reference's shape (amounts are not considered), in
 * the order given. More than one answer means the reference is ambiguous and a person must
 * choose; none means suspense.
 */
export function routeByValidator(
  reference: string,
  funds: readonly { fundCode: string; validator: ReferenceValidator }[],
): string[] {
  const normalised = normaliseReference(reference);
  const fundCodes: string[] = [];
  for (const fund of funds) {
    if (validateReferenceShape(normalised, fund.validator) === null) fundCodes.push(fund.fundCode);
  }
  return fundCodes;
}
