import type { RuleField, RuleOperator } from '../../../domain/importRules';
import { type FormError, selectItems } from '../../forms';
import { field } from '../../page';
import { type Api, type Entity, fundItems } from './entity';
import { flag, type Item, nameField, text, type Values } from './fields';

/**
 * Import rules. Their conditions are a grid of groups (OR) of rows (AND), each row three
 * inputs named by position (`g0c1field`), with spare rows so that no JavaScript is needed.
 */

// Records, so that a field or operator the domain adds is a type error until it is offered here.
const fieldText: Record<RuleField, string> = {
  reference: 'Reference',
  amountPence: 'Amount in pence',
  narrative: 'Narrative',
  fundCode: 'Fund code',
};
const operatorText: Record<RuleOperator, string> = {
  contains: 'Contains',
  notContains: 'Not contains',
  startsWith: 'Starts with',
  endsWith: 'Ends with',
  equals: 'Equals',
  greaterThan: 'Greater than',
  lessThan: 'Less than',
  matches: 'Matches',
};
const asItems = (texts: Record<string, string>) =>
  Object.entries(texts).map(([value, text]) => ({ value, text }));
const conditionFields = asItems(fieldText);
const conditionOperators = asItems(operatorText);

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

async function profileItems(api: Api): Promise<Item[]> {
  const { profiles } = await api<{ profiles: { id: string; name: string }[] }>(
    'listImportProfiles',
  );
  return profiles.map((profile) => ({ value: profile.id, text: profile.name }));
}

export const ruleEntity: Entity = {
  slug: 'import-rules',
  noun: 'ImportRule',
  plural: 'ImportRules',
  singular: 'import rule',
  title: 'Import rules',
  description:
    'Rules that set a row’s fund, reference, narrative or amount while a file is imported, for every file or one profile’s.',
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
        {
          id: 'profileId',
          api: 'profileId',
          label: 'Only for files read with',
          kind: 'select',
          options: 'profiles',
          hint: 'Leave it unchosen for a rule every file meets',
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
        {
          id: 'setAmount',
          api: 'actions.setAmountPence',
          label: 'Set the amount to',
          kind: 'pounds',
          hint: 'Optional, in pounds, for example 2.50',
          classes: 'govuk-input--width-10',
        },
        flag('stopProcessing', 'Stop here: later rules do not run on a row this rule matched'),
      ],
    },
  ],
  columns: [
    { heading: 'Name', value: (view) => String(view.name) },
    { heading: 'Position', value: (view) => String(view.position), numeric: true },
  ],
  lookups: async (api) => ({ funds: await fundItems(api), profiles: await profileItems(api) }),
  finish: (body, values) => {
    const { groups, errors } = ruleConditions(values);
    body.conditionGroups = groups;
    body.actions ??= {};
    return errors;
  },
  extraInputs: (values) => ruleConditions(values).inputs,
};

/** The rule-condition inputs of a posted form. */
export function pickConditions(body: unknown): Values {
  const values: Values = {};
  if (typeof body !== 'object' || body === null) return values;
  for (const key of Object.keys(body))
    if (/^g\d{1,2}c\d{1,2}(field|operator|value)$/.test(key)) values[key] = field(body, key);
  return values;
}

/** A stored rule's conditions as the grid's values, with spare rows. */
export function storedConditions(view: unknown): Values {
  const stored = (
    (view as { conditionGroups?: ConditionRow[][] } | null)?.conditionGroups ?? []
  ).map((rows) =>
    rows.map((row) => ({ field: row.field, operator: row.operator, value: String(row.value) })),
  );
  return conditionValues(withSpares(stored));
}

/** The grid for the form, with spare rows: its values and each row's inputs for the view. */
export function conditionForm(values: Values) {
  const grid = withSpares(conditionGrid(values));
  return {
    values: conditionValues(grid),
    groups: grid.map((rows, group) =>
      rows.map((row, index) => ({
        ...row,
        fieldId: conditionKey(group, index, 'field'),
        operatorId: conditionKey(group, index, 'operator'),
        valueId: conditionKey(group, index, 'value'),
        fieldItems: selectItems(conditionFields, row.field, 'Choose'),
        operatorItems: selectItems(conditionOperators, row.operator, 'Choose'),
      })),
    ),
  };
}
