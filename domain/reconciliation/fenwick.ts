/**
 * Fenwick (binary indexed) tree: range sums with point updates, both O(log n). Group rules
 * ask "what do the free items of this reference in this window add up to?" once per line;
 * summing them one by one would be quadratic when a reference or a day has many items.
 * Sums stay exact because pence are safe integers and totals are checked by the caller.
 */
export type Fenwick = { readonly tree: Float64Array };

export function newFenwick(values: ArrayLike<number>): Fenwick {
  const size = values.length;
  const tree = new Float64Array(size + 1);
  let absoluteTotal = 0;
  for (let index = 1; index <= size; index++) {
    absoluteTotal += Math.abs(values[index - 1] as number);
    tree[index] = (tree[index] as number) + (values[index - 1] as number);
    const parent = index + (index & -index);
    if (parent <= size) tree[parent] = (tree[parent] as number) + (tree[index] as number);
  }
  // Every partial sum is bounded by the absolute total, so this one check keeps them all exact.
  if (!Number.isSafeInteger(absoluteTotal)) throw new RangeError('Amounts too large to sum');
  return { tree };
}

export function addAt(fenwick: Fenwick, position: number, delta: number): void {
  const tree = fenwick.tree;
  for (let index = position + 1; index < tree.length; index += index & -index) {
    tree[index] = (tree[index] as number) + delta;
  }
}

/** Sum of positions [0, end). */
function prefixSum(fenwick: Fenwick, end: number): number {
  let total = 0;
  for (let index = end; index > 0; index -= index & -index) total += fenwick.tree[index] as number;
  return total;
}

/** Sum of positions [start, end). */
export function rangeSum(fenwick: Fenwick, start: number, end: number): number {
  return prefixSum(fenwick, end) - prefixSum(fenwick, start);
}
