import type { Sql } from './client';

export type Seed = { name: string; run: (sql: Sql) => Promise<void> };

/**
 * Runs each seed at most once per database, inside one transaction with its marker row, so a
 * crash mid-seed leaves nothing half-done and a restart never seeds twice.
 */
export async function runSeedsOnce(sql: Sql, seeds: readonly Seed[]): Promise<string[]> {
  const applied: string[] = [];
  for (const seed of seeds) {
    const ran = await sql.begin(async (tx) => {
      const inserted =
        await tx`insert into seed_runs (name) values (${seed.name}) on conflict do nothing returning name`;
      if (inserted.length === 0) return false;
      await seed.run(tx as unknown as Sql);
      return true;
    });
    if (ran) applied.push(seed.name);
  }
  return applied;
}
