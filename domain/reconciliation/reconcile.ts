import { itemColumns, itemKindCodes, lineColumns } from './columns';
import { dayNumber } from './dates';
import { classifyLeftovers } from './exceptions';
import { applyGroupRule } from './groups';
import { applyOneToOne } from './oneToOne';
import type { EngineState } from './state';
import { newStringTable } from './stringTable';
import type {
  ExpectedItem,
  MatchRule,
  ReconcileOptions,
  ReconciliationException,
  ReconciliationResult,
  StatementLine,
} from './types';

/**
 * Matches statement lines to expected items by applying `rules` in order (strictest first:
 * each rule sees only what earlier rules left), then classifies the rest as exceptions.
 * Pure and deterministic: the same records in any order give the same result. Every line and
 * every item appears exactly once, in one match or one exception; that is asserted.
 */
export function reconcile(
  lines: readonly StatementLine[],
  items: readonly ExpectedItem[],
  rules: readonly MatchRule[],
  options: ReconcileOptions,
): ReconciliationResult {
  assertValidRules(rules);
  const asOfDay = dayNumber(options.asOf);
  const referenceKeys = newStringTable(items.length);
  const itemSide = itemColumns(items, referenceKeys);
  const state: EngineState = {
    lines: lineColumns(lines, referenceKeys),
    items: itemSide,
    referenceKeys,
    matches: [],
  };
  for (const rule of rules) {
    if (rule.kind === 'one_to_one') applyOneToOne(state, rule);
    else applyGroupRule(state, rule);
  }
  const widestWindowDays = rules.reduce((widest, rule) => Math.max(widest, rule.dateWindowDays), 0);
  const windowDays = options.mismatchWindowDays ?? widestWindowDays;
  assertCount(windowDays, 'mismatchWindowDays');
  const exceptions = classifyLeftovers(state, windowDays, asOfDay);
  assertAccountedOnce(state, exceptions);
  return { matches: state.matches, exceptions };
}

function assertCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer; got ${value}`);
  }
}

const matchKinds = new Set(['one_to_one', 'one_to_many', 'many_to_one']);
const referenceRules = new Set(['exact', 'contains', 'ignore']);

/** Throws a RangeError naming what makes a rule set unusable (also checked by every run). */
export function assertValidRules(rules: readonly MatchRule[]): void {
  const names = new Set<string>();
  for (const rule of rules) {
    if (names.has(rule.name)) throw new RangeError(`Duplicate rule name ${rule.name}`);
    names.add(rule.name);
    if (!matchKinds.has(rule.kind)) throw new RangeError(`Unknown rule kind ${rule.kind}`);
    if (!referenceRules.has(rule.reference)) {
      throw new RangeError(`Unknown reference rule ${rule.reference}`);
    }
    for (const kind of rule.itemKinds ?? []) {
      if (!(kind in itemKindCodes)) throw new RangeError(`Unknown item kind ${kind}`);
    }
    assertCount(rule.dateWindowDays, `${rule.name}.dateWindowDays`);
    assertCount(rule.amountTolerancePence, `${rule.name}.amountTolerancePence`);
  }
}

/** Marking already refuses a second use; counting here proves nothing was left out either. */
function assertAccountedOnce(state: EngineState, exceptions: ReconciliationException[]): void {
  let lineCount = 0;
  let itemCount = 0;
  for (const match of state.matches) {
    lineCount += match.statementLineIds.length;
    itemCount += match.expectedItemIds.length;
  }
  for (const exception of exceptions) {
    if (exception.kind !== 'expected') lineCount++;
    if (exception.kind !== 'unexpected') itemCount++;
  }
  if (lineCount !== state.lines.count || itemCount !== state.items.count) {
    throw new Error('Reconciliation lost or duplicated a record');
  }
}
