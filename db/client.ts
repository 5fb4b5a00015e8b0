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

export type ConnectOptions = {
  poolMax?: number;
  /**
   * Binds every connection of the pool to one council: row-level security then shows and
   * accepts that council's rows only (migration 0011). Absent: no council, so an application
   * role sees nothing; the owner (migrations, seeds, tests' own checks) is not subject to it.
   */
  councilId?: string;
  /** Closes connections idle this long, so councils not in use hold none. Absent: never. */
  idleTimeoutS?: number;
};

export function connectDatabase(url: string, options: ConnectOptions = {}): DatabaseHandle {
  const sql = postgres(url, {
    max: options.poolMax ?? 10,
    onnotice: () => {},
    ...(options.idleTimeoutS === undefined ? {} : { idle_timeout: options.idleTimeoutS }),
    // A startup parameter, not a SET: the council is fixed before the connection runs any query
    // and stays for its life, so a pooled connection can never carry one council's setting into
    // another council's work.
    ...(options.councilId === undefined
      ? {}
      : { connection: { 'ims.council_id': options.councilId } }),
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
