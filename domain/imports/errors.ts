import type { ImportLineError, ParseControl, ParseSummary } from './types';

/**
 * How many errors a summary lists. A file in the wrong encoding or the wrong layout breaks on
 * every line, and a million identical messages help nobody and cost memory; the first
 * thousand show the pattern, and a last entry says how many more there were.
 */
export const importErrorsMax = 1000;

/** Collects structural errors up to a cap, counting the rest. */
export class ImportErrorLog {
  private readonly listed: ImportLineError[] = [];
  private omittedCount = 0;
  private firstOmittedLineNo = 0;

  constructor(private readonly errorsMax: number = importErrorsMax) {}

  add(lineNo: number, message: string, field?: string): void {
    if (this.listed.length < this.errorsMax) {
      this.listed.push(field === undefined ? { lineNo, message } : { lineNo, field, message });
      return;
    }
    if (this.omittedCount === 0) this.firstOmittedLineNo = lineNo;
    this.omittedCount++;
  }

  /** Every error found, listed or not. */
  get count(): number {
    return this.listed.length + this.omittedCount;
  }

  /** The listed errors, then one entry (at the first omitted error's line) for the rest. */
  toArray(): ImportLineError[] {
    if (this.omittedCount === 0) return [...this.listed];
    const more = `and ${this.omittedCount} more error${this.omittedCount === 1 ? '' : 's'}`;
    return [...this.listed, { lineNo: this.firstOmittedLineNo, message: more }];
  }
}

/**
 * The summary every parser returns. A total beyond the safe integer range can no longer be
 * exact, so it is reported as an error on the last line rather than returned wrong.
 */
export function summarise(
  errors: ImportErrorLog,
  counts: { rowCount: number; totalPence: number; lineCount: number },
  control?: ParseControl,
): ParseSummary {
  if (!Number.isSafeInteger(counts.totalPence)) {
    errors.add(Math.max(counts.lineCount, 1), 'The rows add up to more than can be summed exactly');
  }
  const summary: ParseSummary = {
    rowCount: counts.rowCount,
    totalPence: counts.totalPence,
    errors: errors.toArray(),
  };
  if (control !== undefined) summary.control = control;
  return summary;
}
