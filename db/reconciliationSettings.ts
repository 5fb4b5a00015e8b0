import { eq } from 'drizzle-orm';
import { recordAudit } from './audit';
import type { AuditMeta } from './configWrites';
import type { Executor } from './executor';
import { reconciliationSettings } from './schema';

/**
 * Reconciliation configuration kept in the database (bank matching rules, the GL export
 * layout): one JSON value per key, the built-in default while a key has no row, and every
 * change written with its audit row (before and after) in one transaction.
 */
export type SettingKey = (typeof reconciliationSettings.$inferSelect)['key'];

export type StoredSetting<T> = {
  value: T;
  /** False while the built-in default is in force (nobody has saved one). */
  configured: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
};

export async function readSetting<T>(
  db: Pick<Executor, 'select'>,
  key: SettingKey,
  fallback: T,
): Promise<StoredSetting<T>> {
  const [row] = await db
    .select()
    .from(reconciliationSettings)
    .where(eq(reconciliationSettings.key, key));
  if (row === undefined)
    return { value: fallback, configured: false, updatedBy: null, updatedAt: null };
  return {
    value: row.value as T,
    configured: true,
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function writeSetting<T>(
  db: Executor,
  key: SettingKey,
  value: T,
  fallback: T,
  meta: AuditMeta,
): Promise<StoredSetting<T>> {
  return db.transaction(async (tx) => {
    // Serialises writers of one key, so each audit row's `before` is what it replaced.
    await tx
      .select()
      .from(reconciliationSettings)
      .where(eq(reconciliationSettings.key, key))
      .for('update');
    const before = await readSetting(tx, key, fallback);
    const values = { key, value, updatedBy: meta.actor, updatedAt: new Date() };
    await tx
      .insert(reconciliationSettings)
      .values(values)
      .onConflictDoUpdate({
        target: [reconciliationSettings.councilId, reconciliationSettings.key],
        set: values,
      });
    await recordAudit(tx, {
      ...meta,
      action: `reconciliation_setting.update`,
      entityType: 'reconciliation_setting',
      entityId: key,
      before: before.value,
      after: value,
    });
    return readSetting(tx, key, fallback);
  });
}
