import { sql } from 'drizzle-orm';
import { businessDateOf } from '../domain/businessDate';
import { bagTotals } from '../domain/cashReturn';
import { controlAccounts } from '../domain/ledgerAccounts';
import type { ExpectedItem, StatementLine } from '../domain/reconciliation';
import { type BankMatchSettings, bankMatchSettings } from './bankReconciliationRules';
import type { Executor } from './executor';

/**
 * What bank matching compares: statement credits on one side, money the IMS expects the bank
 * to receive on the other. Expected items are derived, not stored, so a re-run settlement (a
 * fresher payout) is picked up at once; their ids are stable (`psp_payout:<date>`,
 * `collection_file:<importId>`, `cash_banking:<date>:<point>`, `direct_credit:<journal>:<line>`)
 * so matches can name them, and each says which clearing account its money waits in.
 */

/** Kept for callers of the first version; the rules in force are configured (bankReconciliationRules). */
export { defaultBankMatchRules } from './bankReconciliationRules';

const bankAccountCode = controlAccounts.bank;
const cashAccountCode = controlAccounts.cashInHand;

export type StoredLine = StatementLine & { matchId: string | null };

/**
 * Credits of completed statement imports (a still-running import may yet be re-staged): the
 * unmatched ones, or those with these ids. The '' keeps an empty id list valid SQL.
 */
export async function statementCredits(
  db: Executor,
  ids?: readonly string[],
): Promise<StoredLine[]> {
  const only = ids === undefined ? sql`l.match_id is null` : sql`l.id in ${[...ids, '']}`;
  const rows = await db.execute<{
    id: string;
    amount_pence: string;
    date: string;
    reference: string;
    narrative: string;
    match_id: string | null;
  }>(sql`
    select l.id, l.amount_pence, l.date::text as date, l.reference, l.narrative, l.match_id
      from bank_statement_lines l join imports i on i.id = l.import_id
     where i.state = 'completed' and l.amount_pence > 0 and ${only}
     order by l.id`);
  return rows.map((row) => ({
    id: row.id,
    amountPence: Number(row.amount_pence),
    date: row.date,
    reference: row.reference,
    narrative: row.narrative,
    matchId: row.match_id,
  }));
}

/** Where an item's money waits until the bank receives it: what its clearing journal credits. */
export type ClearingPart = { accountCode: string; amountPence: number };

export type ExpectedItems = {
  items: ExpectedItem[];
  /** Items an active match already holds. */
  matched: Set<string>;
  /** Each item's clearing account(s) and amounts (several for a mixed cash banking). */
  clearing: Map<string, ClearingPart[]>;
};

/** "po-20261121.txt" → "po-20261121": agents quote their file's name when they bank its total. */
function fileStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).at(-1) ?? fileName;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/**
 * Every expected item, derived from what the IMS has recorded:
 *
 * - `psp_payout:<settled date>`: a reconciled PSP settlement's expected payout (> 0), clearing
 *   CTRL:PSP_CLEARING; reference: the configured PSP payout reference.
 * - `collection_file:<importId>`: a completed CSV/fixed-width import whose profile posts to an
 *   agent's clearing account (neither the bank nor cash in hand): the agent banks its total.
 *   Reference: the file's name without extension.
 * - `cash_banking:<date>:<point>`: cash and cheques an office banks: payments taken with a cash
 *   or cheque method at an office (point = office code, date = posting date), and completed
 *   imports whose profile posts to CTRL:CASH (point = the profile id, as imports carry no
 *   office; date = completion date). Reference: point and date, e.g. `CC20261121`.
 * - `cash_banking:<date>:bag-<bagNo>`: one per bag of an approved cash return (the cash desk,
 *   docs/cash-desk.md), clearing CTRL:CASH; reference: the bag's number, which the bank quotes.
 * - `direct_credit:<journalId>:<lineNo>`: income already booked to CTRL:BANK (a bank export
 *   CSV's rows, or a credit put into suspense by hand against the bank), one per income line;
 *   reference: the payer's reference. Its match confirms the credit and posts nothing.
 */
export async function expectedItems(
  db: Executor,
  settings?: Pick<BankMatchSettings, 'pspPayoutReference'>,
): Promise<ExpectedItems> {
  const pspPayoutReference =
    settings?.pspPayoutReference ?? (await bankMatchSettings(db)).value.pspPayoutReference;
  const items: ExpectedItem[] = [];
  const clearing = new Map<string, ClearingPart[]>();
  const add = (item: ExpectedItem, parts: ClearingPart[]) => {
    items.push(item);
    clearing.set(item.id, parts);
  };

  const payouts = await db.execute<{ settled_date: string; expected_payout_pence: string }>(sql`
    select settled_date::text as settled_date, expected_payout_pence
      from psp_settlements where expected_payout_pence > 0`);
  for (const row of payouts) {
    const amountPence = Number(row.expected_payout_pence);
    add(
      {
        id: `psp_payout:${row.settled_date}`,
        kind: 'psp_payout',
        amountPence,
        expectedDate: row.settled_date,
        reference: pspPayoutReference,
      },
      [{ accountCode: controlAccounts.pspClearing, amountPence }],
    );
  }

  const files = await db.execute<{
    id: string;
    file_name: string;
    profile_id: string;
    clearing_account_code: string;
    total_pence: string;
    completed_at: Date;
  }>(sql`
    select i.id, i.file_name, p.id as profile_id, p.clearing_account_code, i.total_pence, i.completed_at
      from imports i join import_profiles p on p.id = i.profile_id
     where i.state = 'completed' and p.kind in ('csv', 'fixedWidth')
       and p.clearing_account_code <> ${bankAccountCode} and i.total_pence > 0
     order by i.id`);
  const cash = new Map<string, { date: string; point: string; parts: Map<string, number> }>();
  const addCash = (date: string, point: string, accountCode: string, amountPence: number) => {
    const id = `cash_banking:${date}:${point}`;
    const banking = cash.get(id) ?? { date, point, parts: new Map<string, number>() };
    banking.parts.set(accountCode, (banking.parts.get(accountCode) ?? 0) + amountPence);
    cash.set(id, banking);
  };
  for (const row of files) {
    const amountPence = Number(row.total_pence);
    const completedOn = businessDateOf(new Date(row.completed_at).getTime());
    if (row.clearing_account_code === cashAccountCode) {
      addCash(completedOn, row.profile_id, cashAccountCode, amountPence);
      continue;
    }
    add(
      {
        id: `collection_file:${row.id}`,
        kind: 'collection_file',
        amountPence,
        expectedDate: completedOn,
        reference: fileStem(row.file_name),
      },
      [{ accountCode: row.clearing_account_code, amountPence }],
    );
  }

  // Cash and cheques taken at an office; the journal's first line is the account it debited.
  const taken = await db.execute<{
    posting_date: string;
    office_code: string;
    account_code: string;
    amount_pence: string;
  }>(sql`
    select j.posting_date::text as posting_date, coalesce(pay.office_code, 'NONE') as office_code,
           d.account_code, sum(pay.amount_pence)::bigint as amount_pence
      from payments pay
      join methods_of_payment m on m.code = pay.method_of_payment_code
      join journals j on j.id = pay.journal_id
      join postings d on d.journal_id = j.id and d.line_no = 1
     where (m.is_cash or m.is_cheque) and pay.state = 'allocated'
     group by 1, 2, 3`);
  for (const row of taken)
    addCash(row.posting_date, row.office_code, row.account_code, Number(row.amount_pence));
  for (const [id, banking] of [...cash].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const parts = [...banking.parts]
      .map(([accountCode, amountPence]) => ({ accountCode, amountPence }))
      .sort((a, b) => (a.accountCode < b.accountCode ? -1 : 1));
    const amountPence = parts.reduce((sum, part) => sum + part.amountPence, 0);
    if (amountPence <= 0) continue;
    add(
      {
        id,
        kind: 'cash_banking',
        amountPence,
        expectedDate: banking.date,
        reference: `${banking.point}${banking.date.replaceAll('-', '')}`,
      },
      parts,
    );
  }

  for (const bag of await approvedBags(db))
    add(bag, [{ accountCode: cashAccountCode, amountPence: bag.amountPence }]);

  // Income booked straight to the bank, line by line; a reversed journal expects nothing.
  const credits = await db.execute<{
    journal_id: string;
    line_no: number;
    posting_date: string;
    amount_pence: string;
    reference: string;
  }>(sql`
    select j.id as journal_id, p.line_no, j.posting_date::text as posting_date,
           (p.credit_pence + p.vat_pence)::bigint as amount_pence,
           coalesce(p.account_reference, '') as reference
      from journals j
      join postings p on p.journal_id = j.id and p.credit_pence > 0
      join ledger_accounts a on a.code = p.account_code and a.kind = 'fund'
     where j.reverses_journal_id is null
       and not exists (select 1 from journals r where r.reverses_journal_id = j.id)
       and ((j.source_type = 'import' and exists (
              select 1 from imports i join import_profiles ip on ip.id = i.profile_id
               where i.id = j.source_id and i.state = 'completed'
                 and ip.kind in ('csv', 'fixedWidth') and ip.clearing_account_code = ${bankAccountCode}))
         or (j.source_type = 'suspense' and j.idempotency_key like 'suspense:%:intake' and exists (
              select 1 from postings b
               where b.journal_id = j.id and b.account_code = ${bankAccountCode} and b.debit_pence > 0)))
     order by j.id, p.line_no`);
  for (const row of credits) {
    const amountPence = Number(row.amount_pence);
    add(
      {
        id: `direct_credit:${row.journal_id}:${row.line_no}`,
        kind: 'direct_credit',
        amountPence,
        expectedDate: row.posting_date,
        reference: row.reference,
      },
      [{ accountCode: bankAccountCode, amountPence }],
    );
  }

  const held = await db.execute<{ item_id: string }>(sql`
    select distinct unnest(expected_item_ids) as item_id
      from bank_matches where unmatched_at is null`);
  return { items, matched: new Set(held.map((row) => row.item_id)), clearing };
}

/** The bags of approved cash returns: each is banked whole, and the bank quotes its number. */
async function approvedBags(db: Executor): Promise<ExpectedItem[]> {
  const rows = await db.execute<{
    business_date: string;
    bags: { bagNo: string; counts: Record<string, number> }[];
    cheques: { bagNo: string; chequeNumber: string; drawer: string; amountPence: number }[];
  }>(sql`
    select business_date::text as business_date, bags, cheques
      from cash_returns where state = 'approved' order by id`);
  return rows.flatMap((row) =>
    bagTotals({ bags: row.bags, cheques: row.cheques })
      .filter((bag) => bag.totalPence > 0)
      .map((bag) => ({
        id: `cash_banking:${row.business_date}:bag-${bag.bagNo}`,
        kind: 'cash_banking' as const,
        amountPence: bag.totalPence,
        expectedDate: row.business_date,
        reference: bag.bagNo,
      })),
  );
}
