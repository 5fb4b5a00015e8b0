import { lineNarrative } from './columns';
import { buildScanner, scanText } from './scanner';
import type { EngineState } from './state';
import { tableSize } from './stringTable';

/**
 * The reference keys a line can be linked by under a rule: its own reference's key for
 * `exact`; for `contains`, the key of every given item's reference found inside the line's
 * reference or narrative (ascending, so the order never depends on the text).
 */
export function lineKeysFunction(
  state: EngineState,
  reference: 'exact' | 'contains',
  items: Int32Array,
): (line: number) => readonly number[] {
  const { lines } = state;
  if (reference === 'exact') {
    return (line) => {
      const key = lines.referenceKey[line] as number;
      return key < 0 ? [] : [key];
    };
  }
  const scanner = buildScanner(...distinctReferences(state, items));
  return (line) => {
    const found: number[] = [];
    const collectKey = (key: number) => found.push(key);
    scanText(scanner, lines.reference[line] as string, collectKey);
    scanText(scanner, lineNarrative(lines, line), collectKey);
    if (found.length < 2) return found;
    found.sort((a, b) => a - b);
    return found.filter((key, index) => index === 0 || found[index - 1] !== key);
  };
}

function distinctReferences(state: EngineState, items: Int32Array) {
  const seen = new Uint8Array(tableSize(state.referenceKeys));
  const references: string[] = [];
  const keys: number[] = [];
  for (const item of items) {
    const key = state.items.referenceKey[item] as number;
    if (key < 0 || seen[key] !== 0) continue;
    seen[key] = 1;
    references.push(state.items.reference[item] as string);
    keys.push(key);
  }
  return [references, keys] as const;
}
