import { type AmountContext, type CamtProblem, isBooked, readEntry } from './camtEntry';
import { type CamtMessageKind, camtMessageOf } from './camtMessage';
import { accountIdOf, balancesOf, currencyOf, currencyRefusal, extrasOf } from './camtStatement';
import type { XmlElement } from './camtXml';
import { documentNamespace, elementsOf, lineFinder, parseXml, startIndexOf } from './camtXml';
import { ImportErrorLog, summarise } from './errors';
import { readLines } from './lines';
import { StatementBook } from './statements';
import type {
  ChunkSource,
  ImportRow,
  IncomeFileParser,
  ParseControl,
  ParseSummary,
  RowHandler,
  StatementControl,
} from './types';

/**
 * ISO 20022 bank-to-customer cash management files (domain.md §5): camt.053 statements,
 * camt.052 account reports (intraday) and camt.054 debit/credit notifications, every published
 * version (.001.02 to .001.13), several statements, reports or notifications per file and
 * several accounts. The profile kind stays `camt053` for all three, since saved profiles and
 * imports carry it; renaming it would need a migration for no gain.
 *
 * XML cannot sensibly be streamed by element, so the text is read whole (statements are a
 * few megabytes; more than `camtCharsMax` is refused), parsed once, and rows are then built
 * and handed over one at a time. A camt.053 Stmt must carry an opening (OPBD or PRCD) and a
 * closing (CLBD, else ITBD) balance, and opening + booked entries must equal closing, exactly,
 * in pence. A report or notification is checked the same way when it carries both balances,
 * and not at all when it does not (then it is not listed in the control either). Entries
 * whose status is not BOOK are skipped: they do not move the booked balance.
 *
 * Accounts are in sterling unless the profile lists them in `otherCurrencyAccounts` with
 * their currency; any other account refuses the whole file. Every error names the line and
 * the XML path of the element at fault.
 *
 * Rows are numbered by the line of their Ntry (or TxDtls, when a batch is split). Where
 * several rows start on one line (a file written without line breaks), each following row
 * takes the next number, so a row's number stays unique within the file, as staging needs.
 */

export type Camt053Profile = {
  kind: 'camt053';
  /** Accounts (IBAN or Othr/Id as the file gives it) allowed in a currency other than GBP. */
  otherCurrencyAccounts?: Record<string, string>;
};

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

/**
 * The error log, adding to the statement book's messages the path of the element at fault
 * (by the field the book names: the statement for a missing balance, the closing Bal for one
 * that does not add up).
 */
class CamtErrorLog extends ImportErrorLog {
  where: Record<string, string> | undefined;

  override add(lineNo: number, message: string, field?: string): void {
    const at = field === undefined ? undefined : this.where?.[field];
    super.add(lineNo, at === undefined ? message : `${message} (at ${at})`, field);
  }
}

type StatementContext = AmountContext & { path: string; lineNo: number; refused: boolean };

class CamtReader {
  readonly errors = new CamtErrorLog();
  readonly book = new StatementBook(this.errors);
  rowCount = 0;
  totalPence = 0;
  private lastRowLineNo = 0;
  private readonly extras: Partial<StatementControl>[] = [];
  private checkedCount = 0;
  private lineOf: (charIndex: number) => number = () => 1;

  constructor(
    private readonly profile: Camt053Profile,
    private readonly onRow: RowHandler,
  ) {}

  async read(text: StatementText): Promise<void> {
    this.lineOf = lineFinder(text.lineStarts);
    const parsed = parseXml(text.xml, this.lineOf);
    if ('message' in parsed) {
      this.errors.add(parsed.lineNo, parsed.message, 'xml');
      return;
    }
    const message = camtMessageOf(parsed.document, documentNamespace(text.xml));
    if ('message' in message) {
      this.errors.add(1, message.message);
      return;
    }
    const { kind, items } = message;
    for (const [index, item] of items.entries()) {
      await this.statement(item, kind, `Document/${kind.root}/${kind.item}[${index + 1}]`);
    }
  }

  private lineNoOf(element: XmlElement): number {
    const startIndex = startIndexOf(element);
    return startIndex === undefined ? 1 : this.lineOf(startIndex);
  }

  private fault(lineNo: number, path: string, problem: CamtProblem): void {
    const at = problem.at === '' ? path : `${path}/${problem.at}`;
    this.errors.add(lineNo, `${problem.message} (at ${at})`, problem.field);
  }

  private async statement(item: XmlElement, kind: CamtMessageKind, path: string): Promise<void> {
    const lineNo = this.lineNoOf(item);
    const accountId = accountIdOf(item);
    const { currency, at } = currencyOf(item);
    const refusal = currencyRefusal(accountId, currency, this.profile.otherCurrencyAccounts);
    if (refusal !== undefined) {
      this.fault(lineNo, path, { field: 'currency', at, message: refusal });
    }
    const context: StatementContext = {
      accountId,
      currency,
      path,
      lineNo,
      refused: refusal !== undefined,
    };
    const balances = balancesOf(item, context);
    for (const problem of balances.problems) {
      this.fault(problem.node ? this.lineNoOf(problem.node) : lineNo, path, problem);
    }
    const { opening, closing } = balances;
    const checked = kind.balancesRequired || (opening !== undefined && closing !== undefined);
    if (checked) {
      this.book.open(lineNo, accountId);
      if (opening !== undefined) this.book.setOpening(opening.amountPence);
      for (const _ of balances.problems) this.book.unreadable();
    }
    for (const [index, entry] of elementsOf(item, 'Ntry').entries()) {
      if (isBooked(entry)) await this.entry(entry, `${path}/Ntry[${index + 1}]`, context);
    }
    if (!checked) return;
    this.errors.where = {
      openingBalance: path,
      closingBalance: closing === undefined ? path : `${path}/${closing.at}`,
    };
    this.book.close(
      closing?.amountPence ?? null,
      closing === undefined ? lineNo : this.lineNoOf(closing.node),
    );
    this.errors.where = undefined;
    const listed = this.book.control().statements?.length ?? 0;
    if (listed > this.checkedCount) {
      this.checkedCount = listed;
      this.extras.push(extrasOf(item, kind.item, balances, currency));
    }
  }

  private entry(entry: XmlElement, path: string, context: StatementContext): void | Promise<void> {
    const lineNo = this.lineNoOf(entry);
    const read = readEntry(entry, context);
    if (Array.isArray(read)) {
      for (const problem of read) {
        this.fault(problem.node ? this.lineNoOf(problem.node) : lineNo, path, problem);
      }
      this.book.unreadable();
      return;
    }
    this.book.addEntry(read.amountPence);
    // An account refused for its currency is checked to the end, but none of its rows is kept.
    if (context.refused) return;
    return this.handOver(read.drafts);
  }

  private async handOver(drafts: { node: XmlElement; row: ImportRow }[]): Promise<void> {
    for (const { node, row } of drafts) {
      row.lineNo = Math.max(this.lineNoOf(node), this.lastRowLineNo + 1);
      this.lastRowLineNo = row.lineNo;
      this.rowCount++;
      this.totalPence += row.amountPence;
      await this.onRow(row);
    }
  }

  control(): ParseControl {
    const control = this.book.control();
    const statements = (control.statements ?? []).map((statement, index) => ({
      ...statement,
      ...this.extras[index],
    }));
    return { ...control, statements };
  }
}

function assertCamtProfile(profile: Camt053Profile): void {
  for (const [accountId, currency] of Object.entries(profile.otherCurrencyAccounts ?? {})) {
    if (!/^[A-Z]{3}$/.test(currency)) {
      throw new RangeError(
        `CAMT profile: otherCurrencyAccounts.${accountId} must be an ISO 4217 code such as EUR`,
      );
    }
  }
}

export function createCamt053Parser(
  profile: Camt053Profile = { kind: 'camt053' },
): IncomeFileParser {
  assertCamtProfile(profile);
  return {
    async parse(source: ChunkSource, onRow: RowHandler): Promise<ParseSummary> {
      const reader = new CamtReader(profile, onRow);
      const text = await readStatementText(source, reader.errors);
      if (!text.tooLarge) await reader.read(text);
      const counts = {
        rowCount: reader.rowCount,
        totalPence: reader.totalPence,
        lineCount: text.lineCount,
      };
      return summarise(reader.errors, counts, reader.control());
    },
  };
}
