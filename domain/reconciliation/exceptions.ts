import {
  freePositions,
  type GroupIndex,
  newGroupIndex,
  positionOf,
  retireOwner,
} from './groupIndex';
import { lineKeysFunction } from './lineKeys';
import { collect } from './sorting';
import { type EngineState, markUsed } from './state';
import type { ReconciliationException } from './types';

/**
 * Classifies what no rule matched. First a leftover line and a leftover item linked by
 * reference (the item's reference inside the line's, as `contains`) within the window are
 * paired as `mismatched`, closest date first, then closest amount, then lowest id: the money
 * arrived but differs. Then every item left is `expected` and every line left `unexpected`.
 */
export function classifyLeftovers(
  state: EngineState,
  windowDays: number,
  asOfDay: number,
): ReconciliationException[] {
  const { lines, items } = state;
  const exceptions: ReconciliationException[] = [];
  const freeItems = collect(items.canonical, (item) => {
    return items.used[item] === 0 && (items.referenceKey[item] as number) >= 0;
  });
  const freeLines = collect(lines.canonical, (line) => lines.used[line] === 0);
  if (freeItems.length > 0 && freeLines.length > 0) {
    const keysOf = lineKeysFunction(state, 'contains', freeItems);
    const index = newGroupIndex(items, freeItems, (item) => [items.referenceKey[item] as number]);
    for (const line of freeLines) {
      const item = closestItem(state, index, line, keysOf(line), windowDays);
      if (item === -1) continue;
      retireOwner(index, item);
      markUsed(lines, line);
      markUsed(items, item);
      exceptions.push({
        kind: 'mismatched',
        statementLineId: lines.ids[line] as string,
        expectedItemId: items.ids[item] as string,
        differencePence: (lines.amountPence[line] as number) - (items.amountPence[item] as number),
      });
    }
  }
  for (const item of items.canonical) {
    if (items.used[item] !== 0) continue;
    markUsed(items, item);
    const ageDays = asOfDay - (items.day[item] as number);
    exceptions.push({ kind: 'expected', expectedItemId: items.ids[item] as string, ageDays });
  }
  for (const line of lines.canonical) {
    if (lines.used[line] !== 0) continue;
    markUsed(lines, line);
    exceptions.push({ kind: 'unexpected', statementLineId: lines.ids[line] as string });
  }
  return exceptions;
}

function closestItem(
  state: EngineState,
  index: GroupIndex,
  line: number,
  keys: readonly number[],
  windowDays: number,
): number {
  const { lines, items } = state;
  const lineDay = lines.day[line] as number;
  const lineAmount = lines.amountPence[line] as number;
  let best = -1;
  let bestDays = 0;
  let bestPence = 0;
  for (const key of keys) {
    const start = positionOf(index, key, lineDay - windowDays);
    const end = positionOf(index, key, lineDay + windowDays + 1);
    for (const position of freePositions(index, start, end)) {
      const item = index.owner[position] as number;
      const days = Math.abs((items.day[item] as number) - lineDay);
      const pence = Math.abs((items.amountPence[item] as number) - lineAmount);
      const better =
        best === -1 ||
        days < bestDays ||
        (days === bestDays &&
          (pence < bestPence ||
            (pence === bestPence && (items.ids[item] as string) < (items.ids[best] as string))));
      if (better) {
        best = item;
        bestDays = days;
        bestPence = pence;
      }
    }
  }
  return best;
}
