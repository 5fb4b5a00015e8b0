import { type Camt053Profile, createCamt053Parser } from './camt053';
import { type CsvProfile, createCsvParser } from './csvProfile';
import { createFixedWidthParser, type FixedWidthProfile } from './fixedWidth';
import { createMt940Parser, type Mt940Profile } from './mt940';
import type { IncomeFileParser } from './types';

// The public face of income-file parsing: the workflow, activities and API import from here.

export {
  bankCsvImportProfiles,
  barclaysNetCsvProfile,
  hsbcnetCsvProfile,
  lloydsCommercialCsvProfile,
  natwestBanklineCsvProfile,
} from './bankCsvProfiles';
export type { Camt053Profile } from './camt053';
export { camtCharsMax, createCamt053Parser } from './camt053';
export type {
  CsvAmountFormat,
  CsvColumn,
  CsvColumns,
  CsvDateFormat,
  CsvProfile,
} from './csvProfile';
export { createCsvParser } from './csvProfile';
export { quotedLinesMax } from './csvRecords';
export type { FileDateFormat } from './dates';
export type { DecimalSeparator } from './decimal';
export { decimalToPence, penceToDecimal } from './decimal';
export { ImportErrorLog, importErrorsMax } from './errors';
export type { FixedWidthField, FixedWidthProfile } from './fixedWidth';
export { createFixedWidthParser } from './fixedWidth';
export type { CollectionFileOptions } from './generate';
export { generateCollectionFile, inChunks } from './generate';
export { lineCharsMax } from './lines';
export type { Mt940Profile } from './mt940';
export { createMt940Parser } from './mt940';
export { postOfficeProfile } from './postOfficeProfile';
export type {
  ChunkSource,
  FileChunk,
  ImportLineError,
  ImportRow,
  IncomeFileParser,
  ParseControl,
  ParseSummary,
  RowHandler,
  StatementControl,
} from './types';

/** A saved import profile: which format a file is in and, where formats vary, its layout. */
export type ImportProfile = CsvProfile | FixedWidthProfile | Camt053Profile | Mt940Profile;

/**
 * The parser for a profile. A profile that cannot describe any file (a field of length 0, a
 * CSV column by name without a header) throws a RangeError here, before any file is read.
 */
export function parserFor(profile: ImportProfile): IncomeFileParser {
  switch (profile.kind) {
    case 'csv':
      return createCsvParser(profile);
    case 'fixedWidth':
      return createFixedWidthParser(profile);
    case 'camt053':
      return createCamt053Parser(profile);
    case 'mt940':
      return createMt940Parser(profile);
  }
}
