/**
 * Patterns in configuration are regex sources that must match the whole reference, so we
 * anchor them ourselves: an administrator who writes `56\d{7}` should not have to remember
 * `^` and `$`, and one who forgets them must not accept "X56123456789Y".
 */

// Compiling a regex costs far more than testing one, and configuration holds only a handful
// of patterns, so each source is compiled once. The bound only guards against a caller that
// passes ever-new sources; clearing is crude but keeps memory flat and behaviour unchanged.
const patternCacheMax = 1000;
const compiledBySource = new Map<string, RegExp>();

/** The anchored, compiled form of `source`; throws a SyntaxError for an invalid source. */
export function anchoredPattern(source: string): RegExp {
  let compiled = compiledBySource.get(source);
  if (compiled === undefined) {
    // No flags: without `g` or `y`, `test` keeps no state between calls and stays pure.
    compiled = new RegExp(`^(?:${source})$`);
    if (compiledBySource.size >= patternCacheMax) compiledBySource.clear();
    compiledBySource.set(source, compiled);
  }
  return compiled;
}
