import { ImportErrorLog, summarise } from './errors';
import { readLines } from './lines';
import { envelopeLine } from './mt940Envelope';
import { type Mt940Entry, parseBalance, parseStatementLine } from './mt940Fields';
import { type Narrative, readNarrative } from './mt940Narrative';
import { currencyRule, type Mt940Profile } from './mt940Profile';
import {
  checkDateTime,
  parseEntrySum,
  parseFloorLimit,
  parseStatementNumber,
} from './mt940ReportFields';
import { rowOf } from './mt940Row';
import { Mt940Book } from './mt940Statement';
import type { FieldProblem } from './statements';
import type { ChunkSource, IncomeFileParser, ParseSummary, RowHandler } from './types';

/**
 * SWIFT MT940 statements and MT942 interim reports (domain.md §5, docs/imports.md), as banks
 * deliver them: in SWIFT envelopes or bare, after bank preamble lines, several statements and
 * accounts to a file. :20: starts a statement, :25: names the account, :60F:/:60M: opens, each
 * :61: is an entry with its :86: narrative, :62F:/:62M: closes; the statement ends at the end
 * of its message, the next :20: or the end of the file (mt940Statement.ts checks it then).
 * Errors carry the line of the offending tag. A tag MT940/MT942 does not define is an error
 * (it is probably not such a file), and so is text outside any tag, except up to
 * `preambleLinesMax` lines just before a :20:.
 *
 * Rows are dated by value date (`transactionDate` and `valueDate`); the reference is the :61:
 * customer reference ('' for NONREF), the channel the transaction type (e.g. NTRF). `details`
 * holds the :86: sub-fields (mt940Narrative.ts) and, from the :61:, `entryDate` (YYYY-MM-DD),
 * `fundsCode` and `supplementaryDetails` when the bank gives them.
 */

export type { Mt940Profile } from './mt940Profile';

export const preambleLinesMax = 5;

const tagPattern = /^:(\d{2}[A-Z]?):/;
const colon = 58;
/** Tags that may run over more than one line, and how many lines they may have. */
const linesMaxByTag = new Map([
  ['86', Number.POSITIVE_INFINITY],
  ['61', 2],
  ['25P', 2],
]);

type OpenTag = { tag: string; lineNo: number; lines: string[] };
type Emitted = void | Promise<void>;

function andThen(first: Emitted, next: () => Emitted): Emitted {
  return first instanceof Promise ? first.then(next) : next();
}

class Mt940Reader {
  readonly errors = new ImportErrorLog();
  rowCount = 0;
  totalPence = 0;
  readonly book: Mt940Book;
  private statementCount = 0;
  private tag: OpenTag | null = null;
  private pending: { entry: Mt940Entry; lineNo: number } | null = null;
  /** Lines outside any tag since the last one: a preamble if a :20: comes next. */
  private strayLineNos: number[] = [];

  constructor(
    private readonly onRow: RowHandler,
    profile: Mt940Profile,
  ) {
    this.book = new Mt940Book(this.errors, currencyRule(profile));
  }

  line(text: string, lineNo: number): Emitted {
    const { endsMessage, content } = envelopeLine(text);
    const ended = endsMessage ? this.endMessage() : undefined;
    if (content === null) return ended;
    return andThen(ended, () => this.content(content, lineNo));
  }

  finish(): Emitted {
    const emitted = this.endMessage();
    this.reportStrays();
    if (this.statementCount === 0) this.errors.add(1, 'The file holds no MT940 statement (:20:)');
    return emitted;
  }

  private content(text: string, lineNo: number): Emitted {
    const match = text.charCodeAt(0) === colon ? tagPattern.exec(text) : null;
    if (match === null) return this.untagged(text, lineNo);
    const emitted = this.finishTag();
    const tag = match[1] ?? '';
    if (tag === '20' && this.strayLineNos.length <= preambleLinesMax) this.strayLineNos = [];
    this.reportStrays();
    this.tag = { tag, lineNo, lines: [text.slice(match[0].length)] };
    return emitted;
  }

  private untagged(text: string, lineNo: number): Emitted {
    const open = this.tag;
    if (open !== null && open.lines.length < (linesMaxByTag.get(open.tag) ?? 1)) {
      open.lines.push(text);
      return;
    }
    if (text.trim() === '') return this.finishTag();
    const emitted = this.finishTag();
    this.strayLineNos.push(lineNo);
    return emitted;
  }

  private reportStrays(): void {
    for (const lineNo of this.strayLineNos) this.errors.add(lineNo, 'Text outside any MT940 tag');
    this.strayLineNos = [];
  }

  private endMessage(): Emitted {
    const emitted = this.finishTag();
    this.book.close();
    return emitted;
  }

  /** Acts on the tag just completed; emits at most one row, whose promise it returns. */
  private finishTag(): Emitted {
    const tag = this.tag;
    this.tag = null;
    if (tag === null) return;
    if (tag.tag === '86') return this.emitPending(readNarrative(tag.lines));
    const emitted = this.emitPending(null);
    if (tag.tag === '20') this.startStatement(tag.lineNo);
    else if (this.book.isOpen) this.statementTag(tag);
    else if (this.statementCount === 0) {
      this.errors.add(tag.lineNo, `The tag :${tag.tag}: comes before any :20:`);
    } else if (tag.tag === '61') {
      this.errors.add(tag.lineNo, 'A statement line after the closing balance');
    } else this.errors.add(tag.lineNo, `The tag :${tag.tag}: comes after its statement ended`);
    return emitted;
  }

  private startStatement(lineNo: number): void {
    this.book.close();
    this.book.open(lineNo);
    this.statementCount++;
  }

  private problem(lineNo: number, problem: FieldProblem): void {
    this.errors.add(lineNo, problem.message, problem.field);
    this.book.unreadable();
  }

  private statementTag({ tag, lineNo, lines }: OpenTag): void {
    const text = lines[0] ?? '';
    if (tag === '25' || tag === '25P') this.book.setAccount(text.trim());
    else if (tag === '28C' || tag === '28') this.statementNumber(text, lineNo);
    else if (tag === '60F' || tag === '60M') this.balance(tag, text, lineNo);
    else if (tag === '62F' || tag === '62M') this.balance(tag, text, lineNo);
    else if (tag === '64' || tag === '65') this.balance(tag, text, lineNo);
    else if (tag === '61') this.entry(lines.join('\n'), lineNo);
    else if (tag === '13D' || tag === '34F') this.interimTag(tag, text, lineNo);
    else if (tag === '90D' || tag === '90C') this.entrySum(tag, text, lineNo);
    else if (tag !== '21') this.errors.add(lineNo, `Unknown MT940 tag :${tag}:`, 'tag');
  }

  private statementNumber(text: string, lineNo: number): void {
    const number = parseStatementNumber(text);
    if ('message' in number) this.errors.add(lineNo, number.message, number.field);
    else this.book.setNumber(number, lineNo);
  }

  private balance(tag: string, text: string, lineNo: number): void {
    const closing = tag.startsWith('62');
    if (closing && this.book.hasClosing) {
      this.errors.add(lineNo, 'A second closing balance in one statement', 'closingBalance');
      return;
    }
    const balance = parseBalance(text);
    if ('message' in balance) {
      this.problem(lineNo, balance);
      return;
    }
    this.book.useCurrency(balance.currency, lineNo);
    const final = tag.endsWith('F');
    if (tag.startsWith('60')) this.book.setOpening(balance.amountPence, final, lineNo);
    else if (closing) this.book.setClosing(balance.amountPence, final, lineNo);
    else
      this.book.setAvailable(tag === '64' ? 'available' : 'forwardAvailable', balance.amountPence);
  }

  private interimTag(tag: string, text: string, lineNo: number): void {
    this.book.interimTag();
    if (tag === '13D') {
      const problem = checkDateTime(text);
      if (problem !== null) this.errors.add(lineNo, problem.message, problem.field);
      return;
    }
    const limit = parseFloorLimit(text);
    if ('message' in limit) this.errors.add(lineNo, limit.message, limit.field);
    else this.book.useCurrency(limit.currency, lineNo);
  }

  private entrySum(tag: string, text: string, lineNo: number): void {
    const sum = parseEntrySum(text);
    if ('message' in sum) {
      this.problem(lineNo, sum);
      return;
    }
    this.book.useCurrency(sum.currency, lineNo);
    this.book.declare(tag === '90D' ? 'debit' : 'credit', sum, lineNo);
  }

  private entry(text: string, lineNo: number): void {
    if (this.book.hasClosing) {
      this.errors.add(lineNo, 'A statement line after the closing balance');
      return;
    }
    const entry = parseStatementLine(text);
    if ('message' in entry) this.problem(lineNo, entry);
    else this.pending = { entry, lineNo };
  }

  private emitPending(narrative: Narrative | null): Emitted {
    const pending = this.pending;
    if (pending === null) return;
    this.pending = null;
    const row = rowOf(pending.entry, pending.lineNo, narrative, this.book);
    this.book.addEntry(pending.entry);
    this.rowCount++;
    this.totalPence += pending.entry.amountPence;
    return this.onRow(row);
  }
}

export function createMt940Parser(profile: Mt940Profile = { kind: 'mt940' }): IncomeFileParser {
  currencyRule(profile);
  return {
    async parse(source: ChunkSource, onRow: RowHandler): Promise<ParseSummary> {
      const reader = new Mt940Reader(onRow, profile);
      const lineCount = await readLines(source, reader.errors, (text, lineNo) =>
        reader.line(text, lineNo),
      );
      await reader.finish();
      const counts = { rowCount: reader.rowCount, totalPence: reader.totalPence, lineCount };
      return summarise(reader.errors, counts, reader.book.control());
    },
  };
}
