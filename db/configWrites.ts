import { recordAudit } from './audit';
import type { ConfigPatch, ConfigStore } from './configStore';
import type { Executor } from './executor';

/**
 * Configuration writes with their audit rows. Each takes the caller's transaction, so the
 * change and its audit row commit or roll back together.
 */
export type AuditMeta = { actor: string; reason?: string; requestId?: string };

export async function createAudited<Input, View>(
  tx: Executor,
  store: ConfigStore<Input, View>,
  input: Input,
  meta: AuditMeta,
): Promise<View> {
  const after = await store.insert(tx, input);
  await recordAudit(tx, {
    ...meta,
    action: `${store.entityType}.create`,
    entityType: store.entityType,
    entityId: store.keyOf(input),
    after,
  });
  return after;
}

export type UpdateOptions<Input, View> = {
  /** `update`, `disable` or `enable`: the audit action's verb. */
  verb: string;
  /** Checks the row as it would be after the patch; throws to refuse the change. */
  check?: (merged: View, patch: ConfigPatch<Input>) => Promise<void>;
};

/**
 * Locks the row, applies the patch and records before and after. Null when there is no such
 * row. Last write wins: the lock only stops two writers interleaving, not overwriting.
 */
export async function updateAudited<Input, View>(
  tx: Executor,
  store: ConfigStore<Input, View>,
  key: string,
  patch: ConfigPatch<Input>,
  meta: AuditMeta,
  options: UpdateOptions<Input, View>,
): Promise<View | null> {
  const before = await store.get(tx, key, { forUpdate: true });
  if (before === null) return null;
  await options.check?.({ ...before, ...patch }, patch);
  const after = await store.update(tx, key, patch);
  await recordAudit(tx, {
    ...meta,
    action: `${store.entityType}.${options.verb}`,
    entityType: store.entityType,
    entityId: key,
    before,
    after,
  });
  return after;
}
