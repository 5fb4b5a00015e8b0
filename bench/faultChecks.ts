import type { Sql } from 'postgres';
import type { CollectionFile, PaymentOutcome } from './faultLoad';

/**
 * What must hold after a fault run, read from the database as its owner (past row-level
 * security): nothing lost, nothing doubled, the books balanced, an import equal to its file.
 */
export type PaymentCheck = {
  payments: number;
  byState: Record<string, number>;
  /** Allocated payments without their payment journal, and payments with more than one. */
  journalsMissing: number;
  journalsDoubled: number;
  /** What the payment journals credited to funds, against the allocated payments' amounts. */
  journalPence: number;
  allocatedPence: number;
};

export async function checkPayments(sql: Sql, outcomes: PaymentOutcome[]): Promise<PaymentCheck> {
  const ids = outcomes.map((outcome) => outcome.paymentId);
  // The funds' credits, not the journal total: a payment journal also books the PSP's fee.
  const rows = await sql<
    { state: string; amount_pence: string; journals: number; journal_pence: string }[]
  >`
    select p.state, p.amount_pence,
           (select count(*)::int from journals j
             where j.council_id = p.council_id and j.source_type = 'payment'
               and j.source_id = p.id and j.kind = 'payment') as journals,
           (select coalesce(sum(l.credit_pence), 0) from journals j
              join postings l on l.council_id = j.council_id and l.journal_id = j.id
             where j.council_id = p.council_id and j.source_type = 'payment'
               and j.source_id = p.id and j.kind = 'payment'
               and l.account_code like 'FUND:%') as journal_pence
      from payments p
     where p.id = any(${ids})`;
  const byState: Record<string, number> = {};
  let journalsMissing = 0;
  let journalsDoubled = 0;
  let journalPence = 0;
  let allocatedPence = 0;
  for (const row of rows) {
    byState[row.state] = (byState[row.state] ?? 0) + 1;
    if (row.state === 'allocated') {
      allocatedPence += Number(row.amount_pence);
      if (row.journals === 0) journalsMissing++;
    }
    if (row.journals > 1) journalsDoubled++;
    journalPence += Number(row.journal_pence);
  }
  return {
    payments: rows.length,
    byState,
    journalsMissing,
    journalsDoubled,
    journalPence,
    allocatedPence,
  };
}

/** Debits minus credits over every posting (zero), and journals that do not balance (none). */
export async function trialBalance(
  sql: Sql,
): Promise<{ differencePence: number; unbalancedJournals: number }> {
  const [total] = await sql<{ difference: string }[]>`
    select coalesce(sum(debit_pence), 0) - coalesce(sum(credit_pence), 0) as difference from postings`;
  const [unbalanced] = await sql<{ n: number }[]>`
    select count(*)::int as n from (
      select 1 from postings group by council_id, journal_id
      having sum(debit_pence) <> sum(credit_pence)) as t`;
  return { differencePence: Number(total?.difference), unbalancedJournals: unbalanced?.n ?? -1 };
}

export type ImportCheck = {
  state: string;
  fileRows: number;
  rowsAccounted: number;
  filePence: number;
  allocatedPlusSuspendedPence: number;
  /** The credits of the import's journals: each row's money posted exactly once. */
  journalCreditPence: number;
  suspenseItems: number;
  suspenseLinesDoubled: number;
  rowsSuspended: number;
};

export async function checkImport(
  sql: Sql,
  importId: string,
  file: CollectionFile,
): Promise<ImportCheck> {
  const [row] = await sql<
    {
      state: string;
      rows_allocated: number;
      rows_suspended: number;
      rows_rejected: number;
      allocated_pence: string;
      suspended_pence: string;
    }[]
  >`select state, rows_allocated, rows_suspended, rows_rejected, allocated_pence, suspended_pence
      from imports where id = ${importId}`;
  const [credits] = await sql<{ pence: string }[]>`
    select coalesce(sum(p.credit_pence), 0) as pence
      from journals j join postings p on p.council_id = j.council_id and p.journal_id = j.id
     where j.source_type = 'import' and j.source_id = ${importId}`;
  const [suspense] = await sql<{ n: number; lines: number }[]>`
    select count(*)::int as n, count(distinct source_line_no)::int as lines
      from suspense_items where source_type = 'import' and source_id = ${importId}`;
  if (row === undefined) throw new Error(`import ${importId} is not in the database`);
  return {
    state: row.state,
    fileRows: file.rows,
    rowsAccounted: row.rows_allocated + row.rows_suspended + row.rows_rejected,
    filePence: file.totalPence,
    allocatedPlusSuspendedPence: Number(row.allocated_pence) + Number(row.suspended_pence),
    journalCreditPence: Number(credits?.pence),
    suspenseItems: suspense?.n ?? 0,
    suspenseLinesDoubled: (suspense?.n ?? 0) - (suspense?.lines ?? 0),
    rowsSuspended: row.rows_suspended,
  };
}

/** Every check that must hold, as readable failures (empty: the run lost and doubled nothing). */
export function failuresOf(
  payments: PaymentCheck,
  balance: Awaited<ReturnType<typeof trialBalance>>,
  imports: ImportCheck[],
  expectedPayments: number,
): string[] {
  const failures: string[] = [];
  if (payments.payments !== expectedPayments)
    failures.push(`${expectedPayments - payments.payments} payments missing from the database`);
  if ((payments.byState.allocated ?? 0) !== expectedPayments)
    failures.push(`payments not allocated: ${JSON.stringify(payments.byState)}`);
  if (payments.journalsMissing > 0)
    failures.push(`${payments.journalsMissing} payment journals lost`);
  if (payments.journalsDoubled > 0)
    failures.push(`${payments.journalsDoubled} payments posted twice`);
  if (payments.journalPence !== payments.allocatedPence)
    failures.push(
      `funds credited ${payments.journalPence}p ≠ payments ${payments.allocatedPence}p`,
    );
  if (balance.differencePence !== 0 || balance.unbalancedJournals !== 0)
    failures.push(`trial balance off: ${JSON.stringify(balance)}`);
  for (const check of imports) {
    if (check.state !== 'completed') failures.push(`an import ended ${check.state}`);
    if (check.rowsAccounted !== check.fileRows)
      failures.push(`import rows ${check.rowsAccounted} ≠ file rows ${check.fileRows}`);
    if (check.allocatedPlusSuspendedPence !== check.filePence)
      failures.push(
        `import totals ${check.allocatedPlusSuspendedPence}p ≠ file ${check.filePence}p`,
      );
    if (check.journalCreditPence !== check.filePence)
      failures.push(
        `import journals credit ${check.journalCreditPence}p ≠ file ${check.filePence}p`,
      );
    if (check.suspenseLinesDoubled > 0 || check.suspenseItems !== check.rowsSuspended)
      failures.push(
        `suspense items ${check.suspenseItems} for ${check.rowsSuspended} rows suspended`,
      );
  }
  return failures;
}
