import { sql } from 'drizzle-orm';
import { businessDateOf } from '../domain/businessDate';
import type { ExpectedItem, MatchRule, StatementLine } from '../domain/reconciliation';
import type { Executor } from './executor';

/**
 * What bank matching compares: statement credits on one side, money the IMS expects the bank
 * to receive on the other. Expected items are derived, not stored, so a re-run settlement (a
 * fresher payout) is picked up at once; their ids are stable (`psp_payout:<date>`,
 * `collection_file:<importId>`) so matches can name them.
 */

/**
 * Default rules, tried in order. References are ignored: the IMS does not yet know the
 * references banks print for payouts and collection bankings, so amount and date decide.
 */
export const defaultBankMatchRules: readonly MatchRule[] = [
  {
    name: 'same_day_exact',
    kind: 'one_to_one',
    dateWindowDays: 0,
    amountTolerancePence: 0,
    reference: 'ignore',
  },
  {
    name: 'within_3_days',
    kind: 'one_to_one',
    dateWindowDays: 3,
    amountTolerancePence: 0,
    reference: 'ignore',
  },
  {
    name: 'split_payout',
    kind: 'many_to_one',
    dateWindowDays: 3,
    amountTolerancePence: 0,
    reference: 'ignore',
    itemKinds: ['psp_payout'],
  },
  {
    name: 'banking_of_several',
    kind: 'one_to_many',
    dateWindowDays: 3,
    amountTolerancePence: 0,
    reference: 'ignore',
  },
];

/** The control account statement imports post to: a CSV profile posting there is a bank export, not a collection file. */
const bankAccountCode = 'CTRL:BANK';

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

/** Every expected item, and which of them an active match already holds. */
export async function expectedItems(
  db: Executor,
): Promise<{ items: ExpectedItem[]; matched: Set<string> }> {
  const payouts = await db.execute<{ settled_date: string; expected_payout_pence: string }>(sql`
    select settled_date::text as settled_date, expected_payout_pence
      from psp_settlements where expected_payout_pence > 0`);
  const files = await db.execute<{ id: string; total_pence: string; completed_at: Date }>(sql`
    select i.id, i.total_pence, i.completed_at
      from imports i join import_profiles p on p.id = i.profile_id
     where i.state = 'completed' and p.kind in ('csv', 'fixedWidth')
       and p.clearing_account_code <> ${bankAccountCode} and i.total_pence > 0`);
  const held = await db.execute<{ item_id: string }>(sql`
    select distinct unnest(expected_item_ids) as item_id
      from bank_matches where unmatched_at is null`);
  const items: ExpectedItem[] = [
    ...payouts.map((row) => ({
      id: `psp_payout:${row.settled_date}`,
      kind: 'psp_payout' as const,
      amountPence: Number(row.expected_payout_pence),
      expectedDate: row.settled_date,
      reference: '',
    })),
    ...files.map((row) => ({
      id: `collection_file:${row.id}`,
      kind: 'collection_file' as const,
      amountPence: Number(row.total_pence),
      expectedDate: businessDateOf(new Date(row.completed_at).getTime()),
      reference: '',
    })),
  ];
  return { items, matched: new Set(held.map((row) => row.item_id)) };
}
