/**
 * Interns strings to dense integers with open addressing over typed arrays. A JS Map of a
 * million strings costs about 0.6 s here, mostly garbage-collector work on the big heap a
 * reconciliation carries; this table allocates two typed arrays and compares numbers first.
 */
export type StringTable = {
  /** Per slot: the string's number, or -1 when empty. Capacity is a power of two. */
  slots: Int32Array;
  /** Per string number: its hash and its text. */
  hashes: Int32Array;
  texts: string[];
};

export function newStringTable(expectedCount: number): StringTable {
  let capacity = 16;
  while (capacity < expectedCount * 2) capacity *= 2;
  return {
    slots: new Int32Array(capacity).fill(-1),
    hashes: new Int32Array(Math.max(expectedCount, 16)),
    texts: [],
  };
}

/** FNV-1a over UTF-16 code units: fast, and good enough with equality checked on a hit. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  // Kept as a signed 32-bit integer, the form Int32Array stores it in, so stored and fresh
  // hashes compare equal even for the empty string, which never went through Math.imul.
  return hash;
}

/** The string's number, or -1 when absent. */
export function lookUp(table: StringTable, text: string): number {
  return probe(table, text, hashOf(text), false);
}

/** The string's number, adding it (as the next number) when absent. */
export function intern(table: StringTable, text: string): number {
  return probe(table, text, hashOf(text), true);
}

export function tableSize(table: StringTable): number {
  return table.texts.length;
}

function probe(table: StringTable, text: string, hash: number, insert: boolean): number {
  const mask = table.slots.length - 1;
  for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
    const number = table.slots[slot] as number;
    if (number === -1) return insert ? add(table, text, hash, slot) : -1;
    if (table.hashes[number] === hash && table.texts[number] === text) return number;
  }
}

function add(table: StringTable, text: string, hash: number, slot: number): number {
  const number = table.texts.length;
  if (number === table.hashes.length) {
    const hashes = new Int32Array(number * 2);
    hashes.set(table.hashes);
    table.hashes = hashes;
  }
  table.hashes[number] = hash;
  table.texts.push(text);
  table.slots[slot] = number;
  // Past half full, probe chains lengthen quickly: double and re-place every string.
  if (table.texts.length * 2 > table.slots.length) grow(table);
  return number;
}

function grow(table: StringTable): void {
  const slots = new Int32Array(table.slots.length * 2).fill(-1);
  const mask = slots.length - 1;
  for (let number = 0; number < table.texts.length; number++) {
    let slot = (table.hashes[number] as number) & mask;
    while (slots[slot] !== -1) slot = (slot + 1) & mask;
    slots[slot] = number;
  }
  table.slots = slots;
}
