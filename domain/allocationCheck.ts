import type { FundConfig, MethodOfPaymentConfig, VatCodeConfig } from './councilConfig';
import { type ReferenceErrorCode, validateReference } from './references';

/**
 * The one check every payment, import line and web form makes before money is allocated to a
 * fund: does the fund take it, does the channel take it, is the reference right for the fund,
 * and may this person pay this account. Pure: callers load the configuration and the account
 * holder (db/allocationContext.ts) and pass them in, so the rules read the same everywhere.
 */

/** The permission that lets a privileged user take money for an account that is on stop. */
export const onStopOverridePermission = 'payment.on_stop_override';

/** Configuration as loaded; unlike the demo data, a method of payment can be disabled. */
export type AllocatableMethodOfPayment = MethodOfPaymentConfig & { disabled: boolean };

export type AllocationContext = {
  funds: ReadonlyMap<string, FundConfig>;
  methodsOfPayment: ReadonlyMap<string, AllocatableMethodOfPayment>;
  vatCodes: ReadonlyMap<string, VatCodeConfig>;
};

export type AllocationInput = {
  fundCode: string;
  reference: string;
  amountPence: number;
  /** Absent when the channel is not known yet (a web form checking before it takes money). */
  methodOfPaymentCode?: string;
  /**
   * The account in the fund's loaded list: null when looked up and not there, undefined when
   * not looked up. A fund that requires the list treats both as "not found", so forgetting the
   * lookup fails closed.
   */
  accountHolder?: { onStopMessage: string | null } | null;
  permissions: ReadonlySet<string>;
};

export type AllocationErrorCode =
  | 'unknown_fund'
  | 'fund_disabled'
  | 'unknown_method_of_payment'
  | 'method_of_payment_disabled'
  | 'account_not_found'
  | 'account_on_stop'
  | ReferenceErrorCode;

export type AllocationField = 'fundCode' | 'reference' | 'amountPence' | 'methodOfPaymentCode';

export type AllocationRefusal = {
  ok: false;
  code: AllocationErrorCode;
  field: AllocationField;
  message: string;
};

export type AllocationResult =
  | {
      ok: true;
      fundCode: string;
      normalisedReference: string;
      vatCode: string;
      vatRateBasisPoints: number;
    }
  | AllocationRefusal;

function refuse(
  code: AllocationErrorCode,
  field: AllocationField,
  message: string,
): AllocationRefusal {
  return { ok: false, code, field, message };
}

function methodProblem(
  context: AllocationContext,
  code: string | undefined,
): AllocationRefusal | AllocatableMethodOfPayment | undefined {
  if (code === undefined) return undefined;
  const method = context.methodsOfPayment.get(code);
  if (method === undefined) {
    return refuse(
      'unknown_method_of_payment',
      'methodOfPaymentCode',
      `No method of payment ${code}`,
    );
  }
  if (method.disabled) {
    const message = `${method.name} is not accepted at present`;
    return refuse('method_of_payment_disabled', 'methodOfPaymentCode', message);
  }
  return method;
}

function accountProblem(fund: FundConfig, input: AllocationInput): AllocationRefusal | null {
  const holder = input.accountHolder;
  if (holder === undefined || holder === null) {
    if (!fund.accountHolderListRequired) return null;
    return refuse('account_not_found', 'reference', `No ${fund.name} account has this reference`);
  }
  if (holder.onStopMessage !== null && !input.permissions.has(onStopOverridePermission)) {
    return refuse('account_on_stop', 'reference', holder.onStopMessage);
  }
  return null;
}

/**
 * Checks, in order: the fund exists and is enabled; the method of payment (when given) exists
 * and is enabled; amount and reference against the fund's validator with the limits of both
 * the fund and the method; then the account-holder list (required and missing, or on stop
 * without the override permission). The first failure is the answer.
 */
export function checkAllocation(
  context: AllocationContext,
  input: AllocationInput,
): AllocationResult {
  const fund = context.funds.get(input.fundCode);
  if (fund === undefined) return refuse('unknown_fund', 'fundCode', `No fund ${input.fundCode}`);
  if (fund.disabled) {
    return refuse('fund_disabled', 'fundCode', `${fund.name} is not taking payments at present`);
  }
  const method = methodProblem(context, input.methodOfPaymentCode);
  if (method !== undefined && 'ok' in method) return method;
  const limits = method === undefined ? [fund] : [fund, method];
  const validated = validateReference({
    reference: input.reference,
    amountPence: input.amountPence,
    validator: fund.validator,
    limits,
  });
  if (!validated.ok) return validated;
  const account = accountProblem(fund, input);
  if (account !== null) return account;
  const vat = context.vatCodes.get(fund.vatCode);
  // The database's foreign key guarantees the VAT code; a missing one is a loading bug.
  if (vat === undefined)
    throw new Error(`Fund ${fund.code} names unknown VAT code ${fund.vatCode}`);
  return {
    ok: true,
    fundCode: fund.code,
    normalisedReference: validated.normalisedReference,
    vatCode: vat.code,
    vatRateBasisPoints: vat.rateBasisPoints,
  };
}
