import type { Columns } from './columns';
import { addAt, type Fenwick, newFenwick, rangeSum } from './fenwick';
import { type FreeList, firstFree, isFree, newFreeList, takePosition } from './freeList';
import { sortByTwoKeys } from './sorting';

/**
 * The "many" side of a group rule: entries (owner, key, day) sorted by key then day, with
 * running sums and counts of the free entries. A line found under several references (the
 * `contains` rule) owns several entries; taking the line retires all of them.
 */
export type GroupIndex = {
  size: number;
  owner: Int32Array;
  key: Int32Array;
  day: Int32Array;
  sumsPence: Fenwick;
  counts: Fenwick;
  free: FreeList;
  amountPence: Float64Array;
  /** Owner's first entry position (-1 if none), then a chain through nextOfOwner. */
  firstOfOwner: Int32Array;
  nextOfOwner: Int32Array;
};

export function newGroupIndex(
  side: Columns,
  owners: Int32Array,
  keysOf: (owner: number) => readonly number[],
): GroupIndex {
  const entryOwner: number[] = [];
  const entryKey: number[] = [];
  for (const owner of owners) {
    for (const key of keysOf(owner)) {
      entryOwner.push(owner);
      entryKey.push(key);
    }
  }
  const entries = new Int32Array(entryOwner.length);
  for (let entry = 0; entry < entries.length; entry++) entries[entry] = entry;
  const sorted = sortByTwoKeys(
    entries,
    (entry) => entryKey[entry] as number,
    (entry) => side.day[entryOwner[entry] as number] as number,
  );
  const size = sorted.length;
  const index: GroupIndex = {
    size,
    owner: new Int32Array(size),
    key: new Int32Array(size),
    day: new Int32Array(size),
    sumsPence: newFenwick([]),
    counts: newFenwick([]),
    free: newFreeList(size),
    amountPence: new Float64Array(size),
    firstOfOwner: new Int32Array(side.count).fill(-1),
    nextOfOwner: new Int32Array(size).fill(-1),
  };
  for (let position = size - 1; position >= 0; position--) {
    const entry = sorted[position] as number;
    const owner = entryOwner[entry] as number;
    index.owner[position] = owner;
    index.key[position] = entryKey[entry] as number;
    index.day[position] = side.day[owner] as number;
    index.amountPence[position] = side.amountPence[owner] as number;
    index.nextOfOwner[position] = index.firstOfOwner[owner] as number;
    index.firstOfOwner[owner] = position;
  }
  index.sumsPence = newFenwick(index.amountPence);
  index.counts = newFenwick(new Float64Array(size).fill(1));
  return index;
}

/** First position at or after (key, day). */
export function positionOf(index: GroupIndex, key: number, day: number): number {
  let low = 0;
  let high = index.size;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const middleKey = index.key[middle] as number;
    const before = middleKey < key || (middleKey === key && (index.day[middle] as number) < day);
    if (before) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function freeCount(index: GroupIndex, start: number, end: number): number {
  return rangeSum(index.counts, start, end);
}

export function freeSumPence(index: GroupIndex, start: number, end: number): number {
  return rangeSum(index.sumsPence, start, end);
}

/** Free positions in [start, end), in index order. */
export function freePositions(index: GroupIndex, start: number, end: number): number[] {
  const positions: number[] = [];
  for (let position = firstFree(index.free, start); position < end; ) {
    positions.push(position);
    position = firstFree(index.free, position + 1);
  }
  return positions;
}

/** Retires every entry of `owner`, so no sum or later group counts it again. */
export function retireOwner(index: GroupIndex, owner: number): void {
  for (let position = index.firstOfOwner[owner] as number; position !== -1; ) {
    if (isFree(index.free, position)) {
      takePosition(index.free, position);
      addAt(index.sumsPence, position, -(index.amountPence[position] as number));
      addAt(index.counts, position, -1);
    }
    position = index.nextOfOwner[position] as number;
  }
}
