import { randomBytes } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { sql as drizzleSql } from 'drizzle-orm';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { recordAudit } from '../../db/audit';
import { councilExportChecksum } from '../../db/councilExport';
import { encryptingCodecsOf } from '../../db/councilKeys';
import { withCouncil } from '../../db/councils';
import { BundleRefusedError, onboardCouncil } from '../../db/onboarding';
import { councilOfWorkflowId, providerCouncilId } from '../../domain/council';
import type { BundleProblem, CouncilBundle } from '../../domain/councilBundle';
import { csvSetFiles } from '../../domain/councilBundleCsv';
import { classifyWorkflow } from '../../domain/stuckWorkflows';
import { deleteCouncilSchedules, ensureSchedules } from '../../platform/schedules';
import { imsCouncilKey, imsKindKey, imsStateKey } from '../../workflows/searchAttributes';
import { type Actor, actorOf } from '../actor';
import { hashPassword } from '../auth/passwords';
import type { ApiContext } from '../context';
import { councilBundleFromCsv } from '../councilBundleCsv';
import { sendCouncilExport } from '../councilExportDownload';
import { ProblemError } from '../problem';
import { defineRoute, replyWith } from '../route';
import { asCouncilBundle, councilBundleSchema } from '../schemas/councilBundle';
import { readUploadedTexts } from '../upload';

/**
 * Councils as the service provider sees them (docs/tenancy.md): onboarding from a bundle, the
 * list of councils, every council's running and stuck workflows without their data, and
 * offboarding. A council's own administrators export their council.
 */

const tags = ['councils'];
const councilParams = z.object({ councilId: z.string().min(2).max(40) });
const scanLimit = 500;
/** A CSV set is a dozen files of a few kilobytes; a megabyte each is ample. */
const csvSetLimits = { partsMax: 20, bytesMax: 1_000_000 };

/** The provider permission is held in the provider's own council, which holds no data. */
function requireProvider(actor: Actor): void {
  if (actor.councilId !== providerCouncilId)
    throw new ProblemError('forbidden', 'Only the service provider’s operators manage councils');
}

const onboardedSchema = z
  .object({
    councilId: z.string(),
    signInPath: z.string(),
    schedules: z
      .array(z.string())
      .describe(
        'The council’s nightly schedules; empty when Temporal could not be reached (retry with npm start or the provider API later)',
      ),
    administrator: z.object({
      username: z.string(),
      password: z.string().describe('Shown once: the administrator changes it on first sign-in'),
    }),
  })
  .meta({ id: 'OnboardedCouncil' });

const councilListSchema = z
  .object({
    councils: z.array(z.object({ id: z.string(), name: z.string(), createdAt: z.string() })),
  })
  .meta({ id: 'CouncilList' });

const stuckCaseSchema = z.object({
  workflowId: z.string(),
  workflowType: z.string(),
  kind: z.string().nullable(),
  state: z.string().nullable(),
  runningMs: z.number().int(),
  overdue: z.boolean(),
  failing: z.boolean(),
  activityAttempts: z.array(z.object({ activityType: z.string(), attempt: z.number() })),
});
type StuckCase = z.output<typeof stuckCaseSchema>;

const councilWorkflowsSchema = z
  .object({
    scannedCount: z.number().int(),
    truncated: z.boolean(),
    councils: z.array(
      z.object({
        councilId: z.string(),
        runningCount: z.number().int(),
        stuck: z.array(stuckCaseSchema),
      }),
    ),
  })
  .meta({ id: 'CouncilWorkflows' });

const offboardBody = z
  .object({
    exportSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .describe('The checksum of the export just taken: proof the council has its data'),
    reason: z.string().trim().min(1).max(500),
  })
  .strict();

const offboardedSchema = z
  .object({
    councilId: z.string(),
    rowsDeleted: z.number().int(),
    workflowsDeleted: z.number().int(),
  })
  .meta({ id: 'OffboardedCouncil' });

async function listCouncils(ctx: ApiContext) {
  return ctx.sql<{ id: string; name: string; createdAt: Date }[]>`
    select id, name, created_at as "createdAt" from ims_list_councils()`;
}

/** Running workflows of every council, stuck ones with activity attempts but no payloads. */
async function workflowsByCouncil(ctx: ApiContext) {
  const now = Date.now();
  const byCouncil = new Map<string, { runningCount: number; stuck: StuckCase[] }>();
  let scannedCount = 0;
  let truncated = false;
  for await (const info of ctx.temporal.workflow.list({ query: "ExecutionStatus='Running'" })) {
    if (scannedCount === scanLimit) {
      truncated = true;
      break;
    }
    scannedCount++;
    const councilId = councilOfWorkflowId(info.workflowId);
    const entry = byCouncil.get(councilId) ?? { runningCount: 0, stuck: [] };
    byCouncil.set(councilId, entry);
    entry.runningCount++;
    let description: Awaited<
      ReturnType<ReturnType<typeof ctx.temporal.workflow.getHandle>['describe']>
    >;
    try {
      description = await ctx.temporal.workflow.getHandle(info.workflowId, info.runId).describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) continue;
      throw error;
    }
    const activities = (description.raw.pendingActivities ?? []).map((activity) => ({
      activityId: activity.activityId ?? '',
      activityType: activity.activityType?.name ?? '',
      state: 'pending',
      attempt: activity.attempt ?? 0,
      lastFailure: null,
      nextAttemptAt: null,
    }));
    const state = description.typedSearchAttributes.get(imsStateKey) ?? null;
    const runningMs = Math.max(0, now - description.startTime.getTime());
    const verdict = classifyWorkflow({
      workflowType: description.type,
      state,
      runningMs,
      pendingActivities: activities,
      workflowTaskAttempt: description.raw.pendingWorkflowTask?.attempt ?? null,
    });
    if (!verdict.overdue && !verdict.failing) continue;
    entry.stuck.push({
      workflowId: info.workflowId,
      workflowType: description.type,
      kind: description.typedSearchAttributes.get(imsKindKey) ?? null,
      state,
      runningMs,
      overdue: verdict.overdue,
      failing: verdict.failing,
      activityAttempts: activities.map(({ activityType, attempt }) => ({ activityType, attempt })),
    });
  }
  const councils = [...byCouncil.entries()]
    .map(([councilId, entry]) => ({ councilId, ...entry }))
    .sort((a, b) => a.councilId.localeCompare(b.councilId));
  return { scannedCount, truncated, councils };
}

/** Ends and deletes every workflow of the council (running or closed). */
async function deleteCouncilWorkflows(ctx: ApiContext, councilId: string): Promise<number> {
  const query = `${imsCouncilKey.name} = '${councilId}'`;
  let deleted = 0;
  for await (const info of ctx.temporal.workflow.list({ query })) {
    // The attribute is set from the id; checking again costs nothing and guards a typo'd query.
    if (councilOfWorkflowId(info.workflowId) !== councilId) continue;
    await ctx.temporal.workflowService.deleteWorkflowExecution({
      namespace: ctx.namespace,
      workflowExecution: { workflowId: info.workflowId, runId: info.runId },
    });
    deleted++;
  }
  return deleted;
}

export function councilRoutes(ctx: ApiContext) {
  const codec = () => encryptingCodecsOf(ctx.temporal.options.loadedDataConverter)[0];

  /**
   * Onboards a checked bundle, then registers its schedules; `refuse` answers the bundle's
   * problems in the words of what the caller sent (JSON fields, or CSV files and lines).
   */
  async function onboard(
    bundle: CouncilBundle,
    { req, res }: { req: Request; res: Response },
    refuse: (problems: BundleProblem[]) => never,
  ) {
    const password = randomBytes(18).toString('base64url');
    try {
      await onboardCouncil(ctx.db, bundle, {
        meta: { actor: actorOf(req, res).id, requestId: String(res.locals.requestId) },
        administratorPasswordHash: await hashPassword(password),
        codec: codec(),
      });
    } catch (error) {
      if (error instanceof BundleRefusedError) refuse(error.problems);
      throw error;
    }
    // Its own close of day, settlement and bank matching; they encrypt as the new council.
    const schedules = await withCouncil(bundle.council.id, () =>
      ensureSchedules(ctx.temporal, ctx.taskQueue, bundle.council.id),
    ).catch((error: unknown) => {
      ctx.logger.error({ err: error, councilId: bundle.council.id }, 'schedules not registered');
      return [] as string[];
    });
    await recordAudit(ctx.db, {
      actor: actorOf(req, res).id,
      action: 'council.onboard',
      entityType: 'council',
      entityId: bundle.council.id,
      after: { name: bundle.council.name, administrator: bundle.administrator.username },
      requestId: String(res.locals.requestId),
    });
    return replyWith(
      {
        councilId: bundle.council.id,
        signInPath: `/sign-in?council=${bundle.council.id}`,
        schedules,
        administrator: { username: bundle.administrator.username, password },
      },
      { 'Cache-Control': 'no-store' },
    );
  }

  return [
    defineRoute({
      method: 'post',
      path: '/v1/provider/councils',
      operationId: 'onboardCouncil',
      access: { permission: 'provider' },
      summary: 'Onboard a council from its bundle: configuration, first administrator, keys',
      tags,
      body: councilBundleSchema,
      successStatus: 201,
      success: { description: 'The council exists and can sign in', schema: onboardedSchema },
      errors: {
        403: 'Not the service provider',
        400: 'The bundle is refused, naming each problem',
      },
      handler: async ({ body, req, res }) => {
        requireProvider(actorOf(req, res));
        return onboard(asCouncilBundle(body), { req, res }, (problems) => {
          throw new ProblemError(
            'validation_failed',
            'The council bundle is refused',
            problems.map((problem) => ({
              field: `body.${problem.field}`,
              message: problem.message,
            })),
          );
        });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/provider/councils/csv',
      operationId: 'onboardCouncilFromCsv',
      access: { permission: 'provider' },
      summary:
        'Onboard a council from a CSV set: multipart/form-data, one part per file, named as the file (`funds.csv`)',
      tags,
      upload: {
        files: Object.fromEntries(
          csvSetFiles.map(({ file, columns }) => [
            file,
            columns.length === 0
              ? 'The GL export layout, as in the JSON bundle'
              : `Columns: ${columns.join(', ')}`,
          ]),
        ),
        required: csvSetFiles.filter((file) => file.required).map((file) => file.file),
      },
      successStatus: 201,
      success: { description: 'The council exists and can sign in', schema: onboardedSchema },
      errors: {
        403: 'Not the service provider',
        413: 'A file is larger than 1 MB, or more files than a CSV set holds',
        415: 'Not multipart/form-data',
        422: 'The CSV set is refused, each problem naming its file, line and column',
      },
      handler: async ({ req, res }) => {
        requireProvider(actorOf(req, res));
        const files = await readUploadedTexts(req, csvSetLimits);
        const outcome = councilBundleFromCsv(files);
        const refuse = (problems: BundleProblem[]): never => {
          throw new ProblemError('unprocessable', 'The council CSV set is refused', problems);
        };
        if (!outcome.ok) return refuse(outcome.problems);
        return onboard(outcome.bundle, { req, res }, (problems) =>
          refuse(
            problems.map((problem) => ({ ...problem, field: outcome.placeOf(problem.field) })),
          ),
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/provider/councils',
      operationId: 'listCouncils',
      access: { permission: 'provider' },
      summary: 'Every council on this deployment: id and name only',
      tags,
      successStatus: 200,
      success: { description: 'The councils', schema: councilListSchema },
      handler: async ({ req, res }) => {
        requireProvider(actorOf(req, res));
        const rows = await listCouncils(ctx);
        return {
          councils: rows.map((row) => ({
            ...row,
            createdAt: new Date(row.createdAt).toISOString(),
          })),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/provider/workflows',
      operationId: 'listCouncilWorkflows',
      access: { permission: 'provider' },
      summary: 'Every council’s running workflows and stuck cases, without their payloads',
      tags,
      successStatus: 200,
      success: { description: 'Per council', schema: councilWorkflowsSchema },
      handler: async ({ req, res }) => {
        requireProvider(actorOf(req, res));
        return workflowsByCouncil(ctx);
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/provider/councils/:councilId',
      operationId: 'offboardCouncil',
      access: { permission: 'provider' },
      summary: 'Offboard a council: delete its rows, its workflows and its payload keys',
      tags,
      params: councilParams,
      body: offboardBody,
      successStatus: 200,
      success: { description: 'The council is gone', schema: offboardedSchema },
      errors: {
        403: 'Not the service provider',
        404: 'No such council',
        409: 'The council changed since the export named by exportSha256',
      },
      handler: async ({ params, body, req, res }) => {
        const actor = actorOf(req, res);
        requireProvider(actor);
        const { councilId } = params;
        if (!(await listCouncils(ctx)).some((council) => council.id === councilId))
          throw new ProblemError('not_found', `No council ${councilId}`);
        if (councilId === providerCouncilId || councilId === 'default')
          throw new ProblemError('conflict', `Council ${councilId} cannot be offboarded`);
        // The provider never sees the data: the export is made in the council's scope, and
        // only its checksum leaves it, to prove the council holds what is about to go. It is
        // hashed as it streams and never held, however large the council.
        const current = await withCouncil(councilId, () =>
          councilExportChecksum(ctx.sql, councilId),
        );
        if (current.sha256 !== body.exportSha256)
          throw new ProblemError(
            'conflict',
            'The council’s data differs from the export named: export again before offboarding',
            [{ field: 'body.exportSha256', message: `the current export is ${current.sha256}` }],
          );
        await deleteCouncilSchedules(ctx.temporal, councilId);
        const workflowsDeleted = await deleteCouncilWorkflows(ctx, councilId);
        const [deleted] = await ctx.db.execute<{ rows: number }>(
          drizzleSql`select ims_delete_council(${councilId})::int as rows`,
        );
        codec()?.forgetCouncilKeys(councilId);
        await recordAudit(ctx.db, {
          actor: actor.id,
          action: 'council.offboard',
          entityType: 'council',
          entityId: councilId,
          reason: body.reason,
          after: { exportSha256: body.exportSha256, workflowsDeleted },
          requestId: String(res.locals.requestId),
        });
        return { councilId, rowsDeleted: Number(deleted?.rows ?? 0), workflowsDeleted };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/council/export',
      operationId: 'exportCouncil',
      access: { permission: 'configure' },
      summary: 'Everything of the caller’s council as one JSON document, with its SHA-256',
      tags,
      successStatus: 200,
      success: {
        description: 'The export; X-Export-SHA256 and Content-Digest carry its checksum',
        contentType: 'application/json',
      },
      handler: async ({ req, res }) => {
        const councilId = String(actorOf(req, res).councilId);
        // Audited first, so the export holds its own audit row and taking it changes nothing
        // after: the provider's check before offboarding then finds the same checksum.
        await recordAudit(ctx.db, {
          actor: actorOf(req, res).id,
          action: 'council.export',
          entityType: 'council',
          entityId: councilId,
          requestId: String(res.locals.requestId),
        });
        // Streamed through a scratch file so the checksum can lead, in the headers
        // (api/councilExportDownload.ts explains why not trailers).
        await sendCouncilExport(ctx.sql, councilId, res, ctx.exportScratchDir);
        return undefined;
      },
    }),
  ];
}
