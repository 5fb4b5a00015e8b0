import { SearchAttributeType } from '@temporalio/common';
import { imsSearchAttributeKeys } from '../workflows/searchAttributes';

const cliTypeNames: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

/** `Name=Type` pairs, as `temporal server start-dev --search-attribute` and the docs use them. */
export function searchAttributeDefinitions(): Array<{ name: string; type: string }> {
  return imsSearchAttributeKeys.map((key) => ({ name: key.name, type: cliTypeNames[key.type] }));
}

export function devServerSearchAttributeFlags(): string[] {
  return searchAttributeDefinitions().flatMap(({ name, type }) => [
    '--search-attribute',
    `${name}=${type}`,
  ]);
}
