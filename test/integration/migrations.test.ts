// Proves migrations are safe to run from several processes at once and again on restart, and
// that seeds run exactly once per database.
import { describe, expect, it } from 'vitest';
import { connectDatabase } from '../../db/client';
import { runMigrations } from '../../db/migrate';
import { runSeedsOnce } from '../../db/seed';
import { dropDatabase, ensureDatabase } from '../../platform/postgres';
import { useTestStack } from '../harness/stack';
import { databaseUrlFor } from '../harness/stackInfo';

const stack = useTestStack({ worker: false });

describe('migrations', () => {
  it('apply once when three processes start together, and again as a no-op', async () => {
    const name = `${stack.databaseName}_fresh`;
    await ensureDatabase(stack.info.adminUrl, name);
    const url = databaseUrlFor(stack.info.adminUrl, name);
    try {
      await Promise.all([runMigrations(url), runMigrations(url), runMigrations(url)]);
      await runMigrations(url);
      const database = connectDatabase(url, { poolMax: 1 });
      const applied =
        await database.sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
      const template = await stack.database
        .sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
      await database.close();
      expect(applied[0]?.n).toBe(template[0]?.n);
      expect(applied[0]?.n).toBeGreaterThan(0);
    } finally {
      await dropDatabase(stack.info.adminUrl, name);
    }
  });
});

describe('seeds', () => {
  it('run once, and a failing seed leaves no marker so it runs again next start', async () => {
    let runs = 0;
    const seed = { name: 'counting', run: async () => void runs++ };
    expect(await runSeedsOnce(stack.database.sql, [seed])).toEqual(['counting']);
    expect(await runSeedsOnce(stack.database.sql, [seed])).toEqual([]);
    expect(runs).toBe(1);

    const failing = {
      name: 'failing',
      run: async (sql: typeof stack.database.sql) => {
        await sql`insert into probe_runs (probe_id, requested_by) values ('prb_seedfailure0000000', 'seed')`;
        throw new Error('boom');
      },
    };
    await expect(runSeedsOnce(stack.database.sql, [failing])).rejects.toThrow('boom');
    const marker = await stack.database.sql`select 1 from seed_runs where name = 'failing'`;
    const partial = await stack.database
      .sql`select 1 from probe_runs where probe_id = 'prb_seedfailure0000000'`;
    expect(marker).toHaveLength(0);
    expect(partial).toHaveLength(0);
  });
});
