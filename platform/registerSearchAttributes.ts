import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';

// @temporalio/proto is CommonJS; its namespace object arrives as the default export under ESM.
const { temporal } = proto;

import { searchAttributeDefinitions } from './searchAttributes';

const indexedValueType: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {
  Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  KeywordList: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  Int: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Text: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  Double: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  Bool: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  Datetime: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

/**
 * Registers the IMS's search attributes on an external Temporal server, adding only the missing
 * ones, so it is safe to run at every start. (The dev server gets them as start-up flags.)
 */
export async function registerSearchAttributes(
  address: string,
  namespace: string,
): Promise<string[]> {
  const connection = await Connection.connect({ address });
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = searchAttributeDefinitions().filter(
      ({ name }) => !(name in (existing.customAttributes ?? {})),
    );
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(
          missing.map(({ name, type }) => [name, indexedValueType[type]!]),
        ),
      });
    }
    return missing.map(({ name }) => name);
  } finally {
    await connection.close();
  }
}
