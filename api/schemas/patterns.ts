import { anchoredPattern } from '../../domain/references';

/**
 * Regex sources from configuration. Matching uses JavaScript's lenient (non-Unicode) mode, as
 * it always has, so stored patterns keep behaving as they did. Saving asks more: the source
 * must also compile on its own in Unicode mode, which refuses what the lenient mode quietly
 * reads as literal text (`{10` without its `}`, a lone `]`, `\-` outside a class) and a
 * source that escapes our anchoring (`56\d{7})|(.*` would otherwise match anything).
 */

/** Why a configured regex source cannot be used, or null when it compiles. */
export function patternProblem(pattern: string): string | null {
  try {
    anchoredPattern(pattern);
    return null;
  } catch (error) {
    if (error instanceof SyntaxError) return `is not a valid regular expression: ${error.message}`;
    throw error;
  }
}

/** Why a regex source may not be saved, or null when it compiles strictly too. */
export function strictPatternProblem(pattern: string): string | null {
  const lenient = patternProblem(pattern);
  if (lenient !== null) return lenient;
  try {
    new RegExp(pattern, 'u');
    return null;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return `is not a valid regular expression: ${error.message}`;
  }
}
