/**
 * A council's export (issue 15) with a large ledger: the streamed export through the API, the
 * checksum offboarding takes, and the in-memory export it replaced, in the same run.
 *
 * `node --import tsx bench/councilExport.ts [postings=1000000]`:
 * 1. fills the default council with postings/2 generated journals of two postings each
 *    (bench/ledgerRows.ts, inside PostgreSQL; not timed);
 * 2. GET /v1/council/export, read and hashed as it arrives and then dropped, as a download
 *    would be; the API writes a scratch file, then sends it;
 * 3. the checksum alone (db/councilExport.ts `councilExportChecksum`, as offboarding does);
 * 4. the in-memory export as it was before streaming, last, because it may not survive.
 * Each reports rows/s, MB/s and the peak RSS of this process (which holds the API) while it ran.
 * Prints JSON.
 */

import { createHash } from 'node:crypto';
import { connectDatabase } from '../db/client';
import { councilExportChecksum } from '../db/councilExport';
import { withCouncil } from '../db/councils';
import { defaultCouncilId } from '../domain/council';
import { insertBalancedJournals } from './ledgerRows';
import { machine, startBenchStack, withPeakRss } from './stack';

const postings = Number(process.argv[2] ?? 1_000_000);
const stack = await startBenchStack();
const councilId = defaultCouncilId;

const generationStarted = performance.now();
// As the owner bound to the council, so the rows are the council's.
const owner = connectDatabase(stack.databaseUrl, { poolMax: 1, councilId });
await insertBalancedJournals(owner.sql, Math.ceil(postings / 2));
await owner.close();
const generationMs = performance.now() - generationStarted;

type Run = { rowCount: number; bytes: number; sha256: string };

function rates(run: Run, elapsedMs: number, peakRssMb: number) {
  return {
    rows: run.rowCount,
    mb: Math.round(run.bytes / 1024 / 1024),
    elapsedMs: Math.round(elapsedMs),
    rowsPerSecond: Math.round((run.rowCount / elapsedMs) * 1000),
    mbPerSecond: Math.round((run.bytes / 1024 / 1024 / elapsedMs) * 1000 * 10) / 10,
    peakRssMb,
    sha256: run.sha256,
  };
}

async function timed(work: () => Promise<Run>) {
  const { result, peakRssMb } = await withPeakRss(async () => {
    const started = performance.now();
    const run = await work();
    return { run, elapsedMs: performance.now() - started };
  });
  return rates(result.run, result.elapsedMs, peakRssMb);
}

/** A client downloading the export: hashed as it arrives, nothing kept. */
async function download(): Promise<Run> {
  const response = await fetch(`${stack.apiUrl}/v1/council/export`, { headers: stack.auth });
  if (response.status !== 200 || response.body === null)
    throw new Error(`export refused: ${response.status} ${await response.text()}`);
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of response.body) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  const sha256 = hash.digest('hex');
  if (sha256 !== response.headers.get('x-export-sha256'))
    throw new Error('the export does not match its X-Export-SHA256');
  const [counted] = await stack.database.sql<{ rows: number }[]>`
    select sum(n)::int as rows from (
      select count(*) as n from journals where council_id = ${councilId}
      union all select count(*) from postings where council_id = ${councilId}) ledger`;
  // The API does not say how many rows it sent; the ledger is nearly all of them.
  return { rowCount: Number(counted?.rows), bytes, sha256 };
}

/** The export as it was built before it streamed (commit 3a53ce6), for comparison. */
async function inMemoryExport(): Promise<Run> {
  const sql = stack.api.sql;
  const tablesLeftOut = new Set(['sessions', 'council_payload_keys']);
  const columnsLeftOut = new Set(['council_id', 'password_hash', 'secret_hash']);
  const tables = await sql<{ name: string }[]>`
    select table_name::text as name from information_schema.columns
     where table_schema = 'public' and column_name = 'council_id'
     order by table_name`;
  const content: Record<string, unknown[]> = {};
  let rowCount = 0;
  for (const { name } of tables) {
    if (tablesLeftOut.has(name)) continue;
    const rows = await sql.unsafe(`select * from "${name}" t order by t::text`);
    content[name] = rows.map((row) =>
      Object.fromEntries(Object.entries(row).filter(([column]) => !columnsLeftOut.has(column))),
    );
    rowCount += rows.length;
  }
  const body = JSON.stringify({ format: 'ims-council-export/1', councilId, tables: content });
  const sha256 = createHash('sha256').update(body).digest('hex');
  return { rowCount, bytes: Buffer.byteLength(body), sha256 };
}

const rssBeforeMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
const streamedDownload = await timed(download);
const checksumOnly = await timed(() =>
  withCouncil(councilId, () => councilExportChecksum(stack.api.sql, councilId)),
);
const inMemory = await timed(() => withCouncil(councilId, inMemoryExport)).catch(
  (error: unknown) => ({ failed: String(error) }),
);

process.stdout.write(
  `${JSON.stringify(
    {
      benchmark: 'councilExport',
      date: new Date().toISOString(),
      machine: machine(),
      postings,
      generationMs: Math.round(generationMs),
      rssBeforeMb,
      streamedDownload,
      checksumOnly,
      inMemory,
      sameChecksum:
        'sha256' in inMemory
          ? inMemory.sha256 === streamedDownload.sha256 &&
            checksumOnly.sha256 === streamedDownload.sha256
          : checksumOnly.sha256 === streamedDownload.sha256,
    },
    null,
    2,
  )}\n`,
);
await stack.stop();
