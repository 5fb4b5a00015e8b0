/**
 * Finds which item references occur inside a statement line's text (the `contains` rule),
 * in one left-to-right pass per text whatever the number of references: an Aho-Corasick
 * automaton. Normalised references use only A-Z and 0-9, so characters map to 36 labels.
 * Children are sibling lists in typed arrays, which keeps memory near 21 bytes per node.
 */
export type ReferenceScanner = {
  firstChild: Int32Array;
  nextSibling: Int32Array;
  label: Uint8Array;
  fail: Int32Array;
  /** The reference key ending at this node, or -1. */
  outputKey: Int32Array;
  /** The nearest node along the fail chain that has an output, or -1. */
  outputLink: Int32Array;
};

function labelOf(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code <= 57 ? code - 48 : code - 55;
}

function childOf(scanner: ReferenceScanner, node: number, label: number): number {
  for (let child = scanner.firstChild[node] as number; child !== -1; ) {
    if (scanner.label[child] === label) return child;
    child = scanner.nextSibling[child] as number;
  }
  return -1;
}

/** `references[i]` is a non-empty normalised reference whose key is `keys[i]`. */
export function buildScanner(references: readonly string[], keys: readonly number[]) {
  let nodesMax = 1;
  for (const reference of references) nodesMax += reference.length;
  const scanner: ReferenceScanner = {
    firstChild: new Int32Array(nodesMax).fill(-1),
    nextSibling: new Int32Array(nodesMax).fill(-1),
    label: new Uint8Array(nodesMax),
    fail: new Int32Array(nodesMax),
    outputKey: new Int32Array(nodesMax).fill(-1),
    outputLink: new Int32Array(nodesMax).fill(-1),
  };
  let nodeCount = 1;
  references.forEach((reference, index) => {
    let node = 0;
    for (let position = 0; position < reference.length; position++) {
      const label = labelOf(reference, position);
      let child = childOf(scanner, node, label);
      if (child === -1) {
        child = nodeCount++;
        scanner.label[child] = label;
        scanner.nextSibling[child] = scanner.firstChild[node] as number;
        scanner.firstChild[node] = child;
      }
      node = child;
    }
    scanner.outputKey[node] = keys[index] as number;
  });
  linkFailures(scanner, nodeCount);
  return scanner;
}

/** Breadth first, so a node's fail target (always shallower) is linked before the node. */
function linkFailures(scanner: ReferenceScanner, nodeCount: number): void {
  const queue = new Int32Array(nodeCount);
  let head = 0;
  let tail = 0;
  for (let child = scanner.firstChild[0] as number; child !== -1; ) {
    queue[tail++] = child;
    child = scanner.nextSibling[child] as number;
  }
  while (head < tail) {
    const node = queue[head++] as number;
    for (let child = scanner.firstChild[node] as number; child !== -1; ) {
      const label = scanner.label[child] as number;
      let fallback = scanner.fail[node] as number;
      while (fallback !== 0 && childOf(scanner, fallback, label) === -1) {
        fallback = scanner.fail[fallback] as number;
      }
      const target = childOf(scanner, fallback, label);
      const failTo = target === -1 ? 0 : target;
      scanner.fail[child] = failTo;
      scanner.outputLink[child] =
        scanner.outputKey[failTo] !== -1 ? failTo : (scanner.outputLink[failTo] as number);
      queue[tail++] = child;
      child = scanner.nextSibling[child] as number;
    }
  }
}

/** Calls `found` with the key of every reference occurring in `text` (normalised). */
export function scanText(scanner: ReferenceScanner, text: string, found: (key: number) => void) {
  let node = 0;
  for (let position = 0; position < text.length; position++) {
    const label = labelOf(text, position);
    let child = childOf(scanner, node, label);
    while (child === -1 && node !== 0) {
      node = scanner.fail[node] as number;
      child = childOf(scanner, node, label);
    }
    node = child === -1 ? 0 : child;
    if (scanner.outputKey[node] !== -1) found(scanner.outputKey[node] as number);
    for (let link = scanner.outputLink[node] as number; link !== -1; ) {
      found(scanner.outputKey[link] as number);
      link = scanner.outputLink[link] as number;
    }
  }
}
