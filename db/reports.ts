import { sql } from 'drizzle-orm';
import { expectedItems } from './bankReconciliationItems';
import { openBankExceptions } from './bankReconciliationQueries';
import type { Database } from './client';
import type { Executor } from './executor';
import { getSettlement } from './settlement';

/**
 * Finance reports, read straight from the ledger and the reconciliation tables so they can
 * never disagree with what was posted.
 */
export type DailyCashRow = {
  fundCode: string;
  methodOfPaymentCode: string | null;
  incomePence: number;
};

/**
 * Net income (credits less debits on fund accounts) posted on a date, per fund and method of
 * payment. The method comes from what the journal is about: a payment's own method (card or
 * counter; a counter payment's void is about it too, so it nets), or the import profile's; journals about anything else (suspense transfers, manual) have none.
 */
export async function dailyCash(db: Executor, date: string): Promise<DailyCashRow[]> {
  const rows = await db.execute<{ fund_code: string; method: string | null; income: string }>(sql`
    select a.fund_code,
           coalesce(pay.method_of_payment_code, cp.method_of_payment_code, ip.method_of_payment_code) as method,
           sum(p.credit_pence - p.debit_pence) as income
      from postings p
      join journals j on j.id = p.journal_id
      join ledger_accounts a on a.code = p.account_code and a.kind = 'fund'
      left join payments pay on j.source_type = 'payment' and pay.id = j.source_id
      left join counter_payments cp on j.source_type = 'counter_payment' and cp.id = j.source_id
      left join imports i on j.source_type = 'import' and i.id = j.source_id
      left join import_profiles ip on ip.id = i.profile_id
     where j.posting_date = ${date}
     group by 1, 2
     order by 1, 2 nulls last`);
  return rows.map((row) => ({
    fundCode: row.fund_code,
    methodOfPaymentCode: row.method,
    incomePence: Number(row.income),
  }));
}

/** The day's PSP settlement, its statement credits matched or not, and whether its payout is matched. */
export async function reconciliationStatus(db: Database, date: string) {
  const settlement = await getSettlement(db, date);
  const [lines] = await db.execute<{
    matched: string;
    unmatched: string;
    unmatched_pence: string;
  }>(sql`
    select count(*) filter (where match_id is not null) as matched,
           count(*) filter (where match_id is null) as unmatched,
           coalesce(sum(amount_pence) filter (where match_id is null), 0) as unmatched_pence
      from bank_statement_lines where date = ${date} and amount_pence > 0`);
  const { items, matched } = await expectedItems(db);
  const due = items.filter((item) => item.expectedDate === date);
  return {
    date,
    settlement:
      settlement === null
        ? null
        : {
            paymentCount: settlement.paymentCount,
            grossPence: settlement.grossPence,
            feePence: settlement.feePence,
            expectedPayoutPence: settlement.expectedPayoutPence,
            differenceCount: settlement.differences.length,
          },
    statementCreditsMatched: Number(lines?.matched ?? 0),
    statementCreditsUnmatched: Number(lines?.unmatched ?? 0),
    unmatchedCreditPence: Number(lines?.unmatched_pence ?? 0),
    expectedItemsMatched: due.filter((item) => matched.has(item.id)).length,
    expectedItemsUnmatched: due.filter((item) => !matched.has(item.id)).length,
  };
}

export const ageBuckets = [
  { label: '0-1', minDays: 0, maxDays: 1 },
  { label: '2-5', minDays: 2, maxDays: 5 },
  { label: '6-20', minDays: 6, maxDays: 20 },
  { label: '>20', minDays: 21, maxDays: null },
] as const;

/** Open exceptions per age bucket; one not yet due (negative age) counts as 0 days old. */
export async function exceptionsByAge(db: Executor, asOf: string) {
  const open = await openBankExceptions(db, { asOf });
  return ageBuckets.map((bucket) => {
    const inBucket = open.filter((exception) => {
      const age = Math.max(0, exception.ageDays);
      return age >= bucket.minDays && (bucket.maxDays === null || age <= bucket.maxDays);
    });
    const count = (kind: string) => inBucket.filter((exception) => exception.kind === kind).length;
    return {
      ...bucket,
      count: inBucket.length,
      expected: count('expected'),
      mismatched: count('mismatched'),
      unexpected: count('unexpected'),
    };
  });
}
