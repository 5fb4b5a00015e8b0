import { eq, sql } from 'drizzle-orm';
import { recordAudit } from './audit';
import type { Database } from './client';
import type { Executor } from './executor';
import { glExportLayout, produceCloseFiles } from './glExport';
import { type JournalInput, type PostedJournal, postJournal } from './ledger';
import { closedDays, journals } from './schema';

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
    // The layout in force is stored with the day, so its files regenerate byte for byte later.
    const glLayout = (await glExportLayout(tx)).value;
    const inserted = await tx
      .insert(closedDays)
      .values({
        businessDate: input.businessDate,
        closedBy: input.closedBy,
        reason: input.reason ?? null,
        glLayout,
        ...(await produceCloseFiles(tx, input.businessDate, glLayout)),
      })
      .onConflictDoNothing({ target: [closedDays.councilId, closedDays.businessDate] })
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
 * The first day on or after `date` that is not closed. Journals the IMS posts for a day already
 * closed (a bank match of a line dated to it, a manual journal dated to it) go to this day
 * instead of being refused by the trigger: see `postJournalOnOpenDay`. postJournal itself
 * deliberately does not move dates.
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

async function isClosed(db: Pick<Database, 'execute'>, date: string): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from closed_days where business_date = ${date}`);
  return rows.length > 0;
}

/** The posted journal, the day it went to, and the day it was meant for when that was closed. */
export type OpenDayPosting = PostedJournal & { postingDate: string; intendedDate: string | null };

/** What a moved journal's description carries, so the GL and auditors see why it is late. */
export function movedNote(intendedDate: string): string {
  return ` [for ${intendedDate}, a closed day: posted to the next open day]`;
}

/**
 * Posts `input` on its posting date, or, when that day is closed, on the next open business
 * day with the intended date recorded in the description. Idempotent by key like postJournal:
 * a retry finds the journal the first attempt posted (even if its day has closed since) rather
 * than moving it again. Call inside the caller's transaction; a day closing between the check
 * and the insert is refused by the trigger, and a retry then moves on.
 */
export async function postJournalOnOpenDay(
  tx: Executor,
  input: JournalInput,
): Promise<OpenDayPosting> {
  const [existing] = await tx
    .select({ id: journals.id, postingDate: journals.postingDate })
    .from(journals)
    .where(eq(journals.idempotencyKey, input.idempotencyKey));
  if (existing !== undefined && (await isClosed(tx, existing.postingDate))) {
    // Posted by an earlier attempt on a day that has closed since: the trigger would refuse
    // even the no-op insert, and the journal is in the ledger already.
    return {
      journalId: existing.id,
      created: false,
      postingDate: existing.postingDate,
      intendedDate: existing.postingDate === input.postingDate ? null : input.postingDate,
    };
  }
  // A retry posts on the day the first attempt chose (postJournal then checks its content).
  const postingDate = existing?.postingDate ?? (await nextOpenBusinessDate(tx, input.postingDate));
  const moved = postingDate !== input.postingDate;
  const posted = await postJournal(tx, {
    ...input,
    postingDate,
    description: moved ? `${input.description}${movedNote(input.postingDate)}` : input.description,
  });
  return { ...posted, postingDate, intendedDate: moved ? input.postingDate : null };
}
