import { asc, eq, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from './executor';

/**
 * Configuration entities (VAT codes, funds, fund groups, methods of payment, offices, import
 * rules) are all rows keyed by a code, created, read, changed and disabled, never deleted. One
 * store shape serves them all, so the API and the seeds write configuration the same way.
 */

/** Timestamps leave as ISO strings: views go into JSON responses and audit rows alike. */
export type Dated<Row> = { [K in keyof Row]: Row[K] extends Date ? string : Row[K] };

export type ConfigPatch<Input> = Partial<Input> & { disabled?: boolean };

export type ConfigStore<Input, View> = {
  /** The audit log's entity type, e.g. `fund`. */
  entityType: string;
  keyOf: (input: Input) => string;
  list: (db: Executor, filter: { disabled?: boolean }) => Promise<View[]>;
  get: (db: Executor, key: string, options?: { forUpdate?: boolean }) => Promise<View | null>;
  insert: (tx: Executor, input: Input) => Promise<View>;
  /** Changes only the fields present in the patch; the caller has checked the row exists. */
  update: (tx: Executor, key: string, patch: ConfigPatch<Input>) => Promise<View>;
};

type KeyedTable = PgTable & { disabled: PgColumn; updatedAt: PgColumn };

export function toDated<Row extends Record<string, unknown>>(row: Row): Dated<Row> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    out[name] = value instanceof Date ? value.toISOString() : value;
  }
  return out as Dated<Row>;
}

export type TableStoreOptions<T extends KeyedTable, Input, View> = {
  entityType: string;
  table: T;
  keyColumn: PgColumn;
  keyOf: (input: Input) => string;
  orderBy?: (PgColumn | SQL)[];
  /** The table's own columns for an input or patch; other fields (a group's funds) dropped. */
  columnsOf?: (input: Partial<Input>) => Record<string, unknown>;
  /** Adds what lives in other tables (a group's member funds) to the rows read. */
  decorate: (db: Executor, rows: Dated<T['$inferSelect']>[]) => Promise<View[]>;
  afterInsert?: (tx: Executor, input: Input) => Promise<void>;
  afterUpdate?: (tx: Executor, key: string, patch: ConfigPatch<Input>) => Promise<void>;
};

/** A store over one drizzle table; the per-entity options add what differs. */
export function tableStore<T extends KeyedTable, Input, View>(
  options: TableStoreOptions<T, Input, View>,
): ConfigStore<Input, View> {
  const { table, keyColumn } = options;
  const columnsOf = options.columnsOf ?? ((input) => ({ ...input }));
  const readMany = async (db: Executor, rows: unknown[]) =>
    options.decorate(
      db,
      rows.map((row) => toDated(row as T['$inferSelect'])),
    );
  const readOne = async (db: Executor, rows: unknown[]) => {
    const [view] = await readMany(db, rows);
    if (view === undefined) throw new Error(`${options.entityType} row vanished mid-transaction`);
    return view;
  };
  return {
    entityType: options.entityType,
    keyOf: options.keyOf,
    list: async (db, filter) => {
      const query = db.select().from(table as PgTable);
      const filtered =
        filter.disabled === undefined ? query : query.where(eq(table.disabled, filter.disabled));
      return readMany(db, await filtered.orderBy(...(options.orderBy ?? [asc(keyColumn)])));
    },
    get: async (db, key, { forUpdate = false } = {}) => {
      const query = db
        .select()
        .from(table as PgTable)
        .where(eq(keyColumn, key));
      const rows = forUpdate ? await query.for('update') : await query;
      return rows.length === 0 ? null : readOne(db, rows);
    },
    insert: async (tx, input) => {
      const rows = await tx
        .insert(table)
        .values(columnsOf(input) as T['$inferInsert'])
        .returning();
      await options.afterInsert?.(tx, input);
      return readOne(tx, rows as unknown[]);
    },
    update: async (tx, key, patch) => {
      const disabled = patch.disabled === undefined ? {} : { disabled: patch.disabled };
      const values = { ...columnsOf(patch), ...disabled, updatedAt: new Date() };
      const rows = await tx
        .update(table)
        .set(values as never)
        .where(eq(keyColumn, key))
        .returning();
      await options.afterUpdate?.(tx, key, patch);
      // Re-read after the hook so that what it changed elsewhere shows in the view.
      return readOne(tx, rows as unknown[]);
    },
  };
}
