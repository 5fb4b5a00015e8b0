import { webhookAttemptTimeoutMs } from '../domain/webhooks';
import { signatureHeader, signImsPayload } from './webhookSignature';

/**
 * One signed POST to a receiver (docs/webhooks.md), for the relay's delivery activity and the
 * API's test-send alike. Never throws: what happened (a status, or why there was none) is the
 * answer, so every attempt can be logged the same way.
 */
export type WebhookSendResult = {
  statusCode: number | null;
  latencyMs: number;
  /** Null: a 2xx. */
  error: string | null;
};

export async function sendWebhook(input: {
  url: string;
  secret: string;
  event: string;
  /** The outbox message id, the same on every retry, so a retry never looks like new money. */
  idempotencyKey: string;
  rawBody: string;
  signal?: AbortSignal;
  /** How long the receiver has to answer (OUTBOX_ATTEMPT_TIMEOUT_MS); default 10 s. */
  timeoutMs?: number;
  now?: () => number;
}): Promise<WebhookSendResult> {
  const now = input.now ?? Date.now;
  const started = now();
  const timeoutMs = input.timeoutMs ?? webhookAttemptTimeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(input.url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'IMS-Webhooks/1',
        'idempotency-key': input.idempotencyKey,
        'ims-event': input.event,
        [signatureHeader.toLowerCase()]: signImsPayload(input.rawBody, input.secret, started),
      },
      body: input.rawBody,
      signal: input.signal === undefined ? timeout : AbortSignal.any([timeout, input.signal]),
    });
    // The body is not read for meaning, only drained so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    const latencyMs = Math.max(0, Math.round(now() - started));
    const ok = response.status >= 200 && response.status <= 299;
    return {
      statusCode: response.status,
      latencyMs,
      error: ok ? null : `HTTP ${response.status}`,
    };
  } catch (error) {
    const latencyMs = Math.max(0, Math.round(now() - started));
    const timedOut = timeout.aborted;
    const message = timedOut
      ? `no answer within ${timeoutMs / 1000} s`
      : describeNetworkError(error);
    return { statusCode: null, latencyMs, error: message };
  }
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code !== undefined) return `network error: ${cause.code}`;
  return `network error: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300);
}
