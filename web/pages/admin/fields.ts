import { parsePounds, penceToPoundsInput } from '../../format';

/**
 * The configuration forms' fields: each says where its value sits in the API body and what
 * kind it is, and the kind says how an API value reads into the input and back again.
 */

export type Values = Record<string, string | string[]>;
export type Item = { value: string; text: string; hint?: string; exclusive?: boolean };
export type Lookups = Record<string, Item[]>;

export type FieldKind =
  | 'text'
  | 'integer'
  | 'pounds'
  | 'poundsOrZero'
  | 'percent'
  | 'boolean'
  | 'select'
  | 'checkboxes'
  | 'numberList'
  | 'textList'
  | 'substitutions'
  | 'password'
  | 'date';

export type Field = {
  /** The input's id and name. */
  id: string;
  /** Where the value goes in the API body: `name`, `validator.minLength`. */
  api: string;
  label: string;
  kind: FieldKind;
  hint?: string;
  /** The message when it is left empty; absent means optional. */
  required?: string;
  /** The lookup a select or checkboxes offers. */
  options?: string;
  /** Only when creating (the key, a first password). */
  createOnly?: boolean;
  /** Not when creating (e.g. a field only an edit can clear). */
  editOnly?: boolean;
  classes?: string;
  /** Optional with a default: emptied on an edit, it is sent as null (back to the default). */
  clearable?: true;
};

export type Section = { legend?: string; hint?: string; fields: Field[]; conditions?: true };

export const text = (id: string, label: string, more: Partial<Field> = {}): Field => ({
  id,
  api: id,
  label,
  kind: 'text',
  ...more,
});
export const flag = (id: string, label: string, hint?: string): Field => ({
  id,
  api: id,
  label,
  kind: 'boolean',
  hint,
});
export const codeField = (label: string, hint = 'Up to 20 capital letters, digits or _'): Field =>
  text('code', label, {
    required: `Enter the ${label.toLowerCase()}`,
    createOnly: true,
    hint,
    classes: 'govuk-input--width-10',
  });
export const nameField = text('name', 'Name', { required: 'Enter the name' });

// ---------------------------------------------------------------------------------------------
// Reading API values into form values, and form values back into API values.

export function at(source: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (value, key) =>
        typeof value === 'object' && value !== null
          ? (value as Record<string, unknown>)[key]
          : undefined,
      source,
    );
}

export function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1) as string] = value;
}

/** Basis points as a percentage a person types: 2000 → '20', 1750 → '17.5'. */
export function percentText(basisPoints: number): string {
  const rest = basisPoints % 100;
  const decimals = String(rest).padStart(2, '0').replace(/0$/, '');
  return rest === 0
    ? String(Math.floor(basisPoints / 100))
    : `${Math.floor(basisPoints / 100)}.${decimals}`;
}

export function readField(kind: FieldKind, value: unknown): string | string[] {
  if (value === null || value === undefined) return kind === 'checkboxes' ? [] : '';
  switch (kind) {
    case 'pounds':
    case 'poundsOrZero':
      return penceToPoundsInput(value as number);
    case 'percent':
      return percentText(value as number);
    case 'boolean':
      return value === true ? 'true' : '';
    case 'checkboxes':
      return (value as string[]).map(String);
    case 'numberList':
    case 'textList':
      return (value as (number | string)[]).join(', ');
    case 'substitutions':
      return Object.entries(value as Record<string, string>)
        .map(([key, text]) => `${key}=${text}`)
        .join(', ');
    default:
      return String(value);
  }
}

type Parsed = { value: unknown } | { message: string };

function parseNumberList(text: string, label: string): Parsed {
  const parts = text.split(/[\s,]+/).filter((part) => part !== '');
  if (parts.some((part) => !/^\d{1,4}$/.test(part)))
    return { message: `${label} must be whole numbers separated by commas, for example 7, 6, 5` };
  return { value: parts.map(Number) };
}

/** Items separated by commas, so that an item may hold spaces ("1234 5678"). */
function parseTextList(text: string): Parsed {
  const items = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  return { value: items.length === 0 ? undefined : items };
}

function parseSubstitutions(text: string, label: string): Parsed {
  const entries = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const pairs = entries.map((entry) => /^(\d{1,4})\s*=\s*(\S)$/.exec(entry));
  if (pairs.some((pair) => pair === null))
    return { message: `${label} must be pairs like 10=X, 11=0` };
  return { value: Object.fromEntries(pairs.map((pair) => [pair?.[1], pair?.[2]])) };
}

function parsePercent(text: string, label: string): Parsed {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.replace(/%$/, '').trim());
  if (match === null) return { message: `${label} must be a percentage, for example 20 or 17.5` };
  return { value: Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) };
}

export function parseField(item: Field, raw: string | string[]): Parsed {
  if (item.kind === 'checkboxes') return { value: Array.isArray(raw) ? raw : [] };
  if (item.kind === 'boolean') return { value: raw === 'true' };
  const text = Array.isArray(raw) ? '' : raw;
  if (text === '')
    return item.required === undefined ? { value: undefined } : { message: item.required };
  switch (item.kind) {
    case 'integer':
      return /^\d{1,9}$/.test(text)
        ? { value: Number(text) }
        : { message: `${item.label} must be a whole number` };
    case 'pounds':
    case 'poundsOrZero': {
      if (item.kind === 'poundsOrZero' && /^£?\s*0+(\.0{0,2})?$/.test(text)) return { value: 0 };
      const pounds = parsePounds(text, item.label);
      return pounds.ok ? { value: pounds.pence } : { message: pounds.message };
    }
    case 'percent':
      return parsePercent(text, item.label);
    case 'numberList':
      return parseNumberList(text, item.label);
    case 'textList':
      return parseTextList(text);
    case 'substitutions':
      return parseSubstitutions(text, item.label);
    default:
      return { value: text };
  }
}
