import { createHash } from 'node:crypto';
import type postgres from 'postgres';
import type { Sql } from './client';

/**
 * Everything of one council, as one JSON document (docs/tenancy.md, "Offboarding"): every table
 * that carries `council_id`, each row as the table has it, in a stable order, so exporting twice
 * gives the same bytes and the same checksum. Secrets stay behind: password, key and session
 * hashes, the council's wrapped payload keys, its sealed PSP credentials and webhook signing
 * secrets, and sealed payer email addresses, which only this deployment could open.
 *
 * The document is produced as a stream of chunks, a cursor batch at a time, and hashed as it
 * goes, so a council with millions of postings needs memory for one batch, not for the whole
 * export. The bytes are exactly those of `JSON.stringify` of the whole document (format
 * `ims-council-export/1`), so checksums taken before streaming existed still match.
 */
export const councilExportFormat = 'ims-council-export/1';

const tablesLeftOut = new Set(['sessions', 'council_payload_keys', 'psp_credentials']);
const columnsLeftOut = new Set([
  'council_id',
  'password_hash',
  'secret_hash',
  'sealed_secret',
  'sealed_email',
]);

/**
 * Rows fetched per cursor round trip: one chunk of output. A posting renders to about 300
 * bytes, so a batch is a few hundred kilobytes; larger batches gained little in the benchmark.
 */
export const exportCursorRows = 1_000;

export type CouncilExportSummary = { sha256: string; rowCount: number; bytes: number };
export type CouncilExport = CouncilExportSummary & { body: string };

/** Receives the export's chunks in order; a promise makes the export wait (backpressure). */
export type ExportSink = (chunk: string) => void | Promise<void>;

/**
 * Streams the council's export into `sink`, hashing every chunk, and answers the checksum of
 * the bytes sent. `sql` must be the council's own (the application role bound to it, as
 * `ctx.sql` is inside `withCouncil`): row-level security decides what "everything" is.
 *
 * The whole export is one REPEATABLE READ READ ONLY transaction: every table is read from the
 * same snapshot, so a payment committed mid-export cannot appear in postings but not in
 * payments, and the checksum describes one real state of the council.
 */
export async function streamCouncilExport(
  sql: Sql,
  councilId: string,
  sink: ExportSink,
): Promise<CouncilExportSummary> {
  const hash = createHash('sha256');
  let bytes = 0;
  const emit = async (chunk: string) => {
    hash.update(chunk);
    bytes += Buffer.byteLength(chunk);
    await sink(chunk);
  };
  const rowCount = await sql.begin('isolation level repeatable read read only', async (tx) => {
    await assertBoundTo(tx, councilId);
    const tables = await tx<{ name: string }[]>`
      select table_name::text as name from information_schema.columns
       where table_schema = 'public' and column_name = 'council_id'
       order by table_name`;
    let rows = 0;
    await emit(
      `{"format":${JSON.stringify(councilExportFormat)},"councilId":${JSON.stringify(councilId)},"tables":{`,
    );
    let firstTable = true;
    for (const { name } of tables) {
      if (tablesLeftOut.has(name)) continue;
      await emit(`${firstTable ? '' : ','}${JSON.stringify(name)}:[`);
      firstTable = false;
      rows += await streamTable(tx, name, emit);
      await emit(']');
    }
    await emit('}}');
    return rows;
  });
  return { sha256: hash.digest('hex'), rowCount: Number(rowCount), bytes };
}

/** One table's rows, comma-separated, a cursor batch per chunk; answers how many. */
async function streamTable(
  tx: postgres.TransactionSql,
  table: string,
  emit: (chunk: string) => Promise<void>,
): Promise<number> {
  let rows = 0;
  // Ordered by the row's own text: stable without knowing each table's key.
  const cursor = tx.unsafe(`select * from "${table}" t order by t::text`).cursor(exportCursorRows);
  for await (const batch of cursor) {
    const rendered = batch.map((row) => JSON.stringify(withoutLeftOutColumns(row))).join(',');
    await emit(rows === 0 ? rendered : `,${rendered}`);
    rows += batch.length;
  }
  return rows;
}

function withoutLeftOutColumns(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([column]) => !columnsLeftOut.has(column)));
}

/**
 * A programmer error to catch before it becomes a wrong export: outside the council's scope the
 * pool names no council and the export would be empty; as the tables' owner row-level security
 * does not apply and it would hold every council.
 */
async function assertBoundTo(tx: postgres.TransactionSql, councilId: string): Promise<void> {
  const [bound] = await tx<{ councilId: string | null; rls: boolean }[]>`
    select current_setting('ims.council_id', true) as "councilId",
           row_security_active('postings') as rls`;
  if (bound?.councilId !== councilId || bound.rls !== true)
    throw new Error(
      `council export of ${councilId} on a connection bound to ${bound?.councilId || 'no council'}` +
        `${bound?.rls === true ? '' : ' without row-level security'}: run it in withCouncil on the application role`,
    );
}

/** Only the checksum (offboarding's check): the export is hashed and dropped as it streams. */
export function councilExportChecksum(sql: Sql, councilId: string): Promise<CouncilExportSummary> {
  return streamCouncilExport(sql, councilId, () => {});
}

/**
 * The whole export in memory. For small councils and tests only; the API streams through a
 * file (api/councilExportDownload.ts) instead.
 */
export async function exportCouncil(sql: Sql, councilId: string): Promise<CouncilExport> {
  const chunks: string[] = [];
  const summary = await streamCouncilExport(sql, councilId, (chunk) => {
    chunks.push(chunk);
  });
  return { ...summary, body: chunks.join('') };
}
