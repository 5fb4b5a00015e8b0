import { balanceKind, entryToRow, isBooked, signedAmountOf } from './camtEntry';
import type { XmlElement } from './camtXml';
import { childAt, elementsOf, lineFinder, parseXml, startIndexOf, textOf } from './camtXml';
import { ImportErrorLog, summarise } from './errors';
import { readLines } from './lines';
import { acceptedCurrency, StatementBook } from './statements';
import type { ChunkSource, IncomeFileParser, ParseSummary, RowHandler } from './types';

/**
 * ISO 20022 CAMT.053 bank statements (domain.md §5). XML cannot sensibly be streamed by
 * element, so the text is read whole (statements are a few megabytes; more than
 * `camtCharsMax` is refused), parsed once, and rows are then built and handed over one at a
 * time. Each Stmt must carry an opening (OPBD or PRCD) and a closing (CLBD) balance, and
 * opening + booked entries must equal closing, exactly, in pence. Entries whose status is not
 * BOOK (pending, information) are skipped: they do not move the booked balance. Errors name
 * the line of the element at fault: the Stmt, Bal or Ntry.
 */

export type Camt053Profile = { kind: 'camt053' };

export const camtCharsMax = 64 * 1024 * 1024;

type StatementText = { xml: string; lineStarts: number[]; tooLarge: boolean; lineCount: number };

async function readStatementText(
  source: ChunkSource,
  errors: ImportErrorLog,
): Promise<StatementText> {
  const parts: string[] = [];
  const lineStarts: number[] = [];
  let chars = 0;
  let tooLarge = false;
  const lineCount = await readLines(source, errors, (text, lineNo) => {
    if (tooLarge) return;
    lineStarts.push(chars);
    chars += text.length + 1;
    if (chars <= camtCharsMax) parts.push(text);
    else {
      tooLarge = true;
      errors.add(lineNo, `A statement file must be under ${camtCharsMax} characters`);
    }
  });
  return { xml: parts.join('\n'), lineStarts, tooLarge, lineCount };
}

class CamtReader {
  readonly errors = new ImportErrorLog();
  readonly book = new StatementBook(this.errors);
  rowCount = 0;
  totalPence = 0;
  private lineOf: (charIndex: number) => number = () => 1;

  constructor(private readonly onRow: RowHandler) {}

  async read(text: StatementText): Promise<void> {
    this.lineOf = lineFinder(text.lineStarts);
    const parsed = parseXml(text.xml, this.lineOf);
    if ('message' in parsed) {
      this.errors.add(parsed.lineNo, parsed.message, 'xml');
      return;
    }
    const statements = elementsOf(childAt(parsed.document, 'Document', 'BkToCstmrStmt'), 'Stmt');
    if (statements.length === 0) {
      this.errors.add(1, 'No Document/BkToCstmrStmt/Stmt: this is not a CAMT.053 statement');
    }
    for (const statement of statements) await this.statement(statement);
  }

  private lineNoOf(element: XmlElement): number {
    const startIndex = startIndexOf(element);
    return startIndex === undefined ? 1 : this.lineOf(startIndex);
  }

  private async statement(statement: XmlElement): Promise<void> {
    const lineNo = this.lineNoOf(statement);
    const accountId =
      textOf(childAt(statement, 'Acct', 'Id', 'IBAN')) ??
      textOf(childAt(statement, 'Acct', 'Id', 'Othr', 'Id')) ??
      '';
    this.book.open(lineNo, accountId);
    const accountCurrency = textOf(childAt(statement, 'Acct', 'Ccy'));
    if (accountCurrency !== undefined && accountCurrency !== acceptedCurrency) {
      const message = `The account currency is ${accountCurrency}; only GBP is accepted`;
      this.errors.add(lineNo, message, 'currency');
    }
    const closing = this.balances(statement);
    for (const entry of elementsOf(statement, 'Ntry')) {
      if (!isBooked(entry)) continue;
      const pending = this.entry(entry, accountId);
      if (pending !== undefined) await pending;
    }
    this.book.close(closing?.amountPence ?? null, closing?.lineNo ?? lineNo);
  }

  /** Sets the opening balance and returns the closing one, reporting any that is wrong. */
  private balances(statement: XmlElement): { amountPence: number; lineNo: number } | null {
    let closing: { amountPence: number; lineNo: number } | null = null;
    for (const balance of elementsOf(statement, 'Bal')) {
      const kind = balanceKind(balance);
      if (kind === 'other') continue;
      const lineNo = this.lineNoOf(balance);
      const amount = signedAmountOf(balance);
      if ('message' in amount) {
        this.errors.add(lineNo, amount.message, amount.field);
        this.book.unreadable();
      } else if (kind === 'opening') {
        this.book.setOpening(amount.amountPence);
      } else {
        closing = { amountPence: amount.amountPence, lineNo };
      }
    }
    return closing;
  }

  private entry(entry: XmlElement, accountId: string): void | Promise<void> {
    const lineNo = this.lineNoOf(entry);
    const row = entryToRow(entry, lineNo, accountId);
    if (Array.isArray(row)) {
      for (const problem of row) this.errors.add(lineNo, problem.message, problem.field);
      this.book.unreadable();
      return;
    }
    this.book.addEntry(row.amountPence);
    this.rowCount++;
    this.totalPence += row.amountPence;
    return this.onRow(row);
  }
}

export function createCamt053Parser(
  _profile: Camt053Profile = { kind: 'camt053' },
): IncomeFileParser {
  return {
    async parse(source: ChunkSource, onRow: RowHandler): Promise<ParseSummary> {
      const reader = new CamtReader(onRow);
      const text = await readStatementText(source, reader.errors);
      if (!text.tooLarge) await reader.read(text);
      const counts = {
        rowCount: reader.rowCount,
        totalPence: reader.totalPence,
        lineCount: text.lineCount,
      };
      return summarise(reader.errors, counts, reader.book.control());
    },
  };
}
