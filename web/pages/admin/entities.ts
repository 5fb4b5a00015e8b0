import { type Entity, pence } from './entity';
import { codeField, flag, nameField, percentText } from './fields';
import { fundEntity, fundGroupEntity, referenceValidatorEntity } from './funds';
import { ruleEntity } from './importRules';

/** The configuration entities, in the order the configuration hub lists them. */

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

export const configEntities: readonly Entity[] = [
  fundEntity,
  fundGroupEntity,
  referenceValidatorEntity,
  methodEntity,
  vatEntity,
  officeEntity,
  ruleEntity,
];
