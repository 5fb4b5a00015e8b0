import { and, asc, eq, sql } from 'drizzle-orm';
import {
  displayAddress,
  displayName,
  type HolderAddress,
  type HolderName,
} from '../domain/accountHolders';
import { holderColumns, toHolderView } from './accountHolders';
import { recordAudit } from './audit';
import type { AuditMeta } from './configWrites';
import type { Executor } from './executor';
import { accountHolders, onStopMessages } from './schema';

/**
 * Account holders kept on screen, one at a time, beside the whole-list CSV load. A later load
 * of the fund replaces these rows too: the line-of-business file stays the fund's truth. The
 * audit row records which fields changed, never the personal data itself.
 */

export type HolderFields = HolderName &
  HolderAddress & { balancePence: number | null; onStopMessage: string | null };

function columnsOf(fields: HolderFields) {
  return { ...fields, name: displayName(fields), address: displayAddress(fields) };
}

export async function createAccountHolder(
  tx: Executor,
  fundCode: string,
  reference: string,
  fields: HolderFields,
  meta: AuditMeta,
) {
  const auditId = await recordAudit(tx, {
    ...meta,
    action: 'account_holder.create',
    entityType: 'account_holder',
    entityId: `${fundCode}:${reference}`,
    after: {
      fields: Object.keys(fields).filter((key) => fields[key as keyof HolderFields] !== null),
    },
  });
  const rows = await tx
    .insert(accountHolders)
    .values({ fundCode, reference, ...columnsOf(fields), loadId: auditId })
    .onConflictDoNothing()
    .returning(holderColumns);
  return rows[0] === undefined ? null : toHolderView(rows[0]);
}

/** Null when there is no such account; the row is locked so two edits cannot interleave. */
export async function updateAccountHolder(
  tx: Executor,
  fundCode: string,
  reference: string,
  patch: Partial<HolderFields>,
  meta: AuditMeta,
) {
  const where = and(eq(accountHolders.fundCode, fundCode), eq(accountHolders.reference, reference));
  const [current] = await tx.select(holderColumns).from(accountHolders).where(where).for('update');
  if (current === undefined) return null;
  const next: HolderFields = { ...current, ...patch };
  const changed = Object.keys(patch).filter(
    (key) => patch[key as keyof HolderFields] !== current[key as keyof HolderFields],
  );
  const auditId = await recordAudit(tx, {
    ...meta,
    action: 'account_holder.update',
    entityType: 'account_holder',
    entityId: `${fundCode}:${reference}`,
    after: {
      changed,
      onStop: next.onStopMessage !== null,
    },
  });
  const [row] = await tx
    .update(accountHolders)
    .set({ ...columnsOf(next), loadId: auditId, loadedAt: sql`now()` })
    .where(where)
    .returning(holderColumns);
  return toHolderView(row!);
}

export type HolderSearch = {
  /** Free text: a reference, a name, part of an address; matched by trigram similarity. */
  text?: string;
  /** Upper case without spaces (postcodeKey). */
  postcodeKey?: string;
  /** Only these funds (the caller's scope, or the one fund asked for); undefined: every fund. */
  fundCodes: readonly string[] | undefined;
  limit: number;
};

// Below this, trigram matches are noise: "smith" would find every "smyth" and "smithson".
const similarityMin = 0.3;
// Postcodes are short: at 0.3 `DT1 1AA` would find every `DT1 1..`; 0.5 still forgives one typo.
const postcodeSimilarityMin = 0.5;

/**
 * Fuzzy search over every fund the caller may see, best match first. A reference prefix or an
 * exact postcode always counts; otherwise pg_trgm's word similarity against the row's search
 * text. The matching runs in the database function `search_account_holders` (migration 0021),
 * which applies the council itself so that the GIN trigram indexes can serve it under row-level
 * security; this query then reads the rows found, as the application role.
 */
export async function searchAccountHolders(db: Executor, search: HolderSearch) {
  if (search.fundCodes?.length === 0) return [];
  const text = search.text?.toLowerCase() ?? null;
  const key = search.postcodeKey ?? null;
  return db.transaction(async (tx) => {
    // The thresholds of pg_trgm's `<%` and `%` operators, for this transaction only.
    await tx.execute(sql`select
      set_config('pg_trgm.word_similarity_threshold', ${String(similarityMin)}, true),
      set_config('pg_trgm.similarity_threshold', ${String(postcodeSimilarityMin)}, true)`);
    const found = sql`search_account_holders(
      ${text}, ${text === null ? null : `%${escapeLike(text)}%`},
      ${text === null ? null : `${escapeLike(text)}%`},
      ${key}, ${key === null ? null : `${escapeLike(key)}%`},
      ${search.fundCodes === undefined ? null : sql`${sql.param([...search.fundCodes])}::text[]`},
      ${search.limit}) as found`;
    const rows = await tx
      .select({ ...holderColumns, fundCode: accountHolders.fundCode })
      .from(found)
      .innerJoin(
        accountHolders,
        sql`${accountHolders.fundCode} = found.fund_code and ${accountHolders.reference} = found.reference`,
      )
      .orderBy(sql`found.score desc`, sql`found.fund_code`, sql`found.reference`);
    return rows.map((row) => ({ ...toHolderView(row), fundCode: row.fundCode }));
  });
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

export async function listOnStopMessages(db: Executor, fundCode: string) {
  return db
    .select({ code: onStopMessages.code, message: onStopMessages.message })
    .from(onStopMessages)
    .where(and(eq(onStopMessages.fundCode, fundCode), eq(onStopMessages.disabled, false)))
    .orderBy(asc(onStopMessages.code));
}

export async function getOnStopMessage(db: Executor, fundCode: string, code: string) {
  const [row] = await db
    .select({ code: onStopMessages.code, message: onStopMessages.message })
    .from(onStopMessages)
    .where(
      and(
        eq(onStopMessages.fundCode, fundCode),
        eq(onStopMessages.code, code),
        eq(onStopMessages.disabled, false),
      ),
    );
  return row ?? null;
}

/** Null when the fund already has a message with this code. */
export async function createOnStopMessage(
  tx: Executor,
  input: { fundCode: string; code: string; message: string },
  meta: AuditMeta,
) {
  const rows = await tx
    .insert(onStopMessages)
    .values(input)
    .onConflictDoNothing()
    .returning({ code: onStopMessages.code, message: onStopMessages.message });
  if (rows[0] === undefined) return null;
  await recordAudit(tx, {
    ...meta,
    action: 'on_stop_message.create',
    entityType: 'fund',
    entityId: input.fundCode,
    after: input,
  });
  return rows[0];
}
