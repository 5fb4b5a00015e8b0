import {
  type Client,
  Connection,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type ScheduleOptions,
  ScheduleOverlapPolicy,
  Client as TemporalClient,
} from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { councilWorkflowId, defaultCouncilId } from '../domain/council';
import { bankMatchingWorkflow } from '../workflows/bankMatching';
import { closeOfDayWorkflow } from '../workflows/closeOfDay';
import { outboxSweepWorkflow } from '../workflows/outbox';
import { imsCouncilKey, imsKindKey } from '../workflows/searchAttributes';
import { settlementWorkflow } from '../workflows/settlement';

/**
 * The IMS's nightly work, as Temporal Schedules in UK local time: close yesterday at 02:00,
 * reconcile yesterday's PSP settlement at 06:00 (GOV.UK Pay's settlement data is complete by
 * then), and match the bank statements against what that expects at 07:00. SKIP overlaps: a
 * second close of the same day would only be refused. A one-day catch-up window means an
 * outage overnight still closes the day once Temporal is back.
 */
export const closeOfDayScheduleId = 'ims-close-of-day';
export const settlementScheduleId = 'ims-psp-settlement';
export const bankMatchingScheduleId = 'ims-bank-matching';
/** Every minute: a webhook relay for each outbox message not yet relayed (docs/webhooks.md). */
export const outboxSweepScheduleId = 'ims-outbox-sweep';

/** A council's schedule ids: the default council's are the ones from before tenancy. */
export function councilScheduleIds(councilId: string): string[] {
  return [
    closeOfDayScheduleId,
    settlementScheduleId,
    bankMatchingScheduleId,
    outboxSweepScheduleId,
  ].map((id) => councilWorkflowId(councilId, id));
}

/** Each council closes its own day, reconciles its own settlement and matches its own bank. */
export function imsSchedules(
  taskQueue: string,
  councilId: string = defaultCouncilId,
): ScheduleOptions[] {
  const named = (id: string) => councilWorkflowId(councilId, id);
  const attributes = (kind: string) => [
    { key: imsKindKey, value: kind },
    { key: imsCouncilKey, value: councilId },
  ];
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' } as const;
  return [
    {
      scheduleId: named(closeOfDayScheduleId),
      spec: { calendars: [{ hour: 2, minute: 0 }], timezone: 'Europe/London' },
      action: {
        type: 'startWorkflow',
        workflowType: closeOfDayWorkflow,
        workflowId: named('scheduled-close-of-day'),
        taskQueue,
        args: [{}],
        typedSearchAttributes: attributes('close_of_day'),
      },
      policies,
    },
    {
      scheduleId: named(settlementScheduleId),
      spec: { calendars: [{ hour: 6, minute: 0 }], timezone: 'Europe/London' },
      action: {
        type: 'startWorkflow',
        workflowType: settlementWorkflow,
        workflowId: named('scheduled-psp-settlement'),
        taskQueue,
        args: [{}],
        typedSearchAttributes: attributes('psp_settlement'),
      },
      policies,
    },
    {
      scheduleId: named(bankMatchingScheduleId),
      spec: { calendars: [{ hour: 7, minute: 0 }], timezone: 'Europe/London' },
      action: {
        type: 'startWorkflow',
        workflowType: bankMatchingWorkflow,
        workflowId: named('scheduled-bank-matching'),
        taskQueue,
        args: [{}],
        typedSearchAttributes: attributes('bank_matching'),
      },
      policies,
    },
    {
      // The safety net after a crash between the money and the relay's start; a missed minute
      // is simply the next minute's work, so there is nothing to catch up.
      scheduleId: named(outboxSweepScheduleId),
      spec: { intervals: [{ every: '1 minute' }] },
      action: {
        type: 'startWorkflow',
        workflowType: outboxSweepWorkflow,
        workflowId: named('scheduled-outbox-sweep'),
        taskQueue,
        args: [],
        typedSearchAttributes: attributes('outbox_sweep'),
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
    },
  ];
}

/** Creates each schedule, or updates it to this definition when it exists (a new deploy). */
export async function ensureSchedules(
  client: Client,
  taskQueue: string,
  councilId: string = defaultCouncilId,
): Promise<string[]> {
  const ids: string[] = [];
  for (const options of imsSchedules(taskQueue, councilId)) {
    try {
      await client.schedule.create(options);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      const { scheduleId: _, ...definition } = options;
      await client.schedule.getHandle(options.scheduleId).update((previous) => ({
        ...previous,
        ...definition,
        state: previous.state,
      }));
    }
    ids.push(options.scheduleId);
  }
  return ids;
}

/** Offboarding: a council's schedules go with it. */
export async function deleteCouncilSchedules(client: Client, councilId: string): Promise<void> {
  for (const id of councilScheduleIds(councilId)) {
    await client.schedule
      .getHandle(id)
      .delete()
      .catch((error: unknown) => {
        if (!(error instanceof ScheduleNotFoundError)) throw error;
      });
  }
}

/** For `npm start`: schedules matter, but a failure to register them must not stop the IMS. */
export async function registerSchedulesAtStart(
  options: {
    address: string;
    namespace: string;
    taskQueue: string;
    /** The schedules' workflow arguments are payloads: encrypt them like every other. */
    dataConverter?: DataConverter;
  },
  say: (message: string) => void,
): Promise<void> {
  try {
    const connection = await Connection.connect({ address: options.address });
    try {
      const client = new TemporalClient({
        connection,
        namespace: options.namespace,
        dataConverter: options.dataConverter,
      });
      const ids = await ensureSchedules(client, options.taskQueue);
      say(`schedules registered: ${ids.join(', ')}`);
    } finally {
      await connection.close();
    }
  } catch (error) {
    say(`could not register schedules: ${error instanceof Error ? error.message : String(error)}`);
  }
}
