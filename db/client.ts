import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

export type Database = PostgresJsDatabase<typeof schema>;
export type Sql = postgres.Sql;

export type DatabaseHandle = {
  db: Database;
  sql: Sql;
  close: () => Promise<void>;
};

export function connectDatabase(url: string, options: { poolMax?: number } = {}): DatabaseHandle {
  const sql = postgres(url, {
    max: options.poolMax ?? 10,
    onnotice: () => {},
    // Money columns are bigint; postgres.js would hand them back as strings. We keep pence in
    // safe integers (see domain/money.ts) and assert that on the way in, so parse to number.
    types: {
      bigint: {
        to: 20,
        from: [20],
        serialize: (value: number | bigint) => value.toString(),
        parse: (text: string) => {
          const value = Number(text);
          if (!Number.isSafeInteger(value))
            throw new RangeError(`bigint ${text} exceeds the safe integer range`);
          return value;
        },
      },
    },
  });
  return { db: drizzle(sql, { schema }), sql, close: () => sql.end({ timeout: 5 }) };
}
