import { z } from 'zod';
import { readReferenceRoutes, replaceReferenceRoutes } from '../../db/referenceRoutes';
import { auditMetaOf } from '../actor';
import { requireFunds } from '../configChecks';
import type { ApiContext } from '../context';
import { mapDatabaseErrors } from '../dbErrors';
import { defineRoute } from '../route';
import { codeSchema, reasonSchema } from '../schemas/common';
import { patternProblem, strictPatternProblem } from '../schemas/patterns';

/** The ordered list that sends a reference arriving without a fund to the first fund it fits. */

/** A pattern checked by `problemOf`: strictly when saved, as saved when read back. */
const patternSchema = (problemOf: (pattern: string) => string | null) =>
  z
    .string()
    .min(1)
    .max(500)
    .superRefine((pattern, ctx) => {
      const problem = problemOf(pattern);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    })
    .describe('Matched against the whole reference');

const routeSchema = z
  .object({ fundCode: codeSchema, pattern: patternSchema(strictPatternProblem) })
  .strict()
  .meta({ id: 'ReferenceRouteInput' });

const storedRouteSchema = z
  .object({ fundCode: codeSchema, pattern: patternSchema(patternProblem) })
  .strict()
  .meta({ id: 'ReferenceRoute' });

const routesView = z.object({ routes: z.array(storedRouteSchema) }).meta({ id: 'ReferenceRoutes' });

export function referenceRouteRoutes(ctx: ApiContext) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/reference-routes',
      operationId: 'getReferenceRoutes',
      access: { permission: 'view' },
      summary: 'Read the reference routes, first match first',
      tags: ['configuration'],
      successStatus: 200,
      success: { description: 'The routes in order', schema: routesView },
      handler: async () => ({ routes: await readReferenceRoutes(ctx.db) }),
    }),
    defineRoute({
      method: 'put',
      path: '/v1/reference-routes',
      operationId: 'replaceReferenceRoutes',
      access: { permission: 'configure' },
      summary: 'Replace the whole ordered list of reference routes',
      tags: ['configuration'],
      body: z.object({ routes: z.array(routeSchema).max(500), reason: reasonSchema }).strict(),
      successStatus: 200,
      success: { description: 'The routes now in force', schema: routesView },
      handler: async ({ body, req, res }) => {
        const meta = auditMetaOf({ req, res }, body.reason);
        const routes = await mapDatabaseErrors(() =>
          ctx.db.transaction(async (tx) => {
            const codes = body.routes.map((route) => route.fundCode);
            await requireFunds(tx, codes, (index) => `body.routes[${index}].fundCode`);
            return replaceReferenceRoutes(tx, body.routes, meta);
          }),
        );
        return { routes };
      },
    }),
  ];
}
