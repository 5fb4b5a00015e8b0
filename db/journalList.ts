import { and, desc, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import type { Executor } from './executor';
import { journals } from './schema';

/**
 * The journal list: newest first (ids are time-ordered), a page at a time. Each row says which
 * journal reversed it, so the list shows what has been undone without opening every journal.
 */

export type JournalFilter = {
  kind?: string;
  sourceId?: string;
  reversesJournalId?: string;
  from?: string;
  to?: string;
  /** Only moves, transfers and their reversals: what staff post by hand. */
  manual?: boolean;
  before?: string;
  limit: number;
};

// Moves and transfers are kind `transfer`; their undoing is a `reversal` that names them.
const manualKinds = ['transfer', 'reversal'];

export async function listJournals(db: Executor, filter: JournalFilter) {
  // Spelt out: drizzle leaves a one-table query's columns unqualified, which inside the
  // subquery would name the reversal's own columns.
  const reversal = sql<string | null>`(
    select r.id from journals r
     where r.council_id = "journals"."council_id" and r.reverses_journal_id = "journals"."id")`;
  const rows = await db
    .select({
      journalId: journals.id,
      kind: journals.kind,
      description: journals.description,
      postingDate: journals.postingDate,
      causedBy: journals.causedBy,
      sourceType: journals.sourceType,
      sourceId: journals.sourceId,
      reversesJournalId: journals.reversesJournalId,
      reversedBy: reversal,
      totalPence: journals.totalPence,
      createdAt: journals.createdAt,
    })
    .from(journals)
    .where(
      and(
        filter.kind === undefined ? undefined : eq(journals.kind, filter.kind),
        filter.manual === true ? inArray(journals.kind, manualKinds) : undefined,
        filter.sourceId === undefined ? undefined : eq(journals.sourceId, filter.sourceId),
        filter.reversesJournalId === undefined
          ? undefined
          : eq(journals.reversesJournalId, filter.reversesJournalId),
        filter.from === undefined ? undefined : gte(journals.postingDate, filter.from),
        filter.to === undefined ? undefined : lte(journals.postingDate, filter.to),
        filter.before === undefined ? undefined : lt(journals.id, filter.before),
      ),
    )
    .orderBy(desc(journals.id))
    .limit(filter.limit);
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
}
