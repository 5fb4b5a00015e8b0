import type {
  CouncilConfig,
  FundConfig,
  FundGroupConfig,
  MethodOfPaymentConfig,
  OfficeConfig,
  ReferenceValidatorConfig,
  VatCodeConfig,
} from './councilConfig';
import type { GlLayout } from './glExport';
import type { ImportRule } from './importRules';
import type { ReferenceRoute } from './references';

/**
 * Everything a council needs to start taking money, in one document (docs/tenancy.md): what
 * onboarding reads, from the API or the `npm run council` command. Codes are the council's own;
 * another council may use the same ones.
 */
export type CouncilBundle = {
  council: {
    id: string;
    name: string;
    requestsPerMinuteMax?: number;
    importBytesMax?: number | null;
  };
  /** The first administrator, who then adds staff and API keys on the screens. */
  administrator: { username: string; displayName: string; email?: string | null };
  vatCodes: VatCodeConfig[];
  /** Absent: none; every fund carries its own check. */
  referenceValidators?: ReferenceValidatorConfig[];
  /** A fund names a shared check (`validatorCode`) or carries its own `validator`. */
  funds: Array<
    Omit<FundConfig, 'disabled' | 'validator' | 'validatorCode'> &
      ({ validator: FundConfig['validator'] } | { validatorCode: string })
  >;
  fundGroups: FundGroupConfig[];
  methodsOfPayment: MethodOfPaymentConfig[];
  offices: OfficeConfig[];
  referenceRoutes: ReferenceRoute[];
  importRules: Array<Omit<ImportRule, 'order'> & { position: number }>;
  /** Absent: the standard Post Office / PayPoint collection profile. */
  importProfiles?: BundleImportProfile[];
  /** Absent: the built-in GL export layout. */
  glLayout?: GlLayout;
};

export type BundleImportProfile = {
  id: string;
  name: string;
  kind: 'csv' | 'fixedWidth' | 'camt053' | 'mt940';
  definition: Record<string, unknown>;
  methodOfPaymentCode: string;
  clearingAccountCode: string;
};

export type BundleProblem = { field: string; message: string };

function duplicates(codes: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const code of codes) (seen.has(code) ? twice : seen).add(code);
  return twice;
}

function uniqueCodes(
  problems: BundleProblem[],
  list: string,
  items: readonly { code?: string; id?: string }[],
) {
  const keys = items.map((item) => item.code ?? item.id ?? '');
  const twice = duplicates(keys);
  keys.forEach((key, index) => {
    if (twice.has(key))
      problems.push({ field: `${list}[${index}]`, message: `${key} is listed twice` });
  });
}

/**
 * What the bundle says of itself that no single item's schema can check: codes listed once,
 * names that point at something the bundle defines, exactly one suspense fund. All problems are
 * reported together, each naming its place in the bundle.
 */
export function councilBundleProblems(bundle: CouncilBundle): BundleProblem[] {
  const problems: BundleProblem[] = [];
  uniqueCodes(problems, 'vatCodes', bundle.vatCodes);
  uniqueCodes(problems, 'referenceValidators', bundle.referenceValidators ?? []);
  uniqueCodes(problems, 'funds', bundle.funds);
  uniqueCodes(problems, 'fundGroups', bundle.fundGroups);
  uniqueCodes(problems, 'methodsOfPayment', bundle.methodsOfPayment);
  uniqueCodes(problems, 'offices', bundle.offices);
  uniqueCodes(problems, 'importRules', bundle.importRules);
  uniqueCodes(problems, 'importProfiles', bundle.importProfiles ?? []);

  const vatCodes = new Set(bundle.vatCodes.map((vat) => vat.code));
  const funds = new Set(bundle.funds.map((fund) => fund.code));
  const methods = new Set(bundle.methodsOfPayment.map((method) => method.code));
  bundle.funds.forEach((fund, index) => {
    if (!vatCodes.has(fund.vatCode))
      problems.push({
        field: `funds[${index}].vatCode`,
        message: `no VAT code ${fund.vatCode} in the bundle`,
      });
  });
  const shared = new Set((bundle.referenceValidators ?? []).map((check) => check.code));
  bundle.funds.forEach((fund, index) => {
    const own = 'validator' in fund && fund.validator !== undefined;
    const named = 'validatorCode' in fund ? fund.validatorCode : undefined;
    if (own === (named !== undefined))
      problems.push({
        field: `funds[${index}].validator`,
        message: 'give the fund its own validator or a validatorCode, not both or neither',
      });
    if (named !== undefined && !shared.has(named))
      problems.push({
        field: `funds[${index}].validatorCode`,
        message: `no reference validator ${named} in the bundle`,
      });
  });
  const suspense = bundle.funds.filter((fund) => fund.isSuspense);
  if (suspense.length !== 1)
    problems.push({
      field: 'funds',
      message: `exactly one fund must be the suspense fund (isSuspense), not ${suspense.length}`,
    });
  bundle.fundGroups.forEach((group, index) => {
    group.fundCodes.forEach((code, member) => {
      if (!funds.has(code))
        problems.push({
          field: `fundGroups[${index}].fundCodes[${member}]`,
          message: `no fund ${code}`,
        });
    });
  });
  bundle.referenceRoutes.forEach((route, index) => {
    if (!funds.has(route.fundCode))
      problems.push({
        field: `referenceRoutes[${index}].fundCode`,
        message: `no fund ${route.fundCode}`,
      });
  });
  bundle.importRules.forEach((rule, index) => {
    const fundCode = rule.actions.setFundCode;
    if (fundCode !== undefined && !funds.has(fundCode))
      problems.push({
        field: `importRules[${index}].actions.setFundCode`,
        message: `no fund ${fundCode}`,
      });
  });
  (bundle.importProfiles ?? []).forEach((profile, index) => {
    if (!methods.has(profile.methodOfPaymentCode))
      problems.push({
        field: `importProfiles[${index}].methodOfPaymentCode`,
        message: `no method of payment ${profile.methodOfPaymentCode}`,
      });
  });
  return problems;
}

/**
 * The demo council's configuration as a bundle: what `npm run council -- example` prints, to
 * start a real council's bundle from, and what tests and benchmarks onboard.
 */
export function demoCouncilBundle(
  council: CouncilBundle['council'],
  config: CouncilConfig,
): CouncilBundle {
  return {
    council,
    administrator: { username: 'admin', displayName: `${council.name} administrator` },
    vatCodes: [...config.vatCodes],
    funds: config.funds.map(({ disabled: _disabled, validatorCode: _shared, ...fund }) => fund),
    fundGroups: [...config.fundGroups],
    methodsOfPayment: [...config.methodsOfPayment],
    offices: [...config.offices],
    referenceRoutes: [...config.referenceRoutes],
    importRules: [],
  };
}
