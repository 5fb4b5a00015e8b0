import type { temporal } from '@temporalio/proto';

/**
 * What one workflow run cost Temporal, from its history (issue 16 item 4): each workflow task is
 * a round trip from the server to a worker and back, each activity two more, and every signal,
 * update or timer firing wakes the workflow for another workflow task.
 */
export type HistoryCounts = {
  events: number;
  workflowTasks: number;
  activities: number;
  signals: number;
  updates: number;
  timers: number;
};

export function historyCounts(history: temporal.api.history.v1.IHistory): HistoryCounts {
  const events = history.events ?? [];
  const count = (has: (event: temporal.api.history.v1.IHistoryEvent) => unknown) =>
    events.filter((event) => has(event)).length;
  return {
    events: events.length,
    workflowTasks: count((event) => event.workflowTaskCompletedEventAttributes),
    activities: count((event) => event.activityTaskScheduledEventAttributes),
    signals: count((event) => event.workflowExecutionSignaledEventAttributes),
    updates: count((event) => event.workflowExecutionUpdateAcceptedEventAttributes),
    timers: count((event) => event.timerStartedEventAttributes),
  };
}
