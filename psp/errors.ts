/**
 * Operating failures of a PSP call, as a closed set of kinds. Activities catch `PspError` and
 * decide: retry the retryable kinds (Temporal does it with its own policy), turn the rest into
 * business outcomes. Anything else thrown by a PSP adapter is a bug.
 */
export const pspErrorKinds = [
  'rate_limited',
  'unavailable',
  'timeout',
  'not_found',
  /** HTTP 412 / P0604: our refund_amount_available was stale, the guard against double refunds. */
  'refund_amount_mismatch',
  'refund_not_available',
  'invalid_request',
  'unauthorised',
] as const;

export type PspErrorKind = (typeof pspErrorKinds)[number];

const retryableKinds: ReadonlySet<PspErrorKind> = new Set([
  'rate_limited',
  'unavailable',
  'timeout',
]);

export function isRetryableKind(kind: PspErrorKind): boolean {
  return retryableKinds.has(kind);
}

export interface PspErrorDetails {
  /** The PSP's HTTP status, when it answered at all. */
  httpStatus?: number;
  /** The PSP's own error code, e.g. P0604. */
  pspCode?: string;
  /** How long the PSP asked us to wait (Retry-After), when it said. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class PspError extends Error {
  readonly kind: PspErrorKind;
  readonly retryable: boolean;
  readonly httpStatus: number | undefined;
  readonly pspCode: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(kind: PspErrorKind, message: string, details: PspErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'PspError';
    this.kind = kind;
    this.retryable = isRetryableKind(kind);
    this.httpStatus = details.httpStatus;
    this.pspCode = details.pspCode;
    this.retryAfterMs = details.retryAfterMs;
  }
}

export function isPspError(error: unknown): error is PspError {
  return error instanceof PspError;
}
