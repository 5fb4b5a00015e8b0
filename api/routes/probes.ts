import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { requireCouncil } from '../../db/councils';
import { newId } from '../../domain/ids';
import { type ProbeResult, probeWorkflow, probeWorkflowId } from '../../workflows/probe';
import { imsKindKey } from '../../workflows/searchAttributes';
import type { ApiContext } from '../context';
import { ProblemError } from '../problem';
import { defineRoute, replyWith } from '../route';

const probeIdSchema = z
  .string()
  .regex(/^prb_[0-9a-z]{20}$/, 'must be a probe id (prb_ followed by 20 characters)');

const probeSchema = z
  .object({
    probeId: probeIdSchema,
    state: z.enum(['running', 'completed', 'failed']),
    result: z
      .object({
        recordedAt: z.string(),
        databaseName: z.string(),
        workflowId: z.string(),
        taskQueue: z.string(),
      })
      .optional(),
    failure: z.string().optional(),
  })
  .meta({ id: 'Probe' });

type Probe = z.infer<typeof probeSchema>;

async function readProbe(ctx: ApiContext, probeId: string): Promise<Probe> {
  const handle = ctx.temporal.workflow.getHandle<typeof probeWorkflow>(
    probeWorkflowId(requireCouncil(), probeId),
  );
  try {
    const description = await handle.describe();
    if (description.status.name === 'RUNNING') return { probeId, state: 'running' };
    if (description.status.name !== 'COMPLETED')
      return { probeId, state: 'failed', failure: description.status.name };
    const result: ProbeResult = await handle.result();
    const { probeId: _, ...rest } = result;
    return { probeId, state: 'completed', result: rest };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError)
      throw new ProblemError('not_found', `No probe ${probeId}`);
    throw error;
  }
}

/**
 * End-to-end probes: operations start one after a deploy to prove API → Temporal → worker →
 * PostgreSQL → back works, without touching any money.
 */
export function probeRoutes(ctx: ApiContext) {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/probes',
      operationId: 'startProbe',
      access: { permission: 'operations' },
      summary: 'Start an end-to-end probe workflow',
      tags: ['operations'],
      body: z.object({ requestedBy: z.string().min(1).max(100).default('api') }).strict(),
      successStatus: 202,
      success: { description: 'The probe was started', schema: probeSchema },
      errors: { 503: 'Temporal is unavailable' },
      handler: async ({ body }) => {
        const probeId = newId('probe');
        await ctx.temporal.workflow.start(probeWorkflow, {
          workflowId: probeWorkflowId(requireCouncil(), probeId),
          taskQueue: ctx.taskQueue,
          args: [{ probeId, requestedBy: body.requestedBy }],
          typedSearchAttributes: [{ key: imsKindKey, value: 'probe' }],
        });
        return replyWith(
          { probeId, state: 'running' as const },
          { Location: `/v1/probes/${probeId}` },
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/probes/:probeId',
      operationId: 'getProbe',
      access: { permission: 'operations' },
      summary: 'Read a probe’s state and result',
      tags: ['operations'],
      params: z.object({ probeId: probeIdSchema }),
      query: z.object({
        waitMs: z.coerce
          .number()
          .int()
          .min(0)
          .max(30_000)
          .default(0)
          .describe('Wait up to this long for the probe to finish'),
      }),
      successStatus: 200,
      success: { description: 'The probe', schema: probeSchema },
      errors: { 404: 'No such probe' },
      handler: async ({ params, query }) => {
        const deadline = Date.now() + query.waitMs;
        let probe = await readProbe(ctx, params.probeId);
        while (probe.state === 'running' && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          probe = await readProbe(ctx, params.probeId);
        }
        return probe;
      },
    }),
  ];
}
