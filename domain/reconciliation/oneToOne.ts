import { type AmountIndex, lowerBound, newAmountIndex } from './amountIndex';
import { lineNarrative } from './columns';
import { firstFree, takePosition } from './freeList';
import { referencesAgree } from './references';
import { collect, mapKeys, sortByKey } from './sorting';
import { type EngineState, itemAllowed, kindMask, recordMatch } from './state';
import { tableSize } from './stringTable';
import type { MatchRule } from './types';

/**
 * One line to one item. Passes run by date distance (0, then 1, ... up to the window), so a
 * same-day pair is never lost to a line one day off that happened to be visited first. Within
 * a pass each line takes its best free candidate: smallest amount difference, then lowest id.
 */
export function applyOneToOne(state: EngineState, rule: MatchRule): void {
  const byReference = rule.reference === 'exact';
  const { lines, items } = state;
  const keyOfItem = (item: number) => (byReference ? (items.referenceKey[item] as number) : 0);
  const keyOfLine = (line: number) => (byReference ? (lines.referenceKey[line] as number) : 0);
  const mask = kindMask(rule);
  const eligibleItems = collect(items.canonical, (item) => {
    if (items.used[item] !== 0 || !itemAllowed(state, item, mask)) return false;
    return !byReference || (items.referenceKey[item] as number) >= 0;
  });
  const eligibleLines = collect(lines.canonical, (line) => {
    return lines.used[line] === 0 && (!byReference || (lines.referenceKey[line] as number) >= 0);
  });
  if (eligibleItems.length === 0 || eligibleLines.length === 0) return;
  const keyCount = byReference ? tableSize(state.referenceKeys) : 1;
  const sortedItems = sortByKey(eligibleItems, mapKeys(eligibleItems, keyOfItem), keyCount);
  const index = newAmountIndex(sortedItems, keyOfItem, items.amountPence, items.day);
  let pending = sortByKey(eligibleLines, mapKeys(eligibleLines, keyOfLine), keyCount);
  for (let offsetDays = 0; offsetDays <= rule.dateWindowDays && pending.length > 0; offsetDays++) {
    pending = runPass(state, rule, index, pending, keyOfLine, offsetDays);
  }
}

/** One pass at one date distance; returns the lines still unmatched, in the same order. */
function runPass(
  state: EngineState,
  rule: MatchRule,
  index: AmountIndex,
  pending: Int32Array,
  keyOfLine: (line: number) => number,
  offsetDays: number,
): Int32Array {
  const search: Search = { rule, index, hints: new Int32Array(3), state, line: 0, key: 0 };
  const unmatched = new Int32Array(pending.length);
  let unmatchedCount = 0;
  for (const line of pending) {
    search.line = line;
    search.key = keyOfLine(line);
    const position = bestCandidate(search, offsetDays);
    if (position === -1) {
      unmatched[unmatchedCount++] = line;
      continue;
    }
    takePosition(index.free, position);
    recordMatch(state, rule.name, [line], [index.item[position] as number]);
  }
  return unmatched.subarray(0, unmatchedCount);
}

type Search = {
  rule: MatchRule;
  index: AmountIndex;
  /** Where the last amount scan, minus-day probe and plus-day probe ended. */
  hints: Int32Array;
  state: EngineState;
  line: number;
  key: number;
};

/** Best free position for the line at exactly `offsetDays` either side, or -1. */
function bestCandidate(search: Search, offsetDays: number): number {
  const { index, hints, rule, key } = search;
  const { lines, items } = search.state;
  const lineAmount = lines.amountPence[search.line] as number;
  const lineDay = lines.day[search.line] as number;
  const tolerancePence = rule.amountTolerancePence;
  let bestPosition = -1;
  let bestDifferencePence = 0;
  let amount = tolerancePence === 0 ? lineAmount : nextAmount(search, lineAmount - tolerancePence);
  while (amount <= lineAmount + tolerancePence) {
    const differencePence = Math.abs(amount - lineAmount);
    for (let probe = offsetDays === 0 ? 2 : 1; probe <= 2; probe++) {
      const day = probe === 1 ? lineDay - offsetDays : lineDay + offsetDays;
      const start = lowerBound(index, hints[probe] as number, key, amount, day);
      hints[probe] = start;
      const position = firstAgreeing(search, start, amount, day);
      if (position === -1) continue;
      const better =
        bestPosition === -1 ||
        differencePence < bestDifferencePence ||
        (differencePence === bestDifferencePence &&
          (items.ids[index.item[position] as number] as string) <
            (items.ids[index.item[bestPosition] as number] as string));
      if (better) {
        bestPosition = position;
        bestDifferencePence = differencePence;
      }
    }
    if (tolerancePence === 0) break;
    amount = nextAmount(search, amount + 1);
  }
  return bestPosition;
}

/** Smallest amount at or above `floorPence` among the key's items; Infinity when none. */
function nextAmount(search: Search, floorPence: number): number {
  const { index, hints, key } = search;
  const position = lowerBound(index, hints[0] as number, key, floorPence, -Infinity);
  hints[0] = position;
  if (position >= index.size || index.key[position] !== key) return Number.POSITIVE_INFINITY;
  return index.amountPence[position] as number;
}

/** First free position at exactly (key, amount, day) whose reference satisfies the rule. */
function firstAgreeing(search: Search, start: number, amount: number, day: number): number {
  const { index, key, line } = search;
  const { lines, items } = search.state;
  for (let position = firstFree(index.free, start); position < index.size; ) {
    if (index.key[position] !== key || index.amountPence[position] !== amount) return -1;
    if (index.day[position] !== day) return -1;
    if (search.rule.reference !== 'contains') return position;
    const item = index.item[position] as number;
    const lineReference = lines.reference[line] as string;
    const itemReference = items.reference[item] as string;
    if (referencesAgree('contains', lineReference, lineNarrative(lines, line), itemReference)) {
      return position;
    }
    position = firstFree(index.free, position + 1);
  }
  return -1;
}
