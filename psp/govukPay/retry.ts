import { PspError, type PspErrorKind } from '../errors';

/**
 * Bounded retries for one PSP call. Rate limits (429), server errors (5xx), timeouts and
 * connection failures are retried with exponential backoff and full jitter, honouring
 * Retry-After; anything else is answered at once. When attempts run out the last failure is
 * thrown as a retryable PspError, so the caller's own (Temporal) policy can take over.
 */
export interface RetryPolicy {
  /** Total tries including the first; 1 turns retries off. */
  attemptsMax: number;
  baseDelayMs: number;
  /** Cap on one wait. A Retry-After longer than this is not waited for: we give up at once. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  attemptsMax: 4,
  baseDelayMs: 250,
  maxDelayMs: 4000,
};

export interface PspRetryEvent {
  operation: string;
  /** The attempt that just failed, 1-based. */
  attempt: number;
  kind: PspErrorKind;
  httpStatus?: number;
  delayMs: number;
}

export interface RetryDeps {
  policy: RetryPolicy;
  onRetry?: (event: PspRetryEvent) => void;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

/** Parses Retry-After (delta-seconds or an HTTP date) into milliseconds from now. */
export function parseRetryAfterMs(
  header: string | null,
  nowMs: number = Date.now(),
): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const atMs = Date.parse(header);
  return Number.isNaN(atMs) ? undefined : Math.max(0, atMs - nowMs);
}

export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceilingMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceilingMs);
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable PspError, or the policy is spent.
 * `attempt` throws PspError for every failure; this loop only decides whether to try again.
 */
export async function withRetries<T>(
  operation: string,
  attempt: () => Promise<T>,
  deps: RetryDeps,
): Promise<T> {
  for (let tryNumber = 1; ; tryNumber++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof PspError) || !error.retryable) throw error;
      if (tryNumber >= deps.policy.attemptsMax) throw error;
      const retryAfterMs = error.retryAfterMs;
      if (retryAfterMs !== undefined && retryAfterMs > deps.policy.maxDelayMs) throw error;
      const delayMs = Math.max(
        retryAfterMs ?? 0,
        backoffDelayMs(tryNumber, deps.policy, deps.random),
      );
      deps.onRetry?.({
        operation,
        attempt: tryNumber,
        kind: error.kind,
        ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
        delayMs,
      });
      await deps.sleep(delayMs);
    }
  }
}
