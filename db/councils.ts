import { drizzle } from 'drizzle-orm/postgres-js';
import { assertCouncilId, defaultCouncilId } from '../domain/council';
import { currentCouncil } from '../platform/councilScope';
import { connectDatabase, type Database, type DatabaseHandle, type Sql } from './client';
import * as schema from './schema';

export { currentCouncil, requireCouncil, withCouncil } from '../platform/councilScope';

export type CouncilDatabases = {
  /**
   * Handles that send each query to the pool of the council in scope. Outside any council they
   * use a pool that names none, where row-level security shows nothing and refuses every write:
   * a forgotten scope fails closed instead of reaching some council's data.
   */
  db: Database;
  sql: Sql;
  /** The pool of one council, for work that names its council explicitly. */
  forCouncil: (councilId: string) => DatabaseHandle;
  close: () => Promise<void>;
};

export type CouncilPoolOptions = {
  /** Connections of the default council's pool: a single-council install's whole pool. */
  poolMax?: number;
  /**
   * Connections of each other council's pool. Kept small because every busy council holds its
   * own: PostgreSQL's max_connections must cover (busy councils × this × processes).
   */
  councilPoolMax?: number;
  /** A council's idle connections close after this long, so idle councils hold none. */
  idleTimeoutS?: number;
};

/**
 * One pool per council, made on first use, each bound to its council when it connects
 * (db/client.ts). Connections therefore scale with the councils busy at once; the idle timeout
 * gives them back. `url` must be the application role's (db/appRole.ts), not the owner's.
 */
export function connectCouncilDatabases(
  url: string,
  options: CouncilPoolOptions = {},
): CouncilDatabases {
  const pools = new Map<string, DatabaseHandle>();
  const idleTimeoutS = options.idleTimeoutS ?? 60;
  const unscoped = connectDatabase(url, { poolMax: 2, idleTimeoutS });
  const forCouncil = (councilId: string): DatabaseHandle => {
    let pool = pools.get(councilId);
    if (pool === undefined) {
      pool = connectDatabase(url, {
        poolMax:
          councilId === defaultCouncilId
            ? options.poolMax
            : (options.councilPoolMax ?? Math.min(options.poolMax ?? 10, 4)),
        idleTimeoutS,
        councilId: assertCouncilId(councilId),
      });
      pools.set(councilId, pool);
    }
    return pool;
  };
  const pick = (): Sql => {
    const councilId = currentCouncil();
    return councilId === undefined ? unscoped.sql : forCouncil(councilId).sql;
  };
  const sql = routedSql(pick);
  return {
    sql,
    db: drizzle(sql, { schema }),
    forCouncil,
    close: async () => {
      await Promise.all([unscoped.close(), ...[...pools.values()].map((pool) => pool.close())]);
      pools.clear();
    },
  };
}

/**
 * A postgres.js handle that forwards every call to the pool `pick` chooses at that moment.
 * drizzle writes its type-parser tweaks into `options` once when it wraps a client; each real
 * pool got them when it was made (connectDatabase), so the stand-in object here only absorbs
 * that write.
 */
function routedSql(pick: () => Sql): Sql {
  const options = { parsers: {}, serializers: {} };
  const target = (() => {}) as unknown as Sql;
  return new Proxy(target, {
    apply: (_target, _this, args: unknown[]) =>
      Reflect.apply(pick() as unknown as (...a: unknown[]) => unknown, undefined, args),
    get: (_target, property) => {
      if (property === 'options') return options;
      const pool = pick();
      const value = Reflect.get(pool, property);
      return typeof value === 'function' ? value.bind(pool) : value;
    },
  });
}
