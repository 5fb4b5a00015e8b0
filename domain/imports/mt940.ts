import { ImportErrorLog, summarise } from './errors';
import { readLines } from './lines';
import { type Mt940Entry, parseBalance, parseStatementLine } from './mt940Fields';
import { StatementBook } from './statements';
import type { ChunkSource, ImportRow, IncomeFileParser, ParseSummary, RowHandler } from './types';

/**
 * SWIFT MT940 bank statements (domain.md §5): :20: starts a statement, :25: names the account,
 * :60F:/:60M: opens, each :61: is an entry with its :86: narrative (continuation lines joined
 * with spaces), :62F:/:62M: closes and must equal opening + entries. Errors carry the line of
 * the offending tag. SWIFT block wrappers ('{1:…', '-}') and '-' separators are skipped; a tag
 * that MT940 does not define is an error (it is probably not an MT940 file). Rows are dated
 * by value date; the reference is the :61: customer reference ('' for NONREF) and the channel
 * the transaction type (e.g. NTRF).
 */

export type Mt940Profile = { kind: 'mt940' };

const tagPattern = /^:(\d{2}[A-Z]?):/;
const colon = 58;
const ignoredTags = new Set(['21', '25P', '28', '28C', '13D', '34F', '64', '65', '90C', '90D']);

type OpenTag = { tag: string; lineNo: number; text: string };

function isBlockDelimiter(text: string): boolean {
  return text === '-' || text.startsWith('-}') || text.startsWith('{');
}

class Mt940Reader {
  readonly errors = new ImportErrorLog();
  rowCount = 0;
  totalPence = 0;
  readonly book = new StatementBook(this.errors);
  private statementCount = 0;
  private closedThisStatement = false;
  private tag: OpenTag | null = null;
  private pending: { entry: Mt940Entry; lineNo: number } | null = null;

  constructor(private readonly onRow: RowHandler) {}

  line(text: string, lineNo: number): void | Promise<void> {
    const match = text.charCodeAt(0) === colon ? tagPattern.exec(text) : null;
    if (match !== null) {
      const emitted = this.finishTag();
      this.tag = { tag: match[1] ?? '', lineNo, text: text.slice(match[0].length) };
      return emitted;
    }
    if (isBlockDelimiter(text.trim())) return this.finishTag();
    if (text.trim() === '') return;
    if (this.tag === null) this.errors.add(lineNo, 'Text outside any MT940 tag');
    else this.tag.text += `\n${text}`;
  }

  finish(lineCount: number): void | Promise<void> {
    const emitted = this.finishTag();
    if (this.book.isOpen) this.book.close(null, lineCount);
    if (this.statementCount === 0) this.errors.add(1, 'The file holds no MT940 statement (:20:)');
    return emitted;
  }

  /** Acts on the tag just completed; emits at most one row, whose promise it returns. */
  private finishTag(): void | Promise<void> {
    const tag = this.tag;
    this.tag = null;
    if (tag === null) return;
    if (tag.tag === '86') return this.emitPending(tag.text);
    const emitted = this.emitPending('');
    if (tag.tag === '20') this.startStatement(tag.lineNo);
    else if (!this.book.isOpen && !this.closedThisStatement) {
      this.errors.add(tag.lineNo, `The tag :${tag.tag}: comes before any :20:`);
    } else this.statementTag(tag);
    return emitted;
  }

  private startStatement(lineNo: number): void {
    if (this.book.isOpen) this.book.close(null, lineNo);
    this.book.open(lineNo);
    this.statementCount++;
    this.closedThisStatement = false;
  }

  private statementTag({ tag, lineNo, text }: OpenTag): void {
    if (tag === '25') this.book.setAccount(text.trim());
    else if (tag === '60F' || tag === '60M') this.opening(text, lineNo);
    else if (tag === '61') this.entry(text, lineNo);
    else if (tag === '62F' || tag === '62M') this.closing(text, lineNo);
    else if (!ignoredTags.has(tag)) this.errors.add(lineNo, `Unknown MT940 tag :${tag}:`, 'tag');
  }

  private opening(text: string, lineNo: number): void {
    const balance = parseBalance(text);
    if ('message' in balance) {
      this.errors.add(lineNo, balance.message, balance.field);
      this.book.unreadable();
    } else {
      this.book.setOpening(balance.amountPence);
    }
  }

  private closing(text: string, lineNo: number): void {
    if (this.closedThisStatement) {
      this.errors.add(lineNo, 'A second closing balance in one statement', 'closingBalance');
      return;
    }
    const balance = parseBalance(text);
    if ('message' in balance) {
      this.errors.add(lineNo, balance.message, balance.field);
      this.book.unreadable();
    }
    this.book.close('message' in balance ? null : balance.amountPence, lineNo);
    this.closedThisStatement = true;
  }

  private entry(text: string, lineNo: number): void {
    if (this.closedThisStatement) {
      this.errors.add(lineNo, 'A statement line after the closing balance');
      return;
    }
    const entry = parseStatementLine(text);
    if ('message' in entry) {
      this.errors.add(lineNo, entry.message, entry.field);
      this.book.unreadable();
      return;
    }
    this.pending = { entry, lineNo };
  }

  private emitPending(narrativeText: string): void | Promise<void> {
    const pending = this.pending;
    if (pending === null) return;
    this.pending = null;
    const { entry, lineNo } = pending;
    const row: ImportRow = {
      lineNo,
      reference: entry.customerReference,
      amountPence: entry.amountPence,
      narrative: narrativeText.replaceAll('\n', ' ').trim(),
      transactionDate: entry.valueDate,
      fundCode: null,
      channel: entry.transactionType,
      accountId: this.book.accountId,
    };
    if (entry.bankReference !== undefined) row.bankReference = entry.bankReference;
    this.book.addEntry(entry.amountPence);
    this.rowCount++;
    this.totalPence += entry.amountPence;
    return this.onRow(row);
  }
}

export function createMt940Parser(_profile: Mt940Profile = { kind: 'mt940' }): IncomeFileParser {
  return {
    async parse(source: ChunkSource, onRow: RowHandler): Promise<ParseSummary> {
      const reader = new Mt940Reader(onRow);
      const lineCount = await readLines(source, reader.errors, (text, lineNo) =>
        reader.line(text, lineNo),
      );
      await reader.finish(lineCount);
      const counts = { rowCount: reader.rowCount, totalPence: reader.totalPence, lineCount };
      return summarise(reader.errors, counts, reader.book.control());
    },
  };
}
