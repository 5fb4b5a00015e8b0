import type { CsvColumns, CsvProfile } from '../../domain/imports';

/**
 * The import profile form's fields and the definition they make. A CSV profile is built from
 * plain fields (columns by heading or by number); a fixed-width one is its definition as JSON,
 * since a layout is a list of positions that only its agent's documentation can give.
 */
export type ProfileFormValues = Record<string, string>;

export const csvColumnFields = ['reference', 'amount', 'date', 'narrative', 'fund'] as const;

export const profileFormKeys = [
  'id',
  'name',
  'kind',
  'methodOfPaymentCode',
  'clearingAccountCode',
  'delimiter',
  'hasHeader',
  'dateFormat',
  'amountFormat',
  'skipRows',
  'definitionJson',
  ...csvColumnFields.map((key) => `column-${key}`),
];

export const delimiters: Record<string, string> = {
  comma: ',',
  semicolon: ';',
  tab: '\t',
  pipe: '|',
};

/** A column as typed: a number counts from 1 as a spreadsheet does; anything else is a heading. */
function columnOf(typed: string): string | number {
  return /^\d+$/.test(typed) ? Number(typed) - 1 : typed;
}

function typedColumn(column: string | number | undefined): string {
  if (column === undefined) return '';
  return typeof column === 'number' ? String(column + 1) : column;
}

export function csvDefinitionOf(values: ProfileFormValues): CsvProfile {
  const columns: Record<string, string | number> = {};
  for (const key of csvColumnFields) {
    const typed = (values[`column-${key}`] ?? '').trim();
    if (typed !== '') columns[key] = columnOf(typed);
  }
  const skipRows = Number(values.skipRows || '0');
  return {
    kind: 'csv',
    delimiter: delimiters[values.delimiter ?? 'comma'] ?? ',',
    hasHeader: values.hasHeader !== 'no',
    columns: columns as unknown as CsvColumns,
    dateFormat: (values.dateFormat || 'DD/MM/YYYY') as CsvProfile['dateFormat'],
    amountFormat: (values.amountFormat || 'pounds') as CsvProfile['amountFormat'],
    ...(Number.isSafeInteger(skipRows) && skipRows > 0 ? { skipRows } : {}),
  };
}

/** The definition the form describes; a fixed-width one that is not JSON is refused by field. */
export function definitionOf(
  values: ProfileFormValues,
): { ok: true; definition: Record<string, unknown> } | { ok: false; message: string } {
  if (values.kind !== 'fixedWidth') return { ok: true, definition: csvDefinitionOf(values) };
  try {
    const parsed = JSON.parse(values.definitionJson ?? '');
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return { ok: true, definition: parsed as Record<string, unknown> };
  } catch {
    // Falls through to the message below.
  }
  return { ok: false, message: 'Layout must be a JSON object, as in the example' };
}

/** The form's fields for a saved profile, to edit it. */
export function valuesOfProfile(profile: {
  id: string;
  name: string;
  kind: string;
  definition: Record<string, unknown>;
  methodOfPaymentCode: string;
  clearingAccountCode: string;
}): ProfileFormValues {
  const values: ProfileFormValues = {
    id: profile.id,
    name: profile.name,
    kind: profile.kind,
    methodOfPaymentCode: profile.methodOfPaymentCode,
    clearingAccountCode: profile.clearingAccountCode,
    definitionJson: JSON.stringify(profile.definition, null, 2),
  };
  if (profile.kind !== 'csv') return values;
  const csv = profile.definition as unknown as CsvProfile;
  const delimiter = Object.entries(delimiters).find(([, text]) => text === csv.delimiter)?.[0];
  Object.assign(values, {
    delimiter: delimiter ?? 'comma',
    hasHeader: csv.hasHeader ? 'yes' : 'no',
    dateFormat: csv.dateFormat,
    amountFormat: csv.amountFormat,
    skipRows: csv.skipRows ? String(csv.skipRows) : '',
  });
  for (const key of csvColumnFields)
    values[`column-${key}`] = typedColumn((csv.columns as Record<string, string | number>)[key]);
  return values;
}
