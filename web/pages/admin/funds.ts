import { type FormError, noErrors } from '../../forms';
import { type Entity, fundItems, pence } from './entity';
import {
  codeField,
  type Field,
  type FieldKind,
  flag,
  type Item,
  nameField,
  type Section,
  text,
} from './fields';
import { tryReferenceView } from './tryReference';

/** Funds, with the check each fund makes of a payer's reference, and groups of funds. */

const checkDigitKinds: Item[] = [
  { value: 'luhn', text: 'Luhn (card style)' },
  { value: 'weighted', text: 'Weighted modulus' },
  { value: 'dynix', text: 'Dynix (library cards)' },
];

const characterClasses: Item[] = [
  { value: 'digits', text: 'Digits only' },
  { value: 'letters', text: 'Letters only' },
  { value: 'alphanumeric', text: 'Letters and digits' },
  { value: 'digitsWithSpaces', text: 'Digits and spaces' },
  { value: 'lettersWithSpaces', text: 'Letters and spaces' },
  { value: 'alphanumericWithSpaces', text: 'Letters, digits and spaces' },
  { value: 'any', text: 'Any characters' },
];

/** A field of an object inside the body: input `validator-minLength` is `validator.minLength`. */
const nestedField =
  (idPrefix: string, apiPrefix: string) =>
  (id: string, label: string, kind: FieldKind, more: Partial<Field> = {}): Field => ({
    id: `${idPrefix}-${id}`,
    api: `${apiPrefix}.${id}`,
    label,
    kind,
    ...more,
  });
const validatorField = nestedField('validator', 'validator');
const checkDigitField = nestedField('checkDigit', 'validator.checkDigit');

/** What a Dynix check digit has no use for: it never subtracts and never substitutes letters. */
function finishDynix(checkDigit: Record<string, unknown>): FormError[] {
  const errors: FormError[] = [];
  if (checkDigit.subtractFromModulus === true)
    errors.push({
      input: 'checkDigit-subtractFromModulus',
      message: 'A Dynix check digit never subtracts the remainder: untick it',
    });
  if (checkDigit.sourceSubstitution !== undefined)
    errors.push({
      input: 'checkDigit-sourceSubstitution',
      message: 'A Dynix check digit has no letters as digits: leave it empty',
    });
  delete checkDigit.subtractFromModulus;
  delete checkDigit.sourceSubstitution;
  return errors;
}

/**
 * A check digit as the API wants it: none, Luhn alone, or weighted or Dynix with their own
 * settings.
 */
function finishValidator(body: Record<string, unknown>): FormError[] {
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
  const name = checkDigit.kind === 'dynix' ? 'a Dynix' : 'a weighted';
  const errors: FormError[] = checkDigit.kind === 'dynix' ? finishDynix(checkDigit) : [];
  if (checkDigit.modulus === undefined)
    errors.push({
      input: 'checkDigit-modulus',
      message: `Enter the modulus for ${name} check digit`,
    });
  if (checkDigit.weights === undefined)
    errors.push({
      input: 'checkDigit-weights',
      message: `Enter the weights for ${name} check digit`,
    });
  return errors;
}

/** A fund that follows a shared check sends only its name: the rules shown are a copy. */
function finishFund(body: Record<string, unknown>): FormError[] {
  if (typeof body.validatorCode === 'string') {
    delete body.validator;
    return [];
  }
  return finishValidator(body);
}

/** The reference check's inputs, the same for a fund's own check and a shared one. */
function referenceCheckSection(hint: string): Section {
  return {
    legend: 'Reference check',
    hint,
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
      checkDigitField('modulus', 'Modulus (weighted or Dynix)', 'integer', {
        classes: 'govuk-input--width-4',
      }),
      checkDigitField('weights', 'Weights (weighted or Dynix)', 'numberList', {
        hint: 'Separated by commas, for example 7, 6, 5, 4, 3, 2. Dynix uses only the weights at positions 0, 2, 4 and so on',
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
        'Check results written as characters (weighted or Dynix)',
        'substitutions',
        { hint: 'Optional, for example 10=X, 11=0' },
      ),
      checkDigitField(
        'checkPosition',
        'Position of the check character (weighted or Dynix)',
        'integer',
        { hint: 'Optional; counted from 0', classes: 'govuk-input--width-3' },
      ),
      validatorField('examples', 'Example references', 'textList', {
        hint: 'Separated by commas. Each must pass every check above before the fund is saved; a pattern needs at least one',
      }),
    ],
  };
}

export const fundEntity: Entity = {
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
        {
          id: 'refundApprovalAbove',
          api: 'refundApprovalAbovePence',
          label: 'Refunds above this need approval',
          hint: "A second person must approve larger refunds from this fund. Leave empty for the council's usual amount.",
          kind: 'poundsOrZero',
          classes: 'govuk-input--width-10',
          clearable: true,
        },
      ],
    },
    {
      fields: [
        {
          id: 'validatorCode',
          api: 'validatorCode',
          label: 'Shared reference check',
          hint: 'Choose one to check this fund’s references by a rule shared with other funds; the check below is then a copy of it, changed only on the shared check’s page. Choose None to give the fund its own.',
          kind: 'select',
          options: 'referenceValidators',
          clearable: true,
        },
      ],
    },
    referenceCheckSection(
      'How a payer’s reference for this fund is checked. Leave empty what does not apply.',
    ),
  ],
  columns: [
    { heading: 'Name', value: (view) => String(view.name) },
    { heading: 'VAT code', value: (view) => String(view.vatCode) },
    { heading: 'Ledger code', value: (view) => String(view.ledgerCode) },
    { heading: 'Largest payment', value: (view) => pence(view.maxPence), numeric: true },
  ],
  lookups: async (api) => {
    type Named = { items: { code: string; name: string }[] };
    const [vat, shared] = await Promise.all([
      api<Named>('listVatCodes', { query: { disabled: 'false' } }),
      api<Named>('listReferenceValidators', { query: { disabled: 'false' } }),
    ]);
    return {
      referenceValidators: shared.items.map((check) => ({
        value: check.code,
        text: `${check.name} (${check.code})`,
      })),
      vatCodes: vat.items.map((code) => ({
        value: code.code,
        text: `${code.name} (${code.code})`,
      })),
      characterClasses,
      checkDigitKinds,
    };
  },
  finish: finishFund,
  // The API blames a check digit as a whole when an example fails it: show that at its kind.
  extraInputs: () => ({ 'body.validator.checkDigit': 'checkDigit-kind' }),
  onEditPage: async (api, key, query) => {
    const { view, errors } = await tryReferenceView(api, key, query);
    return { context: { tryReference: view }, errors };
  },
};

/**
 * A reference check configured once for several funds. Its change page lists the funds that
 * follow it before anyone saves, because saving changes every one of them at once.
 */
export const referenceValidatorEntity: Entity = {
  slug: 'reference-checks',
  noun: 'ReferenceValidator',
  plural: 'ReferenceValidators',
  singular: 'shared reference check',
  title: 'Shared reference checks',
  description:
    'A reference rule set up once and followed by several funds, such as a council tax reference.',
  key: 'code',
  sections: [
    { fields: [codeField('Check code'), nameField] },
    referenceCheckSection('How a reference is checked. Leave empty what does not apply.'),
  ],
  columns: [
    { heading: 'Name', value: (view) => String(view.name) },
    {
      heading: 'Funds that follow it',
      value: (view) => (view.fundCodes as string[]).join(', ') || 'None',
    },
  ],
  lookups: async () => ({ characterClasses, checkDigitKinds }),
  finish: finishValidator,
  extraInputs: () => ({ 'body.validator.checkDigit': 'checkDigit-kind' }),
  onEditPage: async (api, key) => {
    const [shared, funds] = await Promise.all([
      api<{ fundCodes: string[] }>('getReferenceValidator', { params: { code: key } }),
      api<{ items: { code: string; name: string }[] }>('listFunds'),
    ]);
    const names = new Map(funds.items.map((fund) => [fund.code, fund.name]));
    const followers = shared.fundCodes.map((code) => ({ code, name: names.get(code) ?? code }));
    return { context: { followers }, errors: noErrors };
  },
};

export const fundGroupEntity: Entity = {
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
          hint: 'A group holds only the funds ticked here: a fund added later is in no group until you add it, even a group called "All funds". To let someone see every fund, now and later, give them "Every fund" on their user or API key.',
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
