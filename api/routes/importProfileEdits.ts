import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../../db/audit';
import { getImportProfile } from '../../db/imports';
import { importProfiles } from '../../db/schema';
import { previewImport } from '../../domain/importPreview';
import type { ImportProfile } from '../../domain/imports';
import { auditMetaOf } from '../actor';
import type { ApiContext } from '../context';
import { ProblemError } from '../problem';
import { defineRoute } from '../route';
import { checkDefinition, profileIdSchema, profileSchema, profileView } from './importProfiles';

/** A sample is what a person uploads to see a profile work: a megabyte is thousands of lines. */
export const sampleCharsMax = 1_000_000;
const editableKinds = ['csv', 'fixedWidth'] as const;

const previewSchema = z
  .object({
    rows: z.array(
      z.object({
        lineNo: z.number().int(),
        reference: z.string(),
        amountPence: z.number().int(),
        narrative: z.string(),
        transactionDate: z.string(),
        fundCode: z.string().nullable(),
      }),
    ),
    rowCount: z.number().int(),
    totalPence: z.number().int(),
    errors: z.array(
      z.object({ lineNo: z.number().int(), field: z.string().optional(), message: z.string() }),
    ),
    declaredCount: z.number().int().nullable(),
    declaredTotalPence: z.number().int().nullable(),
  })
  .meta({ id: 'ImportPreview' });

const editBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    definition: z.record(z.string(), z.unknown()),
    methodOfPaymentCode: z.string().regex(/^[A-Z0-9_]{1,20}$/, 'must be a method of payment code'),
    clearingAccountCode: z
      .string()
      .regex(/^CTRL:[A-Z_]+$/, 'must be a control account such as CTRL:BANK'),
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .strict();

/** Previewing a profile on a sample file, and changing a saved CSV or fixed-width profile. */
export function importProfileEditRoutes(ctx: ApiContext) {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/import-profiles/preview',
      operationId: 'previewImportProfile',
      access: { permission: 'configure' },
      summary:
        'Parse a sample file with a profile (saved or not): the rows it would make and the errors by line',
      tags: ['imports'],
      body: z
        .object({
          kind: z.enum(editableKinds),
          definition: z.record(z.string(), z.unknown()),
          sample: z.string().min(1, 'must not be empty').max(sampleCharsMax),
        })
        .strict(),
      successStatus: 200,
      success: { description: 'What the profile reads', schema: previewSchema },
      handler: async ({ body }) => {
        checkDefinition(body.kind, body.definition);
        return previewImport(body.definition as unknown as ImportProfile, body.sample);
      },
    }),
    defineRoute({
      method: 'put',
      path: '/v1/import-profiles/:profileId',
      operationId: 'updateImportProfile',
      access: { permission: 'configure' },
      summary:
        'Change a CSV or fixed-width profile (files imported already keep what they were read as)',
      tags: ['imports'],
      params: z.object({ profileId: profileIdSchema }),
      body: editBody,
      successStatus: 200,
      success: { description: 'Changed', schema: profileSchema },
      errors: { 404: 'No such profile', 422: 'Not a CSV or fixed-width profile' },
      handler: async ({ params, body, req, res }) => {
        const before = await getImportProfile(ctx.db, params.profileId);
        if (before === null)
          throw new ProblemError('not_found', `No import profile ${params.profileId}`);
        if (!(editableKinds as readonly string[]).includes(before.kind))
          throw new ProblemError(
            'unprocessable',
            'Only CSV and fixed-width profiles are edited here',
            [{ field: 'params.profileId', message: `is a ${before.kind} profile` }],
          );
        checkDefinition(before.kind, body.definition);
        const { reason, ...change } = body;
        await ctx.db.transaction(async (tx) => {
          await tx
            .update(importProfiles)
            .set({ ...change, updatedAt: sql`now()` })
            .where(eq(importProfiles.id, params.profileId));
          await recordAudit(tx, {
            ...auditMetaOf({ req, res }, reason),
            action: 'import_profile.update',
            entityType: 'import_profile',
            entityId: params.profileId,
            before: profileView(before),
            after: change,
          });
        });
        return profileView((await getImportProfile(ctx.db, params.profileId))!);
      },
    }),
  ];
}
