import { inArray } from 'drizzle-orm';
import type { FundScope } from '../domain/permissions';
import type { Executor } from './executor';
import { fundGroupMembers } from './schema';

/** The fund codes a scope reaches: `all`, or the members of its fund groups. */
export async function fundCodesInScope(
  db: Pick<Executor, 'select'>,
  scope: FundScope,
): Promise<'all' | ReadonlySet<string>> {
  if (scope === 'all') return 'all';
  if (scope.size === 0) return new Set();
  const rows = await db
    .select({ fundCode: fundGroupMembers.fundCode })
    .from(fundGroupMembers)
    .where(inArray(fundGroupMembers.groupCode, [...scope]));
  return new Set(rows.map((row) => row.fundCode));
}
