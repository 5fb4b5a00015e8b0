import { eq, sql } from 'drizzle-orm';
import { recordAudit } from './audit';
import type { Database } from './client';
import { produceCloseFiles } from './glExport';
import { closedDays } from './schema';

/**
 * Closing a business day: produce its GL export and fund feed, store the bytes and their
 * sha256, and record who closed it, all in one transaction with its audit row. From then on
 * the journals trigger (migration 0006) refuses any journal dated to that day.
 */
export type ClosedDay = typeof closedDays.$inferSelect;

export type CloseDayInput = {
  businessDate: string;
  closedBy: string;
  reason?: string;
  requestId?: string;
};

export type CloseDayResult = { outcome: 'closed'; day: ClosedDay } | { outcome: 'already_closed' };

export async function closeDay(db: Database, input: CloseDayInput): Promise<CloseDayResult> {
  return db.transaction(async (tx) => {
    // SHARE mode waits for journals being posted now and holds new ones back until we commit;
    // after that the trigger sees our row. Without it a journal could commit after we read the
    // day's postings and before our row exists, and be missing from the export.
    await tx.execute(sql`lock table journals in share mode`);
    const inserted = await tx
      .insert(closedDays)
      .values({
        businessDate: input.businessDate,
        closedBy: input.closedBy,
        reason: input.reason ?? null,
        ...(await produceCloseFiles(tx, input.businessDate)),
      })
      .onConflictDoNothing({ target: closedDays.businessDate })
      .returning();
    const day = inserted[0];
    if (day === undefined) return { outcome: 'already_closed' as const };
    await recordAudit(tx, {
      actor: input.closedBy,
      action: 'closed_day.close',
      entityType: 'closed_day',
      entityId: input.businessDate,
      reason: input.reason,
      after: {
        glExportSha256: day.glExportSha256,
        fundFeedSha256: day.fundFeedSha256,
        glLineCount: day.glLineCount,
        totalDebitPence: day.totalDebitPence,
      },
      requestId: input.requestId,
    });
    return { outcome: 'closed' as const, day };
  });
}

export async function getClosedDay(
  db: Pick<Database, 'select'>,
  businessDate: string,
): Promise<ClosedDay | null> {
  const [row] = await db.select().from(closedDays).where(eq(closedDays.businessDate, businessDate));
  return row ?? null;
}

/**
 * The first day on or after `date` that is not closed. Workflows that receive money for a day
 * already closed (a late webhook after 02:00) can post to this day instead of being refused by
 * the trigger; nothing calls it yet, and postJournal deliberately does not move dates itself.
 */
export async function nextOpenBusinessDate(
  db: Pick<Database, 'execute'>,
  date: string,
): Promise<string> {
  const [row] = await db.execute<{ day: string }>(sql`
    select d::date::text as day
      from generate_series(${date}::date, ${date}::date + 3660, interval '1 day') as d
     where not exists (select 1 from closed_days c where c.business_date = d::date)
     limit 1`);
  if (row === undefined) throw new Error(`no open business day within ten years of ${date}`);
  return row.day;
}
