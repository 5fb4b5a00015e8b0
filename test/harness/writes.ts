import { expect } from 'vitest';
import type { TestStack } from './stack';

/** Row counts of every table a configuration request can write, audit log included. */
const writableTables = [
  'vat_codes',
  'funds',
  'ledger_accounts',
  'fund_groups',
  'fund_group_members',
  'methods_of_payment',
  'offices',
  'reference_routes',
  'account_holders',
  'import_rules',
  'audit_log',
] as const;

export async function tableCounts(stack: TestStack): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of writableTables) {
    const [row] = await stack.database
      .sql`select count(*)::int as n from ${stack.database.sql(table)}`;
    counts[table] = row?.n as number;
  }
  return counts;
}

/**
 * Runs a request that must be refused and asserts it changed no row anywhere (counts cannot see
 * an in-place UPDATE, so callers that PATCH also compare the row they targeted).
 */
export async function expectNothingWritten<T>(
  stack: TestStack,
  refused: () => Promise<T>,
): Promise<T> {
  const before = await tableCounts(stack);
  const result = await refused();
  expect(await tableCounts(stack)).toEqual(before);
  return result;
}

/** Asserts a problem+json response with this status naming exactly these fields (each once). */
export function expectProblem(
  response: { status: number; headers: Headers; body: { errors?: { field: string }[] } },
  status: number,
  fields: string[],
) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const named = new Set((response.body.errors ?? []).map((error) => error.field));
  expect([...named]).toEqual(fields);
}
