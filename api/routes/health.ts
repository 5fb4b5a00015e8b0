import { z } from 'zod';
import type { ApiContext } from '../context';
import { fetchWorkerMetrics } from '../metrics';
import { defineRoute, replyWith } from '../route';

const checkSchema = z.object({
  status: z.enum(['up', 'down']),
  latencyMs: z.number().int().nonnegative(),
  error: z.string().optional(),
});

export const healthSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    version: z.string(),
    checks: z.object({ database: checkSchema, temporal: checkSchema }),
  })
  .meta({ id: 'Health' });

const checkTimeoutMs = 2_000;

/**
 * The route is public, so a failure is reported as a fixed phrase; the driver's own message
 * (host names, database names, ports) goes to the log for operations staff.
 */
async function timed(
  name: string,
  ctx: ApiContext,
  check: () => Promise<unknown>,
): Promise<z.infer<typeof checkSchema>> {
  const started = performance.now();
  try {
    await check();
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    ctx.logger.warn({ err: error, dependency: name }, 'health check failed');
    return {
      status: 'down',
      latencyMs: Math.round(performance.now() - started),
      error: `${name} did not answer`,
    };
  }
}

export function healthRoutes(ctx: ApiContext) {
  return [
    defineRoute({
      method: 'get',
      path: '/health',
      operationId: 'getHealth',
      access: {
        public: 'liveness and readiness for load balancers and orchestrators; names no data',
      },
      summary: 'Database and Temporal status; HTTP 503 when either is down',
      tags: ['operations'],
      successStatus: 200,
      success: { description: 'Health of the IMS and its dependencies', schema: healthSchema },
      errors: {},
      handler: async () => {
        const [database, temporal] = await Promise.all([
          timed('database', ctx, () =>
            Promise.race([ctx.sql`select 1`, rejectAfter(checkTimeoutMs, 'database')]),
          ),
          timed('temporal', ctx, () =>
            ctx.temporal.connection.withDeadline(Date.now() + checkTimeoutMs, () =>
              ctx.temporal.connection.workflowService.describeNamespace({
                namespace: ctx.namespace,
              }),
            ),
          ),
        ]);
        const up = database.status === 'up' && temporal.status === 'up';
        const body = {
          status: up ? ('ok' as const) : ('unavailable' as const),
          version: ctx.version,
          checks: { database, temporal },
        };
        return replyWith(body, { 'Cache-Control': 'no-store' }, up ? 200 : 503);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/metrics',
      operationId: 'getMetrics',
      access: { public: 'Prometheus scrapes it; counts only, no personal data' },
      summary: 'Prometheus metrics: HTTP (ims_http_*), process, and the worker’s Temporal metrics',
      tags: ['operations'],
      successStatus: 200,
      success: { description: 'Prometheus text exposition format', contentType: 'text/plain' },
      handler: async ({ res }) => {
        const [own, worker] = await Promise.all([
          ctx.metrics.registry.metrics(),
          fetchWorkerMetrics(ctx.workerMetricsUrl),
        ]);
        res
          .status(200)
          .type(ctx.metrics.registry.contentType)
          .send(own + worker);
        return undefined;
      },
    }),
  ];
}

function rejectAfter(timeoutMs: number, what: string): Promise<never> {
  return new Promise((_, reject) =>
    setTimeout(
      () => reject(new Error(`${what} did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    ).unref(),
  );
}
