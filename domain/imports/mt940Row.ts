import type { Mt940Entry } from './mt940Fields';
import type { Narrative } from './mt940Narrative';
import type { Mt940Book } from './mt940Statement';
import type { ImportRow } from './types';

/**
 * MT940 rows: dated by value date (`transactionDate` and `valueDate`), the :61: customer
 * reference, the transaction type as channel, and `details` holding the :86: sub-fields plus,
 * from the :61:, `entryDate` (YYYY-MM-DD), `fundsCode` and `supplementaryDetails` when given.
 */

function entryDetails(entry: Mt940Entry, narrative: Narrative | null): Record<string, string> {
  const details: Record<string, string> = { ...narrative?.details };
  if (entry.entryDate !== undefined) details.entryDate = entry.entryDate;
  if (entry.fundsCode !== undefined) details.fundsCode = entry.fundsCode;
  if (entry.supplementaryDetails !== undefined) {
    details.supplementaryDetails = entry.supplementaryDetails;
  }
  return details;
}

/** The row of one :61: entry and its :86: narrative, in the statement the book has open. */
export function rowOf(
  entry: Mt940Entry,
  lineNo: number,
  narrative: Narrative | null,
  book: Mt940Book,
): ImportRow {
  const row: ImportRow = {
    lineNo,
    reference: entry.customerReference,
    amountPence: entry.amountPence,
    narrative: narrative?.narrative ?? '',
    transactionDate: entry.valueDate,
    valueDate: entry.valueDate,
    fundCode: null,
    channel: entry.transactionType,
    accountId: book.accountId,
  };
  if (entry.bankReference !== undefined) row.bankReference = entry.bankReference;
  if (book.currency !== undefined) row.currency = book.currency;
  if (entry.reversal) row.reversal = true;
  if (narrative?.endToEndId !== undefined) row.endToEndId = narrative.endToEndId;
  const details = entryDetails(entry, narrative);
  if (Object.keys(details).length > 0) row.details = details;
  return row;
}
