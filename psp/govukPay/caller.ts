import createClient, { type Client } from 'openapi-fetch';
import { PspError } from '../errors';
import type { PspScope } from '../port';
import { attemptOnce } from './http';
import { defaultRetryPolicy, type PspRetryEvent, type RetryPolicy, withRetries } from './retry';
import type { paths } from './schema';

export const govukPayBaseUrl = 'https://publicapi.payments.service.gov.uk';

export interface GovukPayProviderOptions {
  /** Defaults to GOV.UK Pay's public API; point it at the sandbox PSP for tests and local runs. */
  baseUrl?: string;
  /** One API key per fund (each fund is its own GOV.UK Pay service), with a default for the rest. */
  keys: { default?: string; byFund?: Record<string, string> };
  /** Per attempt, not per call; defaults to 10 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  onRetry?: (event: PspRetryEvent) => void;
  /** For tests: record or fake HTTP. Defaults to global fetch. */
  fetch?: (request: Request) => Promise<Response>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

type AuthHeaders = { Authorization: string };
type Send<D> = (
  headers: AuthHeaders,
  signal: AbortSignal,
) => Promise<{ data?: D; error?: unknown; response: Response }>;

export interface GovukPayCaller {
  client: Client<paths>;
  /** Chooses the fund's key once, then runs `send` with a fresh timeout per retried attempt. */
  call<D>(operation: string, scope: PspScope, send: Send<D>): Promise<D | undefined>;
}

export function createGovukPayCaller(options: GovukPayProviderOptions): GovukPayCaller {
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? govukPayBaseUrl,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retryDeps = {
    policy: { ...defaultRetryPolicy, ...options.retry },
    ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }),
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
    random: options.random ?? Math.random,
  };

  const headersFor = (scope: PspScope): AuthHeaders => {
    const key = scope.apiKey ?? options.keys.byFund?.[scope.fundCode] ?? options.keys.default;
    if (key === undefined || key === '') {
      throw new PspError(
        'unauthorised',
        `No GOV.UK Pay API key for fund ${scope.fundCode}, and no default key`,
      );
    }
    return { Authorization: `Bearer ${key}` };
  };

  return {
    client,
    async call(operation, scope, send) {
      const headers = headersFor(scope);
      const attempt = () => attemptOnce(operation, timeoutMs, (signal) => send(headers, signal));
      const { data } = await withRetries(operation, attempt, retryDeps);
      return data;
    },
  };
}
