import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { requireCouncil } from '../../db/councils';
import { reverseImport } from '../../db/importReversal';
import {
  createImportRecord,
  getImportProfile,
  getImportRecord,
  listImportErrors,
  listImports,
} from '../../db/imports';
import { businessDateOf } from '../../domain/businessDate';
import { newId } from '../../domain/ids';
import {
  type ImportProgress,
  importProgressQuery,
  importWorkflow,
  importWorkflowId,
} from '../../workflows/import';
import { imsImportIdKey, imsKindKey } from '../../workflows/searchAttributes';
import { actorOf } from '../actor';
import type { ApiContext } from '../context';
import { importBytesMaxFor } from '../councilLimits';
import { ProblemError } from '../problem';
import { defineRoute, replyWith } from '../route';
import { storeUpload } from '../upload';

const importIdSchema = z.string().regex(/^imp_[0-9a-z]{20}$/, 'must be an import id');
const count = z.number().int();

const importSchema = z
  .object({
    importId: z.string(),
    fileName: z.string(),
    profileId: z.string(),
    state: z.string().describe('received, parsing, refused, posting, completed'),
    sizeBytes: count,
    contentSha256: z.string(),
    rowsRead: count,
    rowsAllocated: count,
    rowsSuspended: count,
    rowsRejected: count,
    totalPence: count,
    allocatedPence: count,
    suspendedPence: count,
    chunksTotal: count.nullable().describe('Live progress while the import runs'),
    chunksPosted: count.nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .meta({ id: 'Import' });

type ImportView = z.infer<typeof importSchema>;

/** The database row, refreshed with the workflow's live counters while the file is posting. */
async function importView(ctx: ApiContext, importId: string): Promise<ImportView> {
  const record = await getImportRecord(ctx.db, importId);
  if (record === null) throw new ProblemError('not_found', `No import ${importId}`);
  let live: ImportProgress | null = null;
  if (record.state === 'parsing' || record.state === 'posting' || record.state === 'received') {
    live = await ctx.temporal.workflow
      .getHandle(importWorkflowId(requireCouncil(), importId))
      .query(importProgressQuery)
      .catch((error: unknown) => {
        if (error instanceof WorkflowNotFoundError) return null;
        throw error;
      });
  }
  return {
    importId: record.id,
    fileName: record.fileName,
    profileId: record.profileId,
    state: live?.state ?? record.state,
    sizeBytes: record.sizeBytes,
    contentSha256: record.contentSha256,
    rowsRead: live?.rowsRead ?? record.rowsRead,
    rowsAllocated: live?.rowsAllocated ?? record.rowsAllocated,
    rowsSuspended: live?.rowsSuspended ?? record.rowsSuspended,
    rowsRejected: live?.rowsRejected ?? record.rowsRejected,
    totalPence: live?.totalPence ?? record.totalPence,
    allocatedPence: live?.allocatedPence ?? record.allocatedPence,
    suspendedPence: live?.suspendedPence ?? record.suspendedPence,
    chunksTotal: live?.chunksTotal ?? null,
    chunksPosted: live?.chunksPosted ?? null,
    createdBy: record.createdBy,
    createdAt: record.createdAt.toISOString(),
    completedAt: record.completedAt?.toISOString() ?? null,
  };
}

export function importRoutes(ctx: ApiContext) {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/imports',
      operationId: 'uploadImport',
      access: { permission: 'import' },
      summary:
        'Upload an income file (multipart/form-data: `profileId` field, then the `file` part); the import runs in the background',
      tags: ['imports'],
      upload: {
        fields: { profileId: 'The import profile that reads this file, e.g. `prf_…`' },
        file: 'The income file, as the profile expects it (CSV, fixed width, MT940, camt.053)',
      },
      successStatus: 202,
      success: { description: 'Accepted; follow Location for progress', schema: importSchema },
      errors: {
        409: 'The same file was imported before (the problem names the first import)',
        413: 'The file is too large',
        415: 'Not multipart/form-data',
      },
      handler: async ({ req, res }) => {
        const actor = actorOf(req, res);
        const maxBytes = ctx.councilLimits
          ? await importBytesMaxFor(ctx.councilLimits, requireCouncil(), ctx.imports.maxBytes)
          : ctx.imports.maxBytes;
        const upload = await storeUpload(req, ctx.imports.storageDir, maxBytes);
        try {
          const profileId =
            upload.fields.profileId ??
            (typeof req.query.profileId === 'string' ? req.query.profileId : undefined);
          if (profileId === undefined)
            throw new ProblemError(
              'validation_failed',
              'Say which import profile reads this file',
              [{ field: 'profileId', message: 'is required' }],
            );
          const profile = await getImportProfile(ctx.db, profileId);
          if (profile === null || profile.disabled)
            throw new ProblemError('validation_failed', `No enabled import profile ${profileId}`, [
              { field: 'profileId', message: 'must name an enabled import profile' },
            ]);
          const importId = newId('import');
          const storagePath = join(ctx.imports.storageDir, importId);
          const created = await createImportRecord(ctx.db, {
            id: importId,
            fileName: upload.fileName,
            contentSha256: upload.sha256,
            sizeBytes: upload.sizeBytes,
            profileId,
            storagePath,
            createdBy: actor.id,
          });
          if (created.outcome === 'duplicate') {
            throw new ProblemError(
              'conflict',
              `This file was already imported as ${created.firstImportId}`,
              [{ field: 'file', message: `same content as import ${created.firstImportId}` }],
            );
          }
          renameSync(upload.path, storagePath);
          await ctx.temporal.workflow.start(importWorkflow, {
            workflowId: importWorkflowId(requireCouncil(), importId),
            taskQueue: ctx.taskQueue,
            args: [
              {
                importId,
                chunkSize: ctx.imports.chunkRows,
                parallelChunks: ctx.imports.parallelChunks,
              },
            ],
            typedSearchAttributes: [
              { key: imsKindKey, value: 'import' },
              { key: imsImportIdKey, value: importId },
            ],
          });
          return replyWith(await importView(ctx, importId), {
            Location: `/v1/imports/${importId}`,
          });
        } finally {
          rmSync(upload.path, { force: true });
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/imports',
      operationId: 'listImports',
      access: { permission: 'view' },
      summary: 'Imports, newest first',
      tags: ['imports'],
      query: z
        .object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          before: importIdSchema.optional(),
        })
        .strict(),
      successStatus: 200,
      success: {
        description: 'One page of imports',
        schema: z.object({ imports: z.array(importSchema), nextCursor: z.string().nullable() }),
      },
      handler: async ({ query }) => {
        const rows = await listImports(ctx.db, query.limit, query.before);
        const views = await Promise.all(rows.map((row) => importView(ctx, row.id)));
        return {
          imports: views,
          nextCursor: rows.length === query.limit ? (rows.at(-1)?.id ?? null) : null,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/imports/:importId',
      operationId: 'getImport',
      access: { permission: 'view' },
      summary:
        'An import: state, rows read, allocated, suspended, rejected, totals in pence, live progress',
      tags: ['imports'],
      params: z.object({ importId: importIdSchema }),
      successStatus: 200,
      success: { description: 'The import', schema: importSchema },
      errors: { 404: 'No such import' },
      handler: async ({ params }) => importView(ctx, params.importId),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/imports/:importId/errors',
      operationId: 'listImportErrors',
      access: { permission: 'view' },
      summary: 'Line-numbered errors: why a file was refused, or which rows were not income',
      tags: ['imports'],
      params: z.object({ importId: importIdSchema }),
      query: z
        .object({
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          after: z.coerce.number().int().min(-1).default(-1),
        })
        .strict(),
      successStatus: 200,
      success: {
        description: 'Errors in line order',
        schema: z.object({
          errors: z.array(
            z.object({
              seq: count,
              lineNo: count,
              field: z.string().nullable(),
              message: z.string(),
            }),
          ),
        }),
      },
      errors: { 404: 'No such import' },
      handler: async ({ params, query }) => {
        if ((await getImportRecord(ctx.db, params.importId)) === null)
          throw new ProblemError('not_found', `No import ${params.importId}`);
        return {
          errors: await listImportErrors(ctx.db, params.importId, query.limit, query.after),
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/imports/:importId/reverse',
      operationId: 'reverseImport',
      access: { permission: 'import' },
      summary:
        'Reverse every posting of an import (audited); refused if any of its items has been worked since',
      tags: ['imports'],
      params: z.object({ importId: importIdSchema }),
      body: z.object({ reason: z.string().trim().min(1).max(500) }).strict(),
      successStatus: 200,
      success: {
        description: 'Reversed',
        schema: z.object({
          importId: z.string(),
          journalsReversed: count,
          suspenseItemsWithdrawn: count,
        }),
      },
      errors: { 404: 'No such import', 409: 'The import cannot be reversed; `errors` says why' },
      handler: async ({ params, body, req, res }) => {
        const actor = actorOf(req, res);
        const result = await reverseImport(ctx.db, {
          importId: params.importId,
          reason: body.reason,
          actor: actor.id,
          postingDate: businessDateOf(Date.now()),
          requestId: String(res.locals.requestId ?? ''),
        });
        if (result.outcome === 'refused') {
          if (result.reasons.some((reason) => reason.message === 'No such import')) {
            throw new ProblemError('not_found', `No import ${params.importId}`);
          }
          throw new ProblemError('conflict', 'This import cannot be reversed', result.reasons);
        }
        return {
          importId: params.importId,
          journalsReversed: result.journalsReversed,
          suspenseItemsWithdrawn: result.suspenseItemsWithdrawn,
        };
      },
    }),
  ];
}
