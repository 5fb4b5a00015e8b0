// The browser build of csv-parse is the same parser without Node built-ins, which domain/ must
// not import (as in domain/imports/csvRecords.ts).
import { CsvError, parse } from 'csv-parse/browser/esm/sync';

/**
 * A small CSV document a person wrote in a spreadsheet (an account-holder list, a council's
 * configuration): a byte-order mark, blank lines and padded cells are what spreadsheets write,
 * so they are accepted; rows of unequal length are left to the caller to name.
 */

/** One record and the line it ends on (csv-parse's `info.lines`). */
export type CsvTextRecord = { record: string[]; info: { lines: number } };

export type CsvTextRefusal = { line: number | undefined; message: string };

export function readCsvText(text: string): CsvTextRecord[] | CsvTextRefusal {
  try {
    return parse(text, {
      bom: true,
      info: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as CsvTextRecord[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { line: (error as CsvError & { lines?: number }).lines, message: error.message };
  }
}

export const isCsvTextRefusal = (read: CsvTextRecord[] | CsvTextRefusal): read is CsvTextRefusal =>
  !Array.isArray(read);
