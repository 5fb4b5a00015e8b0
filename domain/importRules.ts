import {
  conditionPredicate,
  type ImportRow,
  type Predicate,
  type RuleCondition,
  type WorkingRow,
} from './importRuleConditions';

/**
 * Import rules (domain.md §2) look at each incoming row and set its fund, reference or
 * narrative. Semantics, decided here once:
 * - Rules run in ascending `order`; equal orders run in ascending `id` so that the outcome
 *   never depends on the order the rules were loaded in.
 * - Each rule sees the row as changed by the rules before it, so a rule can tidy a reference
 *   and a later one can route on the tidy form. A matching rule with `stopProcessing` ends
 *   the run; a rule that does not match never stops anything.
 * - Text comparisons ignore case, and a missing fund code compares as the empty string, so
 *   `fundCode equals ""` means "no fund yet". `matches` is an unanchored, case-insensitive
 *   regex search: write `^` and `$` to anchor it.
 * - `amountPence` takes only `equals`, `greaterThan` and `lessThan`, compared as integers of
 *   pence; text fields never take `greaterThan` or `lessThan`, because a lexical "greater"
 *   ("9" > "10") is a trap. Both mistakes are refused when the rules are compiled.
 */

export type { ImportRow, RuleCondition, RuleField, RuleOperator } from './importRuleConditions';

export type ImportRule = {
  id: string;
  name: string;
  order: number;
  /** AND within a group, OR between groups. */
  conditionGroups: RuleCondition[][];
  /**
   * `setAmountPence` replaces the row's amount (whole pence, above zero): for files whose amount
   * column a rule must correct, such as an agent that reports a fixed fee-inclusive sum.
   */
  actions: {
    setFundCode?: string;
    setReference?: string;
    setNarrative?: string;
    setAmountPence?: number;
  };
  stopProcessing?: boolean;
};

/** A rule that cannot be compiled; names the rule and, where relevant, the condition. */
export class ImportRuleError extends Error {
  override readonly name = 'ImportRuleError';
  constructor(
    readonly ruleId: string,
    message: string,
  ) {
    super(message);
  }
}

type CompiledRule = {
  id: string;
  groups: readonly (readonly Predicate[])[];
  actions: ImportRule['actions'];
  stopProcessing: boolean;
};

export type CompiledRules = { readonly rules: readonly CompiledRule[] };

function compileRule(rule: ImportRule): CompiledRule {
  const label = `Import rule "${rule.name}" (${rule.id})`;
  const fail = (why: string): never => {
    throw new ImportRuleError(rule.id, `${label}: ${why}`);
  };
  if (!Number.isFinite(rule.order)) fail(`order must be a finite number; got ${rule.order}`);
  if (rule.conditionGroups.length === 0) fail('has no condition groups, so it could never match');
  if (rule.actions.setFundCode === '') fail('setFundCode must name a fund');
  const setAmount = rule.actions.setAmountPence;
  if (setAmount !== undefined && !(Number.isSafeInteger(setAmount) && setAmount > 0))
    fail(`setAmountPence must be a whole number of pence above zero; got ${setAmount}`);
  const groups = rule.conditionGroups.map((group, groupIndex) => {
    if (group.length === 0) fail(`condition group ${groupIndex + 1} is empty`);
    return group.map((condition, conditionIndex) => {
      const where = `condition ${conditionIndex + 1} of group ${groupIndex + 1}`;
      return conditionPredicate(condition, (why) => fail(`${where}: ${why}`));
    });
  });
  return {
    id: rule.id,
    groups,
    actions: { ...rule.actions },
    stopProcessing: rule.stopProcessing === true,
  };
}

/** Validates, sorts and precompiles rules once, so applying them to each row is cheap. */
export function compileRules(rules: readonly ImportRule[]): CompiledRules {
  const seenIds = new Set<string>();
  for (const rule of rules) {
    if (seenIds.has(rule.id)) {
      throw new ImportRuleError(rule.id, `Duplicate import rule id ${rule.id}`);
    }
    seenIds.add(rule.id);
  }
  const sorted = [...rules].sort((a, b) =>
    a.order !== b.order ? a.order - b.order : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  return { rules: sorted.map(compileRule) };
}

function ruleMatches(rule: CompiledRule, working: WorkingRow): boolean {
  for (const group of rule.groups) {
    let allTrue = true;
    for (const predicate of group) {
      if (!predicate(working)) {
        allTrue = false;
        break;
      }
    }
    if (allTrue) return true;
  }
  return false;
}

function applyActions(actions: ImportRule['actions'], working: WorkingRow): void {
  if (actions.setFundCode !== undefined) {
    working.row.fundCode = actions.setFundCode;
    working.lowerFundCode = null;
  }
  if (actions.setReference !== undefined) {
    working.row.reference = actions.setReference;
    working.lowerReference = null;
  }
  if (actions.setAmountPence !== undefined) working.row.amountPence = actions.setAmountPence;
  if (actions.setNarrative !== undefined) {
    working.row.narrative = actions.setNarrative;
    working.lowerNarrative = null;
  }
}

/**
 * Runs the compiled rules over one row and returns the resulting row (a new object; the input
 * is never changed) and the ids of the rules that matched, in the order they ran.
 */
export function applyRules(
  compiled: CompiledRules,
  row: ImportRow,
): { row: ImportRow; matchedRuleIds: string[] } {
  // One copy per row, changed in place by the actions, keeps the caller's row untouched
  // and the allocation count flat however many rules match.
  const working: WorkingRow = {
    row: {
      reference: row.reference,
      amountPence: row.amountPence,
      narrative: row.narrative,
      fundCode: row.fundCode,
    },
    lowerReference: null,
    lowerNarrative: null,
    lowerFundCode: null,
  };
  const matchedRuleIds: string[] = [];
  for (const rule of compiled.rules) {
    if (!ruleMatches(rule, working)) continue;
    applyActions(rule.actions, working);
    matchedRuleIds.push(rule.id);
    if (rule.stopProcessing) break;
  }
  return { row: working.row, matchedRuleIds };
}
