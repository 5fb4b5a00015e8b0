/**
 * The one contract every income-file parser keeps (domain.md §5). Parsers are pure and
 * streaming: they read chunks from an async iterable, hand each well-formed row to the caller
 * as soon as it is read, and never hold the file as objects.
 *
 * A row handed over is NOT yet safe to post. The file may still turn out to be structurally
 * broken further down (a trailer that disagrees, a statement that does not balance), and a
 * broken file is refused whole. So the caller stages rows and posts them only when `parse`
 * resolves with `errors` empty. Parsers report; callers decide.
 */

/** One chunk of a file: raw bytes (a Node Buffer is a Uint8Array) or text already decoded. */
export type FileChunk = string | Uint8Array;

/** Where the chunks come from: a file stream, an upload, or an in-memory list in tests. */
export type ChunkSource = AsyncIterable<FileChunk> | Iterable<FileChunk>;

/**
 * One parsed income line. A superset of the import rules' row (`domain/importRuleConditions`),
 * so it can go straight through the rules.
 */
export type ImportRow = {
  /** 1-based physical line of the record (for XML, the line of its `<Ntry>` element). */
  lineNo: number;
  /** The payer's reference as the file gives it, trimmed; may be blank (then suspense). */
  reference: string;
  /**
   * Integer pence. Money in is positive. On bank statements money out (a debit, or the
   * reversal of a credit) is negative, so the signed rows of a statement sum to
   * closing − opening and no separate flag can be forgotten.
   */
  amountPence: number;
  narrative: string;
  /**
   * YYYY-MM-DD: the payment date in collection files and CSV; on CAMT.053 the booking date
   * (BookgDt, else ValDt); on MT940/MT942 the :61: value date, as it has always been (the
   * optional :61: entry date is in `details.entryDate`). `valueDate` says which is which.
   */
  transactionDate: string;
  /** Null unless the file itself names a fund; import rules and reference routing fill it later. */
  fundCode: string | null;
  /** The collection agent's channel (e.g. demo MOP code 'PO'), or a statement's transaction code. */
  channel?: string;
  /** The bank's or agent's own id for the item, used to match and to spot duplicates. */
  bankReference?: string;
  /** The statement's account (MT940 :25:, CAMT Acct/Id), so multi-account files stay apart. */
  accountId?: string;
  /** YYYY-MM-DD: the bank's value date (statements only), when given. */
  valueDate?: string;
  /** The payer's end-to-end id (SEPA EREF, CAMT EndToEndId); absent when NOTPROVIDED. */
  endToEndId?: string;
  /**
   * Structured narrative and remittance details, keyed as the file names them: MT940 `?20`,
   * `?32`, `EREF`, `REMI`, and `entryDate`/`fundsCode`/`supplementaryDetails` from :61:; CAMT
   * `CdtrRef`, `Ustrd`, `InstrId`, `TxId`. The full `narrative` is kept as well.
   */
  details?: Record<string, string>;
  /** ISO 4217 code of the amount; `amountPence` is then in that currency's minor units. */
  currency?: string;
  /** True when the bank marks the entry as the reversal of an earlier one (MT940 RC/RD, CAMT RvslInd). */
  reversal?: boolean;
};

/** A structural error: the line it was found on and, where one field is to blame, its name. */
export type ImportLineError = { lineNo: number; field?: string; message: string };

/** One bank statement's control figures, for reconciliation and for the operator's screen. */
export type StatementControl = {
  lineNo: number;
  accountId: string;
  openingBalancePence: number;
  closingBalancePence: number;
  entryCount: number;
  /** ISO 4217 code of the statement's balances, when it states one. */
  currency?: string;
  /** The bank's statement number (MT940 :28C:, CAMT LglSeqNb or ElctrncSeqNb). */
  statementNumber?: string;
  /** The page or sequence within that statement (MT940 :28C:/n, CAMT Pgntn/PgNb). */
  sequenceNumber?: string;
  /** Closing available balance (MT940 :64:, CAMT CLAV), when given. */
  availableBalancePence?: number;
  /** Forward available balance (MT940 :65:, CAMT FWAV); the first one when there are several. */
  forwardAvailableBalancePence?: number;
  /**
   * An interim report rather than a final statement: MT942 (no opening balance: opening 0 and
   * closing the net of its entries), or CAMT balances that are interim (ITBD).
   */
  interim?: boolean;
};

/** What the file declares about itself, when it declares anything. */
export type ParseControl = {
  /** A collection file trailer's count and total. */
  declaredCount?: number;
  declaredTotalPence?: number;
  /** Set when the file holds exactly one statement; `statements` always lists them all. */
  openingBalancePence?: number;
  closingBalancePence?: number;
  statements?: StatementControl[];
};

export type ParseSummary = {
  /** Rows handed to `onRow`; lines with errors are never handed over. */
  rowCount: number;
  /** Signed sum of the rows handed over. */
  totalPence: number;
  /** Every structural error, in file order, capped (see `importErrorsMax`). Empty = sound. */
  errors: ImportLineError[];
  control?: ParseControl;
};

/** Called once per row, in file order; a returned promise is awaited, which gives backpressure. */
export type RowHandler = (row: ImportRow) => void | Promise<void>;

export interface IncomeFileParser {
  parse(source: ChunkSource, onRow: RowHandler): Promise<ParseSummary>;
}
