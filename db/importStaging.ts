import { randomBytes } from 'node:crypto';
import type { ImportRow } from '../domain/imports/types';
import type { Sql } from './client';

/**
 * COPY's text format: backslash, tab, newline and carriage return must be escaped. NUL cannot be
 * stored in PostgreSQL text at all, and a COPY row it refuses after postgres.js has handed over
 * the stream never settles, so the import would hang: it becomes U+FFFD, as an undecodable byte
 * does, and the row's reference then fails validation and goes to suspense.
 */
const copyEscapes: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\0': '\uFFFD',
};

function copyText(value: string): string {
  return value.replace(/[\\\t\n\r\0]/g, (c) => copyEscapes[c]!);
}

const stagedColumns =
  'import_id, line_no, reference, amount_pence, narrative, transaction_date, fund_code';

/**
 * Streams rows into import_staged_rows with COPY, the fastest way PostgreSQL takes rows.
 * PostgreSQL refuses COPY FROM into a table under row-level security, so the rows go first into
 * a temporary table of this connection (no WAL, no policies) and then across in one INSERT, which
 * the council's policy checks. Returns a row handler (with backpressure) and a function that
 * finishes the COPY.
 */
export async function openStagingCopy(sql: Sql, importId: string) {
  const connection = await sql.reserve();
  const table = `ims_staging_${randomBytes(6).toString('hex')}`;
  await connection.unsafe(
    `create temporary table ${table} (import_id text, line_no integer, reference text, amount_pence bigint, narrative text, transaction_date text, fund_code text)`,
  );
  const stream = await connection.unsafe(`copy ${table} (${stagedColumns}) from stdin`).writable();
  const id = copyText(importId);
  let failure: Error | null = null;
  stream.on('error', (error: Error) => {
    failure = error;
  });
  const write = async (row: ImportRow): Promise<void> => {
    if (failure !== null) throw failure;
    const line = `${id}\t${row.lineNo}\t${copyText(row.reference)}\t${row.amountPence}\t${copyText(row.narrative)}\t${row.transactionDate}\t${row.fundCode === null ? '\\N' : copyText(row.fundCode)}\n`;
    if (!stream.write(line)) await settled(stream, 'drain');
  };
  const release = async () => {
    await connection.unsafe(`drop table if exists ${table}`).catch(() => {});
    connection.release();
  };
  const finish = async () => {
    try {
      if (failure !== null) throw failure;
      const ended = settled(stream, 'finish');
      stream.end();
      await ended;
      await connection.unsafe(
        `insert into import_staged_rows (${stagedColumns}) select ${stagedColumns} from ${table}`,
      );
    } finally {
      await release();
    }
  };
  const abort = () => {
    stream.destroy();
    void release();
  };
  return { write, finish, abort };
}

/**
 * Waits for the stream to emit `event`, failing if it errors or closes first: a connection that
 * PostgreSQL drops mid-COPY never drains, and an activity waiting for it would hang forever.
 */
function settled(stream: NodeJS.WritableStream, event: 'drain' | 'finish'): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const cleanUp = () => {
      stream.off(event, onEvent);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onEvent = () => {
      cleanUp();
      resolve();
    };
    const onError = (error: Error) => {
      cleanUp();
      reject(error);
    };
    const onClose = () => {
      cleanUp();
      reject(new Error('The COPY connection closed before the rows were written'));
    };
    stream.once(event, onEvent);
    stream.once('error', onError);
    stream.once('close', onClose);
  });
}

export async function clearStaging(sql: Sql, importId: string): Promise<void> {
  await sql`delete from import_staged_rows where import_id = ${importId}`;
}
