/**
 * Finds the next position not yet used in a sorted index, skipping used runs in amortised
 * near-constant time (union-find with path splitting). Without it, a thousand lines of the same
 * amount on the same day would each rescan the items the earlier ones took: quadratic.
 */
export type FreeList = { readonly next: Int32Array };

/** Positions 0..size-1 start free; `size` is a sentinel that is always free. */
export function newFreeList(size: number): FreeList {
  const next = new Int32Array(size + 1);
  for (let position = 0; position <= size; position++) next[position] = position;
  return { next };
}

/** The first free position at or after `position` (the sentinel when none is left). */
export function firstFree(list: FreeList, position: number): number {
  const next = list.next;
  let current = position;
  while (next[current] !== current) {
    const parent = next[current] as number;
    // Path splitting: point at the grandparent so later searches take half the steps.
    next[current] = next[parent] as number;
    current = parent;
  }
  return current;
}

export function takePosition(list: FreeList, position: number): void {
  list.next[position] = position + 1;
}

export function isFree(list: FreeList, position: number): boolean {
  return list.next[position] === position;
}
