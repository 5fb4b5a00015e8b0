// A council's export streams (issue 15) yet keeps its bytes: the streamed export equals, byte for
// byte, the in-memory export it replaced (kept below as the reference), reads one snapshot, runs
// only in the council's scope, and the API sends it with a checksum that matches, leaving no
// scratch file behind, even when the client hangs up. Offboarding still refuses a stale checksum.
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertBalancedJournals } from '../../bench/ledgerRows';
import { connectDatabase, type Sql } from '../../db/client';
import {
  councilExportChecksum,
  exportCouncil,
  exportCursorRows,
  streamCouncilExport,
} from '../../db/councilExport';
import { withCouncil } from '../../db/councils';
import { providerCouncilId } from '../../domain/council';
import { generateCollectionFile } from '../../domain/imports';
import { keyInCouncil, onboardDemoCouncil } from '../harness/councils';
import { useTestStack } from '../harness/stack';

const stack = useTestStack();
const council = 'exportshire';
let councilAuth: Record<string, string>;

/** The export as it was built before streaming (commit 3a53ce6), verbatim but for its name. */
async function inMemoryExportReference(sql: Sql, councilId: string) {
  // As the format stands: sealed PSP credentials (migration 0016) stay out like the payload keys.
  const tablesLeftOut = new Set(['sessions', 'council_payload_keys', 'psp_credentials']);
  const columnsLeftOut = new Set(['council_id', 'password_hash', 'secret_hash', 'sealed_secret']);
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
  return { body, sha256: createHash('sha256').update(body).digest('hex'), rowCount };
}

const inCouncil = <T>(work: (sql: Sql) => Promise<T>) =>
  withCouncil(council, () => work(stack.api.sql));
const sha256Of = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const scratchFiles = () => readdir(String(stack.api.exportScratchDir)).catch(() => []);

/** Journals written as the owner bound to the council, as its own work would write them. */
async function addJournals(count: number, idPrefix: string) {
  const owner = connectDatabase(stack.databaseUrl, { poolMax: 1, councilId: council });
  try {
    await insertBalancedJournals(owner.sql, count, { idPrefix });
  } finally {
    await owner.close();
  }
}

async function importCollectionFile(auth: Record<string, string>) {
  const content = [
    ...generateCollectionFile({
      rows: 60,
      unidentifiableRatio: 0.1,
      seed: 15,
      transactionDate: '2026-02-02',
    }),
  ].join('');
  const form = new FormData();
  form.append('profileId', 'post-office');
  form.append('file', new Blob([content]), 'po-20260202.txt');
  const response = await fetch(`${stack.baseUrl}/v1/imports`, {
    method: 'POST',
    body: form,
    headers: auth,
  });
  expect(response.status).toBe(202);
  const { importId } = (await response.json()) as { importId: string };
  for (let tries = 0; tries < 600; tries++) {
    const { body } = await stack.request('GET', `/v1/imports/${importId}`, undefined, auth);
    if (body.state === 'completed') return;
    if (body.state === 'failed' || body.state === 'refused') throw new Error(JSON.stringify(body));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the import did not complete');
}

beforeAll(async () => {
  councilAuth = await onboardDemoCouncil(stack, council);
  // Real work (postings, suspense, import tables, audit) and enough generated postings that
  // tables span many cursor batches, so batch joins are exercised.
  await importCollectionFile(councilAuth);
  await addJournals(2 * exportCursorRows + 7, 'jnl_gen_');
  // Then the council is kept quiet: its suspense workflows would otherwise mark items overdue
  // between two exports that a test expects to be equal.
  await stack.stopWorker();
}, 180_000);

describe('the streamed export', () => {
  it('has exactly the bytes, checksum and row count of the in-memory export it replaced', async () => {
    const reference = await inCouncil((sql) => inMemoryExportReference(sql, council));
    const streamed = await inCouncil((sql) => exportCouncil(sql, council));
    expect(streamed.rowCount).toBeGreaterThan(4 * exportCursorRows);
    expect(streamed.rowCount).toBe(reference.rowCount);
    expect(streamed.sha256).toBe(reference.sha256);
    expect(streamed.body === reference.body).toBe(true);
    expect(streamed.bytes).toBe(Buffer.byteLength(reference.body));
    const checksumOnly = await inCouncil((sql) => councilExportChecksum(sql, council));
    expect(checksumOnly).toEqual({
      sha256: reference.sha256,
      rowCount: reference.rowCount,
      bytes: streamed.bytes,
    });
  });

  it('gives the same bytes twice when nothing changed', async () => {
    const first = await inCouncil((sql) => exportCouncil(sql, council));
    const second = await inCouncil((sql) => exportCouncil(sql, council));
    expect(second.body === first.body).toBe(true);
    expect(JSON.parse(first.body).tables.postings.length).toBeGreaterThan(2 * exportCursorRows);
  });

  it('reads one snapshot: a journal committed mid-export is not in it', async () => {
    const before = await inCouncil((sql) => councilExportChecksum(sql, council));
    const chunks: string[] = [];
    let paused = false;
    const summary = await inCouncil((sql) =>
      streamCouncilExport(sql, council, async (chunk) => {
        chunks.push(chunk);
        if (paused) return;
        paused = true;
        // The first chunk is out; journals and postings are read later, after this commits.
        await addJournals(1, 'jnl_mid_');
      }),
    );
    expect(summary.sha256).toBe(before.sha256);
    expect(chunks.join('')).not.toContain('jnl_mid_1');
    const after = await inCouncil((sql) => councilExportChecksum(sql, council));
    expect(after.rowCount).toBe(before.rowCount + 3);
  });

  it('refuses to run outside the council or past row-level security', async () => {
    await expect(exportCouncil(stack.api.sql, council)).rejects.toThrow(/bound to no council/);
    await expect(
      withCouncil('default', () => exportCouncil(stack.api.sql, council)),
    ).rejects.toThrow(/bound to default/);
    const owner = connectDatabase(stack.databaseUrl, { poolMax: 1, councilId: council });
    try {
      await expect(exportCouncil(owner.sql, council)).rejects.toThrow(/without row-level security/);
    } finally {
      await owner.close();
    }
  });
});

describe('GET /v1/council/export', () => {
  it('sends headers whose checksum is that of the body received, and leaves no file', async () => {
    const response = await fetch(`${stack.baseUrl}/v1/council/export`, { headers: councilAuth });
    expect(response.status).toBe(200);
    const body = new Uint8Array(await response.arrayBuffer());
    const sha256 = sha256Of(body);
    expect(response.headers.get('x-export-sha256')).toBe(sha256);
    expect(response.headers.get('content-digest')).toBe(
      `sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`,
    );
    expect(Number(response.headers.get('content-length'))).toBe(body.byteLength);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="${council}-export.json"`,
    );
    // The export was audited before it was taken, so nothing has changed since: the council's
    // export now is the same bytes.
    const now = await inCouncil((sql) => exportCouncil(sql, council));
    expect(now.sha256).toBe(sha256);
    expect(await scratchFiles()).toEqual([]);
  });

  it('leaves no file when the client hangs up, before or during the download', async () => {
    for (const hangUpAfterMs of [0, 5, 30]) {
      const aborter = new AbortController();
      const response = fetch(`${stack.baseUrl}/v1/council/export`, {
        headers: councilAuth,
        signal: aborter.signal,
      });
      setTimeout(() => aborter.abort(), hangUpAfterMs);
      await response
        .then(async (started) => {
          await started.body?.getReader().read();
          aborter.abort();
        })
        .catch(() => {});
      let left = await scratchFiles();
      for (let tries = 0; tries < 100 && left.length > 0; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        left = await scratchFiles();
      }
      expect(left, `hung up after ${hangUpAfterMs} ms`).toEqual([]);
    }
    // And the API still answers exports after clients left.
    const again = await fetch(`${stack.baseUrl}/v1/council/export`, { headers: councilAuth });
    expect(again.status).toBe(200);
    expect(again.headers.get('x-export-sha256')).toBe(sha256Of(await again.text()));
  });
});

describe('offboarding', () => {
  it('refuses a checksum the council has moved on from (409), and keeps the council', async () => {
    const exported = await fetch(`${stack.baseUrl}/v1/council/export`, { headers: councilAuth });
    const staleSha256 = sha256Of(await exported.text());
    await addJournals(1, 'jnl_late_');
    const provider = await keyInCouncil(stack, providerCouncilId, ['provider']);
    const refused = await stack.request(
      'DELETE',
      `/v1/provider/councils/${council}`,
      { exportSha256: staleSha256, reason: 'leaving' },
      provider,
    );
    expect(refused.status).toBe(409);
    const current = await inCouncil((sql) => councilExportChecksum(sql, council));
    expect(current.sha256).not.toBe(staleSha256);
    expect(refused.text).toContain(current.sha256);
    expect((await stack.request('GET', '/v1/funds', undefined, councilAuth)).status).toBe(200);
  });
});
