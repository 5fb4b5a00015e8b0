import { sql } from 'drizzle-orm';
import type { Database } from './client';

/**
 * Read-side questions finance staff ask of the ledger. Balances are debit-positive: a fund
 * account that has received income has a negative (credit) balance, as in any ledger; the
 * `creditBalancePence` field saves the reader the sign flip.
 */

export type AccountBalance = {
  accountCode: string;
  kind: 'fund' | 'control';
  fundCode: string | null;
  name: string;
  debitPence: number;
  creditPence: number;
  balancePence: number;
  creditBalancePence: number;
};

type Reader = Pick<Database, 'execute'>;

export async function accountBalances(
  db: Reader,
  options: { asOf?: string; fundCode?: string } = {},
): Promise<AccountBalance[]> {
  const rows = await db.execute<{
    account_code: string;
    kind: 'fund' | 'control';
    fund_code: string | null;
    name: string;
    debit_pence: number;
    credit_pence: number;
  }>(sql`
    select a.code as account_code, a.kind, a.fund_code, a.name,
           coalesce(sum(p.debit_pence), 0)::bigint as debit_pence,
           coalesce(sum(p.credit_pence), 0)::bigint as credit_pence
      from ledger_accounts a
      left join (postings p join journals j on j.id = p.journal_id
                 ${options.asOf === undefined ? sql`` : sql`and j.posting_date <= ${options.asOf}`})
        on p.account_code = a.code
     where ${options.fundCode === undefined ? sql`true` : sql`a.fund_code = ${options.fundCode}`}
     group by a.code, a.kind, a.fund_code, a.name
     order by a.code`);
  return rows.map((row) => ({
    accountCode: row.account_code,
    kind: row.kind,
    fundCode: row.fund_code,
    name: row.name,
    debitPence: row.debit_pence,
    creditPence: row.credit_pence,
    balancePence: row.debit_pence - row.credit_pence,
    creditBalancePence: row.credit_pence - row.debit_pence,
  }));
}

/** Debits minus credits over every posting: zero in a healthy ledger, whatever the date. */
export async function trialBalance(
  db: Reader,
  asOf?: string,
): Promise<{ debitPence: number; creditPence: number }> {
  const [row] = await db.execute<{ debit_pence: number; credit_pence: number }>(sql`
    select coalesce(sum(p.debit_pence), 0)::bigint as debit_pence, coalesce(sum(p.credit_pence), 0)::bigint as credit_pence
      from postings p join journals j on j.id = p.journal_id
     where ${asOf === undefined ? sql`true` : sql`j.posting_date <= ${asOf}`}`);
  return { debitPence: row?.debit_pence ?? 0, creditPence: row?.credit_pence ?? 0 };
}

export type StatementLine = {
  journalId: string;
  lineNo: number;
  postingDate: string;
  kind: string;
  description: string;
  accountReference: string | null;
  debitPence: number;
  creditPence: number;
  /** Debit-positive running balance including everything before `from`. */
  runningBalancePence: number;
};

export type Statement = {
  openingBalancePence: number;
  closingBalancePence: number;
  lines: StatementLine[];
};

/** Whether the ledger (of the connection's council) has this account. */
export async function ledgerAccountExists(db: Reader, accountCode: string): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from ledger_accounts where code = ${accountCode}`);
  return rows.length > 0;
}

export async function accountStatement(
  db: Reader,
  options: {
    accountCode: string;
    from: string;
    to: string;
    accountReference?: string;
    limit?: number;
  },
): Promise<Statement> {
  const reference =
    options.accountReference === undefined
      ? sql`true`
      : sql`p.account_reference = ${options.accountReference}`;
  const [opening] = await db.execute<{ balance_pence: number }>(sql`
    select coalesce(sum(p.debit_pence - p.credit_pence), 0)::bigint as balance_pence
      from postings p join journals j on j.id = p.journal_id
     where p.account_code = ${options.accountCode} and j.posting_date < ${options.from} and ${reference}`);
  const openingBalancePence = opening?.balance_pence ?? 0;
  const rows = await db.execute<{
    journal_id: string;
    line_no: number;
    posting_date: string;
    kind: string;
    description: string;
    account_reference: string | null;
    debit_pence: number;
    credit_pence: number;
    running_pence: number;
  }>(sql`
    select p.journal_id, p.line_no, j.posting_date::text as posting_date, j.kind, j.description, p.account_reference,
           p.debit_pence, p.credit_pence,
           sum(p.debit_pence - p.credit_pence) over (order by j.posting_date, j.created_at, p.journal_id, p.line_no)::bigint as running_pence
      from postings p join journals j on j.id = p.journal_id
     where p.account_code = ${options.accountCode} and j.posting_date between ${options.from} and ${options.to} and ${reference}
     order by j.posting_date, j.created_at, p.journal_id, p.line_no
     limit ${options.limit ?? 10_000}`);
  const lines = rows.map((row) => ({
    journalId: row.journal_id,
    lineNo: row.line_no,
    postingDate: row.posting_date,
    kind: row.kind,
    description: row.description,
    accountReference: row.account_reference,
    debitPence: row.debit_pence,
    creditPence: row.credit_pence,
    runningBalancePence: openingBalancePence + row.running_pence,
  }));
  return {
    openingBalancePence,
    closingBalancePence: lines.at(-1)?.runningBalancePence ?? openingBalancePence,
    lines,
  };
}

export type DailyTotal = {
  postingDate: string;
  accountCode: string;
  fundCode: string | null;
  debitPence: number;
  creditPence: number;
};

/** Movements per account per day: the shape of a daily cash summary and of close of day. */
export async function dailyTotals(
  db: Reader,
  options: { from: string; to: string; fundCode?: string },
): Promise<DailyTotal[]> {
  const rows = await db.execute<{
    posting_date: string;
    account_code: string;
    fund_code: string | null;
    debit_pence: number;
    credit_pence: number;
  }>(sql`
    select j.posting_date::text as posting_date, p.account_code, a.fund_code,
           sum(p.debit_pence)::bigint as debit_pence, sum(p.credit_pence)::bigint as credit_pence
      from postings p
      join journals j on j.id = p.journal_id
      join ledger_accounts a on a.code = p.account_code
     where j.posting_date between ${options.from} and ${options.to}
       and ${options.fundCode === undefined ? sql`true` : sql`a.fund_code = ${options.fundCode}`}
     group by j.posting_date, p.account_code, a.fund_code
     order by j.posting_date, p.account_code`);
  return rows.map((row) => ({
    postingDate: row.posting_date,
    accountCode: row.account_code,
    fundCode: row.fund_code,
    debitPence: row.debit_pence,
    creditPence: row.credit_pence,
  }));
}
