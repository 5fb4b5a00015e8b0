import type { Sql } from '../db/client';

/**
 * Fills a council's ledger fast for benchmarks and tests: `journalCount` card-payment-like
 * journals of two postings each (bank debit, fund credit), generated inside PostgreSQL with
 * `generate_series` instead of through the workflows.
 *
 * `owner` must be the tables' owner bound to the council (`connectDatabase(url, { councilId })`):
 * the rows take their council from the connection, as the application's do. Every invariant of
 * the ledger migration (0001) still holds and is still checked: a journal and its postings go in
 * one transaction, all of a journal's postings in one statement, debits equal credits, and the
 * financial year and period come from the database's own functions. Batches keep each
 * transaction's deferred checks and memory modest.
 *
 * Those checks look postings up per journal. On tables PostgreSQL has not analysed since they
 * were empty it plans a sequential scan for each lookup, quadratic in the batch (28 s for 10,000
 * journals instead of 1 s), so the first batch is small and each batch is followed by ANALYZE.
 */
export async function insertBalancedJournals(
  owner: Sql,
  journalCount: number,
  options: { batchJournals?: number; idPrefix?: string } = {},
): Promise<void> {
  const batchJournals = options.batchJournals ?? 50_000;
  const idPrefix = options.idPrefix ?? 'jnl_gen_';
  // The owner is past row-level security, so this lookup names the council itself.
  const [accounts] = await owner<{ bank: string; fund: string }[]>`
    select max(code) filter (where code = 'CTRL:BANK') as bank,
           min(code) filter (where kind = 'fund') as fund
      from ledger_accounts where council_id = current_setting('ims.council_id')`;
  if (accounts?.bank == null || accounts.fund == null)
    throw new Error('the council has no bank or fund ledger account: onboard it first');
  const firstBatchJournals = Math.min(batchJournals, 1_000);
  for (let first = 1; first <= journalCount; ) {
    const last = Math.min(
      journalCount,
      first + (first === 1 ? firstBatchJournals : batchJournals) - 1,
    );
    await owner.begin(async (tx) => {
      await tx`
        insert into journals (id, idempotency_key, content_hash, kind, description, posting_date,
                              financial_year, period, caused_by, source_type, source_id,
                              line_count, total_pence)
        select ${idPrefix}::text || g, 'generated:' || ${idPrefix}::text || g, md5(g::text), 'payment',
               'Generated payment ' || g, d, ims_financial_year(d), ims_financial_period(d),
               'system:generated', 'payment', 'pay_gen_' || g, 2, 100 + g % 10000
          from generate_series(${first}::int, ${last}::int) g,
               lateral (select date '2025-04-01' + g % 365 as d) day`;
      await tx`
        insert into postings (journal_id, line_no, account_code, debit_pence, credit_pence,
                              account_reference, narrative)
        select ${idPrefix}::text || g, line, case line when 1 then ${accounts.bank} else ${accounts.fund} end,
               case line when 1 then 100 + g % 10000 else 0 end,
               case line when 2 then 100 + g % 10000 else 0 end,
               lpad((g % 1000000)::text, 9, '0'), 'Generated payment ' || g
          from generate_series(${first}::int, ${last}::int) g, generate_series(1, 2) line`;
    });
    await owner`analyze journals, postings`;
    first = last + 1;
  }
}
