import { type FreeList, newFreeList } from './freeList';

/**
 * Items sorted by (reference key, amount, day), ties in canonical order, as parallel typed
 * arrays. Lines are visited in the same order, so each lookup starts from where the last one
 * ended and gallops forward: a merge join in effect, rarely a full binary search.
 */
export type AmountIndex = {
  size: number;
  item: Int32Array;
  key: Int32Array;
  amountPence: Float64Array;
  day: Int32Array;
  free: FreeList;
};

export function newAmountIndex(
  sortedItems: Int32Array,
  keyOfItem: (item: number) => number,
  amountPence: Float64Array,
  dayOfItem: Int32Array,
): AmountIndex {
  const size = sortedItems.length;
  const index: AmountIndex = {
    size,
    item: sortedItems,
    key: new Int32Array(size),
    amountPence: new Float64Array(size),
    day: new Int32Array(size),
    free: newFreeList(size),
  };
  for (let position = 0; position < size; position++) {
    const item = sortedItems[position] as number;
    index.key[position] = keyOfItem(item);
    index.amountPence[position] = amountPence[item] as number;
    index.day[position] = dayOfItem[item] as number;
  }
  return index;
}

function isBefore(index: AmountIndex, position: number, key: number, amount: number, day: number) {
  const positionKey = index.key[position] as number;
  if (positionKey !== key) return positionKey < key;
  const positionAmount = index.amountPence[position] as number;
  if (positionAmount !== amount) return positionAmount < amount;
  return (index.day[position] as number) < day;
}

/** First position not before (key, amount, day), galloping out from `hint`. */
export function lowerBound(
  index: AmountIndex,
  hint: number,
  key: number,
  amount: number,
  day: number,
): number {
  const size = index.size;
  let low: number;
  let high: number;
  if (hint < size && isBefore(index, hint, key, amount, day)) {
    low = hint + 1;
    high = low;
    for (let step = 1; high < size && isBefore(index, high, key, amount, day); step *= 2) {
      low = high + 1;
      high += step;
    }
    high = Math.min(high, size);
  } else {
    high = Math.min(hint, size);
    low = high;
    for (let step = 1; low > 0 && !isBefore(index, low - 1, key, amount, day); step *= 2) {
      high = low - 1;
      low -= step;
    }
    low = Math.max(low, 0);
  }
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (isBefore(index, middle, key, amount, day)) low = middle + 1;
    else high = middle;
  }
  return low;
}
