/**
 * How one cell of a council's CSV set is read and written (docs/tenancy.md, "Onboarding from a
 * CSV set"). An empty cell is always absent, so an optional field a spreadsheet leaves blank
 * stays out of the bundle exactly as it would in hand-written JSON. Each reader answers the
 * value or a problem in a finance officer's words; it never throws.
 */

export type CellKind = 'text' | 'integer' | 'pence' | 'boolean' | 'json' | 'list';

export type CellResult = { value: unknown } | { problem: string };

const wholeNumber = /^-?\d+$/;
const truths = new Set(['true', 'yes', 'y']);
const falsehoods = new Set(['false', 'no', 'n']);

/** `;` separates the items of a list cell: a comma would need the whole cell quoted. */
export const listSeparator = ';';

function readInteger(text: string, kind: 'integer' | 'pence'): CellResult {
  const value = Number(text);
  if (wholeNumber.test(text) && Number.isSafeInteger(value)) return { value };
  return {
    problem:
      kind === 'pence'
        ? 'not a whole number of pence (write 1250 for £12.50, with no £ sign or commas)'
        : 'not a whole number',
  };
}

function readBoolean(text: string): CellResult {
  const lower = text.toLowerCase();
  if (truths.has(lower)) return { value: true };
  if (falsehoods.has(lower)) return { value: false };
  return { problem: 'not true or false (write true, false, yes, no, Y or N)' };
}

function readJson(text: string): CellResult {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { problem: `not valid JSON: ${(error as Error).message}` };
  }
}

/** The cell's value, or undefined for an empty cell (absent), or its problem. */
export function readCell(kind: CellKind, text: string): CellResult | undefined {
  if (text === '') return undefined;
  switch (kind) {
    case 'text':
      return { value: text };
    case 'integer':
    case 'pence':
      return readInteger(text, kind);
    case 'boolean':
      return readBoolean(text);
    case 'json':
      return readJson(text);
    case 'list': {
      const items = text
        .split(listSeparator)
        .map((item) => item.trim())
        .filter((item) => item !== '');
      return items.length === 0 ? undefined : { value: items };
    }
  }
}

/** The cell's text for a value; absent and null both write an empty cell. */
export function writeCell(kind: CellKind, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (kind === 'json') return JSON.stringify(value);
  if (kind === 'list') {
    const items = value as readonly string[];
    // An item holding the separator would come back as two: a bundle no CSV set can carry.
    if (items.some((item) => item.includes(listSeparator)))
      throw new Error(`A list cell's item holds "${listSeparator}": ${items.join(' | ')}`);
    return items.join(listSeparator);
  }
  return String(value);
}

/** RFC 4180 quoting: only cells that need it, so the file stays readable in a text editor. */
export function quoteCell(text: string): string {
  if (!/[",\r\n]|^\s|\s$/.test(text)) return text;
  return `"${text.replaceAll('"', '""')}"`;
}
