import { asc, eq } from 'drizzle-orm';
import type { ReferenceRoute } from '../domain/references';
import { recordAudit } from './audit';
import type { AuditMeta } from './configWrites';
import type { Executor } from './executor';
import { referenceRoutes } from './schema';
import { connectionCouncil } from './schema/columns';

/**
 * Reference routes are one ordered list, replaced whole: the order is the meaning (first match
 * wins), so editing one entry in place would be editing the list anyway.
 */

export async function readReferenceRoutes(db: Executor): Promise<ReferenceRoute[]> {
  return db
    .select({ fundCode: referenceRoutes.fundCode, pattern: referenceRoutes.pattern })
    .from(referenceRoutes)
    .where(eq(referenceRoutes.councilId, connectionCouncil))
    .orderBy(asc(referenceRoutes.position));
}

/** Replaces the list and records before and after in one audit row, in the caller's transaction. */
export async function replaceReferenceRoutes(
  tx: Executor,
  routes: readonly ReferenceRoute[],
  meta: AuditMeta,
): Promise<ReferenceRoute[]> {
  const before = await readReferenceRoutes(tx);
  await tx.delete(referenceRoutes).where(eq(referenceRoutes.councilId, connectionCouncil));
  if (routes.length > 0) {
    await tx
      .insert(referenceRoutes)
      .values(routes.map((route, index) => ({ position: index + 1, ...route })));
  }
  const after = routes.map(({ fundCode, pattern }) => ({ fundCode, pattern }));
  await recordAudit(tx, {
    ...meta,
    action: 'reference_routes.replace',
    entityType: 'reference_routes',
    entityId: 'all',
    before,
    after,
  });
  return after;
}
