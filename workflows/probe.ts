import { defineQuery, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { councilWorkflowId } from '../domain/council';

/**
 * The smallest real lifecycle: the API starts it, the worker runs an activity that writes to
 * PostgreSQL, and the result comes back through Temporal. Operations use it to prove the
 * whole chain works after a deploy.
 */
export type ProbeInput = { probeId: string; requestedBy: string };
export type ProbeState = 'running' | 'completed';
export type ProbeResult = {
  probeId: string;
  recordedAt: string;
  databaseName: string;
  workflowId: string;
  taskQueue: string;
};

export const probeStateQuery = defineQuery<ProbeState>('state');

export function probeWorkflowId(councilId: string, probeId: string): string {
  return councilWorkflowId(councilId, probeId);
}

const probeActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumAttempts: 5 },
} as const;

const { recordProbe } = proxyActivities<Activities>(probeActivityOptions);

export async function probeWorkflow(input: ProbeInput): Promise<ProbeResult> {
  let state: ProbeState = 'running';
  setHandler(probeStateQuery, () => state);
  const record = await recordProbe(input);
  state = 'completed';
  const info = workflowInfo();
  return { ...record, workflowId: info.workflowId, taskQueue: info.taskQueue };
}
