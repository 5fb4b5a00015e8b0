import { type Columns, type ItemColumns, itemKindCodes, type LineColumns } from './columns';
import type { StringTable } from './stringTable';
import type { Match, MatchRule } from './types';

/** Everything one reconciliation run reads and writes; only the engine holds it. */
export type EngineState = {
  lines: LineColumns;
  items: ItemColumns;
  /** Normalised item reference to reference key (numbered in item canonical order). */
  referenceKeys: StringTable;
  matches: Match[];
};

/** A bit per item kind code, so the per-item check is one AND. */
export function kindMask(rule: MatchRule): number {
  if (rule.itemKinds === undefined) return 0xff;
  let mask = 0;
  for (const kind of rule.itemKinds) mask |= 1 << itemKindCodes[kind];
  return mask;
}

export function itemAllowed(state: EngineState, item: number, mask: number): boolean {
  return (mask & (1 << (state.items.kindCode[item] as number))) !== 0;
}

/**
 * Reusing a record is the one mistake that would make the books wrong silently, so it is
 * asserted here, the only place that marks a record used (in a match or an exception).
 */
export function markUsed(side: Columns, index: number): void {
  if (side.used[index] !== 0) throw new Error(`Record ${side.ids[index]} used twice`);
  side.used[index] = 1;
}

/** Marks the records used and records the match with statement minus expected. */
export function recordMatch(
  state: EngineState,
  rule: string,
  lineIndexes: readonly number[],
  itemIndexes: readonly number[],
): void {
  const { lines, items } = state;
  let differencePence = 0;
  for (const line of lineIndexes) {
    markUsed(lines, line);
    differencePence += lines.amountPence[line] as number;
  }
  for (const item of itemIndexes) {
    markUsed(items, item);
    differencePence -= items.amountPence[item] as number;
  }
  if (!Number.isSafeInteger(differencePence)) throw new RangeError('Match total overflows');
  const statementLineIds: string[] = new Array(lineIndexes.length);
  for (let at = 0; at < lineIndexes.length; at++) {
    statementLineIds[at] = lines.ids[lineIndexes[at] as number] as string;
  }
  const expectedItemIds: string[] = new Array(itemIndexes.length);
  for (let at = 0; at < itemIndexes.length; at++) {
    expectedItemIds[at] = items.ids[itemIndexes[at] as number] as string;
  }
  state.matches.push({ rule, statementLineIds, expectedItemIds, differencePence });
}
