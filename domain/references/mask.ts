/**
 * Input masks describe a reference one character at a time (domain.md §3):
 * `#` digit, `$` letter, `?` letter or digit, `*` letter, digit, space, `/` or `-`,
 * `@` the check character (any character here; the check-digit module judges it), and any
 * other character must appear literally. Letters mean the ASCII letters A–Z, compared
 * upper-cased, because council references never use accented letters.
 */

export type MaskResult =
  | { ok: true }
  | {
      ok: false;
      /** Why the mask refused: a wrong character, or a reference of the wrong length. */
      reason: 'character' | 'too_short' | 'too_long';
      /** 0-based index of the first offending character (or of the first missing one). */
      position: number;
      /** What the mask wanted, phrased for a person: "a digit", `"B"`, "10 characters". */
      expected: string;
    };

type Slot = {
  kind: 'digit' | 'letter' | 'alphanumeric' | 'loose' | 'check' | 'literal';
  code: number;
};

const slotsByMask = new Map<string, readonly Slot[]>();

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLetterCode(code: number): boolean {
  // Lower-case letters count too, because the comparison is defined on the upper-cased text.
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function upperAsciiCode(code: number): number {
  return code >= 97 && code <= 122 ? code - 32 : code;
}

function slotFor(maskCharacter: string): Slot {
  switch (maskCharacter) {
    case '#':
      return { kind: 'digit', code: 0 };
    case '$':
      return { kind: 'letter', code: 0 };
    case '?':
      return { kind: 'alphanumeric', code: 0 };
    case '*':
      return { kind: 'loose', code: 0 };
    case '@':
      return { kind: 'check', code: 0 };
    default:
      return { kind: 'literal', code: upperAsciiCode(maskCharacter.charCodeAt(0)) };
  }
}

// Masks come from configuration, so there are few of them: parse each once and reuse it.
function slotsOf(mask: string): readonly Slot[] {
  let slots = slotsByMask.get(mask);
  if (slots === undefined) {
    // Split by UTF-16 unit so that slot indexes line up with `charCodeAt` on the reference.
    slots = mask.split('').map(slotFor);
    slotsByMask.set(mask, slots);
  }
  return slots;
}

function slotAccepts(slot: Slot, code: number): boolean {
  switch (slot.kind) {
    case 'digit':
      return isDigitCode(code);
    case 'letter':
      return isLetterCode(code);
    case 'alphanumeric':
      return isDigitCode(code) || isLetterCode(code);
    case 'loose':
      return isDigitCode(code) || isLetterCode(code) || code === 32 || code === 47 || code === 45;
    case 'check':
      return true;
    case 'literal':
      return upperAsciiCode(code) === slot.code;
  }
}

function describeSlot(slot: Slot): string {
  switch (slot.kind) {
    case 'digit':
      return 'a digit';
    case 'letter':
      return 'a letter';
    case 'alphanumeric':
      return 'a letter or a digit';
    case 'loose':
      return 'a letter, a digit, a space, / or -';
    case 'check':
      return 'a check character';
    case 'literal':
      return `"${String.fromCharCode(slot.code)}"`;
  }
}

/**
 * Checks a reference against a mask. Characters are checked before length so that a person
 * who typed "BX123" against `BJ#######@` hears about the X first, which is the more useful
 * correction; a reference that is right so far but short or long is then reported as such.
 */
export function matchesMask(mask: string, reference: string): MaskResult {
  const slots = slotsOf(mask);
  const comparedLength = Math.min(slots.length, reference.length);
  for (let position = 0; position < comparedLength; position++) {
    const slot = slots[position] as Slot;
    if (!slotAccepts(slot, reference.charCodeAt(position))) {
      return { ok: false, reason: 'character', position, expected: describeSlot(slot) };
    }
  }
  if (reference.length !== slots.length) {
    return {
      ok: false,
      reason: reference.length < slots.length ? 'too_short' : 'too_long',
      position: comparedLength,
      expected: `${slots.length} characters`,
    };
  }
  return { ok: true };
}

/** The 0-based position of the mask's check character `@`, or null if it has none. */
export function checkPositionOf(mask: string): number | null {
  const position = mask.indexOf('@');
  return position === -1 ? null : position;
}
