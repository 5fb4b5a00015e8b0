// The browser build of csv-parse is the same streaming parser bundled without Node built-ins,
// which domain/ must not import (the main entry extends Node's `stream`).
import { type CsvError, Parser } from 'csv-parse/browser/esm';
import type { ImportErrorLog } from './errors';

/**
 * Splits CSV lines into records with csv-parse, one record per write, so that every error is
 * found and tied to its line:
 * - Lines are grouped into records by quote parity (an odd number of '"' opens or closes a
 *   quoted field that runs on to the next line). A record is written to csv-parse only once
 *   complete, and records are numbered by the line they start on.
 * - A quoted field still open after `quotedLinesMax` lines, or at the end of the file, is
 *   reported on the line it opened; reading starts again on the line after it.
 * - csv-parse cannot find its footing after a malformed record (it stays inside the quote),
 *   so after each error the parser is replaced and the next record starts clean.
 * Blank lines between records are ignored.
 */

export const quotedLinesMax = 50;

export type RecordHandler = (fields: string[], lineNo: number) => void | Promise<void>;

/** csv-parse's answers, queued so that rows and errors reach the caller in file order. */
type Parsed = { fields: string[]; lineNo: number } | { failure: string; lineNo: number };

function quoteCount(text: string): number {
  let count = 0;
  for (let index = text.indexOf('"'); index >= 0; index = text.indexOf('"', index + 1)) count++;
  return count;
}

/** Our words for csv-parse's errors: its own quote line numbers that restart with each parser. */
function csvErrorMessage(error: CsvError): string {
  switch (error.code) {
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'A quoted field is followed by other characters before the next delimiter';
    case 'INVALID_OPENING_QUOTE':
      return 'A quote appears inside a field that is not quoted';
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'A quoted field opened on this line is never closed';
    default:
      return `The line is not valid CSV (${error.code})`;
  }
}

export class CsvRecordReader {
  private parser: Parser;
  private finished: Promise<void> = Promise.resolve();
  /** Start lines of records written and not yet answered for (one, given the padding). */
  private readonly startLines: number[] = [];
  private readonly parsed: Parsed[] = [];
  private groupLines: string[] = [];
  private groupStartLineNo = 0;
  private quoteOpen = false;
  /**
   * csv-parse holds back the last bytes of each write in case they start a delimiter or a
   * multi-byte space (up to 3 bytes in UTF-8), so a record would only come out on the next
   * write. Blank lines after each record push it out now, and are skipped as empty lines.
   */
  private readonly padding: string;
  private failureCount = 0;

  constructor(
    private readonly delimiter: string,
    private readonly errors: ImportErrorLog,
    private readonly onRecord: RecordHandler,
  ) {
    this.padding = '\n'.repeat(Math.max(3, delimiter.length * 3));
    this.parser = this.newParser();
  }

  line(text: string, lineNo: number): void | Promise<void> {
    if (this.groupLines.length === 0) {
      if (text.trim() === '') return;
      this.groupStartLineNo = lineNo;
    }
    this.groupLines.push(text);
    if (quoteCount(text) % 2 === 1) this.quoteOpen = !this.quoteOpen;
    if (!this.quoteOpen) return this.writeGroup();
    if (this.groupLines.length > quotedLinesMax) return this.abandonGroup();
  }

  async end(): Promise<void> {
    while (this.groupLines.length > 0) await this.abandonGroup();
    this.parser.end();
    await this.finished;
    await this.deliver();
  }

  private writeGroup(): void | Promise<void> {
    const lines = this.groupLines;
    const startLineNo = this.groupStartLineNo;
    this.groupLines = [];
    this.startLines.push(startLineNo);
    const failuresBefore = this.failureCount;
    this.parser.write(`${lines.length === 1 ? lines[0] : lines.join('\n')}\n${this.padding}`);
    // The padding makes csv-parse answer during this write. A failed record of several lines
    // may have swallowed good lines after a stray quote, so they are read again.
    if (this.failureCount !== failuresBefore && lines.length > 1) {
      return this.readAgain(lines.slice(1), startLineNo + 1);
    }
    return this.parsed.length > 0 ? this.deliver() : undefined;
  }

  /** Reports the unclosed quote and reads again from the line after it opened. */
  private abandonGroup(): Promise<void> {
    this.errors.add(this.groupStartLineNo, 'A quoted field opened on this line is never closed');
    const rest = this.groupLines.slice(1);
    this.groupLines = [];
    this.quoteOpen = false;
    return this.readAgain(rest, this.groupStartLineNo + 1);
  }

  private async readAgain(lines: readonly string[], firstLineNo: number): Promise<void> {
    await this.deliver();
    for (let index = 0; index < lines.length; index++) {
      const pending = this.line(lines[index] ?? '', firstLineNo + index);
      if (pending !== undefined) await pending;
    }
  }

  private async deliver(): Promise<void> {
    for (let index = 0; index < this.parsed.length; index++) {
      const answer = this.parsed[index];
      if (answer === undefined) continue;
      if ('failure' in answer) {
        this.errors.add(answer.lineNo, answer.failure);
        continue;
      }
      const pending = this.onRecord(answer.fields, answer.lineNo);
      if (pending !== undefined) await pending;
    }
    this.parsed.length = 0;
  }

  private newParser(): Parser {
    const parser = new Parser({
      delimiter: this.delimiter,
      record_delimiter: '\n',
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      trim: true,
    });
    // A replaced parser may still emit for the rest of its last write; only the current
    // parser's answers count, and the lines it swallowed are read again.
    parser.on('data', (fields: string[]) => {
      if (parser !== this.parser) return;
      this.parsed.push({ fields, lineNo: this.startLines.shift() ?? 0 });
    });
    parser.on('skip', (error: CsvError) => this.fail(parser, error));
    this.finished = new Promise((resolve) => {
      parser.on('end', resolve);
      parser.on('error', (error: CsvError) => {
        this.fail(parser, error);
        resolve();
      });
    });
    return parser;
  }

  private fail(parser: Parser, error: CsvError): void {
    if (parser !== this.parser) return;
    this.failureCount++;
    this.parsed.push({ failure: csvErrorMessage(error), lineNo: this.startLines.shift() ?? 0 });
    this.parser = this.newParser();
  }
}
