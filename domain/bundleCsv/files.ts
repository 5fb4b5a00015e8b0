import type { CellKind } from './cells';

/**
 * The files of a council's CSV set and their columns (docs/tenancy.md). Column names are the
 * bundle's own field names, so the JSON schema's words work for both; the exceptions are a
 * fund's validator, flattened into `validator…` columns, and an import rule's actions, one
 * column each. Columns are written in the order listed here.
 */

export type Cells = Record<string, unknown>;

export type FileSpec = {
  file: string;
  /** The bundle's key this file fills. */
  key: string;
  /** One row only: the bundle holds an object (the council, its administrator), not a list. */
  single: boolean;
  /** A required file must be there even when it lists nothing (a header alone). */
  required: boolean;
  columns: Readonly<Record<string, CellKind>>;
  /** Columns the header must name; others may be left out of it. */
  requiredColumns: readonly string[];
  /** The bundle's item from a row's present cells; an absent cell stays an absent key. */
  toItem: (cells: Cells) => Cells;
  /** A bundle's item as cells: the reverse of `toItem`. */
  fromItem: (item: Cells) => Cells;
};

/** A reference validator's fields as `validator…` columns, e.g. `validatorMinLength`. */
export const validatorColumns = {
  validatorMinLength: 'integer',
  validatorMaxLength: 'integer',
  validatorCharacterClass: 'text',
  validatorPattern: 'text',
  validatorPatternDescription: 'text',
  validatorMask: 'text',
  validatorCheckDigit: 'json',
  validatorExamples: 'list',
} as const satisfies Record<string, CellKind>;

const prefix = 'validator';

/** `validatorMinLength` → `minLength`. */
export const validatorField = (column: string) =>
  column.charAt(prefix.length).toLowerCase() + column.slice(prefix.length + 1);

/** `minLength` → `validatorMinLength`. */
export const validatorColumn = (field: string) =>
  `${prefix}${field.charAt(0).toUpperCase()}${field.slice(1)}`;

/** Moves the present `validator…` cells into a `validator` object; none present: no validator. */
function foldValidator(cells: Cells): Cells {
  const item: Cells = {};
  const validator: Cells = {};
  for (const [column, value] of Object.entries(cells)) {
    if (column in validatorColumns) validator[validatorField(column)] = value;
    else item[column] = value;
  }
  return Object.keys(validator).length === 0 ? item : { ...item, validator };
}

function unfoldValidator(item: Cells): Cells {
  const { validator, ...rest } = item;
  const cells: Cells = { ...rest };
  for (const [field, value] of Object.entries((validator ?? {}) as Cells))
    cells[validatorColumn(field)] = value;
  return cells;
}

const actionColumns = ['setFundCode', 'setReference', 'setNarrative'] as const;

/** An import rule's action cells into its `actions`, which the bundle always carries. */
function foldActions(cells: Cells): Cells {
  const item: Cells = {};
  const actions: Cells = {};
  for (const [column, value] of Object.entries(cells)) {
    if ((actionColumns as readonly string[]).includes(column)) actions[column] = value;
    else item[column] = value;
  }
  return { ...item, actions };
}

function unfoldActions(item: Cells): Cells {
  const { actions, ...rest } = item;
  return { ...rest, ...((actions ?? {}) as Cells) };
}

const same = (cells: Cells) => cells;

type Options = Partial<Pick<FileSpec, 'single' | 'required' | 'toItem' | 'fromItem'>>;

function spec(
  file: string,
  key: string,
  columns: Record<string, CellKind>,
  requiredColumns: readonly string[],
  options: Options = {},
): FileSpec {
  return {
    file,
    key,
    columns,
    requiredColumns,
    single: false,
    required: true,
    toItem: same,
    fromItem: same,
    ...options,
  };
}

const text = 'text';
const pence = 'pence';
const flag = 'boolean';

export const bundleFiles: readonly FileSpec[] = [
  spec(
    'council.csv',
    'council',
    { id: text, name: text, requestsPerMinuteMax: 'integer', importBytesMax: 'integer' },
    ['id', 'name'],
    { single: true },
  ),
  spec(
    'administrator.csv',
    'administrator',
    { username: text, displayName: text, email: text },
    ['username', 'displayName'],
    { single: true },
  ),
  spec('vat-codes.csv', 'vatCodes', { code: text, name: text, rateBasisPoints: 'integer' }, [
    'code',
    'name',
    'rateBasisPoints',
  ]),
  spec(
    'funds.csv',
    'funds',
    {
      code: text,
      name: text,
      vatCode: text,
      maxPence: pence,
      ledgerCode: text,
      costCentre: text,
      isSuspense: flag,
      accountHolderListRequired: flag,
      refundApprovalAbovePence: pence,
      validatorCode: text,
      ...validatorColumns,
    },
    ['code', 'name', 'vatCode', 'maxPence', 'ledgerCode', 'costCentre'],
    { toItem: foldValidator, fromItem: unfoldValidator },
  ),
  spec(
    'fund-groups.csv',
    'fundGroups',
    { code: text, name: text, fundCodes: 'list' },
    ['code', 'name'],
    // An empty fundCodes cell is a group that holds no funds yet, not a group missing its list.
    { toItem: (cells) => ({ fundCodes: [], ...cells }) },
  ),
  spec(
    'methods-of-payment.csv',
    'methodsOfPayment',
    {
      code: text,
      name: text,
      minPence: pence,
      maxPence: pence,
      isCard: flag,
      isCash: flag,
      isCheque: flag,
      isRefundable: flag,
      incursFee: flag,
      isInternal: flag,
    },
    ['code', 'name', 'minPence', 'maxPence'],
  ),
  spec('offices.csv', 'offices', { code: text, name: text }, ['code', 'name']),
  spec('reference-routes.csv', 'referenceRoutes', { fundCode: text, pattern: text }, [
    'fundCode',
    'pattern',
  ]),
  spec(
    'import-rules.csv',
    'importRules',
    {
      id: text,
      name: text,
      position: 'integer',
      conditionGroups: 'json',
      setFundCode: text,
      setReference: text,
      setNarrative: text,
      stopProcessing: flag,
    },
    ['id', 'name', 'position', 'conditionGroups'],
    { toItem: foldActions, fromItem: unfoldActions },
  ),
  spec(
    'import-profiles.csv',
    'importProfiles',
    {
      id: text,
      name: text,
      kind: text,
      methodOfPaymentCode: text,
      clearingAccountCode: text,
      definition: 'json',
    },
    ['id', 'name', 'kind', 'methodOfPaymentCode', 'clearingAccountCode', 'definition'],
    { required: false },
  ),
  spec(
    'reference-validators.csv',
    'referenceValidators',
    { code: text, name: text, ...validatorColumns },
    ['code', 'name'],
    { required: false, toItem: foldValidator, fromItem: unfoldValidator },
  ),
];

/** The GL layout is nested (a list of columns), so it stays JSON, as the bundle has it. */
export const glLayoutFile = 'gl-layout.json';
