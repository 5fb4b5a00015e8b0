import {
  and,
  asc,
  desc,
  eq,
  exists,
  gte,
  ilike,
  isNotNull,
  lt,
  lte,
  type SQL,
  sql,
} from 'drizzle-orm';
import { newId } from '../domain/ids';
import { suspenseIntakeLines } from '../domain/suspense';
import { recordAudit } from './audit';
import { postJournalOnOpenDay } from './closeOfDay';
import type { AuditMeta } from './configWrites';
import type { Executor } from './executor';
import {
  funds,
  ledgerAccounts,
  suspenseAllocations,
  suspenseEvents,
  suspenseItems,
  suspenseWork,
} from './schema';

/**
 * Suspense items as staff see them: creating one by hand, reading one with its notes,
 * allocations and history, and searching the list. What the SuspenseWorkflow does to an item
 * is in db/suspenseActions.ts.
 */

export class SuspenseSetupError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'SuspenseSetupError';
  }
}

/** The one fund flagged as suspense; its absence is a configuration error, not a bug. */
export async function suspenseFundCode(db: Executor): Promise<string> {
  const [row] = await db.select({ code: funds.code }).from(funds).where(eq(funds.isSuspense, true));
  if (row === undefined) throw new SuspenseSetupError('fundCode', 'No fund is marked as suspense');
  return row.code;
}

export type ManualSuspenseInput = {
  amountPence: number;
  receivedReference: string;
  narrative: string;
  receivedDate: string;
  controlAccountCode: string;
  fundCodeHint: string | null;
  reason: string;
};

/**
 * Money staff put into suspense by hand (a cheque with no reference, an unexplained bank
 * credit): the item, its intake journal (Dr control account / Cr suspense fund) and the audit
 * row, in one transaction.
 */
export async function createManualSuspenseItem(
  db: Executor,
  input: ManualSuspenseInput,
  meta: AuditMeta,
) {
  return db.transaction(async (tx) => {
    const [account] = await tx
      .select({ kind: ledgerAccounts.kind })
      .from(ledgerAccounts)
      .where(eq(ledgerAccounts.code, input.controlAccountCode));
    if (account?.kind !== 'control') {
      throw new SuspenseSetupError('controlAccountCode', 'must name a control account');
    }
    const fundCode = await suspenseFundCode(tx);
    const id = newId('suspense');
    // The item keeps the day the money arrived; its journal goes to the next open day when
    // that day is already closed (a late-found bank credit), rather than being refused.
    const { journalId } = await postJournalOnOpenDay(tx, {
      idempotencyKey: `suspense:${id}:intake`,
      kind: 'adjustment',
      description: `Into suspense by hand: ${input.reason}`,
      postingDate: input.receivedDate,
      causedBy: meta.actor,
      sourceType: 'suspense',
      sourceId: id,
      lines: suspenseIntakeLines(
        input.controlAccountCode,
        fundCode,
        input.amountPence,
        input.receivedReference,
      ),
    });
    const [item] = await tx
      .insert(suspenseItems)
      .values({
        id,
        sourceType: 'manual',
        sourceId: id,
        amountPence: input.amountPence,
        remainingPence: input.amountPence,
        receivedReference: input.receivedReference,
        narrative: input.narrative,
        receivedDate: input.receivedDate,
        fundCodeHint: input.fundCodeHint,
        reason: input.reason,
        journalId,
      })
      .returning();
    await tx.insert(suspenseWork).values({ suspenseId: id });
    await recordAudit(tx, {
      ...meta,
      action: 'suspense.create',
      entityType: 'suspense',
      entityId: id,
      after: { ...item, journalId },
    });
    return item!;
  });
}

export type SuspenseItemRow = typeof suspenseItems.$inferSelect;

export async function getSuspenseRow(
  db: Executor,
  suspenseId: string,
): Promise<SuspenseItemRow | null> {
  const [row] = await db.select().from(suspenseItems).where(eq(suspenseItems.id, suspenseId));
  return row ?? null;
}

/** One item with everything staff need to work it. */
export async function getSuspenseItem(db: Executor, suspenseId: string) {
  const item = await getSuspenseRow(db, suspenseId);
  if (item === null) return null;
  const [work] = await db
    .select()
    .from(suspenseWork)
    .where(eq(suspenseWork.suspenseId, suspenseId));
  const events = await db
    .select()
    .from(suspenseEvents)
    .where(eq(suspenseEvents.suspenseId, suspenseId))
    .orderBy(asc(suspenseEvents.id));
  const allocations = await db
    .select()
    .from(suspenseAllocations)
    .where(eq(suspenseAllocations.suspenseId, suspenseId))
    .orderBy(asc(suspenseAllocations.id));
  return { item, work: work ?? null, events, allocations };
}

export type SuspenseSearch = {
  state?: string;
  /** The fund the rules guessed, or one the item was (partly) allocated to. */
  fundCode?: string;
  importId?: string;
  overdue?: boolean;
  /** 'requested': open items whose write-off awaits approval. */
  writeOff?: 'requested';
  /** Received on or after this day (YYYY-MM-DD). */
  receivedFrom?: string;
  /** Received on or before this day (YYYY-MM-DD). */
  receivedTo?: string;
  /** The reference the money arrived with contains this (any case). */
  reference?: string;
  /** The narrative contains this (any case). */
  narrative?: string;
  /** The amount received, inclusive bounds. */
  minAmountPence?: number;
  maxAmountPence?: number;
  limit: number;
  before?: string;
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** Newest first, paged by id (ids are time-ordered). */
export async function searchSuspenseItems(db: Executor, search: SuspenseSearch) {
  const conditions: (SQL | undefined)[] = [
    search.state === undefined ? undefined : eq(suspenseItems.state, search.state as 'open'),
    search.importId === undefined
      ? undefined
      : and(eq(suspenseItems.sourceType, 'import'), eq(suspenseItems.sourceId, search.importId)),
    search.before === undefined ? undefined : lt(suspenseItems.id, search.before),
    search.receivedFrom === undefined
      ? undefined
      : gte(suspenseItems.receivedDate, search.receivedFrom),
    search.receivedTo === undefined
      ? undefined
      : lte(suspenseItems.receivedDate, search.receivedTo),
    search.reference === undefined
      ? undefined
      : ilike(suspenseItems.receivedReference, `%${escapeLike(search.reference)}%`),
    search.narrative === undefined
      ? undefined
      : ilike(suspenseItems.narrative, `%${escapeLike(search.narrative)}%`),
    search.minAmountPence === undefined
      ? undefined
      : gte(suspenseItems.amountPence, search.minAmountPence),
    search.maxAmountPence === undefined
      ? undefined
      : lte(suspenseItems.amountPence, search.maxAmountPence),
    search.overdue === undefined
      ? undefined
      : sql`coalesce(${suspenseWork.overdue}, false) = ${search.overdue}`,
    search.writeOff === undefined
      ? undefined
      : and(eq(suspenseItems.state, 'open'), isNotNull(suspenseWork.writeOffRequestedBy)),
    search.fundCode === undefined
      ? undefined
      : sql`(${suspenseItems.fundCodeHint} = ${search.fundCode} or ${exists(
          db
            .select({ one: sql`1` })
            .from(suspenseAllocations)
            .where(
              and(
                eq(suspenseAllocations.suspenseId, suspenseItems.id),
                eq(suspenseAllocations.fundCode, search.fundCode),
              ),
            ),
        )})`,
  ];
  return db
    .select({ item: suspenseItems, work: suspenseWork })
    .from(suspenseItems)
    .leftJoin(suspenseWork, eq(suspenseWork.suspenseId, suspenseItems.id))
    .where(and(...conditions))
    .orderBy(desc(suspenseItems.id))
    .limit(search.limit);
}
