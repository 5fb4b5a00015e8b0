import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Sql } from '../db/client';
import { ProblemError } from './problem';

/**
 * Per-council ceilings (docs/tenancy.md), so one council cannot starve the others on a shared
 * deployment: requests per minute across all of a council's users and keys, and the largest
 * file it may import. Both live on the council's row; each process reads them at most once a
 * minute per council.
 */
export type CouncilLimits = { requestsPerMinuteMax: number; importBytesMax: number | null };

const cacheMs = 60_000;

export function councilLimitsReader(sql: Sql) {
  const cache = new Map<string, { readAt: number; limits: Promise<CouncilLimits> }>();
  return (councilId: string): Promise<CouncilLimits> => {
    const cached = cache.get(councilId);
    if (cached !== undefined && Date.now() - cached.readAt < cacheMs) return cached.limits;
    // Runs in the council's scope: row-level security shows the council its own row only.
    const limits = sql<CouncilLimits[]>`
      select requests_per_minute_max as "requestsPerMinuteMax", import_bytes_max as "importBytesMax"
        from councils where id = ${councilId}`.then(
      ([row]) => row ?? { requestsPerMinuteMax: Number.MAX_SAFE_INTEGER, importBytesMax: null },
    );
    cache.set(councilId, { readAt: Date.now(), limits });
    limits.catch(() => cache.delete(councilId));
    return limits;
  };
}

/** Counts every signed-in or keyed request against its council's per-minute ceiling. */
export function councilRateLimit(
  limitsOf: (councilId: string) => Promise<CouncilLimits>,
): RequestHandler {
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: async (_req, res) => (await limitsOf(String(res.locals.councilId))).requestsPerMinuteMax,
    keyGenerator: (_req, res) => `council:${String(res.locals.councilId)}`,
    skip: (_req, res) => res.locals.actor === undefined,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) =>
      next(
        new ProblemError(
          'rate_limited',
          'This council has made too many requests this minute: slow down',
        ),
      ),
  });
  return limiter;
}

/** The largest upload the council may make: its own ceiling, within the deployment's. */
export async function importBytesMaxFor(
  limitsOf: (councilId: string) => Promise<CouncilLimits>,
  councilId: string,
  deploymentMax: number,
): Promise<number> {
  const { importBytesMax } = await limitsOf(councilId);
  return importBytesMax === null ? deploymentMax : Math.min(importBytesMax, deploymentMax);
}
