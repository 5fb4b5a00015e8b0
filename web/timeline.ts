import { WorkflowNotFoundError } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time.js';
import proto from '@temporalio/proto';
import type { Request, Response } from 'express';
import { actorOf } from '../api/actor';
import type { ApiContext } from '../api/context';
import { apiFor } from './api';
import { formatPence, humanise } from './format';
import { messageReceived, stepDone, stepFailed } from './timelineWords';

// @temporalio/proto is CommonJS: under Node's ESM loader its namespace is the default export.
const { temporal } = proto;

/**
 * A case's story for the MOJ timeline, newest first, from three sources: the workflow's history
 * (what Temporal did: started, each step, signals and updates, the end), the record's own events
 * and the audit rows (who changed what, and why). History is read by event type and names only:
 * payloads may be encrypted and are never shown here.
 */
export type TimelineItem = {
  label: { text: string };
  byline?: { text: string };
  datetime: { timestamp: string; type: 'datetime' };
  text: string;
};

const EventType = temporal.api.enums.v1.EventType;

/** Re-exported: pages name states and events in words through the timeline's helpers. */
export { humanise };

export function item(at: string, label: string, text = '', byline?: string): TimelineItem {
  return {
    label: { text: label },
    ...(byline === undefined ? {} : { byline: { text: byline } }),
    datetime: { timestamp: at, type: 'datetime' },
    text,
  };
}

const endings = new Map<number, string>([
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, 'Processing finished'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, 'Processing stopped with an error'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT, 'Processing ran out of time'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED, 'Processing cancelled'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, 'Processing stopped by an operator'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, 'Processing continued'],
]);

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

/** One history event as a timeline entry, or null for the bookkeeping events (tasks, timers). */
function fromEvent(event: HistoryEvent, activityNames: Map<string, string>): TimelineItem | null {
  const at = new Date(tsToMs(event.eventTime)).toISOString();
  switch (event.eventType) {
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
      return item(at, 'Processing started');
    case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
      const scheduled = String(event.activityTaskCompletedEventAttributes?.scheduledEventId ?? '');
      return item(at, stepDone(activityNames.get(scheduled) ?? 'activity'));
    }
    case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED: {
      const scheduled = String(event.activityTaskFailedEventAttributes?.scheduledEventId ?? '');
      return item(at, stepFailed(activityNames.get(scheduled) ?? 'activity'));
    }
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
      return item(
        at,
        messageReceived(event.workflowExecutionSignaledEventAttributes?.signalName ?? 'signal'),
      );
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: {
      const name =
        event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name;
      return item(at, messageReceived(name ?? 'update'));
    }
    default: {
      const ending = endings.get(event.eventType ?? 0);
      return ending === undefined ? null : item(at, ending);
    }
  }
}

/**
 * The workflow's history as timeline items; empty when there is no such workflow (it never
 * started, or history was deleted after retention), null when Temporal could not be asked.
 */
export async function workflowTimeline(
  ctx: ApiContext,
  workflowId: string,
): Promise<TimelineItem[] | null> {
  try {
    const history = await ctx.temporal.workflow.getHandle(workflowId).fetchHistory();
    const activityNames = new Map<string, string>();
    const items: TimelineItem[] = [];
    for (const event of history.events ?? []) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled) activityNames.set(String(event.eventId), scheduled.activityType?.name ?? '');
      const entry = fromEvent(event, activityNames);
      if (entry !== null) items.push(entry);
    }
    return items;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return [];
    ctx.logger.warn({ err: error, workflowId }, 'could not read workflow history');
    return null;
  }
}

export type AuditRow = { occurredAt: string; actor: string; action: string; reason: string | null };

export function auditItems(rows: readonly AuditRow[]): TimelineItem[] {
  return rows.map((row) => item(row.occurredAt, humanise(row.action), row.reason ?? '', row.actor));
}

/** Audit rows about one entity, for those who may read the audit trail (others see none). */
export async function auditTimeline(
  ctx: ApiContext,
  req: Request,
  res: Response,
  entityId: string,
): Promise<TimelineItem[]> {
  if (!actorOf(req, res).permissions.has('audit.read')) return [];
  const found = await apiFor(
    ctx,
    req,
    res,
  )<{ items: AuditRow[] }>('searchAudit', {
    query: { entityId, limit: '100' },
  });
  return auditItems(found.items);
}

/** Details as 'key: value' pairs, for events that carry a small record. */
export function describeDetail(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .filter(([, value]) => value !== null && value !== undefined && typeof value !== 'object')
    .map(([key, value]) =>
      key.endsWith('Pence') && typeof value === 'number'
        ? `${humanise(key.slice(0, -5))}: ${formatPence(value)}`
        : `${humanise(key)}: ${String(value)}`,
    )
    .join('; ');
}

/** Newest first, as the MOJ timeline shows them. */
export function newestFirst(items: readonly TimelineItem[]): TimelineItem[] {
  return [...items].sort((a, b) => b.datetime.timestamp.localeCompare(a.datetime.timestamp));
}
