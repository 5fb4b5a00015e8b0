import { and, desc, eq, gte, like, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import { newId } from '../domain/ids';
import type { Executor } from './executor';
import { auditLog } from './schema';

/**
 * Who changed what, when and why. Every configuration change calls `recordAudit` with the same
 * transaction handle as the change itself, so a change without its audit row (or an audit row
 * for a change that rolled back) cannot exist.
 */
export type AuditEntry = {
  /** A user id, or `system:<what>` for the IMS itself (e.g. `system:seed`). */
  actor: string;
  /** `<entityType>.<verb>`, e.g. `fund.create`, `account_holders.replace`. */
  action: string;
  entityType: string;
  entityId: string;
  reason?: string;
  /** The entity before the change; absent for creations. */
  before?: unknown;
  after?: unknown;
  requestId?: string;
};

/** Writes one audit row and returns its id (`aud_…`). */
export async function recordAudit(tx: Executor, entry: AuditEntry): Promise<string> {
  const id = newId('audit');
  await tx.insert(auditLog).values({
    id,
    actor: entry.actor,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    reason: entry.reason ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    requestId: entry.requestId ?? null,
  });
  return id;
}

export type AuditFilter = {
  /** Exactly this actor (a username, an API key's principal, `system:…`). */
  actor?: string;
  /** Actions starting with this text: `user.` for every user action, `fund.update` for one. */
  action?: string;
  entityType?: string;
  entityId?: string;
  /** Inclusive lower and upper bounds on when the change happened. */
  from?: Date;
  to?: Date;
  limit: number;
  /** Position after which to continue, from a previous page's `nextCursor`. */
  after?: AuditCursor;
};

/** A LIKE pattern matching the text literally: `_` and `%` in an action are not wildcards. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** The full-precision time (PostgreSQL text, microseconds) and id of the last row seen. */
export type AuditCursor = { occurredAt: string; id: string };

export type AuditRecord = {
  id: string;
  occurredAt: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  reason: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
};

/** Newest first, ties broken by id, with keyset paging so pages never skip or repeat rows. */
export async function searchAudit(
  db: Executor,
  filter: AuditFilter,
): Promise<{ records: AuditRecord[]; next: AuditCursor | null }> {
  const conditions: (SQL | undefined)[] = [
    filter.actor === undefined ? undefined : eq(auditLog.actor, filter.actor),
    filter.action === undefined
      ? undefined
      : like(auditLog.action, `${escapeLike(filter.action)}%`),
    filter.entityType === undefined ? undefined : eq(auditLog.entityType, filter.entityType),
    filter.entityId === undefined ? undefined : eq(auditLog.entityId, filter.entityId),
    filter.from === undefined ? undefined : gte(auditLog.occurredAt, filter.from),
    filter.to === undefined ? undefined : lte(auditLog.occurredAt, filter.to),
  ];
  if (filter.after !== undefined) {
    const at = sql`${filter.after.occurredAt}::timestamptz`;
    conditions.push(
      or(
        sql`${auditLog.occurredAt} < ${at}`,
        and(sql`${auditLog.occurredAt} = ${at}`, lt(auditLog.id, filter.after.id)),
      ),
    );
  }
  const rows = await db
    .select({ row: auditLog, occurredAtText: sql<string>`${auditLog.occurredAt}::text` })
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.occurredAt), desc(auditLog.id))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  const next =
    rows.length > filter.limit && last !== undefined
      ? { occurredAt: last.occurredAtText, id: last.row.id }
      : null;
  const records = page.map(({ row }) => ({ ...row, occurredAt: row.occurredAt.toISOString() }));
  return { records, next };
}
