import { randomUUID } from 'node:crypto';
import type { components } from '../govukPay/schema';
import { signWebhook } from '../webhookSignature';
import type { PaymentEventType } from './model';

/**
 * Sends GOV.UK Pay-shaped webhook messages. The envelope is not in the OpenAPI file; its fields
 * follow GOV.UK Pay's webhook documentation. Delivery is at least once: a non-2xx answer or a
 * network failure is retried with exponential backoff up to `attemptsMax`, and each message can
 * be sent `duplicates` extra times so receivers prove they are idempotent.
 */
export interface WebhookMessage {
  webhook_message_id: string;
  created_date: string;
  resource_id: string;
  api_version: 1;
  resource_type: 'payment';
  event_type: PaymentEventType;
  resource: components['schemas']['PaymentWithAllLinks'];
}

export interface WebhookOptions {
  url?: string;
  secret?: string;
  attemptsMax: number;
  retryBaseDelayMs: number;
  duplicates: number;
  timeoutMs: number;
}

export interface WebhookStats {
  messages: number;
  attempts: number;
  delivered: number;
  abandoned: number;
}

export interface WebhookDispatcher {
  send(message: Omit<WebhookMessage, 'webhook_message_id' | 'api_version'>): void;
  /** Resolves once nothing is waiting to be delivered or retried. */
  idle(): Promise<void>;
  stats(): WebhookStats;
  /** Stops retrying; messages still waiting are dropped. */
  close(): void;
}

/** One delivery attempt; true only for a 2xx answer. */
async function post(url: string, body: string, signature: string, timeoutMs: number) {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'pay-signature': signature },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

export function createWebhookDispatcher(options: WebhookOptions): WebhookDispatcher {
  const stats: WebhookStats = { messages: 0, attempts: 0, delivered: 0, abandoned: 0 };
  const sleepers = new Map<NodeJS.Timeout, () => void>();
  let waiters: Array<() => void> = [];
  let pending = 0;
  let closed = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        sleepers.delete(timer);
        resolve();
      }, ms);
      sleepers.set(timer, resolve);
    });

  const postOnce = async (url: string, body: string, signature: string): Promise<boolean> => {
    stats.attempts++;
    return post(url, body, signature, options.timeoutMs);
  };

  const deliver = async (url: string, body: string, signature: string): Promise<void> => {
    for (let attempt = 1; attempt <= options.attemptsMax && !closed; attempt++) {
      if (await postOnce(url, body, signature)) {
        stats.delivered++;
        return;
      }
      if (attempt < options.attemptsMax) await sleep(options.retryBaseDelayMs * 2 ** (attempt - 1));
    }
    stats.abandoned++;
  };

  const track = (work: Promise<void>) => {
    pending++;
    void work.finally(() => {
      pending--;
      if (pending > 0) return;
      const ready = waiters;
      waiters = [];
      for (const resolve of ready) resolve();
    });
  };

  return {
    send(message) {
      if (options.url === undefined || closed) return;
      stats.messages++;
      const body = JSON.stringify({
        webhook_message_id: randomUUID(),
        api_version: 1,
        ...message,
      } satisfies WebhookMessage);
      const signature = signWebhook(body, options.secret ?? '');
      for (let copy = 0; copy <= options.duplicates; copy++) {
        track(deliver(options.url, body, signature));
      }
    },
    idle: () => (pending === 0 ? Promise.resolve() : new Promise((r) => waiters.push(r))),
    stats: () => ({ ...stats }),
    close() {
      closed = true;
      for (const [timer, resolve] of sleepers) {
        clearTimeout(timer);
        resolve();
      }
      sleepers.clear();
    },
  };
}
