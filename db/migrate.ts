import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

/** Works from source (db/) and from the build (dist/db/), where the SQL files are not copied. */
export function migrationsFolder(): string {
  const candidates = [
    process.env.MIGRATIONS_DIR,
    join(import.meta.dirname, 'migrations'),
    resolve(import.meta.dirname, '..', 'db', 'migrations'),
    resolve(import.meta.dirname, '..', '..', 'db', 'migrations'),
  ];
  for (const candidate of candidates) {
    if (candidate !== undefined && existsSync(join(candidate, 'meta', '_journal.json')))
      return candidate;
  }
  throw new Error(
    `No migrations folder found (looked in ${candidates.filter(Boolean).join(', ')})`,
  );
}

// Any constant works; it only has to be the same for every process that migrates this database.
const migrationLockKey = 72_656_001;

/**
 * Applies pending migrations under an advisory lock, so the API, the worker and a deploy job
 * starting together cannot apply the same migration twice.
 */
export async function runMigrations(databaseUrl: string): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${migrationLockKey})`;
    await migrate(drizzle(sql), { migrationsFolder: migrationsFolder() });
  } finally {
    await sql`select pg_advisory_unlock(${migrationLockKey})`.catch(() => {});
    await sql.end({ timeout: 5 });
  }
}
