/**
 * Webhooks to a council's line-of-business systems (docs/webhooks.md): which outbox topics
 * become which events, which subscriptions a message goes to, what a receiver's URL may be, and
 * how long the relay keeps retrying. Pure: the relay's activities and the API share it.
 */

/** The closed set of events a subscription may take. */
export const webhookEvents = [
  'payment.allocated',
  'payment.refunded',
  'payment.moved',
  'payment.reversed',
  'suspense.allocated',
] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

/** The test-send event: never from the outbox, never subscribed to. */
export const pingEvent = 'ping';

/** Outbox topics (written with the money: db/payments.ts, refundsPosting.ts, moneyEvents.ts) to events. */
const eventOfTopic: Record<string, WebhookEvent> = {
  'payment.receipt': 'payment.allocated',
  'refund.succeeded': 'payment.refunded',
  'journal.moved': 'payment.moved',
  'journal.reversed': 'payment.reversed',
  'suspense.allocated': 'suspense.allocated',
};

/** Null: a topic no webhook carries (such a message is relayed to nobody). */
export function webhookEventOfTopic(topic: string): WebhookEvent | null {
  return eventOfTopic[topic] ?? null;
}

export type SubscriptionFilter = {
  id: string;
  events: readonly string[];
  fundCode: string | null;
  disabled: boolean;
};

/** The subscriptions a message goes to: enabled, taking its event, and its fund (or every fund). */
export function matchingSubscriptions<T extends SubscriptionFilter>(
  subscriptions: readonly T[],
  event: string,
  fundCodes: readonly string[],
): T[] {
  return subscriptions.filter(
    (subscription) =>
      !subscription.disabled &&
      subscription.events.includes(event) &&
      (subscription.fundCode === null || fundCodes.includes(subscription.fundCode)),
  );
}

const localHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Null when a receiver URL is acceptable, else why not: https, or plain http only to this
 * machine (development and tests). No credentials in the URL: they would be shown and logged.
 */
export function webhookUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && localHosts.has(url.hostname)) return null;
  return 'must be https (http only to localhost or 127.0.0.1)';
}

/** How long and how often the relay retries one delivery (OUTBOX_RETRY_* settings). */
export type OutboxRetry = {
  /** Give up (the delivery is dead) this long after the first attempt. Default 72 hours. */
  retryForMs: number;
  /** The first wait between attempts; each later wait doubles, up to `maxIntervalMs`. */
  initialMs: number;
  maxIntervalMs: number;
};

export const defaultOutboxRetry: OutboxRetry = {
  retryForMs: 72 * 60 * 60 * 1000,
  initialMs: 10_000,
  maxIntervalMs: 60 * 60 * 1000,
};

/** Each attempt's own limit: a receiver that has not answered in this time is retried. */
export const webhookAttemptTimeoutMs = 10_000;

/** The JSON a receiver gets. */
export type WebhookBody = {
  id: string;
  type: string;
  createdAt: string;
  councilId: string;
  data: Record<string, unknown>;
};

/** Whether an HTTP status counts as delivered: any 2xx. */
export function isDeliveredStatus(statusCode: number): boolean {
  return statusCode >= 200 && statusCode <= 299;
}

/**
 * The delivery workflow of one outbox message: starting it twice starts it once. No `/` in it:
 * the default council's ids carry no prefix, so `outbox/…` would read as a council "outbox".
 */
export function outboxLocalWorkflowId(outboxId: string): string {
  return `outbox-${outboxId}`;
}

/** A hand redelivery's own workflow, numbered so each redelivery is a fresh run. */
export function redeliveryLocalWorkflowId(
  outboxId: string,
  deliveryId: string,
  redelivery: number,
): string {
  return `outbox-${outboxId}-redeliver-${deliveryId}-${redelivery}`;
}
