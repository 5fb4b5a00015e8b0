import { type FormError, type FormErrors, oneInput, selectItems } from '../../forms';
import { screenNotices } from '../../notices';
import { field, listOf } from '../../page';
import {
  at,
  type Field,
  type Item,
  type Lookups,
  parseField,
  readField,
  type Section,
  setAt,
  type Values,
} from './fields';

/**
 * A configuration form from its sections: its values from an API view or as posted, the API
 * body it sends, which input an API field error belongs to, and the model the view renders.
 */

export type Mode = 'create' | 'edit';

/** A form shown again: what was typed, what is wrong, and the status to answer with. */
export type FormState = { values: Values; errors: FormErrors; status: number };

/** The configuration screens' notices after a redirect. */
export const noticeOf = screenNotices({
  created: 'It has been created.',
  updated: 'Your changes have been saved.',
  disabled: 'It has been disabled.',
  enabled: 'It has been enabled again.',
  password: 'The password has been set. The user’s sessions have ended.',
  revoked: 'The API key has been revoked. It stops working at once.',
});

const inMode = (mode: Mode) => (item: Field) =>
  mode === 'create' ? item.editOnly !== true : item.createOnly !== true;

/** The form's values from an API view (editing) or empty (creating). */
export function valuesFromView(sections: readonly Section[], view: unknown): Values {
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
function bodyFromValues(sections: readonly Section[], values: Values, mode: Mode) {
  const body: Record<string, unknown> = {};
  const errors: FormError[] = [];
  for (const section of sections) {
    for (const item of section.fields.filter(inMode(mode))) {
      if (item.kind === 'date') continue;
      const parsed = parseField(item, values[item.id] ?? '');
      if ('message' in parsed) errors.push({ input: item.id, message: parsed.message });
      else if (parsed.value !== undefined) setAt(body, item.api, parsed.value);
      // Emptied on an edit: back to the default, which an absent field would not say.
      else if (item.clearable === true && mode === 'edit') setAt(body, item.api, null);
    }
  }
  return { body, errors };
}

/**
 * A posted form read against its sections: the values to show again (with any the sections do
 * not describe), the API body with the reason for the change when one is given, and the
 * mistakes found before it is worth sending. Callers add what only they know to both.
 */
export function readPosted(
  sections: readonly Section[],
  posted: unknown,
  mode: Mode,
  extra: Values = {},
) {
  const values: Values = {
    ...valuesFromBody(sections, posted),
    ...extra,
    reason: field(posted, 'reason'),
  };
  const { body, errors } = bodyFromValues(sections, values, mode);
  if (values.reason !== '') body.reason = values.reason;
  return { values, body, errors };
}

/**
 * How the API's field errors point at this form's inputs: by each field's API path, exact or
 * without its index (`fundCodes[2]`), and `extra` for inputs that are not plain fields.
 */
export function fieldMap(sections: readonly Section[], extra: Record<string, string> = {}) {
  const byApi = new Map<string, string>(Object.entries(extra));
  const labels: Record<string, string> = {};
  for (const section of sections) {
    for (const item of section.fields) {
      byApi.set(`body.${item.api}`, item.id);
      labels[item.id] = item.label;
    }
  }
  const inputs = (apiField: string) =>
    byApi.get(apiField) ??
    byApi.get(apiField.replace(/\[\d+\]$/, '')) ??
    byApi.get(apiField.replace(/\[\d+\](\.[^.[]+)?$/, ''));
  return { inputs, labels };
}

/** Each section's fields as the form view wants them: value, items and error in place. */
function formModel(
  sections: readonly Section[],
  values: Values,
  lookups: Lookups,
  errors: FormErrors,
  mode: Mode,
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

/** What every configuration form's view gets: its sections, its errors and the reason box. */
export function formView(
  sections: readonly Section[],
  values: Values,
  lookups: Lookups,
  errors: FormErrors,
  mode: Mode,
) {
  return {
    sections: formModel(sections, values, lookups, errors, mode),
    errors,
    reason: typeof values.reason === 'string' ? values.reason : '',
  };
}

/** The notice after a form saved: which words depend on whether it created or changed. */
export const savedNotice = (mode: Mode) => (mode === 'create' ? 'created' : 'updated');

/** The reason box of the disable and enable buttons, apart from the form's own reason. */
export const toggleReasonInput = oneInput('body.reason', 'toggleReason', 'Reason');
