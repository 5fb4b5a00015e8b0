/**
 * Bank reconciliation inputs and outputs. Everything is plain JSON (strings, integer pence,
 * YYYY-MM-DD dates) so a result can cross a Temporal boundary or be stored as it is.
 */

/** One entry of a bank statement (CAMT.053 / MT940). Credits are positive pence. */
export type StatementLine = {
  id: string;
  amountPence: number;
  date: string;
  reference: string;
  narrative?: string;
};

export type ExpectedItemKind = 'psp_payout' | 'collection_file' | 'cash_banking' | 'direct_credit';

/** Something the IMS expects to see on the statement: a payout, a collection file total... */
export type ExpectedItem = {
  id: string;
  kind: ExpectedItemKind;
  amountPence: number;
  expectedDate: string;
  reference: string;
};

/**
 * How references must agree. References are compared on letters and digits only, upper-cased
 * (see normaliseReference). `exact`: equal. `contains`: the item's reference appears inside
 * the line's reference or narrative. `ignore`: not compared. An empty reference never
 * satisfies `exact` or `contains`, or every blank line would match every blank item.
 */
export type ReferenceRule = 'exact' | 'contains' | 'ignore';

/**
 * `one_to_one`: one line, one item. `one_to_many`: one line pays several items.
 * `many_to_one`: several lines pay one item (a payout split across credits).
 */
export type MatchKind = 'one_to_one' | 'one_to_many' | 'many_to_one';

export type MatchRule = {
  /** Reported on every match the rule makes; unique within a rule set. */
  name: string;
  kind: MatchKind;
  /** Largest distance in days between a line's date and an item's expected date. */
  dateWindowDays: number;
  /** Largest |statement total - expected total| accepted as a match. */
  amountTolerancePence: number;
  reference: ReferenceRule;
  /** Only items of these kinds take part; absent means every kind. */
  itemKinds?: readonly ExpectedItemKind[];
};

export type ReconcileOptions = {
  /** The day ageDays is counted from (normally today, as a business date). */
  asOf: string;
  /** Window for pairing leftovers as `mismatched`; defaults to the widest rule window. */
  mismatchWindowDays?: number;
};

export type Match = {
  rule: string;
  statementLineIds: string[];
  expectedItemIds: string[];
  /** Statement total minus expected total: positive when the bank received more. */
  differencePence: number;
};

export type ReconciliationException =
  /** The item's line has not arrived; ageDays = asOf - expectedDate (negative: not yet due). */
  | { kind: 'expected'; expectedItemId: string; ageDays: number }
  /** Linked by reference and window but no rule accepted the amounts; line minus item. */
  | { kind: 'mismatched'; statementLineId: string; expectedItemId: string; differencePence: number }
  /** A statement line nothing expected. */
  | { kind: 'unexpected'; statementLineId: string };

export type ReconciliationResult = {
  matches: Match[];
  exceptions: ReconciliationException[];
};
