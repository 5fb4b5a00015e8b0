import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** HTTP metrics labelled by route pattern (never the raw URL, which would carry ids). */
export function createApiMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ims_api_' });
  const httpDuration = new Histogram({
    name: 'ims_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const middleware: RequestHandler = (req, res, next) => {
    const stop = httpDuration.startTimer();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      stop({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, middleware };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;

/**
 * The worker exposes its own Prometheus endpoint (Temporal's core SDK metrics). We append it
 * to the API's so one scrape target shows both; a down worker shows as ims_worker_metrics_up 0.
 */
export async function fetchWorkerMetrics(
  url: string | undefined,
  timeoutMs = 1_000,
): Promise<string> {
  if (url === undefined) return '';
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const text = await response.text();
    return `# HELP ims_worker_metrics_up Whether the worker's metrics endpoint answered\n# TYPE ims_worker_metrics_up gauge\nims_worker_metrics_up 1\n${text}`;
  } catch {
    return `# HELP ims_worker_metrics_up Whether the worker's metrics endpoint answered\n# TYPE ims_worker_metrics_up gauge\nims_worker_metrics_up 0\n`;
  }
}
