import express, { type ErrorRequestHandler, type RequestHandler, type Router } from 'express';
import type { FaultQueue } from './faults';
import { faultBody } from './faults';
import { cancelByService, type LifecycleDeps, submitRefund } from './lifecycle';
import { SandboxProblem } from './problem';
import { parseCreatePayment, parseRefund, parseSearch } from './requests';
import type { PaymentStore } from './store';
import { paymentToWire, refundListToWire, refundToWire, searchPageToWire } from './wire';

/**
 * GOV.UK Pay's public API paths, for the operations the IMS uses, answering with the same
 * statuses and snake_case bodies as the official OpenAPI file. Mounted at /v1.
 */
export interface ApiContext {
  apiKeys: ReadonlySet<string>;
  store: PaymentStore;
  lifecycle: LifecycleDeps;
  faults: FaultQueue;
  publicUrl(): string;
  today(): string;
  countRequest(): void;
}

function requireApiKey(apiKeys: ReadonlySet<string>): RequestHandler {
  return (req, res, next) => {
    const match = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '');
    if (match?.[1] === undefined || !apiKeys.has(match[1])) {
      // The spec declares 401 without a body.
      res.status(401).set('www-authenticate', 'Bearer').end();
      return;
    }
    res.locals.apiKey = match[1];
    next();
  };
}

function injectFaults(faults: FaultQueue): RequestHandler {
  return (req, res, next) => {
    const fault = faults.take(req.baseUrl + req.path);
    if (fault === undefined) return next();
    if (fault.retryAfterSeconds !== undefined)
      res.set('retry-after', String(fault.retryAfterSeconds));
    if (!fault.afterHandling) {
      res.status(fault.status).json(faultBody(fault.status));
      return;
    }
    // Let the operation happen, then swap its answer (JSON or empty) for the failure.
    const { json, end } = res;
    const answerFault = () => {
      res.json = json;
      res.end = end;
      return res.status(fault.status).json(faultBody(fault.status));
    };
    res.json = answerFault;
    res.end = answerFault as unknown as typeof res.end;
    next();
  };
}

const answerProblems: ErrorRequestHandler = (error, _req, res, _next) => {
  if (error instanceof SandboxProblem) {
    res.status(error.httpStatus).json(error.toBody());
    return;
  }
  if ((error as { type?: string }).type === 'entity.parse.failed') {
    res.status(400).json({ code: 'P0197', description: 'Unable to parse JSON' });
    return;
  }
  process.stderr.write(
    `sandbox PSP error: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  res.status(500).json({ code: 'P0999', description: 'Sandbox PSP internal error' });
};

export function createApiRouter(ctx: ApiContext): Router {
  const router = express.Router();
  router.use((_req, _res, next) => {
    ctx.countRequest();
    next();
  });
  router.use(requireApiKey(ctx.apiKeys), injectFaults(ctx.faults), express.json());
  const keyOf = (res: express.Response): string => res.locals.apiKey as string;

  router.post('/payments', (req, res) => {
    const input = parseCreatePayment(req.body);
    const payment = ctx.store.create(keyOf(res), input, req.get('idempotency-key'));
    res.status(201).json(paymentToWire(payment, ctx.publicUrl(), ctx.today()));
  });

  router.get('/payments', (req, res) => {
    const filter = parseSearch(req.query);
    const found = ctx.store.search(keyOf(res), filter);
    const query = new URLSearchParams(req.url.split('?')[1] ?? '');
    res.json(searchPageToWire(found, query, filter, ctx.publicUrl(), ctx.today()));
  });

  router.get('/payments/:paymentId', (req, res) => {
    const payment = ctx.store.find(keyOf(res), req.params.paymentId, 'P0200');
    res.json(paymentToWire(payment, ctx.publicUrl(), ctx.today()));
  });

  router.post('/payments/:paymentId/cancel', (req, res) => {
    const payment = ctx.store.find(keyOf(res), req.params.paymentId, 'P0500');
    cancelByService(payment, ctx.lifecycle);
    res.status(204).end();
  });

  router.post('/payments/:paymentId/refunds', (req, res) => {
    const payment = ctx.store.find(keyOf(res), req.params.paymentId, 'P0600');
    const { amountPence, availablePence } = parseRefund(req.body);
    const refund = submitRefund(payment, amountPence, availablePence, ctx.lifecycle);
    // The spec's 200 carries the Refund; GOV.UK Pay's 202 has no body the spec describes.
    res.status(200).json(refundToWire(payment, refund, ctx.publicUrl(), ctx.today()));
  });

  router.get('/payments/:paymentId/refunds', (req, res) => {
    const payment = ctx.store.find(keyOf(res), req.params.paymentId, 'P0800');
    res.json(refundListToWire(payment, ctx.publicUrl(), ctx.today()));
  });

  router.get('/payments/:paymentId/refunds/:refundId', (req, res) => {
    const payment = ctx.store.find(keyOf(res), req.params.paymentId, 'P0700');
    const refund = payment.refunds.find((r) => r.refundId === req.params.refundId);
    if (refund === undefined) throw new SandboxProblem(404, 'P0700', 'Not found');
    res.json(refundToWire(payment, refund, ctx.publicUrl(), ctx.today()));
  });

  router.use(answerProblems);
  return router;
}
