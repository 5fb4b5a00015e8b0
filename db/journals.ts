import { sql } from 'drizzle-orm';
import type { LedgerLine } from '../domain/ledger';
import type { Holding } from '../domain/refundHoldings';
import type { Executor } from './executor';

/**
 * What a source of income still holds, read from the ledger itself: every journal posted for a
 * payment or suspense item (its allocation, moves, refunds and their reversals) carries the
 * source's type and id, so summing their fund postings gives what is left where. Nothing is
 * kept beside the ledger that could disagree with it.
 */

export class JournalRefusal extends Error {
  constructor(
    readonly status: 'unprocessable' | 'conflict' | 'not_found',
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'JournalRefusal';
  }
}

/**
 * Serialises every posting that takes money from one source (moves, reversals, refunds) for
 * the rest of the transaction, so two of them cannot both spend the same holding.
 */
export async function lockFor(tx: Executor, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

type HoldingRow = {
  fund_code: string;
  account_reference: string | null;
  vat_code: string | null;
  rate_basis_points: number;
  net_pence: number;
  vat_pence: number;
};

export async function sourceHoldings(
  db: Executor,
  sourceType: string,
  sourceId: string,
): Promise<Holding[]> {
  const rows = await db.execute<HoldingRow>(sql`
    select a.fund_code, p.account_reference, p.vat_code,
           coalesce(max(v.rate_basis_points), 0)::int as rate_basis_points,
           sum(p.credit_pence - p.debit_pence)::bigint as net_pence,
           sum(case when p.credit_pence > 0 then p.vat_pence else -p.vat_pence end)::bigint as vat_pence
      from postings p
      join journals j on j.id = p.journal_id
      join ledger_accounts a on a.code = p.account_code and a.kind = 'fund'
      left join vat_codes v on v.code = p.vat_code
     where j.source_type = ${sourceType} and j.source_id = ${sourceId}
     group by a.fund_code, p.account_reference, p.vat_code
     order by a.fund_code, p.account_reference`);
  return rows.map((row) => ({
    fundCode: row.fund_code,
    reference: row.account_reference,
    vatCode: row.vat_code,
    vatRateBasisPoints: row.rate_basis_points,
    grossPence: row.net_pence + row.vat_pence,
    vatPence: row.vat_pence,
  }));
}

/** What a fund account holds for one reference (or in all), credits less debits. */
export async function fundBalancePence(
  db: Executor,
  accountCode: string,
  reference: string | null,
): Promise<number> {
  const rows = await db.execute<{ balance_pence: number }>(sql`
    select coalesce(sum(credit_pence - debit_pence), 0)::bigint as balance_pence
      from postings
     where account_code = ${accountCode}
       and (${reference}::text is null or account_reference = ${reference})`);
  return rows[0]?.balance_pence ?? 0;
}

/**
 * Refuses lines that would take from a source more than a holding has: for each fund and
 * reference the lines debit, the gross debited (net plus its VAT) must be held.
 */
export function assertHoldingsCover(
  holdings: readonly Holding[],
  lines: readonly LedgerLine[],
  field: string,
): void {
  const debited = new Map<string, number>();
  for (const line of lines) {
    if (!line.accountCode.startsWith('FUND:') || line.debitPence === 0) continue;
    const key = `${line.accountCode.slice(5)}\n${line.accountReference ?? ''}`;
    debited.set(key, (debited.get(key) ?? 0) + line.debitPence + (line.vatPence ?? 0));
  }
  for (const [key, grossPence] of debited) {
    const held = holdings
      .filter((h) => `${h.fundCode}\n${h.reference ?? ''}` === key)
      .reduce((sum, h) => sum + h.grossPence, 0);
    if (grossPence > held) {
      const [fundCode, reference] = key.split('\n');
      throw new JournalRefusal(
        'unprocessable',
        field,
        `${fundCode} ${reference || '(no reference)'} holds only ${held} pence of this income; ${grossPence} needed`,
      );
    }
  }
}
