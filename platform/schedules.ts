import {
  type Client,
  Connection,
  ScheduleAlreadyRunning,
  type ScheduleOptions,
  ScheduleOverlapPolicy,
  Client as TemporalClient,
} from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { bankMatchingWorkflow } from '../workflows/bankMatching';
import { closeOfDayWorkflow } from '../workflows/closeOfDay';
import { imsKindKey } from '../workflows/searchAttributes';
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

export function imsSchedules(taskQueue: string): ScheduleOptions[] {
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' } as const;
  return [
    {
      scheduleId: closeOfDayScheduleId,
      spec: { calendars: [{ hour: 2, minute: 0 }], timezone: 'Europe/London' },
      action: {
        type: 'startWorkflow',
        workflowType: closeOfDayWorkflow,
        workflowId: 'scheduled-close-of-day',
        taskQueue,
        args: [{}],
        typedSearchAttributes: [{ key: imsKindKey, value: 'close_of_day' }],
      },
      policies,
    },
    {
      scheduleId: settlementScheduleId,
      spec: { calendars: [{ hour: 6, minute: 0 }], timezone: 'Europe/London' },
      action: {
        type: 'startWorkflow',
        workflowType: settlementWorkflow,
        workflowId: 'scheduled-psp-settlement',
        taskQueue,
        args: [{}],
        typedSearchAttributes: [{ key: imsKindKey, value: 'psp_settlement' }],
      },
      policies,
    },
    {
      scheduleId: bankMatchingScheduleId,
      spec: { calendars: [{ hour: 7, minute: 0 }], timezone: 'Europe/London' },
      action: {
        type: 'startWorkflow',
        workflowType: bankMatchingWorkflow,
        workflowId: 'scheduled-bank-matching',
        taskQueue,
        args: [{}],
        typedSearchAttributes: [{ key: imsKindKey, value: 'bank_matching' }],
      },
      policies,
    },
  ];
}

/** Creates each schedule, or updates it to this definition when it exists (a new deploy). */
export async function ensureSchedules(client: Client, taskQueue: string): Promise<string[]> {
  const ids: string[] = [];
  for (const options of imsSchedules(taskQueue)) {
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
