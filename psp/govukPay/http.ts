import { PspError, type PspErrorKind } from '../errors';
import { parseRetryAfterMs } from './retry';

/**
 * One HTTP attempt against GOV.UK Pay: a per-attempt timeout, and every failure turned into a
 * PspError with a kind from the closed set. The mapping from GOV.UK Pay's statuses and codes to
 * our kinds lives here and nowhere else.
 */
type FetchResult<D> = { data?: D; error?: unknown; response: Response };

/** GOV.UK Pay's code for "this payment cannot be refunded" (not refundable, or too much asked). */
const refundNotAvailableCode = 'P0603';

export function kindForStatus(httpStatus: number, pspCode: string | undefined): PspErrorKind {
  if (httpStatus === 401 || httpStatus === 403) return 'unauthorised';
  if (httpStatus === 404) return 'not_found';
  if (httpStatus === 412) return 'refund_amount_mismatch';
  if (httpStatus === 429) return 'rate_limited';
  if (httpStatus >= 500) return 'unavailable';
  if (pspCode === refundNotAvailableCode) return 'refund_not_available';
  return 'invalid_request';
}

function errorFields(body: unknown): { code?: string; description?: string } {
  if (body === null || typeof body !== 'object') return {};
  const { code, description } = body as Record<string, unknown>;
  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof description === 'string' ? { description } : {}),
  };
}

export function errorFromResponse(operation: string, response: Response, body: unknown): PspError {
  const { code, description } = errorFields(body);
  const kind = kindForStatus(response.status, code);
  const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'));
  const said = [code, description].filter(Boolean).join(' ');
  return new PspError(
    kind,
    `GOV.UK Pay ${operation} answered ${response.status}${said ? `: ${said}` : ''}`,
    {
      httpStatus: response.status,
      ...(code === undefined ? {} : { pspCode: code }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    },
  );
}

function transportError(operation: string, timeoutMs: number, error: unknown): PspError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new PspError(
      'timeout',
      `GOV.UK Pay ${operation} gave no answer within ${timeoutMs} ms`,
      {
        cause: error,
      },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new PspError('unavailable', `GOV.UK Pay ${operation} could not be reached: ${detail}`, {
    cause: error,
  });
}

export async function attemptOnce<D>(
  operation: string,
  timeoutMs: number,
  call: (signal: AbortSignal) => Promise<FetchResult<D>>,
): Promise<{ data: D | undefined; httpStatus: number }> {
  let result: FetchResult<D>;
  try {
    result = await call(AbortSignal.timeout(timeoutMs));
  } catch (error) {
    throw transportError(operation, timeoutMs, error);
  }
  if (!result.response.ok) throw errorFromResponse(operation, result.response, result.error);
  return { data: result.data, httpStatus: result.response.status };
}
