import { and, asc, eq } from 'drizzle-orm';
import type { Database } from './client';
import { importProfiles, imports, journals, payments, postings, suspenseItems } from './schema';

/**
 * What the detail screen of one transaction shows besides the posting (docs/search.md): its
 * journal (origin and reversal), its lines when the journal is small, and its source: the
 * payment and its card, or the file and line it was imported from.
 */

/** What the detail needs of the posting (the API's Transaction has it). */
type Posting = {
  journalId: string;
  sourceType: string | null;
  sourceId: string | null;
  fileLineNo: number | null;
};

/** An import's chunk journal can hold 20,000 lines: its lines are listed only below this. */
export const journalLinesShownMax = 50;

async function journalOf(db: Pick<Database, 'select'>, journalId: string) {
  const [journal] = await db
    .select({
      id: journals.id,
      kind: journals.kind,
      description: journals.description,
      postingDate: journals.postingDate,
      financialYear: journals.financialYear,
      period: journals.period,
      causedBy: journals.causedBy,
      lineCount: journals.lineCount,
      totalPence: journals.totalPence,
      createdAt: journals.createdAt,
    })
    .from(journals)
    .where(eq(journals.id, journalId));
  if (journal === undefined) throw new Error(`journal ${journalId} of a posting is missing`);
  const lines =
    journal.lineCount > journalLinesShownMax
      ? []
      : await db
          .select({
            lineNo: postings.lineNo,
            accountCode: postings.accountCode,
            debitPence: postings.debitPence,
            creditPence: postings.creditPence,
            accountReference: postings.accountReference,
            vatCode: postings.vatCode,
            narrative: postings.narrative,
          })
          .from(postings)
          .where(eq(postings.journalId, journalId))
          .orderBy(asc(postings.lineNo));
  return { ...journal, createdAt: journal.createdAt.toISOString(), lines };
}

async function paymentOf(db: Pick<Database, 'select'>, paymentId: string) {
  const [payment] = await db
    .select({
      paymentId: payments.id,
      state: payments.state,
      description: payments.description,
      pspPaymentId: payments.pspPaymentId,
      cardBrand: payments.cardBrand,
      cardFirstDigits: payments.cardFirstDigits,
      cardLastDigits: payments.cardLastDigits,
      cardExpiryDate: payments.cardExpiryDate,
    })
    .from(payments)
    .where(eq(payments.id, paymentId));
  return payment ?? null;
}

async function importOf(db: Pick<Database, 'select'>, importId: string) {
  const [file] = await db
    .select({
      importId: imports.id,
      fileName: imports.fileName,
      profileId: imports.profileId,
      profileName: importProfiles.name,
      state: imports.state,
      createdAt: imports.createdAt,
    })
    .from(imports)
    .innerJoin(
      importProfiles,
      and(
        eq(importProfiles.councilId, imports.councilId),
        eq(importProfiles.id, imports.profileId),
      ),
    )
    .where(eq(imports.id, importId));
  return file === undefined ? null : { ...file, createdAt: file.createdAt.toISOString() };
}

async function suspenseOf(db: Pick<Database, 'select'>, transaction: Posting) {
  if (transaction.sourceType === 'suspense' && transaction.sourceId !== null)
    return transaction.sourceId;
  if (transaction.sourceType !== 'import' || transaction.fileLineNo === null) return null;
  const [item] = await db
    .select({ id: suspenseItems.id })
    .from(suspenseItems)
    .where(
      and(
        eq(suspenseItems.sourceType, 'import'),
        eq(suspenseItems.sourceId, transaction.sourceId ?? ''),
        eq(suspenseItems.sourceLineNo, transaction.fileLineNo),
      ),
    );
  return item?.id ?? null;
}

export async function transactionDetailOf<T extends Posting>(
  db: Pick<Database, 'select'>,
  transaction: T,
) {
  const source = transaction.sourceId;
  return {
    transaction,
    journal: await journalOf(db, transaction.journalId),
    payment: transaction.sourceType === 'payment' && source ? await paymentOf(db, source) : null,
    import: transaction.sourceType === 'import' && source ? await importOf(db, source) : null,
    suspenseId: await suspenseOf(db, transaction),
  };
}
