import {
  freeCount,
  freePositions,
  freeSumPence,
  type GroupIndex,
  newGroupIndex,
  positionOf,
  retireOwner,
} from './groupIndex';
import { lineKeysFunction } from './lineKeys';
import { collect } from './sorting';
import { type EngineState, itemAllowed, kindMask, recordMatch } from './state';
import type { MatchRule } from './types';

/**
 * One line for several items (`one_to_many`) or several lines for one item (`many_to_one`).
 * The single record is the seed; the group is ALL free records on the other side that share
 * a reference within the window (or, when references are ignored, share one date: the seed's
 * own first, then one day before, one day after, two before...), and it matches when its total
 * is within tolerance. Groups come from keys,
 * never from subsets, so the work stays linear: subset-sum is exponential.
 */
export function applyGroupRule(state: EngineState, rule: MatchRule): void {
  const { lines, items } = state;
  const mask = kindMask(rule);
  const ignoreReference = rule.reference === 'ignore';
  const eligibleItems = collect(items.canonical, (item) => {
    if (items.used[item] !== 0 || !itemAllowed(state, item, mask)) return false;
    return ignoreReference || (items.referenceKey[item] as number) >= 0;
  });
  const eligibleLines = collect(lines.canonical, (line) => lines.used[line] === 0);
  if (eligibleItems.length === 0 || eligibleLines.length === 0) return;
  const itemKeysOf = (item: number) =>
    ignoreReference ? [0] : [items.referenceKey[item] as number];
  const lineKeysOf =
    rule.reference === 'ignore'
      ? () => [0]
      : lineKeysFunction(state, rule.reference, eligibleItems);
  const seedsAreLines = rule.kind === 'one_to_many';
  const index = seedsAreLines
    ? newGroupIndex(items, eligibleItems, itemKeysOf)
    : newGroupIndex(lines, eligibleLines, lineKeysOf);
  const seedSide = seedsAreLines ? lines : items;
  const seedKeysOf = seedsAreLines ? lineKeysOf : itemKeysOf;
  for (const seed of seedsAreLines ? eligibleLines : eligibleItems) {
    const amountPence = seedSide.amountPence[seed] as number;
    const day = seedSide.day[seed] as number;
    const members = findGroup(index, rule, amountPence, day, seedKeysOf(seed));
    if (members === null) continue;
    for (const member of members) retireOwner(index, member);
    if (seedsAreLines) recordMatch(state, rule.name, [seed], members);
    else recordMatch(state, rule.name, members, [seed]);
  }
}

/** The owners of the first candidate group whose total fits, or null. */
function findGroup(
  index: GroupIndex,
  rule: MatchRule,
  amountPence: number,
  day: number,
  keys: readonly number[],
): number[] | null {
  const windowDays = rule.dateWindowDays;
  if (rule.reference === 'ignore') {
    for (let offsetDays = 0; offsetDays <= windowDays; offsetDays++) {
      const before = groupIfFits(index, rule, amountPence, 0, day - offsetDays, day - offsetDays);
      if (before !== null) return before;
      if (offsetDays === 0) continue;
      const after = groupIfFits(index, rule, amountPence, 0, day + offsetDays, day + offsetDays);
      if (after !== null) return after;
    }
    return null;
  }
  for (const key of keys) {
    const group = groupIfFits(index, rule, amountPence, key, day - windowDays, day + windowDays);
    if (group !== null) return group;
  }
  return null;
}

function groupIfFits(
  index: GroupIndex,
  rule: MatchRule,
  amountPence: number,
  key: number,
  firstDay: number,
  lastDay: number,
): number[] | null {
  const start = positionOf(index, key, firstDay);
  const end = positionOf(index, key, lastDay + 1);
  // A group of one is a one-to-one match; leaving it to a one_to_one rule keeps names honest.
  if (freeCount(index, start, end) < 2) return null;
  const totalPence = freeSumPence(index, start, end);
  if (Math.abs(amountPence - totalPence) > rule.amountTolerancePence) return null;
  return freePositions(index, start, end).map((position) => index.owner[position] as number);
}
