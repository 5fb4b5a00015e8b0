/**
 * A 1,000,000-row collection file from upload until every row is posted or in suspense, and
 * in the same run a plain PostgreSQL COPY of the same rows: the physical floor.
 *
 * `npx tsx bench/imports.ts [rows]`. Prints JSON with rows/s, the ratio to COPY and peak RSS
 * of this process (which holds the API and the worker).
 */

import { once } from 'node:events';
import { createWriteStream, openAsBlob, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  generateCollectionFile,
  type ImportRow,
  parserFor,
  postOfficeProfile,
} from '../domain/imports';
import { machine, startBenchStack, withPeakRss } from './stack';

const rows = Number(process.argv[2] ?? 1_000_000);
const stack = await startBenchStack();
await stack.startWorker();

// The file, written to disk as it is generated (never held whole).
const filePath = join(stack.scratch, 'collection.txt');
const out = createWriteStream(filePath);
for (const line of generateCollectionFile({
  rows,
  unidentifiableRatio: 0.02,
  seed: 2026,
  transactionDate: '2026-11-21',
})) {
  if (!out.write(line)) await once(out, 'drain');
}
out.end();
await once(out, 'finish');
const sizeBytes = statSync(filePath).size;

const { result: importRun, peakRssMb } = await withPeakRss(async () => {
  const started = performance.now();
  const form = new FormData();
  form.append('profileId', 'post-office');
  form.append('file', await openAsBlob(filePath), 'collection.txt');
  const uploaded = (await (
    await fetch(`${stack.apiUrl}/v1/imports`, { method: 'POST', body: form, headers: stack.auth })
  ).json()) as { importId: string };
  const uploadMs = performance.now() - started;
  let body: { state: string; rowsAllocated: number; rowsSuspended: number; rowsRejected: number } =
    { state: '', rowsAllocated: 0, rowsSuspended: 0, rowsRejected: 0 };
  while (body.state !== 'completed' && body.state !== 'refused') {
    if (body.state === 'failed' || (body as { status?: number }).status !== undefined)
      throw new Error(`import did not run: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    body = (await (
      await fetch(`${stack.apiUrl}/v1/imports/${uploaded.importId}`, { headers: stack.auth })
    ).json()) as typeof body;
  }
  const totalMs = performance.now() - started;
  // Phases from the database's own clock: staging ends when the first chunk starts posting.
  const [phases] = await stack.database.sql`
    select extract(epoch from (min(c.created_at) - i.created_at)) * 1000 as staging_ms,
           extract(epoch from (max(c.created_at) - min(c.created_at))) * 1000 as posting_ms
      from imports i join import_chunks c on c.import_id = i.id
     where i.id = ${uploaded.importId} group by i.created_at`;
  return {
    ...body,
    uploadMs,
    totalMs,
    stagingMs: Math.round(Number(phases?.staging_ms)),
    postingMs: Math.round(Number(phases?.posting_ms)),
  };
});

// The floor: the same rows, already parsed, COPYed into a table shaped like the staging table.
const parsed: ImportRow[] = [];
await parserFor(postOfficeProfile).parse(
  generateCollectionFile({
    rows,
    unidentifiableRatio: 0.02,
    seed: 2026,
    transactionDate: '2026-11-21',
  }),
  (row) => {
    parsed.push(row);
  },
);
// Defaults included: council_id is NOT NULL and filled by its default. A COPY row refused after
// postgres.js has handed over the stream never settles it, so a refusal here would hang.
await stack.database.sql`create table copy_floor (like import_staged_rows including defaults)`;
const copyStarted = performance.now();
const copy = await stack.database
  .sql`copy copy_floor (import_id, line_no, reference, amount_pence, narrative, transaction_date, fund_code) from stdin`.writable();
for (const row of parsed) {
  if (
    !copy.write(
      `floor\t${row.lineNo}\t${row.reference}\t${row.amountPence}\t${row.narrative}\t${row.transactionDate}\t\\N\n`,
    )
  )
    await once(copy, 'drain');
}
copy.end();
await once(copy, 'finish');
const copyMs = performance.now() - copyStarted;

const importRowsPerSecond = (rows / importRun.totalMs) * 1000;
const copyRowsPerSecond = (rows / copyMs) * 1000;
process.stdout.write(
  `${JSON.stringify(
    {
      benchmark: 'imports',
      date: new Date().toISOString(),
      machine: machine(),
      rows,
      fileMb: Math.round(sizeBytes / 1024 / 1024),
      outcome: {
        state: importRun.state,
        allocated: importRun.rowsAllocated,
        suspended: importRun.rowsSuspended,
        rejected: importRun.rowsRejected,
      },
      import: {
        totalMs: Math.round(importRun.totalMs),
        uploadMs: Math.round(importRun.uploadMs),
        stagingMs: importRun.stagingMs,
        postingMs: importRun.postingMs,
        rowsPerSecond: Math.round(importRowsPerSecond),
        peakRssMb,
      },
      copyFloor: { ms: Math.round(copyMs), rowsPerSecond: Math.round(copyRowsPerSecond) },
      ratioToCopy: Math.round((importRowsPerSecond / copyRowsPerSecond) * 100) / 100,
    },
    null,
    2,
  )}\n`,
);
await stack.stop();
