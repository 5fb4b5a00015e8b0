import { proxyActivities } from '@temporalio/workflow';

// Re-export the product's workflows so one bundle serves the benchmark's worker.
export * from '../workflows';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '10 seconds' });

/** The Temporal floor: a workflow that does nothing but run `activities` empty activities. */
export async function floorWorkflow(activities: number): Promise<void> {
  for (let i = 0; i < activities; i++) await noop();
}
