import type { CsvAmountFormat, CsvColumns, CsvDateFormat, RecordMapping } from './csvColumns';
import {
  assertAmountColumns,
  indexesFromHeader,
  indexesWithoutHeader,
  recordToRow,
} from './csvColumns';
import { CsvRecordReader } from './csvRecords';
import { ImportErrorLog, summarise } from './errors';
import { readLines } from './lines';
import type { ChunkSource, IncomeFileParser, ParseSummary, RowHandler } from './types';

export type { CsvAmountFormat, CsvColumn, CsvColumns, CsvDateFormat } from './csvColumns';

/** A saved column mapping for one bank's or supplier's CSV (domain.md §5). */
export type CsvProfile = {
  kind: 'csv';
  delimiter: string;
  hasHeader: boolean;
  columns: CsvColumns;
  dateFormat: CsvDateFormat;
  amountFormat: CsvAmountFormat;
  /** Lines before the header (or the first record) to ignore: bank banners, titles. */
  skipRows?: number;
  /**
   * True for a bank's statement export: its lines are bank statement lines, recorded for bank
   * reconciliation and not posted as income (like CAMT and MT940), because the money they show
   * was counted when it was received. Absent or false: the rows are income to post.
   */
  statement?: boolean;
};

/** Maps records to rows: the header (if any) first, then one row per record. */
class CsvRowReader {
  readonly errors = new ImportErrorLog();
  readonly records: CsvRecordReader;
  rowCount = 0;
  totalPence = 0;
  private mapping: RecordMapping | null = null;
  private headerFailed = false;

  constructor(
    private readonly profile: CsvProfile,
    private readonly onRow: RowHandler,
  ) {
    if (!profile.hasHeader) this.mapping = this.mappingFor(indexesWithoutHeader(profile.columns));
    this.records = new CsvRecordReader(profile.delimiter, this.errors, (fields, lineNo) =>
      this.take(fields, lineNo),
    );
  }

  private take(fields: string[], lineNo: number): void | Promise<void> {
    if (this.headerFailed) return;
    if (this.mapping === null) return this.readHeader(fields, lineNo);
    const row = recordToRow(fields, lineNo, this.mapping, this.errors);
    if (row === null) return;
    this.rowCount++;
    this.totalPence += row.amountPence;
    return this.onRow(row);
  }

  private readHeader(header: string[], lineNo: number): void {
    const { indexes, missing } = indexesFromHeader(this.profile.columns, header);
    for (const key of missing) {
      this.errors.add(lineNo, `The header has no column "${this.profile.columns[key]}"`, key);
    }
    // Without its columns no record can be read; one error says so, not one per line.
    if (missing.length > 0) this.headerFailed = true;
    else this.mapping = this.mappingFor(indexes);
  }

  private mappingFor(indexes: RecordMapping['indexes']): RecordMapping {
    return {
      indexes,
      dateFormat: this.profile.dateFormat,
      amountFormat: this.profile.amountFormat,
    };
  }
}

function assertCsvProfile(profile: CsvProfile): void {
  const { delimiter, skipRows } = profile;
  if (delimiter.length === 0 || delimiter.includes('"') || /[\r\n]/.test(delimiter)) {
    throw new RangeError('CSV profile: the delimiter must be set and not a quote or a newline');
  }
  if (skipRows !== undefined && (!Number.isSafeInteger(skipRows) || skipRows < 0)) {
    throw new RangeError('CSV profile: skipRows must be a whole number ≥ 0');
  }
  assertAmountColumns(profile.columns);
  if (!profile.hasHeader) indexesWithoutHeader(profile.columns);
}

export function createCsvParser(profile: CsvProfile): IncomeFileParser {
  assertCsvProfile(profile);
  return {
    async parse(source: ChunkSource, onRow: RowHandler): Promise<ParseSummary> {
      const reader = new CsvRowReader(profile, onRow);
      const skipRows = profile.skipRows ?? 0;
      const lineCount = await readLines(source, reader.errors, (text, lineNo) =>
        lineNo > skipRows ? reader.records.line(text, lineNo) : undefined,
      );
      await reader.records.end();
      const counts = { rowCount: reader.rowCount, totalPence: reader.totalPence, lineCount };
      return summarise(reader.errors, counts);
    },
  };
}
