import { and, asc, eq, gt, like, sql } from 'drizzle-orm';
import { recordAudit } from './audit';
import type { AuditMeta } from './configWrites';
import type { Executor } from './executor';
import { accountHolders, funds } from './schema';
import { connectionCouncil } from './schema/columns';

/**
 * A fund's loaded list of account holders. A load replaces the whole list in one transaction:
 * the file is the line-of-business system's current truth, so yesterday's rows must go.
 */

export type AccountHolderInput = {
  reference: string;
  name: string;
  address: string;
  balancePence: number | null;
  onStopMessage: string | null;
};

export type AccountHolderLoad = {
  fundCode: string;
  /** The audit row's id: which load wrote a row, and who did it, is one join away. */
  loadId: string;
  rowCount: number;
  replacedRowCount: number;
  onStopCount: number;
};

// Each statement sends five arrays (one per column), not a parameter per value, so a batch
// can be large: 10,000 rows per statement loads 100,000 accounts in about a second.
const insertBatchSize = 10_000;

async function insertBatch(
  tx: Executor,
  fundCode: string,
  loadId: string,
  batch: readonly AccountHolderInput[],
) {
  const column = <T>(pick: (row: AccountHolderInput) => T) => sql.param(batch.map(pick));
  await tx.execute(sql`
    insert into account_holders
      (fund_code, reference, name, address, balance_pence, on_stop_message, load_id)
    select ${fundCode}, reference, name, address, balance_pence, on_stop_message, ${loadId}
      from unnest(
        ${column((row) => row.reference)}::text[],
        ${column((row) => row.name)}::text[],
        ${column((row) => row.address)}::text[],
        ${column((row) => row.balancePence)}::bigint[],
        ${column((row) => row.onStopMessage)}::text[]
      ) as loaded(reference, name, address, balance_pence, on_stop_message)`);
}

/**
 * Replaces the fund's list with `rows` (already validated and free of duplicates) and records
 * one audit row with counts only: names and addresses never go into the audit log. Null when
 * there is no such fund. The fund row is locked so two loads of one fund cannot interleave.
 */
export async function replaceAccountHolders(
  tx: Executor,
  fundCode: string,
  rows: readonly AccountHolderInput[],
  meta: AuditMeta,
): Promise<AccountHolderLoad | null> {
  const fund = await tx
    .select({ code: funds.code })
    .from(funds)
    .where(eq(funds.code, fundCode))
    .for('update');
  if (fund.length === 0) return null;
  const replaced = await tx
    .delete(accountHolders)
    .where(
      and(eq(accountHolders.councilId, connectionCouncil), eq(accountHolders.fundCode, fundCode)),
    );
  const counts = {
    rowCount: rows.length,
    replacedRowCount: replaced.count,
    onStopCount: rows.filter((row) => row.onStopMessage !== null).length,
  };
  const loadId = await recordAudit(tx, {
    ...meta,
    action: 'account_holders.replace',
    entityType: 'fund',
    entityId: fundCode,
    before: { rowCount: counts.replacedRowCount },
    after: counts,
  });
  for (let start = 0; start < rows.length; start += insertBatchSize) {
    await insertBatch(tx, fundCode, loadId, rows.slice(start, start + insertBatchSize));
  }
  return { fundCode, loadId, ...counts };
}

export const holderColumns = {
  reference: accountHolders.reference,
  name: accountHolders.name,
  address: accountHolders.address,
  title: accountHolders.title,
  forenames: accountHolders.forenames,
  surname: accountHolders.surname,
  organisation: accountHolders.organisation,
  addressLine1: accountHolders.addressLine1,
  addressLine2: accountHolders.addressLine2,
  town: accountHolders.town,
  postcode: accountHolders.postcode,
  balancePence: accountHolders.balancePence,
  onStopMessage: accountHolders.onStopMessage,
  loadId: accountHolders.loadId,
  loadedAt: accountHolders.loadedAt,
};

export const toHolderView = <Row extends { loadedAt: Date }>(row: Row) => ({
  ...row,
  loadedAt: row.loadedAt.toISOString(),
});

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** A page of the fund's list in reference order, optionally only references with a prefix. */
export async function listAccountHolders(
  db: Executor,
  fundCode: string,
  options: { referencePrefix?: string; afterReference?: string; limit: number },
) {
  const rows = await db
    .select(holderColumns)
    .from(accountHolders)
    .where(
      and(
        eq(accountHolders.fundCode, fundCode),
        options.referencePrefix === undefined
          ? undefined
          : like(accountHolders.reference, `${escapeLike(options.referencePrefix)}%`),
        options.afterReference === undefined
          ? undefined
          : gt(accountHolders.reference, options.afterReference),
      ),
    )
    .orderBy(asc(accountHolders.reference))
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit).map(toHolderView);
  const next = rows.length > options.limit ? (page.at(-1)?.reference ?? null) : null;
  return { items: page, nextReference: next };
}

export async function getAccountHolder(db: Executor, fundCode: string, reference: string) {
  const [row] = await db
    .select(holderColumns)
    .from(accountHolders)
    .where(and(eq(accountHolders.fundCode, fundCode), eq(accountHolders.reference, reference)));
  return row === undefined ? null : toHolderView(row);
}
