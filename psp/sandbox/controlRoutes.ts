import express, { type Router } from 'express';
import { z } from 'zod';
import type { FaultQueue } from './faults';
import { complete, type LifecycleDeps } from './lifecycle';
import { SandboxProblem } from './problem';
import type { PaymentStore } from './store';

/**
 * Sandbox-only controls under /__sandbox, for tests and benchmarks: finish a payment without a
 * browser, and queue failures for the next API responses. No API key: the sandbox is local.
 */
const completeBody = z.object({
  outcome: z.enum(['success', 'declined', 'cancelled', 'error']),
  /** Overrides the fee for this one payment, e.g. to make net_amount negative. */
  feePence: z.number().int().min(0).optional(),
});

const faultsBody = z.object({
  responses: z
    .array(
      z.object({
        status: z.number().int().min(400).max(599),
        retryAfterSeconds: z.number().int().min(0).optional(),
        afterHandling: z.boolean().optional(),
      }),
    )
    .min(1),
  path: z.string().startsWith('/').optional(),
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new SandboxProblem(400, 'SANDBOX_BAD_REQUEST', z.prettifyError(result.error));
}

export function createControlRouter(
  store: PaymentStore,
  lifecycle: LifecycleDeps,
  faults: FaultQueue,
): Router {
  const router = express.Router();
  router.use(express.json());

  router.post('/payments/:paymentId/complete', (req, res) => {
    const { outcome, feePence } = parse(completeBody, req.body);
    const payment = store.findForPayer(req.params.paymentId);
    if (payment === undefined)
      throw new SandboxProblem(404, 'SANDBOX_NOT_FOUND', 'No such payment');
    complete(payment, outcome, lifecycle, feePence);
    res.status(204).end();
  });

  router.post('/faults', (req, res) => {
    const { responses, path } = parse(faultsBody, req.body);
    faults.add(
      responses.map((r) => ({ ...r, ...(path === undefined ? {} : { pathPrefix: path }) })),
    );
    res.status(204).end();
  });

  router.delete('/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });

  router.use(((error, _req, res, next) => {
    if (!(error instanceof SandboxProblem)) return next(error);
    res.status(error.httpStatus).json(error.toBody());
  }) satisfies express.ErrorRequestHandler);
  return router;
}
