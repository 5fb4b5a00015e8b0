import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Database } from '../db/client';
import { type ClosedDay, closeDay, getClosedDay } from '../db/closeOfDay';
import { businessDateOf } from '../domain/businessDate';
import { addDays } from '../domain/settlement';

/**
 * Close-of-day side effects. Closing runs in one transaction (db/closeOfDay.ts), so a retry
 * either finds nothing done or finds the day closed; the second case is success when it is a
 * retry of our own attempt and a refusal otherwise.
 */
export const dayAlreadyClosedFailureType = 'DayAlreadyClosed';
export const dayNotEndedFailureType = 'DayNotEnded';

export type ClosedDaySummary = {
  businessDate: string;
  closedAt: string;
  closedBy: string;
  glExportSha256: string;
  fundFeedSha256: string;
  glLineCount: number;
  totalDebitPence: number;
  totalCreditPence: number;
};

export function closedDaySummary(day: ClosedDay): ClosedDaySummary {
  return {
    businessDate: day.businessDate,
    closedAt: day.closedAt.toISOString(),
    closedBy: day.closedBy,
    glExportSha256: day.glExportSha256,
    fundFeedSha256: day.fundFeedSha256,
    glLineCount: day.glLineCount,
    totalDebitPence: day.totalDebitPence,
    totalCreditPence: day.totalCreditPence,
  };
}

export type CloseBusinessDayInput = {
  businessDate: string;
  closedBy: string;
  reason?: string;
  requestId?: string;
};

export function createCloseOfDayActivities(deps: { db: Database; now?: () => number }) {
  const now = deps.now ?? Date.now;
  return {
    /** Yesterday in UK local time: the day the nightly schedule closes. */
    async previousBusinessDate(): Promise<string> {
      return addDays(businessDateOf(now()), -1);
    },

    async closeBusinessDay(input: CloseBusinessDayInput): Promise<ClosedDaySummary> {
      // Only a day that has ended can close: money taken later today still belongs to today.
      const today = businessDateOf(now());
      if (input.businessDate >= today) {
        throw ApplicationFailure.nonRetryable(
          `Business day ${input.businessDate} has not ended yet (today is ${today})`,
          dayNotEndedFailureType,
        );
      }
      const result = await closeDay(deps.db, input);
      if (result.outcome === 'closed') return closedDaySummary(result.day);
      const existing = await getClosedDay(deps.db, input.businessDate);
      // A retry whose first attempt committed but did not report back: that close was ours.
      if (
        existing !== null &&
        Context.current().info.attempt > 1 &&
        existing.closedBy === input.closedBy
      ) {
        return closedDaySummary(existing);
      }
      throw ApplicationFailure.nonRetryable(
        `Business day ${input.businessDate} is already closed`,
        dayAlreadyClosedFailureType,
      );
    },
  };
}
