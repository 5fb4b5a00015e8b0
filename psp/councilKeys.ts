import type { PaymentServiceProvider, PspScope } from './port';

/**
 * The council's own API key for a fund, or undefined to use the deployment's keys. Throws (a
 * PspError) when the council must have its own and has none.
 */
export type PspKeySource = (fundCode: string) => Promise<string | undefined>;

/**
 * A provider that asks `keyFor` for the council's key before every call, so the activities keep
 * naming only a fund and each council's payments go to its own GOV.UK Pay services.
 */
export function withCouncilPspKeys(
  psp: PaymentServiceProvider,
  keyFor: PspKeySource,
): PaymentServiceProvider {
  const scoped = async (scope: PspScope): Promise<PspScope> => {
    const apiKey = await keyFor(scope.fundCode);
    return apiKey === undefined ? scope : { ...scope, apiKey };
  };
  return {
    createPayment: async (input, scope) => psp.createPayment(input, await scoped(scope)),
    getPayment: async (id, scope) => psp.getPayment(id, await scoped(scope)),
    cancelPayment: async (id, scope) => psp.cancelPayment(id, await scoped(scope)),
    refundPayment: async (input, scope) => psp.refundPayment(input, await scoped(scope)),
    getRefund: async (id, refundId, scope) => psp.getRefund(id, refundId, await scoped(scope)),
    searchSettledPayments: async (input, scope) =>
      psp.searchSettledPayments(input, await scoped(scope)),
  };
}
