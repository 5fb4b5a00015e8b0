/**
 * Custom search attributes registered on every Temporal server the IMS uses. They carry
 * operational facts only (kind, state, fund codes, amounts), never personal data, because
 * Temporal's visibility store is not encrypted.
 */
export const searchAttributes = {
  ImsKind: 'Keyword',
  ImsState: 'Keyword',
  ImsFundCodes: 'KeywordList',
  ImsImportId: 'Keyword',
  ImsAmountPence: 'Int',
} as const;

export type SearchAttributeName = keyof typeof searchAttributes;

/** `--search-attribute Name=Type` flags for `temporal server start-dev`. */
export function devServerSearchAttributeFlags(): string[] {
  return Object.entries(searchAttributes).flatMap(([name, type]) => [
    '--search-attribute',
    `${name}=${type}`,
  ]);
}
