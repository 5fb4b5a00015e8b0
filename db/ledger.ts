import { createHash } from 'node:crypto';
import { eq, param, sql } from 'drizzle-orm';
import { financialPeriodOf, isIsoDate } from '../domain/financialPeriod';
import { newId } from '../domain/ids';
import { assertBalanced, type LedgerLine, reversalOf } from '../domain/ledger';
import type { Database } from './client';
import { journals, postings } from './schema';

/**
 * Posting to the ledger. The code checks every invariant before it writes (domain/ledger.ts)
 * and the database checks them again (migration 0001). Posting is idempotent by key: the same
 * business event posted twice, by a retried activity or a duplicate webhook, is one journal.
 */

export type JournalLine = LedgerLine;

export type JournalKind =
  | 'payment'
  | 'refund'
  | 'allocation'
  | 'reversal'
  | 'transfer'
  | 'import'
  | 'fee'
  | 'write_off'
  | 'adjustment';

export type JournalInput = {
  idempotencyKey: string;
  kind: JournalKind;
  description: string;
  /** YYYY-MM-DD: the business day the money belongs to. */
  postingDate: string;
  causedBy: string;
  sourceType?: string | null;
  sourceId?: string | null;
  reversesJournalId?: string | null;
  lines: readonly JournalLine[];
};

export type PostedJournal = { journalId: string; created: boolean };

export type LedgerErrorCode =
  | 'idempotency_conflict'
  | 'unknown_account'
  | 'already_reversed'
  | 'journal_not_found'
  | 'invalid_posting_date';

export class LedgerError extends Error {
  override readonly name = 'LedgerError';
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Anything drizzle can run a transaction on: the database or an open transaction. */
type Executor = Pick<Database, 'transaction'>;

function contentHash(input: JournalInput): string {
  const content = {
    kind: input.kind,
    postingDate: input.postingDate,
    sourceType: input.sourceType ?? null,
    sourceId: input.sourceId ?? null,
    reversesJournalId: input.reversesJournalId ?? null,
    lines: input.lines.map((line) => [
      line.accountCode,
      line.debitPence,
      line.creditPence,
      line.accountReference ?? null,
      line.vatCode ?? null,
      line.vatPence ?? 0,
    ]),
  };
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

function postgresErrorOf(error: unknown): { code?: string; constraint_name?: string } {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  return (cause ?? {}) as { code?: string; constraint_name?: string };
}

export async function postJournal(executor: Executor, input: JournalInput): Promise<PostedJournal> {
  assertBalanced(input.lines);
  if (!isIsoDate(input.postingDate)) {
    throw new LedgerError(
      'invalid_posting_date',
      `Posting date must be YYYY-MM-DD; got ${input.postingDate}`,
    );
  }
  const { financialYear, period } = financialPeriodOf(input.postingDate);
  const hash = contentHash(input);
  const totalPence = input.lines.reduce((sum, line) => sum + line.debitPence, 0);
  try {
    return await executor.transaction(async (tx) => {
      const journalId = newId('journal');
      const inserted = await tx
        .insert(journals)
        .values({
          id: journalId,
          idempotencyKey: input.idempotencyKey,
          contentHash: hash,
          kind: input.kind,
          description: input.description,
          postingDate: input.postingDate,
          financialYear,
          period,
          causedBy: input.causedBy,
          sourceType: input.sourceType ?? null,
          sourceId: input.sourceId ?? null,
          reversesJournalId: input.reversesJournalId ?? null,
          lineCount: input.lines.length,
          totalPence,
        })
        .onConflictDoNothing({ target: [journals.councilId, journals.idempotencyKey] })
        .returning({ id: journals.id });
      if (inserted.length === 0) return existingJournal(tx, input.idempotencyKey, hash);
      // All lines in ONE statement (the database checks balance at the end of it), as
      // array parameters: any number of lines, none of the 65,535-parameter limit, and far less
      // work than a multi-row VALUES list.
      const lines = input.lines;
      await tx.execute(sql`
        insert into postings (journal_id, line_no, account_code, debit_pence, credit_pence, account_reference, vat_code, vat_pence, narrative, source_line_no)
        select ${journalId}, * from unnest(
          ${param(lines.map((_, index) => index + 1))}::smallint[],
          ${param(lines.map((line) => line.accountCode))}::text[],
          ${param(lines.map((line) => line.debitPence))}::bigint[],
          ${param(lines.map((line) => line.creditPence))}::bigint[],
          ${param(lines.map((line) => line.accountReference ?? null))}::text[],
          ${param(lines.map((line) => line.vatCode ?? null))}::text[],
          ${param(lines.map((line) => line.vatPence ?? 0))}::bigint[],
          ${param(lines.map((line) => line.narrative ?? null))}::text[],
          ${param(lines.map((line) => line.sourceLineNo ?? null))}::integer[])`);
      return { journalId, created: true };
    });
  } catch (error) {
    throw translateError(error, input);
  }
}

async function existingJournal(
  tx: Pick<Database, 'select'>,
  idempotencyKey: string,
  hash: string,
): Promise<PostedJournal> {
  const [existing] = await tx
    .select({ id: journals.id, contentHash: journals.contentHash })
    .from(journals)
    .where(eq(journals.idempotencyKey, idempotencyKey));
  if (existing === undefined)
    throw new Error(`journal with key ${idempotencyKey} conflicted but cannot be read`);
  if (existing.contentHash !== hash) {
    throw new LedgerError(
      'idempotency_conflict',
      `Idempotency key ${idempotencyKey} was already used for journal ${existing.id} with different content`,
    );
  }
  return { journalId: existing.id, created: false };
}

function translateError(error: unknown, input: JournalInput): unknown {
  const pg = postgresErrorOf(error);
  if (pg.code === '23503' && pg.constraint_name?.includes('account_code')) {
    const accounts = input.lines.map((line) => line.accountCode).join(', ');
    return new LedgerError(
      'unknown_account',
      `A posting names a ledger account that does not exist (one of ${accounts})`,
    );
  }
  if (pg.code === '23505' && pg.constraint_name?.includes('reverses_journal_id')) {
    return new LedgerError(
      'already_reversed',
      `Journal ${input.reversesJournalId} has already been reversed`,
    );
  }
  return error;
}

export type ReverseInput = {
  journalId: string;
  idempotencyKey: string;
  postingDate: string;
  causedBy: string;
  reason: string;
};

/** Undoes a journal by posting its mirror image, linked to it. A journal is reversed once only. */
export async function reverseJournal(
  executor: Executor & Pick<Database, 'select'>,
  input: ReverseInput,
): Promise<PostedJournal> {
  const original = await getJournal(executor, input.journalId);
  if (original === null)
    throw new LedgerError('journal_not_found', `No journal ${input.journalId}`);
  return postJournal(executor, {
    idempotencyKey: input.idempotencyKey,
    kind: 'reversal',
    description: `Reversal of ${original.id}: ${input.reason}`,
    postingDate: input.postingDate,
    causedBy: input.causedBy,
    sourceType: original.sourceType,
    sourceId: original.sourceId,
    reversesJournalId: original.id,
    lines: reversalOf(original.lines),
  });
}

export type Journal = Omit<typeof journals.$inferSelect, 'contentHash'> & {
  lines: JournalLine[];
  reversedBy: string | null;
};

export async function getJournal(
  db: Pick<Database, 'select'>,
  journalId: string,
): Promise<Journal | null> {
  const [row] = await db.select().from(journals).where(eq(journals.id, journalId));
  if (row === undefined) return null;
  const lines = await db
    .select({
      accountCode: postings.accountCode,
      debitPence: postings.debitPence,
      creditPence: postings.creditPence,
      accountReference: postings.accountReference,
      vatCode: postings.vatCode,
      vatPence: postings.vatPence,
      narrative: postings.narrative,
    })
    .from(postings)
    .where(eq(postings.journalId, journalId))
    .orderBy(postings.lineNo);
  const [reversal] = await db
    .select({ id: journals.id })
    .from(journals)
    .where(eq(journals.reversesJournalId, journalId));
  const { contentHash: _, ...journal } = row;
  return { ...journal, lines, reversedBy: reversal?.id ?? null };
}

export async function journalsForSource(
  db: Pick<Database, 'select'>,
  sourceType: string,
  sourceId: string,
) {
  return db
    .select({
      id: journals.id,
      kind: journals.kind,
      postingDate: journals.postingDate,
      totalPence: journals.totalPence,
      reversesJournalId: journals.reversesJournalId,
    })
    .from(journals)
    .where(sql`${journals.sourceType} = ${sourceType} and ${journals.sourceId} = ${sourceId}`)
    .orderBy(journals.createdAt);
}
