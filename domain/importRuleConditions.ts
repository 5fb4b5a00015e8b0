/**
 * The conditions of import rules, compiled into predicates over a row being worked on. The
 * semantics are documented on `importRules.ts`, which is the module callers import.
 */

export type RuleOperator =
  | 'contains'
  | 'notContains'
  | 'startsWith'
  | 'endsWith'
  | 'equals'
  | 'greaterThan'
  | 'lessThan'
  | 'matches';

export type RuleField = 'reference' | 'amountPence' | 'narrative' | 'fundCode';

export type RuleCondition = { field: RuleField; operator: RuleOperator; value: string };

export type ImportRow = {
  reference: string;
  amountPence: number;
  narrative: string;
  /** Null until a rule or the source sets it; a row still null after the rules goes to suspense. */
  fundCode: string | null;
};

type TextField = Exclude<RuleField, 'amountPence'>;

/** The row being worked on, with lower-cased text computed at most once per change. */
export type WorkingRow = {
  row: ImportRow;
  lowerReference: string | null;
  lowerNarrative: string | null;
  lowerFundCode: string | null;
};

export type Predicate = (working: WorkingRow) => boolean;

function textOf(row: ImportRow, field: TextField): string {
  return field === 'fundCode' ? (row.fundCode ?? '') : row[field];
}

function lowerTextOf(working: WorkingRow, field: TextField): string {
  if (field === 'reference') {
    if (working.lowerReference === null) {
      working.lowerReference = working.row.reference.toLowerCase();
    }
    return working.lowerReference;
  }
  if (field === 'narrative') {
    if (working.lowerNarrative === null) {
      working.lowerNarrative = working.row.narrative.toLowerCase();
    }
    return working.lowerNarrative;
  }
  if (working.lowerFundCode === null) {
    working.lowerFundCode = (working.row.fundCode ?? '').toLowerCase();
  }
  return working.lowerFundCode;
}

function amountPredicate(
  operator: RuleOperator,
  value: string,
  fail: (why: string) => never,
): Predicate {
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    fail(`amountPence needs a whole number of pence; got "${value}"`);
  }
  const limitPence = Number(value);
  if (operator === 'equals') return (w) => w.row.amountPence === limitPence;
  if (operator === 'greaterThan') return (w) => w.row.amountPence > limitPence;
  if (operator === 'lessThan') return (w) => w.row.amountPence < limitPence;
  return fail(`operator ${operator} does not apply to amountPence`);
}

function textPredicate(
  field: TextField,
  operator: RuleOperator,
  value: string,
  fail: (why: string) => never,
): Predicate {
  const lowerValue = value.toLowerCase();
  switch (operator) {
    case 'contains':
      return (w) => lowerTextOf(w, field).includes(lowerValue);
    case 'notContains':
      return (w) => !lowerTextOf(w, field).includes(lowerValue);
    case 'startsWith':
      return (w) => lowerTextOf(w, field).startsWith(lowerValue);
    case 'endsWith':
      return (w) => lowerTextOf(w, field).endsWith(lowerValue);
    case 'equals':
      return (w) => lowerTextOf(w, field) === lowerValue;
    case 'matches': {
      let pattern: RegExp;
      try {
        // No `g` flag: `test` then keeps no state between rows.
        pattern = new RegExp(value, 'i');
      } catch (error) {
        return fail(`invalid regular expression "${value}": ${(error as Error).message}`);
      }
      return (w) => pattern.test(textOf(w.row, field));
    }
    case 'greaterThan':
    case 'lessThan':
      return fail(`operator ${operator} compares numbers and does not apply to ${field}`);
  }
}

/**
 * Compiles one condition into a predicate, or calls `fail` (which throws) with the reason it
 * cannot be compiled.
 */
export function conditionPredicate(
  condition: RuleCondition,
  fail: (why: string) => never,
): Predicate {
  const { field, operator, value } = condition;
  return field === 'amountPence'
    ? amountPredicate(operator, value, fail)
    : textPredicate(field, operator, value, fail);
}
