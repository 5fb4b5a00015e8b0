/**
 * Stable counting sort by a small integer key. Indexes are built by re-sorting records that
 * are already in canonical order, so stability keeps ties in canonical order for free and no
 * comparator (or string comparison) runs: O(n + keyCount) instead of O(n log n).
 */
export function sortByKey(elements: Int32Array, keys: Int32Array, keyCount: number): Int32Array {
  const startOfKey = new Int32Array(keyCount + 1);
  for (let index = 0; index < keys.length; index++) {
    const slot = (keys[index] as number) + 1;
    startOfKey[slot] = (startOfKey[slot] as number) + 1;
  }
  for (let key = 0; key < keyCount; key++) {
    startOfKey[key + 1] = (startOfKey[key + 1] as number) + (startOfKey[key] as number);
  }
  const sorted = new Int32Array(elements.length);
  for (let index = 0; index < elements.length; index++) {
    const key = keys[index] as number;
    const slot = startOfKey[key] as number;
    sorted[slot] = elements[index] as number;
    startOfKey[key] = slot + 1;
  }
  return sorted;
}

/** Sorts by `primary` then `secondary` (least significant first, each pass stable). */
export function sortByTwoKeys(
  elements: Int32Array,
  primaryOf: (element: number) => number,
  secondaryOf: (element: number) => number,
): Int32Array {
  const bySecondary = sortByKey(elements, ...offsetKeys(elements, secondaryOf));
  return sortByKey(bySecondary, ...offsetKeys(bySecondary, primaryOf));
}

/** Keys shifted to start at zero, so days (around 20,000) need no 20,000 empty buckets. */
function offsetKeys(elements: Int32Array, keyOf: (element: number) => number) {
  const keys = new Int32Array(elements.length);
  let smallest = 0;
  let largest = -1;
  for (let index = 0; index < elements.length; index++) {
    const key = keyOf(elements[index] as number);
    keys[index] = key;
    if (index === 0 || key < smallest) smallest = key;
    if (index === 0 || key > largest) largest = key;
  }
  for (let index = 0; index < keys.length; index++) {
    keys[index] = (keys[index] as number) - smallest;
  }
  return [keys, largest - smallest + 1] as const;
}

/** The elements of `order` that pass `keep`, still in that order. */
export function collect(order: Int32Array, keep: (element: number) => boolean): Int32Array {
  const kept = new Int32Array(order.length);
  let count = 0;
  for (const element of order) if (keep(element)) kept[count++] = element;
  return kept.subarray(0, count);
}

export function mapKeys(elements: Int32Array, keyOf: (element: number) => number): Int32Array {
  const keys = new Int32Array(elements.length);
  for (let index = 0; index < elements.length; index++) {
    keys[index] = keyOf(elements[index] as number);
  }
  return keys;
}

const digitBase = 65_536;

/**
 * Positions 0..n-1 ordered by (amount, day, id): the canonical order. Least-significant-digit
 * radix passes (day, then amount 16 bits at a time) cost O(n) each, several times cheaper
 * than a comparator sort of a million; ids are compared only within equal (amount, day) runs.
 */
export function canonicalOrder(
  amountPence: Float64Array,
  day: Int32Array,
  ids: readonly string[],
): Int32Array {
  const count = amountPence.length;
  let order: Int32Array = new Int32Array(count);
  for (let index = 0; index < count; index++) order[index] = index;
  order = sortByKey(order, ...offsetKeys(order, (index) => day[index] as number));
  let smallestPence = 0;
  let largestPence = 0;
  for (let index = 0; index < count; index++) {
    const pence = amountPence[index] as number;
    if (index === 0 || pence < smallestPence) smallestPence = pence;
    if (index === 0 || pence > largestPence) largestPence = pence;
  }
  const rangePence = largestPence - smallestPence;
  if (!Number.isSafeInteger(rangePence)) throw new RangeError('Amounts span too wide a range');
  const digitKeys = new Int32Array(count);
  for (let scale = 1; scale === 1 || scale <= rangePence; scale *= digitBase) {
    for (let position = 0; position < count; position++) {
      const offsetPence = (amountPence[order[position] as number] as number) - smallestPence;
      digitKeys[position] = Math.floor(offsetPence / scale) % digitBase;
    }
    order = sortByKey(order, digitKeys, digitBase);
  }
  sortTiesById(order, amountPence, day, ids);
  return order;
}

function sortTiesById(
  order: Int32Array,
  amountPence: Float64Array,
  day: Int32Array,
  ids: readonly string[],
): void {
  for (let start = 0; start < order.length; ) {
    const first = order[start] as number;
    let end = start + 1;
    while (end < order.length) {
      const next = order[end] as number;
      if (amountPence[next] !== amountPence[first] || day[next] !== day[first]) break;
      end++;
    }
    if (end - start > 1) {
      order.subarray(start, end).sort((a, b) => {
        const idA = ids[a] as string;
        const idB = ids[b] as string;
        return idA < idB ? -1 : idA > idB ? 1 : 0;
      });
    }
    start = end;
  }
}
