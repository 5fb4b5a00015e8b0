import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';

// @temporalio/proto is CommonJS; its namespace object arrives as the default export under ESM.
const { TaskQueueType } = proto.temporal.api.enums.v1;

/**
 * The process ids polling a task queue for both workflow and activity tasks, as Temporal sees
 * them (the SDK's default identity is `pid@host`). A worker counts as up only when it polls
 * both: one that polls workflows alone would leave every activity waiting.
 */
export async function pollingProcessIds(
  address: string,
  namespace: string,
  taskQueue: string,
): Promise<Set<number>> {
  const connection = await Connection.connect({ address });
  try {
    const pidsFor = async (taskQueueType: proto.temporal.api.enums.v1.TaskQueueType) => {
      const described = await connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue },
        taskQueueType,
      });
      // Pollers seen in the last few minutes are listed; a killed one lingers, so callers
      // compare with the pids they started.
      return new Set(
        (described.pollers ?? []).map((poller) => Number.parseInt(poller.identity ?? '', 10)),
      );
    };
    const workflowPids = await pidsFor(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW);
    const activityPids = await pidsFor(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY);
    return new Set([...workflowPids].filter((pid) => activityPids.has(pid)));
  } finally {
    await connection.close();
  }
}
