/**
 * What the rest of the IMS imports from psp/: the port, its errors, the GOV.UK Pay adapter and
 * webhook signature checks. The sandbox (psp/sandbox) is for tests and local runs only.
 */

export { type PspKeySource, withCouncilPspKeys } from './councilKeys';
export { isPspError, PspError, type PspErrorKind, pspErrorKinds } from './errors';
export {
  createGovukPayProvider,
  type GovukPayProviderOptions,
  govukPayBaseUrl,
} from './govukPay/provider';
export type { PspRetryEvent, RetryPolicy } from './govukPay/retry';
export * from './port';
export { paySignatureHeader, signWebhook, verifyWebhookSignature } from './webhookSignature';
