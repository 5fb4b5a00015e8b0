import { param, type SQL, sql } from 'drizzle-orm';
import { fundAccountCode } from '../domain/ledgerAccounts';
import {
  journalKindsOfChannel,
  type SortDirection,
  type TransactionCursor,
  type TransactionFilter,
  type TransactionSort,
} from '../domain/transactionSearch';
import type { Database } from './client';
import {
  everySource,
  type SourceHolders,
  sourceConditions,
  sourceHolders,
} from './transactionSources';

/**
 * The transaction search over the ledger (docs/search.md). A row is one posting to a fund
 * account: every channel's income, its moves, refunds and reversals. Control-account lines
 * (clearing, VAT, fees) are the other side of those and are left out.
 *
 * Why the SQL is shaped as it is: the application role is bound by row-level security, and
 * PostgreSQL uses a condition as an index condition under RLS only when its operators are
 * leakproof. `=`, `<` and row comparisons on text, bigint and timestamptz are; `+`, LIKE and
 * ILIKE on a column are not. So the amount is a stored column (postings.amount_pence), every
 * indexed condition compares a bare column with a value, and the narrative (ILIKE) and the
 * fund-account test (LIKE) are filters applied to rows the indexes already found. Subqueries
 * never refer to the outer row (not even by council_id, which row-level security already fixes
 * for every table): a correlated subquery runs once per candidate row.
 */

export type TransactionPage = {
  filter: TransactionFilter;
  sort: TransactionSort;
  direction: SortDirection;
  limit: number;
  after?: TransactionCursor;
  /** Fund-group scope: undefined means every fund. */
  fundCodes?: readonly string[];
};

export type TransactionRow = {
  journalId: string;
  lineNo: number;
  recordedAt: string;
  recordedAtText: string;
  postingDate: string;
  kind: string;
  accountCode: string;
  accountReference: string | null;
  debitPence: number;
  creditPence: number;
  vatPence: number;
  amountPence: number;
  narrative: string | null;
  sourceType: string | null;
  sourceId: string | null;
  sourceLineNo: number | null;
  causedBy: string;
  reversesJournalId: string | null;
  reversedByJournalId: string | null;
  methodOfPaymentCode: string | null;
  officeCode: string | null;
  pspReference: string | null;
  cardLastDigits: string | null;
  cardBrand: string | null;
  takenBy: string | null;
  fileName: string | null;
};

function dayStart(day: string): SQL {
  return sql`(${day}::date::timestamp at time zone 'Europe/London')`;
}

export function filterConditions(
  filter: TransactionFilter,
  fundCodes?: readonly string[],
  holders: SourceHolders = everySource,
): SQL[] {
  const where: SQL[] = [sql`p.account_code like 'FUND:%'`];
  if (fundCodes !== undefined)
    where.push(sql`p.account_code = any(${param(fundCodes.map(fundAccountCode))}::text[])`);
  if (filter.fundCode !== undefined)
    where.push(sql`p.account_code = ${fundAccountCode(filter.fundCode)}`);
  if (filter.reference !== undefined)
    where.push(sql`p.account_reference = ${filter.reference.trim().toUpperCase()}`);
  if (filter.amountFromPence !== undefined)
    where.push(sql`p.amount_pence >= ${filter.amountFromPence}`);
  if (filter.amountToPence !== undefined)
    where.push(sql`p.amount_pence <= ${filter.amountToPence}`);
  if (filter.recordedFrom !== undefined)
    where.push(sql`p.created_at >= ${dayStart(filter.recordedFrom)}`);
  if (filter.recordedTo !== undefined)
    where.push(sql`p.created_at < ${dayStart(filter.recordedTo)} + interval '1 day'`);
  if (filter.narrative !== undefined)
    where.push(sql`p.narrative ilike ${`%${filter.narrative.replace(/[\\%_]/g, '\\$&')}%`}`);
  if (filter.channel !== undefined) {
    const kinds = sql`select j.id from journals j where j.kind = any(${param([...journalKindsOfChannel[filter.channel]])}::text[])`;
    // Files are few huge journals: checked against a hashed set, never joined (db/transactionSources.ts).
    where.push(
      filter.channel === 'import'
        ? sql`(p.journal_id in (${kinds})) is true`
        : sql`p.journal_id in (${kinds})`,
    );
  }
  if (filter.importId !== undefined)
    where.push(sql`p.journal_id in (select j.id from journals j
      where j.source_type = 'import' and j.source_id = ${filter.importId})`);
  if (filter.receiptNumber !== undefined)
    where.push(sql`p.journal_id in (select j.id from journals j
      where j.id = ${filter.receiptNumber}
         or (j.source_type in ('payment', 'import', 'suspense') and j.source_id = ${filter.receiptNumber}))`);
  where.push(...sourceConditions(filter, holders));
  return where;
}

function orderAndKeyset(page: TransactionPage): { keyset: SQL | null; order: SQL } {
  const dir = page.direction === 'asc' ? sql.raw('asc') : sql.raw('desc');
  const cmp = page.direction === 'asc' ? sql.raw('>') : sql.raw('<');
  const after = page.after;
  if (page.sort === 'amount') {
    return {
      order: sql`p.amount_pence ${dir}, p.created_at ${dir}, p.journal_id ${dir}, p.line_no ${dir}`,
      keyset:
        after === undefined
          ? null
          : sql`(p.amount_pence, p.created_at, p.journal_id, p.line_no) ${cmp}
                (${after.amountPence ?? 0}::bigint, ${after.recordedAt}::timestamptz, ${after.journalId}::text, ${after.lineNo}::smallint)`,
    };
  }
  return {
    order: sql`p.created_at ${dir}, p.journal_id ${dir}, p.line_no ${dir}`,
    keyset:
      after === undefined
        ? null
        : sql`(p.created_at, p.journal_id, p.line_no) ${cmp}
              (${after.recordedAt}::timestamptz, ${after.journalId}::text, ${after.lineNo}::smallint)`,
  };
}

/** One page of postings in order, then their journals and sources, `limit` rows at most. */
export function transactionPageQuery(page: TransactionPage, holders = everySource): SQL {
  const { keyset, order } = orderAndKeyset(page);
  const where = filterConditions(page.filter, page.fundCodes, holders);
  if (keyset !== null) where.push(keyset);
  return selectTransactions(where, order, page.limit);
}

function selectTransactions(where: SQL[], order: SQL, limit: number): SQL {
  return sql`
    with page as (
      select p.council_id, p.journal_id, p.line_no, p.created_at, p.account_code,
             p.account_reference, p.debit_pence, p.credit_pence, p.vat_pence, p.amount_pence,
             p.narrative, p.source_line_no
        from postings p
       where ${sql.join(where, sql` and `)}
       order by ${order}
       limit ${limit})
    select p.journal_id as "journalId", p.line_no as "lineNo",
           to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "recordedAt",
           p.created_at::text as "recordedAtText",
           j.posting_date::text as "postingDate", j.kind, p.account_code as "accountCode",
           p.account_reference as "accountReference", p.debit_pence as "debitPence",
           p.credit_pence as "creditPence", p.vat_pence as "vatPence",
           p.amount_pence as "amountPence", p.narrative, j.source_type as "sourceType",
           j.source_id as "sourceId", p.source_line_no as "sourceLineNo",
           j.caused_by as "causedBy", j.reverses_journal_id as "reversesJournalId",
           r.id as "reversedByJournalId",
           coalesce(pay.method_of_payment_code, ip.method_of_payment_code) as "methodOfPaymentCode",
           pay.office_code as "officeCode", pay.psp_payment_id as "pspReference",
           pay.card_last_digits as "cardLastDigits", pay.card_brand as "cardBrand",
           coalesce(pay.created_by, i.created_by) as "takenBy", i.file_name as "fileName"
      from page p
      join journals j on j.council_id = p.council_id and j.id = p.journal_id
      left join journals r on r.council_id = j.council_id and r.reverses_journal_id = j.id
      left join payments pay
        on j.source_type = 'payment' and pay.council_id = j.council_id and pay.id = j.source_id
      left join imports i
        on j.source_type = 'import' and i.council_id = j.council_id and i.id = j.source_id
      left join import_profiles ip on ip.council_id = i.council_id and ip.id = i.profile_id
     order by ${order}`;
}

/**
 * Two planner settings for the page query alone, because a page needs its first rows, not all:
 *
 * - No hash or merge joins. A filter through the sources (office, user, method of payment) is a
 *   semi-join; hashed or merged, PostgreSQL reads every payment with the value (a million for a
 *   common one) before the first row. As nested loops it either walks the order's index and
 *   looks each posting's payment up by journal (common values: it stops at the page's end) or,
 *   for rare values, starts from the few payments and sorts their postings.
 * - With a narrative, no sort. It cannot estimate ILIKE '%words%' and guesses it rare, so it
 *   would read every match and sort them; walking the index stops at the page's end for common
 *   words and is no slower than the scan for rare ones (docs/search.md).
 */
export async function searchTransactions(
  db: Pick<Database, 'transaction'>,
  page: TransactionPage,
): Promise<TransactionRow[]> {
  const rows = await db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_hashjoin = off`);
    await tx.execute(sql`set local enable_mergejoin = off`);
    if (page.filter.narrative !== undefined) await tx.execute(sql`set local enable_sort = off`);
    return tx.execute(transactionPageQuery(page, await sourceHolders(tx, page.filter)));
  });
  return (rows as unknown as Record<string, unknown>[]).map(rowOf);
}

/** One posting to a fund account, as the search shows it; null when there is none (or not in scope). */
export async function getTransaction(
  db: Pick<Database, 'execute'>,
  key: { journalId: string; lineNo: number },
  fundCodes?: readonly string[],
): Promise<TransactionRow | null> {
  const where = filterConditions({}, fundCodes);
  where.push(sql`p.journal_id = ${key.journalId} and p.line_no = ${key.lineNo}`);
  const rows = await db.execute(selectTransactions(where, sql`p.line_no`, 1));
  const [row] = rows as unknown as Record<string, unknown>[];
  return row === undefined ? null : rowOf(row);
}

function rowOf(row: Record<string, unknown>): TransactionRow {
  return {
    ...(row as TransactionRow),
    lineNo: Number(row.lineNo),
    debitPence: Number(row.debitPence),
    creditPence: Number(row.creditPence),
    vatPence: Number(row.vatPence),
    amountPence: Number(row.amountPence),
    sourceLineNo: row.sourceLineNo === null ? null : Number(row.sourceLineNo),
  };
}

/** How many rows a search finds and their net money in; the export screen says so first. */
export async function summariseTransactions(
  db: Pick<Database, 'execute'>,
  filter: TransactionFilter,
  fundCodes?: readonly string[],
): Promise<{ count: number; totalPence: number }> {
  const where = filterConditions(filter, fundCodes);
  const [row] = (await db.execute(sql`
    select count(*)::bigint as count, coalesce(sum(case when p.credit_pence > 0 then p.amount_pence else -p.amount_pence end), 0)::bigint as total
      from postings p where ${sql.join(where, sql` and `)}`)) as unknown as {
    count: string | number;
    total: string | number;
  }[];
  return { count: Number(row?.count ?? 0), totalPence: Number(row?.total ?? 0) };
}
