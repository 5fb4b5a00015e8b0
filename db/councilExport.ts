import { createHash } from 'node:crypto';
import type { Sql } from './client';

/**
 * Everything of one council, as one JSON document (docs/tenancy.md, "Offboarding"): every table
 * that carries `council_id`, each row as the table has it, in a stable order, so exporting twice
 * gives the same bytes and the same checksum. Secrets stay behind: password, key and session
 * hashes, and the council's wrapped payload keys, which only this deployment could use.
 */
export const councilExportFormat = 'ims-council-export/1';

const tablesLeftOut = new Set(['sessions', 'council_payload_keys']);
const columnsLeftOut = new Set(['council_id', 'password_hash', 'secret_hash']);

export type CouncilExport = { body: string; sha256: string; rowCount: number };

/** Runs in the council's own scope: row-level security decides what "everything" is. */
export async function exportCouncil(sql: Sql, councilId: string): Promise<CouncilExport> {
  const tables = await sql<{ name: string }[]>`
    select table_name::text as name from information_schema.columns
     where table_schema = 'public' and column_name = 'council_id'
     order by table_name`;
  const content: Record<string, unknown[]> = {};
  let rowCount = 0;
  for (const { name } of tables) {
    if (tablesLeftOut.has(name)) continue;
    // Ordered by the row's own text: stable without knowing each table's key.
    const rows = await sql.unsafe(`select * from "${name}" t order by t::text`);
    content[name] = rows.map((row) =>
      Object.fromEntries(Object.entries(row).filter(([column]) => !columnsLeftOut.has(column))),
    );
    rowCount += rows.length;
  }
  const body = JSON.stringify({ format: councilExportFormat, councilId, tables: content });
  return { body, sha256: createHash('sha256').update(body).digest('hex'), rowCount };
}
