import { z } from 'zod';
import { findAccountHolders, loadAllocationContext } from '../../db/allocationContext';
import { fundStore } from '../../db/configEntities';
import { readReferenceRoutes } from '../../db/referenceRoutes';
import { checkAllocation } from '../../domain/allocationCheck';
import {
  explainReference,
  normaliseReference,
  type ReferenceValidator,
  routeReference,
} from '../../domain/references';
import { actorOf } from '../actor';
import type { ApiContext } from '../context';
import { fundAccessOf } from '../fundScope';
import { ProblemError } from '../problem';
import { defineRoute } from '../route';
import { codeSchema, penceSchema } from '../schemas/common';
import { explainBody, explanationSchema } from '../schemas/referenceExplanation';

/**
 * What a council web form asks before it takes money. A reference that fails the fund's rules
 * is a normal answer (200, `valid: false`) the form shows next to its input; only a request
 * the form should never have sent (a missing field, pounds instead of pence) is a 400.
 */

const validateBody = z
  .object({
    fundCode: codeSchema,
    reference: z.string().max(200),
    amountPence: penceSchema,
    methodOfPaymentCode: codeSchema.optional(),
  })
  .strict();

const validationSchema = z
  .discriminatedUnion('valid', [
    z.object({ valid: z.literal(true), fundCode: z.string(), normalisedReference: z.string() }),
    z.object({
      valid: z.literal(false),
      code: z.string().describe('e.g. check_digit_mismatch, account_on_stop, fund_disabled'),
      field: z.enum(['fundCode', 'reference', 'amountPence', 'methodOfPaymentCode']),
      message: z.string().describe('Written for the payer; show it beside the field'),
    }),
  ])
  .meta({ id: 'ReferenceValidation' });

export function referenceRoutes(ctx: ApiContext) {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/references/validate',
      operationId: 'validateReference',
      access: { permission: 'view' },
      summary: 'Check a reference and amount against a fund before taking money',
      tags: ['references'],
      body: validateBody,
      successStatus: 200,
      success: { description: 'Whether the payment would be accepted', schema: validationSchema },
      handler: async ({ body, req, res }) => {
        (await fundAccessOf(ctx, req, res)).requireAll([
          { field: 'body.fundCode', fundCode: body.fundCode },
        ]);
        const context = await loadAllocationContext(ctx.db);
        const reference = normaliseReference(
          body.reference,
          context.funds.get(body.fundCode)?.validator,
        );
        // Looked up even when the fund does not require the list: an account on stop is on
        // stop however the fund is configured.
        const holders = context.funds.has(body.fundCode)
          ? await findAccountHolders(ctx.db, body.fundCode, [reference])
          : new Map();
        const result = checkAllocation(context, {
          ...body,
          accountHolder: holders.get(reference) ?? null,
          permissions: actorOf(req, res).permissions,
        });
        if (!result.ok) {
          return {
            valid: false as const,
            code: result.code,
            field: result.field,
            message: result.message,
          };
        }
        return {
          valid: true as const,
          fundCode: result.fundCode,
          normalisedReference: result.normalisedReference,
        };
      },
    }),
    // For staff trying a validator: the first failing step and, when the rest is well formed,
    // the check character expected. Amounts, account holders and disabled funds play no part.
    defineRoute({
      method: 'post',
      path: '/v1/references/explain',
      operationId: 'explainReference',
      access: { permission: 'view' },
      summary: 'Explain, step by step, why a reference passes or fails a fund’s validator',
      tags: ['references'],
      body: explainBody,
      successStatus: 200,
      success: { description: 'The verdict of each step', schema: explanationSchema },
      handler: async ({ body, req, res }) => {
        let validator = body.validator as ReferenceValidator | undefined;
        if (body.fundCode !== undefined) {
          (await fundAccessOf(ctx, req, res)).requireAll([
            { field: 'body.fundCode', fundCode: body.fundCode },
          ]);
          const fund = await fundStore.get(ctx.db, body.fundCode);
          if (fund === null) {
            throw new ProblemError('not_found', `No fund ${body.fundCode}`, [
              { field: 'body.fundCode', message: `no fund ${body.fundCode}` },
            ]);
          }
          validator = fund.validator;
        }
        // The body's refinement guarantees one of the two; no validator here is our bug.
        if (validator === undefined) throw new Error('explainReference without a validator');
        return explainReference(body.reference, validator);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/references/route',
      operationId: 'routeReference',
      access: { permission: 'view' },
      summary: 'Find the fund for a reference that arrived without one',
      tags: ['references'],
      body: z.object({ reference: z.string().max(200) }).strict(),
      successStatus: 200,
      success: {
        description: 'The fund of the first matching route; null means suspense',
        schema: z.object({ fundCode: z.string().nullable() }),
      },
      handler: async ({ body }) => {
        const [routes, context] = await Promise.all([
          readReferenceRoutes(ctx.db),
          loadAllocationContext(ctx.db),
        ]);
        // A route to a disabled fund is skipped: money sent there would only be refused.
        const usable = routes.filter(
          (route) => context.funds.get(route.fundCode)?.disabled === false,
        );
        return { fundCode: routeReference(body.reference, usable) };
      },
    }),
  ];
}
