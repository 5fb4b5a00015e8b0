import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { createApiRouter } from './apiRoutes';
import { createControlRouter } from './controlRoutes';
import { createFaultQueue } from './faults';
import { createHostedPageRouter } from './hostedPage';
import type { LifecycleDeps } from './lifecycle';
import { isoDay, type PaymentEventType, type SandboxPayment } from './model';
import { createPaymentStore } from './store';
import { createWebhookDispatcher, type WebhookDispatcher, type WebhookStats } from './webhooks';
import { paymentToWire } from './wire';

/**
 * A local stand-in for GOV.UK Pay: same paths, same JSON, a hosted page, webhooks, faults and an
 * injectable clock. State is in memory; it is a simulator, not a PSP.
 */
export interface SandboxPspOptions {
  /** Bearer keys the API accepts; each key sees only its own payments, like a service. */
  apiKeys: readonly string[];
  /** Base of the links the sandbox hands out; defaults to the address `start` listens on. */
  publicUrl?: string;
  webhookUrl?: string;
  webhookSecret?: string;
  /** Tries per webhook message, first included; defaults to 5. */
  webhookAttemptsMax?: number;
  /** First retry wait, doubling each time; defaults to 500 ms. */
  webhookRetryBaseDelayMs?: number;
  /** Extra copies of every message, to exercise receivers' idempotency; defaults to 0. */
  duplicateWebhooks?: number;
  /** Unfinished payments fail with P0020 this long after creation; defaults to 90 minutes. */
  expiryMs?: number;
  /** How often the timer applies expiry and settlement; reads do it anyway. Defaults to 30 s. */
  sweepIntervalMs?: number;
  /** Settled date = capture day + this; defaults to 1. */
  settlementDelayDays?: number;
  /** A refund stays `submitted` at least this long, then succeeds; defaults to 0. */
  refundSuccessDelayMs?: number;
  /** Defaults to 1.5% rounded down (a Stripe-like card fee); override per payment via /__sandbox. */
  feeForAmountPence?: (amountPence: number) => number;
  now?: () => Date;
}

export interface SandboxServer {
  url: string;
  close(): Promise<void>;
}

export interface SandboxPsp {
  app: Express;
  start(port?: number, host?: string): Promise<SandboxServer>;
  /** Applies expiry, refund success and settlement now, as the timer does. */
  sweep(): void;
  /** Resolves when every webhook has been delivered or given up on. */
  webhooksIdle(): Promise<void>;
  stats(): { apiRequests: number; faultsServed: number; webhooks: WebhookStats };
}

const idAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** GOV.UK Pay's ids are 26 lower-case letters and digits. */
export function newSandboxId(): string {
  return [...randomBytes(26)].map((b) => idAlphabet[b % idAlphabet.length]).join('');
}

export const defaultFeeForAmountPence = (amountPence: number): number =>
  Math.floor((amountPence * 150) / 10_000);

function webhooksFor(options: SandboxPspOptions): WebhookDispatcher {
  return createWebhookDispatcher({
    ...(options.webhookUrl === undefined ? {} : { url: options.webhookUrl }),
    ...(options.webhookSecret === undefined ? {} : { secret: options.webhookSecret }),
    attemptsMax: options.webhookAttemptsMax ?? 5,
    retryBaseDelayMs: options.webhookRetryBaseDelayMs ?? 500,
    duplicates: options.duplicateWebhooks ?? 0,
    timeoutMs: 5_000,
  });
}

function lifecycleFor(
  options: SandboxPspOptions,
  now: () => Date,
  emit: LifecycleDeps['emit'],
): LifecycleDeps {
  return {
    now,
    expiryMs: options.expiryMs ?? 90 * 60 * 1000,
    settlementDelayDays: options.settlementDelayDays ?? 1,
    refundSuccessDelayMs: options.refundSuccessDelayMs ?? 0,
    feeForAmountPence: options.feeForAmountPence ?? defaultFeeForAmountPence,
    emit,
    newId: newSandboxId,
  };
}

async function listen(app: Express, port: number, host: string): Promise<[Server, string]> {
  const server = app.listen(port, host);
  await new Promise<void>((resolve, reject) =>
    server.once('listening', resolve).once('error', reject),
  );
  // Links must be reachable: a wildcard bind address is not, loopback is.
  const linkHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return [server, `http://${linkHost}:${(server.address() as AddressInfo).port}`];
}

export function createSandboxPsp(options: SandboxPspOptions): SandboxPsp {
  if (options.apiKeys.length === 0) throw new Error('the sandbox PSP needs at least one API key');
  const now = options.now ?? (() => new Date());
  const today = () => isoDay(now());
  let publicUrl = options.publicUrl?.replace(/\/$/, '') ?? 'http://localhost';
  let apiRequests = 0;
  const webhooks = webhooksFor(options);
  const emit = (eventType: PaymentEventType, payment: SandboxPayment) =>
    webhooks.send({
      created_date: now().toISOString(),
      resource_id: payment.paymentId,
      resource_type: 'payment',
      event_type: eventType,
      resource: paymentToWire(payment, publicUrl, today()),
    });
  const lifecycle = lifecycleFor(options, now, emit);
  const store = createPaymentStore(lifecycle);
  const faults = createFaultQueue();
  const apiKeys = new Set(options.apiKeys);
  const countRequest = () => apiRequests++;

  const app = express();
  app.disable('x-powered-by');
  const publicUrlNow = () => publicUrl;
  const api = { apiKeys, store, lifecycle, faults, publicUrl: publicUrlNow, today, countRequest };
  app.use('/v1', createApiRouter(api));
  app.use(
    '/pay',
    express.urlencoded({ extended: false }),
    createHostedPageRouter(store, lifecycle),
  );
  app.use('/__sandbox', createControlRouter(store, lifecycle, faults));

  const start = async (port = 0, host = '127.0.0.1'): Promise<SandboxServer> => {
    const [server, url] = await listen(app, port, host);
    if (options.publicUrl === undefined) publicUrl = url;
    const sweeper = setInterval(store.sweep, options.sweepIntervalMs ?? 30_000);
    sweeper.unref();
    const close = () => {
      clearInterval(sweeper);
      webhooks.close();
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) =>
        server.close((e) => (e ? reject(e) : resolve())),
      );
    };
    return { url, close };
  };

  return {
    app,
    start,
    sweep: store.sweep,
    webhooksIdle: webhooks.idle,
    stats: () => ({ apiRequests, faultsServed: faults.served(), webhooks: webhooks.stats() }),
  };
}
