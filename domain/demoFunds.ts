import type { FundConfig } from './councilConfig';
import type { ReferenceValidator, WeightedCheckDigit } from './references';

/**
 * The demo council's funds. The council tax and parking schemes are the worked examples of
 * domain.md §3 and must keep validating them. Each validator with a check carries an example
 * reference, which a validator with a pattern needs before it can be saved again. The business rates and fixed penalty schemes
 * are demo values of our own: every weight on a payload digit is coprime to the modulus, so
 * any single mistyped digit is caught.
 */

/** Worked example: `12345678?` gives check digit 0, so `123456780` is valid. */
export const councilTaxCheckDigit: WeightedCheckDigit = {
  kind: 'weighted',
  modulus: 10,
  weights: [3, 7, 1, 3, 7, 1, 3, 7, 0],
  subtractFromModulus: true,
  // With subtraction a remainder of 0 gives 10, which is written as the digit 0.
  resultSubstitutions: { '10': '0' },
};

/** Demo values: weights 7, 3, 1 are all coprime to 10. */
export const businessRatesCheckDigit: WeightedCheckDigit = {
  kind: 'weighted',
  modulus: 10,
  weights: [7, 3, 1, 7, 3, 1, 7, 3, 0],
  subtractFromModulus: true,
  resultSubstitutions: { '10': '0' },
};

/** Worked example: `BJ1234567?` weighs as `0512345670`, sums to 124, and 124 mod 11 = 3. */
export const parkingCheckDigit: WeightedCheckDigit = {
  kind: 'weighted',
  modulus: 11,
  weights: [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
  sourceSubstitution: '05',
  subtractFromModulus: false,
  resultSubstitutions: { '10': 'A' },
};

/**
 * Demo values: the letters `FP` weigh nothing (non-digits count nothing) and the mask checks
 * them; 11 − remainder gives 1 to 11, where 10 is written X and 11 (remainder 0) is 0.
 */
export const fixedPenaltyCheckDigit: WeightedCheckDigit = {
  kind: 'weighted',
  modulus: 11,
  weights: [0, 0, 8, 7, 6, 5, 4, 3, 2, 0],
  subtractFromModulus: true,
  resultSubstitutions: { '10': 'X', '11': '0' },
};

const validators = {
  councilTax: {
    minLength: 9,
    maxLength: 9,
    characterClass: 'digits',
    mask: '########@',
    checkDigit: councilTaxCheckDigit,
    examples: ['123456780'],
  },
  businessRates: {
    minLength: 9,
    maxLength: 9,
    characterClass: 'digits',
    pattern: '56\\d{7}',
    patternDescription: 'Business rates references start with 56',
    mask: '56######@',
    checkDigit: businessRatesCheckDigit,
    examples: ['561234566'],
  },
  parking: {
    minLength: 10,
    maxLength: 10,
    characterClass: 'alphanumeric',
    mask: 'BJ#######@',
    checkDigit: parkingCheckDigit,
    examples: ['BJ12345673'],
  },
  fixedPenalty: {
    minLength: 10,
    maxLength: 10,
    characterClass: 'alphanumeric',
    mask: 'FP#######@',
    checkDigit: fixedPenaltyCheckDigit,
    examples: ['FP12345679'],
  },
  housingRents: {
    minLength: 11,
    maxLength: 11,
    characterClass: 'digits',
    pattern: '6\\d{10}',
    patternDescription: 'Rent references start with 6',
    checkDigit: { kind: 'luhn' },
    examples: ['61234567891'],
  },
  sundryDebtors: { minLength: 8, maxLength: 8, characterClass: 'digits' },
  libraryCharges: { minLength: 1, maxLength: 30, characterClass: 'any' },
  suspense: { minLength: 1, maxLength: 50, characterClass: 'any' },
} satisfies Record<string, ReferenceValidator>;

type FundDetails = Omit<FundConfig, 'isSuspense' | 'accountHolderListRequired' | 'disabled'>;

function fund(details: FundDetails, flags: Partial<FundConfig> = {}): FundConfig {
  return {
    isSuspense: false,
    accountHolderListRequired: false,
    disabled: false,
    ...details,
    ...flags,
  };
}

export const demoFunds: readonly FundConfig[] = [
  fund({
    code: 'CTAX',
    name: 'Council tax',
    validator: validators.councilTax,
    vatCode: 'O',
    maxPence: 1_000_000,
    ledgerCode: 'L1100',
    costCentre: 'RV100',
  }),
  fund({
    code: 'NNDR',
    name: 'Business rates',
    validator: validators.businessRates,
    vatCode: 'O',
    maxPence: 100_000_000,
    ledgerCode: 'L1200',
    costCentre: 'RV200',
  }),
  fund({
    code: 'PCN',
    name: 'Parking penalty charge notices',
    validator: validators.parking,
    vatCode: 'O',
    maxPence: 50_000,
    ledgerCode: 'L2100',
    costCentre: 'PE100',
  }),
  fund({
    code: 'FPN',
    name: 'Fixed penalty notices',
    validator: validators.fixedPenalty,
    vatCode: 'O',
    maxPence: 100_000,
    ledgerCode: 'L2200',
    costCentre: 'PE200',
  }),
  fund({
    code: 'RENT',
    name: 'Housing rents',
    validator: validators.housingRents,
    vatCode: 'E',
    maxPence: 1_000_000,
    ledgerCode: 'L3100',
    costCentre: 'HS100',
  }),
  fund({
    code: 'SUND',
    name: 'Sundry debtors',
    validator: validators.sundryDebtors,
    vatCode: 'O',
    maxPence: 10_000_000,
    ledgerCode: 'L4100',
    costCentre: 'FN100',
  }),
  fund({
    code: 'LIB',
    name: 'Library charges',
    validator: validators.libraryCharges,
    vatCode: 'S',
    maxPence: 100_000,
    ledgerCode: 'L4200',
    costCentre: 'LB100',
  }),
  fund(
    {
      code: 'SUSP',
      name: 'Suspense',
      validator: validators.suspense,
      vatCode: 'O',
      maxPence: 100_000_000,
      ledgerCode: 'L9900',
      costCentre: 'FN900',
    },
    { isSuspense: true },
  ),
];
