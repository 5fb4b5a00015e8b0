import type { PgDatabase } from 'drizzle-orm/pg-core';
import { drizzle, type PostgresJsQueryResultHKT } from 'drizzle-orm/postgres-js';
import type { Sql } from './client';
import * as schema from './schema';

/**
 * What the configuration, audit and account-holder modules write through: the pooled drizzle
 * database or a transaction opened on it. Taking either lets the API and the seeds share one
 * set of insert code, and lets a caller decide where the transaction boundary lies.
 */
export type Executor = PgDatabase<PostgresJsQueryResultHKT, typeof schema>;

/**
 * A drizzle handle over a postgres.js handle that may be a transaction (as seeds receive).
 * drizzle's driver writes its type-parser tweaks into `client.options`, which a transaction
 * handle does not have; the pooled client it came from (db/client.ts) already carries them, so
 * an empty stand-in is enough. Never call `.transaction()` on the result of a transaction:
 * postgres.js transaction handles cannot begin another.
 */
export function executorOver(sql: Sql): Executor {
  const client = sql as Sql & { options?: unknown };
  if (client.options === undefined) {
    Object.assign(client, { options: { parsers: {}, serializers: {} } });
  }
  return drizzle(client, { schema });
}
