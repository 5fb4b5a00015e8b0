import { createGovukPayProvider, govukPayBaseUrl, type PaymentServiceProvider } from '../psp';
import type { Config } from './config';

/** The sandbox's well-known key in development; any real deployment sets its own. */
export const sandboxApiKey = 'sandbox-api-key';
export const sandboxWebhookSecret = 'sandbox-webhook-secret';

/**
 * The IMS always talks to the PSP through the GOV.UK Pay adapter; in development the adapter
 * points at our sandbox, which answers on the same paths with the same payloads.
 */
export function pspFromConfig(config: Config): PaymentServiceProvider {
  if (config.PSP_PROVIDER === 'sandbox') {
    return createGovukPayProvider({
      baseUrl: config.PSP_BASE_URL ?? `http://127.0.0.1:${config.SANDBOX_PSP_PORT}`,
      keys: { default: config.GOVUK_PAY_API_KEY ?? sandboxApiKey },
    });
  }
  return createGovukPayProvider({
    baseUrl: config.PSP_BASE_URL ?? govukPayBaseUrl,
    keys: { default: config.GOVUK_PAY_API_KEY, byFund: config.GOVUK_PAY_API_KEYS_BY_FUND },
  });
}

export function webhookSecretFromConfig(config: Config): string | undefined {
  return (
    config.GOVUK_PAY_WEBHOOK_SECRET ??
    (config.PSP_PROVIDER === 'sandbox' ? sandboxWebhookSecret : undefined)
  );
}
