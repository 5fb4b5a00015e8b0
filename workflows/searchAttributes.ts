import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes registered on every Temporal server the IMS uses. They carry
 * operational facts only (kind, state, fund codes, amounts), never personal data, because
 * Temporal's visibility store is not encrypted.
 */
export const imsKindKey = defineSearchAttributeKey('ImsKind', SearchAttributeType.KEYWORD);
export const imsStateKey = defineSearchAttributeKey('ImsState', SearchAttributeType.KEYWORD);
export const imsFundCodesKey = defineSearchAttributeKey(
  'ImsFundCodes',
  SearchAttributeType.KEYWORD_LIST,
);
export const imsImportIdKey = defineSearchAttributeKey('ImsImportId', SearchAttributeType.KEYWORD);
export const imsAmountPenceKey = defineSearchAttributeKey(
  'ImsAmountPence',
  SearchAttributeType.INT,
);

/** The council a workflow belongs to (domain/council.ts): operations lists filter on it. */
export const imsCouncilKey = defineSearchAttributeKey('ImsCouncil', SearchAttributeType.KEYWORD);

export const imsSearchAttributeKeys = [
  imsKindKey,
  imsStateKey,
  imsFundCodesKey,
  imsImportIdKey,
  imsAmountPenceKey,
  imsCouncilKey,
] as const;
