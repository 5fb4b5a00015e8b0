/**
 * Bank statements drop, add and change spaces, punctuation and case in references (BACS
 * carries upper-case letters, digits and a few symbols only), so references compare on their
 * letters and digits, upper-cased: "po-123 45" and "PO12345" are the same reference.
 */

const alreadyNormal = /^[A-Z0-9]*$/;
const notLetterOrDigit = /[^A-Z0-9]/g;

export function normaliseReference(reference: string): string {
  // Most references arrive clean; testing first avoids allocating two million new strings.
  if (alreadyNormal.test(reference)) return reference;
  return reference.toUpperCase().replace(notLetterOrDigit, '');
}

/** Whether `reference` satisfies `rule` between a line and an item, on normalised text. */
export function referencesAgree(
  rule: 'exact' | 'contains' | 'ignore',
  lineReference: string,
  lineNarrative: string,
  itemReference: string,
): boolean {
  if (rule === 'ignore') return true;
  if (itemReference === '') return false;
  if (rule === 'exact') return lineReference === itemReference;
  return lineReference.includes(itemReference) || lineNarrative.includes(itemReference);
}
