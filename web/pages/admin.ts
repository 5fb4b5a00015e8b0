import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { ProblemError } from '../../api/problem';
import { isIsoDate } from '../../domain/financialPeriod';
import { permissionDescriptions, permissions } from '../../domain/permissions';
import { apiFor } from '../api';
import { dateFromParts } from '../filters';
import { parsePounds, penceToPoundsInput } from '../format';
import {
  errorsFromProblem,
  type FormError,
  type FormErrors,
  formErrors,
  isFormProblem,
  noErrors,
  selectItems,
  statusOf,
} from '../forms';
import { definePage, field, type Page, param } from '../page';
import { render } from '../render';
import { londonDayEnd } from './audit';

/**
 * Configuration: funds, fund groups, methods of payment, VAT codes, offices and import rules
 * through the generic configuration routes (list, create, change, disable, enable), and staff
 * accounts and API keys through their own. Every change goes through the API, so the same
 * checks and the same audit rows apply as for an integration.
 *
 * One description per entity (its sections and fields) drives the list, the form, reading the
 * form back into an API body, and pointing the API's field errors at the right input.
 */

type Values = Record<string, string | string[]>;
type Item = { value: string; text: string; hint?: string; exclusive?: boolean };
type Lookups = Record<string, Item[]>;
type Api = ReturnType<typeof apiFor>;

type FieldKind =
  | 'text'
  | 'integer'
  | 'pounds'
  | 'poundsOrZero'
  | 'percent'
  | 'boolean'
  | 'select'
  | 'checkboxes'
  | 'numberList'
  | 'substitutions'
  | 'password'
  | 'date';

type Field = {
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
};

type Section = { legend?: string; hint?: string; fields: Field[]; conditions?: true };

// ---------------------------------------------------------------------------------------------
// Reading API values into form values, and form values back into API values.

function at(source: unknown, path: string): unknown {
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

function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1) as string] = value;
}

/** Basis points as a percentage a person types: 2000 → '20', 1750 → '17.5'. */
function percentText(basisPoints: number): string {
  const rest = basisPoints % 100;
  const decimals = String(rest).padStart(2, '0').replace(/0$/, '');
  return rest === 0
    ? String(Math.floor(basisPoints / 100))
    : `${Math.floor(basisPoints / 100)}.${decimals}`;
}

function readField(kind: FieldKind, value: unknown): string | string[] {
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
      return (value as number[]).join(', ');
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

function parseField(item: Field, raw: string | string[]): Parsed {
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
    case 'substitutions':
      return parseSubstitutions(text, item.label);
    default:
      return { value: text };
  }
}

const inMode = (mode: 'create' | 'edit') => (item: Field) =>
  mode === 'create' ? item.editOnly !== true : item.createOnly !== true;

/** The form's values from an API view (editing) or empty (creating). */
function valuesFromView(sections: readonly Section[], view: unknown): Values {
  const values: Values = {};
  for (const section of sections)
    for (const item of section.fields) values[item.id] = readField(item.kind, at(view, item.api));
  return values;
}

/** The form's values as posted: a list for checkboxes, a trimmed string for the rest. */
function valuesFromBody(sections: readonly Section[], body: unknown): Values {
  const values: Values = {};
  for (const section of sections) {
    for (const item of section.fields) {
      if (item.kind === 'checkboxes') values[item.id] = listOf(body, item.id);
      else if (item.kind === 'date') {
        for (const part of ['Day', 'Month', 'Year'])
          values[`${item.id}${part}`] = field(body, `${item.id}${part}`);
      } else if (item.kind === 'password') {
        const raw = (body as Record<string, unknown> | undefined)?.[item.id];
        values[item.id] = typeof raw === 'string' ? raw : '';
      } else values[item.id] = field(body, item.id);
    }
  }
  return values;
}

/** The API body from the form, or the errors a person must fix before it is worth sending. */
function bodyFromValues(sections: readonly Section[], values: Values, mode: 'create' | 'edit') {
  const body: Record<string, unknown> = {};
  const errors: FormError[] = [];
  for (const section of sections) {
    for (const item of section.fields.filter(inMode(mode))) {
      if (item.kind === 'date') continue;
      const parsed = parseField(item, values[item.id] ?? '');
      if ('message' in parsed) errors.push({ input: item.id, message: parsed.message });
      else if (parsed.value !== undefined) setAt(body, item.api, parsed.value);
    }
  }
  return { body, errors };
}

/** Which input an API field name means: exact, else without its index (`fundCodes[2]`). */
function inputFinder(sections: readonly Section[], extra: Record<string, string> = {}) {
  const byApi = new Map<string, string>(Object.entries(extra));
  for (const section of sections)
    for (const item of section.fields) byApi.set(`body.${item.api}`, item.id);
  return (apiField: string) =>
    byApi.get(apiField) ??
    byApi.get(apiField.replace(/\[\d+\]$/, '')) ??
    byApi.get(apiField.replace(/\[\d+\](\.[^.[]+)?$/, ''));
}

function labelsOf(sections: readonly Section[], extra: Record<string, string> = {}) {
  const labels: Record<string, string> = { ...extra };
  for (const section of sections) for (const item of section.fields) labels[item.id] = item.label;
  return labels;
}

/** Lists as the urlencoded parser gives them: one value is a string, several an array. */
function listOf(source: unknown, name: string): string[] {
  const value =
    typeof source === 'object' && source !== null
      ? (source as Record<string, unknown>)[name]
      : undefined;
  const values = Array.isArray(value) ? value : [value];
  return values.filter((item): item is string => typeof item === 'string' && item !== '');
}

/** Each section's fields as the form view wants them: value, items and error in place. */
function formModel(
  sections: readonly Section[],
  values: Values,
  lookups: Lookups,
  errors: FormErrors,
  mode: 'create' | 'edit',
) {
  return sections.map((section) => ({
    ...section,
    fields: section.fields.filter(inMode(mode)).map((item) => {
      const value = values[item.id] ?? '';
      const options = lookups[item.options ?? ''] ?? [];
      const chosen = Array.isArray(value) ? value : [value];
      return {
        ...item,
        value,
        error: errors.byField[item.id],
        dateValues: {
          day: values[`${item.id}Day`] ?? '',
          month: values[`${item.id}Month`] ?? '',
          year: values[`${item.id}Year`] ?? '',
        },
        items:
          item.kind === 'select'
            ? selectItems(options, String(value), item.required === undefined ? 'None' : 'Choose')
            : item.kind === 'checkboxes'
              ? checkboxItems(options, chosen)
              : item.kind === 'boolean'
                ? [
                    {
                      value: 'true',
                      text: item.label,
                      hint: item.hint === undefined ? undefined : { text: item.hint },
                      checked: value === 'true',
                    },
                  ]
                : [],
      };
    }),
  }));
}

function checkboxItems(options: readonly Item[], chosen: readonly string[]) {
  const items: Record<string, unknown>[] = [];
  for (const option of options) {
    if (option.exclusive === true && items.length > 0) items.push({ divider: 'or' });
    items.push({
      value: option.value,
      text: option.text,
      hint: option.hint === undefined ? undefined : { text: option.hint },
      checked: chosen.includes(option.value),
      behaviour: option.exclusive === true ? 'exclusive' : undefined,
    });
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// The configuration entities.

const text = (id: string, label: string, more: Partial<Field> = {}): Field => ({
  id,
  api: id,
  label,
  kind: 'text',
  ...more,
});
const flag = (id: string, label: string, hint?: string): Field => ({
  id,
  api: id,
  label,
  kind: 'boolean',
  hint,
});
const codeField = (label: string, hint = 'Up to 20 capital letters, digits or _'): Field =>
  text('code', label, {
    required: `Enter the ${label.toLowerCase()}`,
    createOnly: true,
    hint,
    classes: 'govuk-input--width-10',
  });
const nameField = text('name', 'Name', { required: 'Enter the name' });

type Entity = {
  slug: string;
  noun: string;
  plural: string;
  /** 'fund', 'method of payment': for headings and messages. */
  singular: string;
  title: string;
  description: string;
  key: 'code' | 'id';
  sections: Section[];
  columns: { heading: string; value: (view: Record<string, unknown>) => string; numeric?: true }[];
  lookups?: (api: Api) => Promise<Lookups>;
  /** Checks and reshaping the generic reading cannot do (a check digit, rule conditions). */
  finish?: (body: Record<string, unknown>, values: Values) => FormError[];
  /** API field names of inputs that are not plain fields (the rule conditions). */
  extraInputs?: (values: Values) => Record<string, string>;
};

const pence = (value: unknown) => {
  const amount = typeof value === 'number' ? value : 0;
  return `£${penceToPoundsInput(amount)}`;
};

async function fundItems(api: Api): Promise<Item[]> {
  const funds = await api<{ items: { code: string; name: string }[] }>('listFunds', {
    query: { disabled: 'false' },
  });
  return funds.items.map((fund) => ({ value: fund.code, text: `${fund.name} (${fund.code})` }));
}

const checkDigitKinds: Item[] = [
  { value: 'luhn', text: 'Luhn (card style)' },
  { value: 'weighted', text: 'Weighted modulus' },
];

const characterClasses: Item[] = [
  { value: 'digits', text: 'Digits only' },
  { value: 'letters', text: 'Letters only' },
  { value: 'alphanumeric', text: 'Letters and digits' },
  { value: 'any', text: 'Any characters' },
];

const validatorField = (id: string, label: string, kind: FieldKind, more: Partial<Field> = {}) => ({
  id: `validator-${id}`,
  api: `validator.${id}`,
  label,
  kind,
  ...more,
});
const checkDigitField = (
  id: string,
  label: string,
  kind: FieldKind,
  more: Partial<Field> = {},
) => ({
  id: `checkDigit-${id}`,
  api: `validator.checkDigit.${id}`,
  label,
  kind,
  ...more,
});

/** A check digit as the API wants it: none, Luhn alone, or weighted with its own settings. */
function finishFund(body: Record<string, unknown>): FormError[] {
  const validator = (body.validator ?? {}) as Record<string, unknown>;
  body.validator = validator;
  const checkDigit = validator.checkDigit as Record<string, unknown> | undefined;
  if (checkDigit?.kind === undefined) {
    delete validator.checkDigit;
    return [];
  }
  if (checkDigit.kind === 'luhn') {
    validator.checkDigit = { kind: 'luhn' };
    return [];
  }
  const errors: FormError[] = [];
  if (checkDigit.modulus === undefined)
    errors.push({
      input: 'checkDigit-modulus',
      message: 'Enter the modulus for a weighted check digit',
    });
  if (checkDigit.weights === undefined)
    errors.push({
      input: 'checkDigit-weights',
      message: 'Enter the weights for a weighted check digit',
    });
  return errors;
}

const fundEntity: Entity = {
  slug: 'funds',
  noun: 'Fund',
  plural: 'Funds',
  singular: 'fund',
  title: 'Funds',
  description:
    'What income is for: each fund has a ledger account, a VAT code and a reference check.',
  key: 'code',
  sections: [
    {
      fields: [
        codeField('Fund code'),
        nameField,
        {
          id: 'vatCode',
          api: 'vatCode',
          label: 'VAT code',
          kind: 'select',
          options: 'vatCodes',
          required: 'Choose the VAT code',
        },
        {
          id: 'maxPence',
          api: 'maxPence',
          label: 'Largest single payment',
          kind: 'pounds',
          required: 'Enter the largest single payment',
          classes: 'govuk-input--width-10',
        },
        text('ledgerCode', 'Ledger code', {
          required: 'Enter the ledger code',
          classes: 'govuk-input--width-10',
        }),
        text('costCentre', 'Cost centre', {
          required: 'Enter the cost centre',
          classes: 'govuk-input--width-10',
        }),
        flag(
          'isSuspense',
          'This is the suspense fund',
          'Unidentified money goes here. There is only one.',
        ),
        flag('accountHolderListRequired', 'References must be in the loaded account-holder list'),
      ],
    },
    {
      legend: 'Reference check',
      hint: 'How a payer’s reference for this fund is checked. Leave empty what does not apply.',
      fields: [
        validatorField('minLength', 'Shortest reference', 'integer', {
          classes: 'govuk-input--width-3',
        }),
        validatorField('maxLength', 'Longest reference', 'integer', {
          classes: 'govuk-input--width-3',
        }),
        validatorField('characterClass', 'Characters allowed', 'select', {
          options: 'characterClasses',
        }),
        validatorField('pattern', 'Pattern (regular expression)', 'text', {
          hint: 'For example, [0-9]{8}',
        }),
        validatorField('patternDescription', 'Pattern in words', 'text', {
          hint: 'Shown to staff when a reference does not fit, for example 8 digits',
        }),
        validatorField('mask', 'Mask', 'text', {
          hint: 'One character per position; @ marks the check character',
        }),
        checkDigitField('kind', 'Check digit', 'select', { options: 'checkDigitKinds' }),
        checkDigitField('modulus', 'Modulus (weighted)', 'integer', {
          classes: 'govuk-input--width-4',
        }),
        checkDigitField('weights', 'Weights (weighted)', 'numberList', {
          hint: 'Separated by commas, for example 7, 6, 5, 4, 3, 2',
        }),
        checkDigitField(
          'subtractFromModulus',
          'Subtract the remainder from the modulus (weighted)',
          'boolean',
        ),
        checkDigitField('sourceSubstitution', 'Letters as digits (weighted)', 'text', {
          hint: 'Optional',
        }),
        checkDigitField(
          'resultSubstitutions',
          'Check results written as characters (weighted)',
          'substitutions',
          { hint: 'Optional, for example 10=X, 11=0' },
        ),
        checkDigitField('checkPosition', 'Position of the check character (weighted)', 'integer', {
          hint: 'Optional; counted from 0',
          classes: 'govuk-input--width-3',
        }),
      ],
    },
  ],
  columns: [
    { heading: 'Name', value: (view) => String(view.name) },
    { heading: 'VAT code', value: (view) => String(view.vatCode) },
    { heading: 'Ledger code', value: (view) => String(view.ledgerCode) },
    { heading: 'Largest payment', value: (view) => pence(view.maxPence), numeric: true },
  ],
  lookups: async (api) => {
    const vat = await api<{ items: { code: string; name: string }[] }>('listVatCodes', {
      query: { disabled: 'false' },
    });
    return {
      vatCodes: vat.items.map((code) => ({
        value: code.code,
        text: `${code.name} (${code.code})`,
      })),
      characterClasses,
      checkDigitKinds,
    };
  },
  finish: finishFund,
};

const fundGroupEntity: Entity = {
  slug: 'fund-groups',
  noun: 'FundGroup',
  plural: 'FundGroups',
  singular: 'fund group',
  title: 'Fund groups',
  description: 'Groups of funds that staff and API keys are limited to.',
  key: 'code',
  sections: [
    {
      fields: [
        codeField('Fund group code'),
        nameField,
        {
          id: 'fundCodes',
          api: 'fundCodes',
          label: 'Funds in the group',
          kind: 'checkboxes',
          options: 'funds',
        },
      ],
    },
  ],
  columns: [
    { heading: 'Name', value: (view) => String(view.name) },
    { heading: 'Funds', value: (view) => (view.fundCodes as string[]).join(', ') },
  ],
  lookups: async (api) => ({ funds: await fundItems(api) }),
};

const methodEntity: Entity = {
  slug: 'methods-of-payment',
  noun: 'MethodOfPayment',
  plural: 'MethodsOfPayment',
  singular: 'method of payment',
  title: 'Methods of payment',
  description: 'How money arrives, with the smallest and largest amounts each accepts.',
  key: 'code',
  sections: [
    {
      fields: [
        codeField('Method code'),
        nameField,
        {
          id: 'minPence',
          api: 'minPence',
          label: 'Smallest amount',
          kind: 'poundsOrZero',
          required: 'Enter the smallest amount',
          classes: 'govuk-input--width-10',
        },
        {
          id: 'maxPence',
          api: 'maxPence',
          label: 'Largest amount',
          kind: 'pounds',
          required: 'Enter the largest amount',
          classes: 'govuk-input--width-10',
        },
      ],
    },
    {
      legend: 'What kind of payment it is',
      fields: [
        flag('isCard', 'Card'),
        flag('isCash', 'Cash'),
        flag('isCheque', 'Cheque'),
        flag('isRefundable', 'Can be refunded'),
        flag('incursFee', 'The provider charges a fee'),
        flag('isInternal', 'Internal (journals and transfers: no money arrives)'),
      ],
    },
  ],
  columns: [
    { heading: 'Name', value: (view) => String(view.name) },
    { heading: 'Smallest', value: (view) => pence(view.minPence), numeric: true },
    { heading: 'Largest', value: (view) => pence(view.maxPence), numeric: true },
  ],
};

const vatEntity: Entity = {
  slug: 'vat-codes',
  noun: 'VatCode',
  plural: 'VatCodes',
  singular: 'VAT code',
  title: 'VAT codes',
  description: 'VAT rates that funds charge.',
  key: 'code',
  sections: [
    {
      fields: [
        codeField('VAT code'),
        nameField,
        {
          id: 'rate',
          api: 'rateBasisPoints',
          label: 'Rate',
          kind: 'percent',
          required: 'Enter the rate',
          hint: 'A percentage, for example 20 or 17.5',
          classes: 'govuk-input--width-5',
        },
      ],
    },
  ],
  columns: [
    { heading: 'Name', value: (view) => String(view.name) },
    {
      heading: 'Rate',
      value: (view) => `${percentText(view.rateBasisPoints as number)}%`,
      numeric: true,
    },
  ],
};

const officeEntity: Entity = {
  slug: 'offices',
  noun: 'Office',
  plural: 'Offices',
  singular: 'office',
  title: 'Offices',
  description: 'Where payments are taken in person.',
  key: 'code',
  sections: [{ fields: [codeField('Office code', 'Two capital letters'), nameField] }],
  columns: [{ heading: 'Name', value: (view) => String(view.name) }],
};

// Import rules: conditions are a grid of groups (OR) of rows (AND), read by `ruleConditions`.
const conditionFields: Item[] = [
  { value: 'reference', text: 'Reference' },
  { value: 'amountPence', text: 'Amount in pence' },
  { value: 'narrative', text: 'Narrative' },
  { value: 'fundCode', text: 'Fund code' },
];
const conditionOperators = [
  'contains',
  'notContains',
  'startsWith',
  'endsWith',
  'equals',
  'greaterThan',
  'lessThan',
  'matches',
].map((value) => ({
  value,
  text: value
    .replace(/([A-Z])/g, ' $1')
    .toLowerCase()
    .replace(/^./, (c) => c.toUpperCase()),
}));

const conditionKey = (group: number, row: number, part: string) => `g${group}c${row}${part}`;

type ConditionRow = { field: string; operator: string; value: string };

/** The grid as posted or stored: groups of rows, each row's three inputs. */
function conditionGrid(values: Values): ConditionRow[][] {
  const grid: ConditionRow[][] = [];
  for (const key of Object.keys(values)) {
    const match = /^g(\d+)c(\d+)field$/.exec(key);
    if (match === null) continue;
    const [group, row] = [Number(match[1]), Number(match[2])];
    grid[group] ??= [];
    (grid[group] as ConditionRow[])[row] = {
      field: String(values[key] ?? ''),
      operator: String(values[conditionKey(group, row, 'operator')] ?? ''),
      value: String(values[conditionKey(group, row, 'value')] ?? ''),
    };
  }
  return Array.from(grid, (rows) =>
    Array.from(rows ?? [], (row) => row ?? { field: '', operator: '', value: '' }),
  );
}

const blankRow = (): ConditionRow => ({ field: '', operator: '', value: '' });
const isBlank = (row: ConditionRow) => row.field === '' && row.value === '';

/** Blank rows at the end of a group. */
function trailingBlanks(rows: readonly ConditionRow[]): number {
  let count = 0;
  while (count < rows.length && isBlank(rows[rows.length - 1 - count] as ConditionRow)) count++;
  return count;
}

/** Spare rows to fill in without JavaScript: two at the end of each group, and a new group. */
function withSpares(grid: readonly ConditionRow[][]): ConditionRow[][] {
  const padded = grid.map((rows) => {
    const spare = Math.max(0, 2 - trailingBlanks(rows));
    return [...rows, ...Array.from({ length: spare }, blankRow)];
  });
  const last = padded.at(-1);
  if (last === undefined || last.some((row) => !isBlank(row)))
    padded.push([blankRow(), blankRow()]);
  return padded;
}

function conditionValues(groups: readonly ConditionRow[][]): Values {
  const values: Values = {};
  for (const [group, rows] of groups.entries()) {
    for (const [index, row] of rows.entries()) {
      values[conditionKey(group, index, 'field')] = row.field;
      values[conditionKey(group, index, 'operator')] = row.operator;
      values[conditionKey(group, index, 'value')] = row.value;
    }
  }
  return values;
}

/** The filled-in rows as the API's conditionGroups, and which input each API position is. */
function ruleConditions(values: Values) {
  const groups: ConditionRow[][] = [];
  const inputs: Record<string, string> = {};
  const errors: FormError[] = [];
  conditionGrid(values).forEach((rows, group) => {
    const kept: ConditionRow[] = [];
    rows.forEach((row, index) => {
      if (isBlank(row)) return;
      const at = `body.conditionGroups[${groups.length}][${kept.length}]`;
      inputs[at] = conditionKey(group, index, 'value');
      inputs[`${at}.value`] = conditionKey(group, index, 'value');
      inputs[`${at}.field`] = conditionKey(group, index, 'field');
      inputs[`${at}.operator`] = conditionKey(group, index, 'operator');
      if (row.field === '')
        errors.push({
          input: conditionKey(group, index, 'field'),
          message: 'Choose what the condition looks at',
        });
      if (row.operator === '')
        errors.push({
          input: conditionKey(group, index, 'operator'),
          message: 'Choose how the condition compares',
        });
      kept.push(row);
    });
    if (kept.length > 0) groups.push(kept);
  });
  inputs['body.conditionGroups'] = conditionKey(0, 0, 'field');
  return { groups, inputs, errors };
}

const ruleEntity: Entity = {
  slug: 'import-rules',
  noun: 'ImportRule',
  plural: 'ImportRules',
  singular: 'import rule',
  title: 'Import rules',
  description: 'Rules that set a row’s fund, reference or narrative while a file is imported.',
  key: 'id',
  sections: [
    {
      fields: [
        text('id', 'Rule id', {
          required: 'Enter the rule id',
          createOnly: true,
          hint: 'Up to 40 capital letters, digits or _',
          classes: 'govuk-input--width-20',
        }),
        nameField,
        {
          id: 'position',
          api: 'position',
          label: 'Position',
          kind: 'integer',
          required: 'Enter the position',
          hint: 'Rules run in ascending position',
          classes: 'govuk-input--width-5',
        },
      ],
    },
    {
      legend: 'Conditions',
      hint: 'A row matches when every condition in any one group matches. Amounts are in pence.',
      fields: [],
      conditions: true,
    },
    {
      legend: 'What the rule does',
      fields: [
        {
          id: 'setFundCode',
          api: 'actions.setFundCode',
          label: 'Set the fund to',
          kind: 'select',
          options: 'funds',
        },
        text('setReference', 'Set the reference to', {
          api: 'actions.setReference',
          hint: 'Optional',
        }),
        text('setNarrative', 'Set the narrative to', {
          api: 'actions.setNarrative',
          hint: 'Optional',
        }),
        flag('stopProcessing', 'Stop here: later rules do not run on a row this rule matched'),
      ],
    },
  ],
  columns: [
    { heading: 'Name', value: (view) => String(view.name) },
    { heading: 'Position', value: (view) => String(view.position), numeric: true },
  ],
  lookups: async (api) => ({ funds: await fundItems(api) }),
  finish: (body, values) => {
    const { groups, errors } = ruleConditions(values);
    body.conditionGroups = groups;
    body.actions ??= {};
    return errors;
  },
  extraInputs: (values) => ruleConditions(values).inputs,
};

export const configEntities: readonly Entity[] = [
  fundEntity,
  fundGroupEntity,
  methodEntity,
  vatEntity,
  officeEntity,
  ruleEntity,
];

// ---------------------------------------------------------------------------------------------
// Pages of one entity.

const notices: Record<string, string> = {
  created: 'It has been created.',
  updated: 'Your changes have been saved.',
  disabled: 'It has been disabled.',
  enabled: 'It has been enabled again.',
  password: 'The password has been set. The user’s sessions have ended.',
  revoked: 'The API key has been revoked. It stops working at once.',
};
const noticeOf = (req: Request) => {
  const key = field(req.query, 'notice');
  return Object.hasOwn(notices, key) ? notices[key] : undefined;
};

type FormState = { values: Values; errors: FormErrors; status: number };

function entityValues(entity: Entity, view: unknown): Values {
  const values = valuesFromView(entity.sections, view);
  if (entity.slug === 'import-rules') {
    const stored = (
      (view as { conditionGroups?: ConditionRow[][] } | null)?.conditionGroups ?? []
    ).map((rows) =>
      rows.map((row) => ({ field: row.field, operator: row.operator, value: String(row.value) })),
    );
    Object.assign(values, conditionValues(withSpares(stored)));
  }
  return values;
}

async function entityForm(
  ctx: ApiContext,
  req: Request,
  res: Response,
  entity: Entity,
  mode: 'create' | 'edit',
  state?: FormState,
) {
  const api = apiFor(ctx, req, res);
  const key = param(req, 'key');
  const [view, lookups] = await Promise.all([
    mode === 'edit'
      ? api<Record<string, unknown>>(`get${entity.noun}`, { params: { [entity.key]: key } })
      : Promise.resolve(null),
    entity.lookups?.(api) ?? Promise.resolve({}),
  ]);
  const values = state?.values ?? entityValues(entity, view);
  const errors = state?.errors ?? noErrors;
  const grid = entity.slug === 'import-rules' ? withSpares(conditionGrid(values)) : [];
  render(
    res,
    'admin/entity-form.njk',
    {
      entity,
      mode,
      key,
      view,
      sections: formModel(
        entity.sections,
        { ...values, ...conditionValues(grid) },
        lookups,
        errors,
        mode,
      ),
      conditionGroups: grid.map((rows, group) =>
        rows.map((row, index) => ({
          ...row,
          fieldId: conditionKey(group, index, 'field'),
          operatorId: conditionKey(group, index, 'operator'),
          valueId: conditionKey(group, index, 'value'),
          fieldItems: selectItems(conditionFields, row.field, 'Choose'),
          operatorItems: selectItems(conditionOperators, row.operator, 'Choose'),
        })),
      ),
      errors,
      reason: typeof values.reason === 'string' ? values.reason : '',
      notice: noticeOf(req),
    },
    state?.status ?? 200,
  );
}

async function saveEntity(
  ctx: ApiContext,
  req: Request,
  res: Response,
  entity: Entity,
  mode: 'create' | 'edit',
) {
  const values: Values = {
    ...valuesFromBody(entity.sections, req.body),
    ...(entity.slug === 'import-rules' ? pickConditions(req.body) : {}),
    reason: field(req.body, 'reason'),
  };
  const { body, errors } = bodyFromValues(entity.sections, values, mode);
  errors.push(...(entity.finish?.(body, values) ?? []));
  if (values.reason !== '') body.reason = values.reason;
  if (errors.length > 0)
    return entityForm(ctx, req, res, entity, mode, {
      values,
      errors: formErrors(errors),
      status: 400,
    });
  const key = param(req, 'key');
  try {
    const saved = await apiFor(
      ctx,
      req,
      res,
    )<Record<string, unknown>>(
      mode === 'create' ? `create${entity.noun}` : `update${entity.noun}`,
      mode === 'create' ? { body } : { params: { [entity.key]: key }, body },
    );
    const savedKey = encodeURIComponent(String(saved[entity.key]));
    res.redirect(
      303,
      `/configuration/${entity.slug}/${savedKey}?notice=${mode === 'create' ? 'created' : 'updated'}`,
    );
  } catch (error) {
    if (!isFormProblem(error)) throw error;
    const mapped = errorsFromProblem(error, {
      inputs: inputFinder(entity.sections, entity.extraInputs?.(values)),
      labels: labelsOf(entity.sections),
    });
    await entityForm(ctx, req, res, entity, mode, {
      values,
      errors: mapped,
      status: statusOf(error),
    });
  }
}

/** The rule-condition inputs of a posted form. */
function pickConditions(body: unknown): Values {
  const values: Values = {};
  if (typeof body !== 'object' || body === null) return values;
  for (const key of Object.keys(body))
    if (/^g\d{1,2}c\d{1,2}(field|operator|value)$/.test(key)) values[key] = field(body, key);
  return values;
}

async function toggleEntity(
  ctx: ApiContext,
  req: Request,
  res: Response,
  entity: Entity,
  verb: 'disable' | 'enable',
) {
  const key = param(req, 'key');
  const reason = field(req.body, 'toggleReason');
  try {
    await apiFor(
      ctx,
      req,
      res,
    )(`${verb}${entity.noun}`, {
      params: { [entity.key]: key },
      body: reason === '' ? {} : { reason },
    });
    res.redirect(303, `/configuration/${entity.slug}/${encodeURIComponent(key)}?notice=${verb}d`);
  } catch (error) {
    if (!isFormProblem(error)) throw error;
    const errors = errorsFromProblem(error, {
      inputs: { 'body.reason': 'toggleReason' },
      labels: { toggleReason: 'Reason' },
    });
    await entityForm(ctx, req, res, entity, 'edit', {
      values: entityValues(
        entity,
        await apiFor(ctx, req, res)(`get${entity.noun}`, { params: { [entity.key]: key } }),
      ),
      errors,
      status: statusOf(error),
    });
  }
}

async function entityList(ctx: ApiContext, req: Request, res: Response, entity: Entity) {
  const found = await apiFor(
    ctx,
    req,
    res,
  )<{ items: Record<string, unknown>[] }>(`list${entity.plural}`);
  render(res, 'admin/entity-list.njk', {
    entity,
    rows: found.items.map((view) => ({
      key: String(view[entity.key]),
      href: `/configuration/${entity.slug}/${encodeURIComponent(String(view[entity.key]))}`,
      disabled: view.disabled === true,
      cells: entity.columns.map((column) => ({
        text: column.value(view),
        numeric: column.numeric === true,
      })),
    })),
    notice: noticeOf(req),
  });
}

function entityPages(ctx: ApiContext, entity: Entity): Page[] {
  const access = { permission: 'configure' } as const;
  const base = `/configuration/${entity.slug}`;
  return [
    definePage({
      method: 'get',
      path: base,
      access,
      title: entity.title,
      handler: (req, res) => entityList(ctx, req, res, entity),
    }),
    definePage({
      method: 'get',
      path: `${base}/new`,
      access,
      title: `Add a ${entity.singular}`,
      handler: (req, res) => entityForm(ctx, req, res, entity, 'create'),
    }),
    definePage({
      method: 'post',
      path: `${base}/new`,
      access,
      handler: (req, res) => saveEntity(ctx, req, res, entity, 'create'),
    }),
    definePage({
      method: 'get',
      path: `${base}/:key`,
      access,
      title: `Change a ${entity.singular}`,
      handler: (req, res) => entityForm(ctx, req, res, entity, 'edit'),
    }),
    definePage({
      method: 'post',
      path: `${base}/:key`,
      access,
      handler: (req, res) => saveEntity(ctx, req, res, entity, 'edit'),
    }),
    definePage({
      method: 'post',
      path: `${base}/:key/disable`,
      access,
      handler: (req, res) => toggleEntity(ctx, req, res, entity, 'disable'),
    }),
    definePage({
      method: 'post',
      path: `${base}/:key/enable`,
      access,
      handler: (req, res) => toggleEntity(ctx, req, res, entity, 'enable'),
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// Staff accounts and API keys.

const permissionItems: Item[] = permissions.map((name) => ({
  value: name,
  text: name,
  hint: permissionDescriptions[name],
}));

async function fundGroupItems(api: Api): Promise<Item[]> {
  const groups = await api<{ items: { code: string; name: string }[] }>('listFundGroups', {
    query: { disabled: 'false' },
  });
  return [
    ...groups.items.map((group) => ({ value: group.code, text: `${group.name} (${group.code})` })),
    { value: '*', text: 'All fund groups, including any added later', exclusive: true },
  ];
}

const grantFields: Field[] = [
  {
    id: 'permissions',
    api: 'permissions',
    label: 'Permissions',
    kind: 'checkboxes',
    options: 'permissions',
  },
  {
    id: 'fundGroups',
    api: 'fundGroups',
    label: 'Fund groups',
    kind: 'checkboxes',
    options: 'fundGroups',
    hint: 'The funds whose payments, items and reports they may see and act on',
  },
];

const userSections: Section[] = [
  {
    fields: [
      text('username', 'Username', {
        required: 'Enter the username',
        createOnly: true,
        hint: 'Letters, digits, ".", "_", "@" or "-"',
        classes: 'govuk-input--width-20',
      }),
      text('displayName', 'Full name', { required: 'Enter their full name' }),
      text('email', 'Email address', { hint: 'Optional' }),
      {
        id: 'password',
        api: 'password',
        label: 'Password',
        kind: 'password',
        createOnly: true,
        hint: 'Leave empty if they sign in with their council account',
      },
    ],
  },
  { fields: grantFields },
];

const apiKeySections: Section[] = [
  {
    fields: [
      text('principal', 'Principal', {
        required: 'Enter the principal',
        hint: 'Who acts when the key is used: what the audit trail records, for example pos-system',
        classes: 'govuk-input--width-20',
      }),
      text('description', 'Description', {
        required: 'Enter a description',
        hint: 'What the key is for',
      }),
      {
        id: 'expires',
        api: 'expiresAt',
        label: 'Expires on',
        kind: 'date',
        hint: 'Optional. The key stops working at the end of this day. For example, 31 3 2027',
      },
    ],
  },
  { fields: grantFields },
];

/** `null` (every fund group) when 'all' is ticked, else the groups ticked. */
function fundGroupsOf(body: Record<string, unknown>): void {
  const groups = (body.fundGroups as string[] | undefined) ?? [];
  body.fundGroups = groups.includes('*') ? null : groups;
}

const grantLookups = async (api: Api): Promise<Lookups> => ({
  permissions: permissionItems,
  fundGroups: await fundGroupItems(api),
});

type User = {
  userId: string;
  username: string;
  displayName: string;
  disabled: boolean;
  fundGroups: string[] | null;
};

function userValues(user: User | null): Values {
  const values = valuesFromView(userSections, user);
  if (user !== null && user.fundGroups === null) values.fundGroups = ['*'];
  return values;
}

async function userForm(
  ctx: ApiContext,
  req: Request,
  res: Response,
  mode: 'create' | 'edit',
  state?: FormState,
) {
  const api = apiFor(ctx, req, res);
  const userId = param(req, 'userId');
  const [user, lookups] = await Promise.all([
    mode === 'edit' ? api<User>('getUser', { params: { userId } }) : Promise.resolve(null),
    grantLookups(api),
  ]);
  const values = state?.values ?? userValues(user);
  const errors = state?.errors ?? noErrors;
  render(
    res,
    'admin/user-form.njk',
    {
      mode,
      user,
      sections: formModel(userSections, values, lookups, errors, mode),
      errors,
      reason: typeof values.reason === 'string' ? values.reason : '',
      notice: noticeOf(req),
    },
    state?.status ?? 200,
  );
}

const userInputs = (sections: readonly Section[]) =>
  inputFinder(sections, { 'params.userId': 'displayName' });

async function saveUser(ctx: ApiContext, req: Request, res: Response, mode: 'create' | 'edit') {
  const values: Values = {
    ...valuesFromBody(userSections, req.body),
    reason: field(req.body, 'reason'),
  };
  const { body, errors } = bodyFromValues(userSections, values, mode);
  fundGroupsOf(body);
  if (mode === 'edit' && body.email === undefined) body.email = null;
  if (values.reason !== '') body.reason = values.reason;
  if (errors.length > 0)
    return userForm(ctx, req, res, mode, { values, errors: formErrors(errors), status: 400 });
  try {
    const api = apiFor(ctx, req, res);
    const saved =
      mode === 'create'
        ? await api<User>('createUser', { body })
        : await api<User>('updateUser', { params: { userId: param(req, 'userId') }, body });
    res.redirect(
      303,
      `/configuration/users/${saved.userId}?notice=${mode === 'create' ? 'created' : 'updated'}`,
    );
  } catch (error) {
    if (!isFormProblem(error)) throw error;
    const mapped = errorsFromProblem(error, {
      inputs: userInputs(userSections),
      labels: labelsOf(userSections),
    });
    await userForm(ctx, req, res, mode, { values, errors: mapped, status: statusOf(error) });
  }
}

async function toggleUser(ctx: ApiContext, req: Request, res: Response, disabled: boolean) {
  const userId = param(req, 'userId');
  const reason = field(req.body, 'toggleReason');
  try {
    await apiFor(
      ctx,
      req,
      res,
    )('updateUser', {
      params: { userId },
      body: reason === '' ? { disabled } : { disabled, reason },
    });
    res.redirect(303, `/configuration/users/${userId}?notice=${disabled ? 'disabled' : 'enabled'}`);
  } catch (error) {
    if (!isFormProblem(error)) throw error;
    const errors = errorsFromProblem(error, {
      inputs: { 'body.reason': 'toggleReason' },
      labels: { toggleReason: 'Reason' },
    });
    await userForm(ctx, req, res, 'edit', {
      values: userValues(await apiFor(ctx, req, res)<User>('getUser', { params: { userId } })),
      errors,
      status: statusOf(error),
    });
  }
}

async function passwordForm(
  ctx: ApiContext,
  req: Request,
  res: Response,
  state?: { errors: FormErrors; status: number },
) {
  const user = await apiFor(
    ctx,
    req,
    res,
  )<User>('getUser', { params: { userId: param(req, 'userId') } });
  render(
    res,
    'admin/user-password.njk',
    { user, errors: state?.errors ?? noErrors },
    state?.status ?? 200,
  );
}

async function setPassword(ctx: ApiContext, req: Request, res: Response) {
  const userId = param(req, 'userId');
  const password = typeof req.body?.password === 'string' ? (req.body.password as string) : '';
  const reason = field(req.body, 'reason');
  if (password === '') {
    return passwordForm(ctx, req, res, {
      errors: formErrors([{ input: 'password', message: 'Enter the new password' }]),
      status: 400,
    });
  }
  try {
    await apiFor(
      ctx,
      req,
      res,
    )('updateUser', {
      params: { userId },
      body: reason === '' ? { password } : { password, reason },
    });
    res.redirect(303, `/configuration/users/${userId}?notice=password`);
  } catch (error) {
    if (!isFormProblem(error)) throw error;
    const errors = errorsFromProblem(error, {
      inputs: { 'body.password': 'password', 'body.reason': 'reason' },
      labels: { password: 'Password', reason: 'Reason' },
    });
    await passwordForm(ctx, req, res, { errors, status: statusOf(error) });
  }
}

async function keyForm(ctx: ApiContext, req: Request, res: Response, state?: FormState) {
  const lookups = await grantLookups(apiFor(ctx, req, res));
  const values = state?.values ?? {};
  const errors = state?.errors ?? noErrors;
  render(
    res,
    'admin/api-key-form.njk',
    {
      sections: formModel(apiKeySections, values, lookups, errors, 'create'),
      errors,
      reason: typeof values.reason === 'string' ? values.reason : '',
    },
    state?.status ?? 200,
  );
}

/** The expiry date as the end of that day in London; '' for none; null when not a real date. */
function expiryOf(values: Values): string | null {
  const date = dateFromParts(
    String(values.expiresDay ?? ''),
    String(values.expiresMonth ?? ''),
    String(values.expiresYear ?? ''),
  );
  if (date === '') return '';
  return isIsoDate(date) ? londonDayEnd(date) : null;
}

async function createKey(ctx: ApiContext, req: Request, res: Response) {
  const values: Values = {
    ...valuesFromBody(apiKeySections, req.body),
    reason: field(req.body, 'reason'),
  };
  const { body, errors } = bodyFromValues(apiKeySections, values, 'create');
  fundGroupsOf(body);
  const expiresAt = expiryOf(values);
  if (expiresAt === null)
    errors.push({ input: 'expires', message: 'Expires on must be a real date' });
  else if (expiresAt !== '') body.expiresAt = expiresAt;
  if ((body.permissions as string[]).length === 0)
    errors.push({ input: 'permissions', message: 'Select at least one permission' });
  if (values.reason !== '') body.reason = values.reason;
  if (errors.length > 0)
    return keyForm(ctx, req, res, { values, errors: formErrors(errors), status: 400 });
  try {
    const created = await apiFor(
      ctx,
      req,
      res,
    )<{ apiKey: unknown; key: string }>('createApiKey', { body });
    // The secret is shown on this response only: never in a URL, never stored by the screen.
    render(res, 'admin/api-key-created.njk', created, 201);
  } catch (error) {
    if (!isFormProblem(error)) throw error;
    const mapped = errorsFromProblem(error, {
      inputs: inputFinder(apiKeySections, { 'body.expiresAt': 'expires' }),
      labels: labelsOf(apiKeySections),
    });
    await keyForm(ctx, req, res, { values, errors: mapped, status: statusOf(error) });
  }
}

type ApiKey = { keyId: string; revokedAt: string | null };

async function keyOf(ctx: ApiContext, req: Request, res: Response): Promise<ApiKey> {
  const keyId = param(req, 'keyId');
  const keys = await apiFor(ctx, req, res)<{ items: ApiKey[] }>('listApiKeys');
  const key = keys.items.find((item) => item.keyId === keyId);
  if (key === undefined) throw new ProblemError('not_found', `No API key ${keyId}`);
  return key;
}

function staffPages(ctx: ApiContext): Page[] {
  const access = { permission: 'configure' } as const;
  return [
    definePage({
      method: 'get',
      path: '/configuration/users',
      access,
      title: 'Users',
      handler: async (req, res) => {
        const users = await apiFor(ctx, req, res)<{ items: User[] }>('listUsers');
        render(res, 'admin/users.njk', { users: users.items, notice: noticeOf(req) });
      },
    }),
    definePage({
      method: 'get',
      path: '/configuration/users/new',
      access,
      title: 'Add a user',
      handler: (req, res) => userForm(ctx, req, res, 'create'),
    }),
    definePage({
      method: 'post',
      path: '/configuration/users/new',
      access,
      handler: (req, res) => saveUser(ctx, req, res, 'create'),
    }),
    definePage({
      method: 'get',
      path: '/configuration/users/:userId',
      access,
      title: 'Change a user',
      handler: (req, res) => userForm(ctx, req, res, 'edit'),
    }),
    definePage({
      method: 'post',
      path: '/configuration/users/:userId',
      access,
      handler: (req, res) => saveUser(ctx, req, res, 'edit'),
    }),
    definePage({
      method: 'get',
      path: '/configuration/users/:userId/password',
      access,
      title: 'Set a password',
      handler: (req, res) => passwordForm(ctx, req, res),
    }),
    definePage({
      method: 'post',
      path: '/configuration/users/:userId/password',
      access,
      handler: (req, res) => setPassword(ctx, req, res),
    }),
    definePage({
      method: 'post',
      path: '/configuration/users/:userId/disable',
      access,
      handler: (req, res) => toggleUser(ctx, req, res, true),
    }),
    definePage({
      method: 'post',
      path: '/configuration/users/:userId/enable',
      access,
      handler: (req, res) => toggleUser(ctx, req, res, false),
    }),
    definePage({
      method: 'get',
      path: '/configuration/api-keys',
      access,
      title: 'API keys',
      handler: async (req, res) => {
        const keys = await apiFor(ctx, req, res)<{ items: ApiKey[] }>('listApiKeys');
        render(res, 'admin/api-keys.njk', { keys: keys.items, notice: noticeOf(req) });
      },
    }),
    definePage({
      method: 'get',
      path: '/configuration/api-keys/new',
      access,
      title: 'Create an API key',
      handler: (req, res) => keyForm(ctx, req, res),
    }),
    definePage({
      method: 'post',
      path: '/configuration/api-keys/new',
      access,
      handler: (req, res) => createKey(ctx, req, res),
    }),
    definePage({
      method: 'get',
      path: '/configuration/api-keys/:keyId/revoke',
      access,
      title: 'Revoke an API key',
      handler: async (req, res) =>
        render(res, 'admin/api-key-revoke.njk', { key: await keyOf(ctx, req, res) }),
    }),
    definePage({
      method: 'post',
      path: '/configuration/api-keys/:keyId/revoke',
      access,
      handler: async (req, res) => {
        await apiFor(ctx, req, res)('revokeApiKey', { params: { keyId: param(req, 'keyId') } });
        res.redirect(303, '/configuration/api-keys?notice=revoked');
      },
    }),
  ];
}

export function adminPages(ctx: ApiContext): Page[] {
  const access = { permission: 'configure' } as const;
  return [
    definePage({
      method: 'get',
      path: '/configuration',
      access,
      title: 'Configuration',
      handler: async (_req, res) => render(res, 'admin/hub.njk', { entities: configEntities }),
    }),
    ...staffPages(ctx),
    ...configEntities.flatMap((entity) => entityPages(ctx, entity)),
  ];
}
