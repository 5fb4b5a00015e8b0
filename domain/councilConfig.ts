import type { ReferenceRoute, ReferenceValidator } from './references';

/**
 * The shape of a council's configuration (domain.md §2). Amount fields are integer pence, and
 * both `FundConfig` and `MethodOfPaymentConfig` fit `AmountLimits`, so a payment is checked
 * with `limits: [fund, methodOfPayment]`.
 */

export type VatCodeConfig = {
  code: string;
  name: string;
  /** 2000 means 20%; 0 for zero-rated, exempt and outside-scope income alike. */
  rateBasisPoints: number;
};

export type FundConfig = {
  code: string;
  name: string;
  validator: ReferenceValidator;
  /** A shared reference check (ReferenceValidatorConfig) the fund follows instead of its own. */
  validatorCode?: string | null;
  vatCode: string;
  /** The largest single payment the fund accepts. */
  maxPence: number;
  ledgerCode: string;
  costCentre: string;
  /** True for the one fund that holds unidentified money until staff allocate it. */
  isSuspense: boolean;
  /** True when a reference must also appear in the fund's loaded account-holder list. */
  accountHolderListRequired: boolean;
  disabled: boolean;
};

/** A reference check configured once and named by the funds that use it. */
export type ReferenceValidatorConfig = {
  code: string;
  name: string;
  validator: ReferenceValidator;
};

export type MethodOfPaymentConfig = {
  code: string;
  name: string;
  minPence: number;
  maxPence: number;
  isCard: boolean;
  isCash: boolean;
  isCheque: boolean;
  isRefundable: boolean;
  incursFee: boolean;
  /** True for movements inside the IMS (journals, transfers) where no money arrives. */
  isInternal: boolean;
};

export type OfficeConfig = { code: string; name: string };

export type FundGroupConfig = { code: string; name: string; fundCodes: readonly string[] };

export type CouncilConfig = {
  name: string;
  suspenseFundCode: string;
  funds: readonly FundConfig[];
  methodsOfPayment: readonly MethodOfPaymentConfig[];
  vatCodes: readonly VatCodeConfig[];
  offices: readonly OfficeConfig[];
  fundGroups: readonly FundGroupConfig[];
  /** Routes for references that arrive without a fund, most specific first. */
  referenceRoutes: readonly ReferenceRoute[];
};
