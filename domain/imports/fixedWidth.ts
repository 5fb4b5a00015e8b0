import { parseFileDate } from './dates';
import { digitsToInteger, penceToDecimal } from './decimal';
import { ImportErrorLog, summarise } from './errors';
import type { FixedWidthField, FixedWidthProfile } from './fixedWidthProfile';
import { assertFixedWidthProfile } from './fixedWidthProfile';
import { readLines } from './lines';
import type {
  ChunkSource,
  ImportRow,
  IncomeFileParser,
  ParseControl,
  ParseSummary,
  RowHandler,
} from './types';

export type { FixedWidthField, FixedWidthProfile } from './fixedWidthProfile';

/**
 * Collection-agent files (domain.md §5): an optional header, one detail record per payment,
 * then one trailer with the number of details and their total. Structure rules:
 * - a record type that the profile does not name is an error; blank lines are ignored;
 * - a header anywhere but first, a second trailer, a record after the trailer, or no
 *   trailer at all is an error;
 * - the trailer count must equal the number of detail records (readable or not) and its total
 *   the sum of their amounts, else an error on the trailer's line. When some detail amount
 *   could not be read, the total is not compared: that line's error already refuses the file
 *   and a second, derived error would only mislead.
 */

function fieldText(line: string, field: FixedWidthField): string {
  return line.slice(field.start, field.start + field.length).trim();
}

function fieldInteger(line: string, field: FixedWidthField): number | null {
  return digitsToInteger(line, field.start, field.start + field.length);
}

class FixedWidthReader {
  readonly errors = new ImportErrorLog();
  private recordCount = 0;
  private detailCount = 0;
  private detailsTotalPence = 0;
  private unreadableAmountCount = 0;
  private rowCount = 0;
  private rowsTotalPence = 0;
  private trailerLineNo: number | null = null;
  private declaredCount: number | undefined;
  private declaredTotalPence: number | undefined;

  constructor(
    private readonly profile: FixedWidthProfile,
    private readonly onRow: RowHandler,
  ) {}

  line(text: string, lineNo: number): void | Promise<void> {
    const { recordType, header, detail, trailer } = this.profile;
    const isFirstRecord = this.recordCount === 0;
    this.recordCount++;
    if (text.startsWith(detail.code, recordType.start)) return this.detail(text, lineNo);
    if (text.startsWith(trailer.code, recordType.start)) return this.trailer(text, lineNo);
    if (header !== undefined && text.startsWith(header.code, recordType.start)) {
      if (!isFirstRecord) this.errors.add(lineNo, 'A header record is allowed only first');
      return;
    }
    if (text.trim() === '') {
      this.recordCount--;
      return;
    }
    const code = text.slice(recordType.start, recordType.start + recordType.length);
    this.errors.add(lineNo, `Unknown record type "${code}"`, 'recordType');
  }

  private detail(text: string, lineNo: number): void | Promise<void> {
    const spec = this.profile.detail;
    this.detailCount++;
    const errorsBefore = this.errors.count;
    if (this.trailerLineNo !== null) {
      this.errors.add(lineNo, `A detail record after the trailer on line ${this.trailerLineNo}`);
    }
    const amountPence = fieldInteger(text, spec.amountPence);
    if (amountPence === null) {
      this.unreadableAmountCount++;
      this.errors.add(lineNo, 'The amount must be digits (pence, zero-padded)', 'amount');
    } else {
      this.detailsTotalPence += amountPence;
    }
    const transactionDate = parseFileDate(text, spec.date.format, spec.date.start);
    if (transactionDate === null) {
      this.errors.add(lineNo, `The date is not a real date in ${spec.date.format}`, 'date');
    }
    const channel = this.channel(text, lineNo);
    if (this.errors.count !== errorsBefore || amountPence === null || transactionDate === null) {
      return;
    }
    const row: ImportRow = {
      lineNo,
      reference: fieldText(text, spec.reference),
      amountPence,
      narrative: spec.narrative ? fieldText(text, spec.narrative) : '',
      transactionDate,
      fundCode: spec.fund ? fieldText(text, spec.fund) || null : null,
    };
    if (channel !== undefined) row.channel = channel;
    if (spec.bankReference) row.bankReference = fieldText(text, spec.bankReference);
    this.rowCount++;
    this.rowsTotalPence += amountPence;
    return this.onRow(row);
  }

  private channel(text: string, lineNo: number): string | undefined {
    const spec = this.profile.detail.channel;
    if (spec === undefined) return undefined;
    const letter = fieldText(text, spec);
    if (spec.codes === undefined) return letter;
    if (Object.hasOwn(spec.codes, letter)) return spec.codes[letter];
    const message = letter === '' ? 'The channel is missing' : `Unknown channel "${letter}"`;
    this.errors.add(lineNo, message, 'channel');
    return undefined;
  }

  private checkTrailer(trailerLineNo: number): void {
    const { declaredCount, declaredTotalPence, detailCount, detailsTotalPence } = this;
    if (declaredCount !== undefined && declaredCount !== detailCount) {
      const message = `The trailer declares ${declaredCount} transactions but the file has ${detailCount}`;
      this.errors.add(trailerLineNo, message, 'count');
    }
    const comparable = this.unreadableAmountCount === 0 && Number.isSafeInteger(detailsTotalPence);
    if (
      comparable &&
      declaredTotalPence !== undefined &&
      declaredTotalPence !== detailsTotalPence
    ) {
      const declared = penceToDecimal(declaredTotalPence, '.');
      const actual = penceToDecimal(detailsTotalPence, '.');
      const message = `The trailer declares a total of ${declared} but the details add up to ${actual}`;
      this.errors.add(trailerLineNo, message, 'total');
    }
  }

  private trailer(text: string, lineNo: number): void {
    if (this.trailerLineNo !== null) {
      this.errors.add(
        lineNo,
        `A second trailer record; the first is on line ${this.trailerLineNo}`,
      );
      return;
    }
    this.trailerLineNo = lineNo;
    const spec = this.profile.trailer;
    const count = fieldInteger(text, spec.count);
    const totalPence = fieldInteger(text, spec.totalPence);
    if (count === null) this.errors.add(lineNo, 'The trailer count must be digits', 'count');
    else this.declaredCount = count;
    if (totalPence === null) this.errors.add(lineNo, 'The trailer total must be digits', 'total');
    else this.declaredTotalPence = totalPence;
  }

  finish(lineCount: number): ParseSummary {
    if (this.trailerLineNo === null) {
      this.errors.add(Math.max(lineCount, 1), 'The file ends without a trailer record', 'trailer');
    } else {
      this.checkTrailer(this.trailerLineNo);
    }
    const control: ParseControl = {};
    if (this.declaredCount !== undefined) control.declaredCount = this.declaredCount;
    if (this.declaredTotalPence !== undefined) control.declaredTotalPence = this.declaredTotalPence;
    const counts = { rowCount: this.rowCount, totalPence: this.rowsTotalPence, lineCount };
    return summarise(this.errors, counts, control);
  }
}

export function createFixedWidthParser(profile: FixedWidthProfile): IncomeFileParser {
  assertFixedWidthProfile(profile);
  return {
    async parse(source: ChunkSource, onRow: RowHandler): Promise<ParseSummary> {
      const reader = new FixedWidthReader(profile, onRow);
      const lineCount = await readLines(source, reader.errors, (text, lineNo) =>
        reader.line(text, lineNo),
      );
      return reader.finish(lineCount);
    },
  };
}
