import { z } from 'zod';
import {
  insertImportProfile,
  listImportProfiles,
  setImportProfileDisabled,
} from '../../db/importProfiles';
import { getImportProfile } from '../../db/imports';
import { type ImportProfile, parserFor } from '../../domain/imports';
import type { ApiContext } from '../context';
import { ProblemError } from '../problem';
import { defineRoute } from '../route';

export const profileIdSchema = z
  .string()
  .regex(/^[a-z0-9-]{1,40}$/, 'must be 1 to 40 lower-case letters, digits or hyphens');
const kinds = ['csv', 'fixedWidth', 'camt053', 'mt940'] as const;

export const profileSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(kinds),
    definition: z.record(z.string(), z.unknown()),
    methodOfPaymentCode: z.string(),
    clearingAccountCode: z.string(),
    disabled: z.boolean(),
  })
  .meta({ id: 'ImportProfile' });

export function profileView(row: Awaited<ReturnType<typeof listImportProfiles>>[number]) {
  const { createdAt: _c, updatedAt: _u, ...rest } = row;
  return rest;
}

/** A parser is built from the definition at once, so a profile that cannot read files is refused now. */
export function checkDefinition(kind: string, definition: Record<string, unknown>): void {
  if (definition.kind !== kind) {
    throw new ProblemError('validation_failed', 'The definition is for another kind of file', [
      { field: 'body.definition.kind', message: `must be ${kind}` },
    ]);
  }
  try {
    parserFor(definition as unknown as ImportProfile);
  } catch (error) {
    throw new ProblemError('validation_failed', 'The profile definition cannot read files', [
      { field: 'body.definition', message: error instanceof Error ? error.message : String(error) },
    ]);
  }
}

export function importProfileRoutes(ctx: ApiContext) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/import-profiles',
      operationId: 'listImportProfiles',
      access: { permission: 'view' },
      summary: 'Saved import profiles: how each kind of income file is read',
      tags: ['imports'],
      successStatus: 200,
      success: { description: 'Profiles', schema: z.object({ profiles: z.array(profileSchema) }) },
      handler: async () => ({ profiles: (await listImportProfiles(ctx.db)).map(profileView) }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/import-profiles',
      operationId: 'createImportProfile',
      access: { permission: 'configure' },
      summary:
        'Save an import profile (CSV column mapping, fixed-width positions, CAMT.053 or MT940)',
      tags: ['imports'],
      body: z
        .object({
          id: profileIdSchema,
          name: z.string().trim().min(1).max(200),
          kind: z.enum(kinds),
          definition: z.record(z.string(), z.unknown()),
          methodOfPaymentCode: z.string().regex(/^[A-Z0-9_]{1,20}$/),
          clearingAccountCode: z
            .string()
            .regex(/^CTRL:[A-Z_]+$/, 'must be a control account such as CTRL:BANK'),
        })
        .strict(),
      successStatus: 201,
      success: { description: 'Saved', schema: profileSchema },
      errors: { 409: 'A profile with this id exists' },
      handler: async ({ body }) => {
        checkDefinition(body.kind, body.definition);
        if (!(await insertImportProfile(ctx.db, body))) {
          throw new ProblemError('conflict', `Import profile ${body.id} exists`, [
            { field: 'body.id', message: 'is taken' },
          ]);
        }
        const saved = await getImportProfile(ctx.db, body.id);
        return profileView(saved!);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/import-profiles/:profileId/disable',
      operationId: 'disableImportProfile',
      access: { permission: 'configure' },
      summary: 'Stop a profile being chosen for new uploads (past imports keep it)',
      tags: ['imports'],
      params: z.object({ profileId: profileIdSchema }),
      successStatus: 200,
      success: { description: 'Disabled', schema: profileSchema },
      errors: { 404: 'No such profile' },
      handler: async ({ params }) => {
        if (!(await setImportProfileDisabled(ctx.db, params.profileId, true)))
          throw new ProblemError('not_found', `No import profile ${params.profileId}`);
        return profileView((await getImportProfile(ctx.db, params.profileId))!);
      },
    }),
  ];
}
