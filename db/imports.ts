import { and, asc, desc, eq, gte, lt, lte, sql } from 'drizzle-orm';
import type { StagedRow } from '../domain/importChunk';
import type { ImportLineError } from '../domain/imports/types';
import type { Database } from './client';
import { importChunks, importErrors, importProfiles, importStagedRows, imports } from './schema';

type Db = Pick<Database, 'select' | 'insert' | 'update' | 'delete' | 'transaction'>;

export type NewImport = {
  id: string;
  fileName: string;
  contentSha256: string;
  sizeBytes: number;
  profileId: string;
  storagePath: string;
  createdBy: string;
};

/** The same bytes twice are refused, naming the import that took them first. */
export async function createImportRecord(
  db: Db,
  record: NewImport,
): Promise<{ outcome: 'created' } | { outcome: 'duplicate'; firstImportId: string }> {
  const inserted = await db
    .insert(imports)
    .values({ ...record, state: 'received' })
    .onConflictDoNothing({ target: [imports.councilId, imports.contentSha256] })
    .returning({ id: imports.id });
  if (inserted.length > 0) return { outcome: 'created' };
  const [first] = await db
    .select({ id: imports.id })
    .from(imports)
    .where(eq(imports.contentSha256, record.contentSha256));
  return { outcome: 'duplicate', firstImportId: first?.id ?? 'unknown' };
}

export async function getImportRecord(db: Pick<Database, 'select'>, importId: string) {
  const [row] = await db.select().from(imports).where(eq(imports.id, importId));
  return row ?? null;
}

export async function getImportProfile(db: Pick<Database, 'select'>, profileId: string) {
  const [row] = await db.select().from(importProfiles).where(eq(importProfiles.id, profileId));
  return row ?? null;
}

export async function setImportState(
  db: Pick<Database, 'update'>,
  importId: string,
  state: string,
  extra: Partial<typeof imports.$inferInsert> = {},
): Promise<void> {
  await db
    .update(imports)
    .set({ ...extra, state, updatedAt: sql`now()` })
    .where(eq(imports.id, importId));
}

/** Replaces the import's recorded errors (a retried activity writes the same list again). */
export async function replaceImportErrors(
  db: Db,
  importId: string,
  errors: readonly ImportLineError[],
  offset = 0,
): Promise<void> {
  await db.transaction(async (tx) => {
    if (offset === 0) await tx.delete(importErrors).where(eq(importErrors.importId, importId));
    for (let start = 0; start < errors.length; start += 1000) {
      const batch = errors.slice(start, start + 1000).map((error, index) => ({
        importId,
        seq: offset + start + index,
        lineNo: error.lineNo,
        field: error.field ?? null,
        message: error.message,
      }));
      await tx.insert(importErrors).values(batch).onConflictDoNothing();
    }
  });
}

export async function listImportErrors(
  db: Pick<Database, 'select'>,
  importId: string,
  limit: number,
  afterSeq = -1,
) {
  return db
    .select({
      seq: importErrors.seq,
      lineNo: importErrors.lineNo,
      field: importErrors.field,
      message: importErrors.message,
    })
    .from(importErrors)
    .where(and(eq(importErrors.importId, importId), gte(importErrors.seq, afterSeq + 1)))
    .orderBy(asc(importErrors.seq))
    .limit(limit);
}

export async function loadStagedChunk(
  db: Pick<Database, 'select'>,
  importId: string,
  firstLineNo: number,
  lastLineNo: number,
): Promise<StagedRow[]> {
  return db
    .select({
      lineNo: importStagedRows.lineNo,
      reference: importStagedRows.reference,
      amountPence: importStagedRows.amountPence,
      narrative: importStagedRows.narrative,
      transactionDate: importStagedRows.transactionDate,
      fundCode: importStagedRows.fundCode,
    })
    .from(importStagedRows)
    .where(
      and(
        eq(importStagedRows.importId, importId),
        gte(importStagedRows.lineNo, firstLineNo),
        lte(importStagedRows.lineNo, lastLineNo),
      ),
    )
    .orderBy(asc(importStagedRows.lineNo));
}

export async function postedChunk(db: Pick<Database, 'select'>, importId: string, chunkNo: number) {
  const [row] = await db
    .select()
    .from(importChunks)
    .where(and(eq(importChunks.importId, importId), eq(importChunks.chunkNo, chunkNo)));
  return row ?? null;
}

/** Totals over the posted chunks: the import's progress, whatever order chunks finished in. */
export async function importTotals(db: Pick<Database, 'select'>, importId: string) {
  const [row] = await db
    .select({
      chunks: sql<number>`count(*)::int`,
      rowsAllocated: sql<number>`coalesce(sum(${importChunks.rowsAllocated}), 0)::int`,
      rowsSuspended: sql<number>`coalesce(sum(${importChunks.rowsSuspended}), 0)::int`,
      allocatedPence: sql<number>`coalesce(sum(${importChunks.allocatedPence}), 0)::bigint`,
      suspendedPence: sql<number>`coalesce(sum(${importChunks.suspendedPence}), 0)::bigint`,
    })
    .from(importChunks)
    .where(eq(importChunks.importId, importId));
  return (
    row ?? { chunks: 0, rowsAllocated: 0, rowsSuspended: 0, allocatedPence: 0, suspendedPence: 0 }
  );
}

export async function listImports(db: Pick<Database, 'select'>, limit: number, before?: string) {
  return db
    .select()
    .from(imports)
    .where(before === undefined ? undefined : lt(imports.id, before))
    .orderBy(desc(imports.id))
    .limit(limit);
}
