import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import type { Sql } from '../db/client';
import { type CouncilExportSummary, streamCouncilExport } from '../db/councilExport';

/**
 * Sends a council's export with its checksum in the headers (docs/tenancy.md, "Offboarding").
 *
 * The checksum is known only once the last row is read, but headers go first. We write the
 * export to a private scratch file while hashing it (memory stays at one cursor batch), then
 * send the file with `X-Export-SHA256`, `Content-Digest` and `Content-Length`. HTTP trailers
 * would avoid the file, but many clients (browsers, curl without options, proxies) drop
 * trailers, and the administrator must be able to check what they saved. The file also keeps
 * the database transaction short: it ends when the file is written, not when a slow client has
 * finished downloading. The file is removed once sent, and also when the client goes away or
 * anything fails. Answers the export's checksum, or undefined when the client left before the
 * file was complete (the export then stops early).
 */
export async function sendCouncilExport(
  sql: Sql,
  councilId: string,
  res: Response,
  scratchDir: string = tmpdir(),
): Promise<CouncilExportSummary | undefined> {
  // Before the body starts, 'close' can only mean the client went away: stop reading then.
  let clientGone = false;
  res.once('close', () => {
    clientGone = true;
  });
  await mkdir(scratchDir, { recursive: true, mode: 0o700 });
  // mkdtemp makes the directory 0700: the export holds payers' names and references.
  const dir = await mkdtemp(join(scratchDir, 'ims-export-'));
  try {
    const path = join(dir, `${councilId}-export.json`);
    const summary = await writeExportFile(sql, councilId, path, () => clientGone);
    if (summary === undefined) return undefined;
    res.setHeader('X-Export-SHA256', summary.sha256);
    res.setHeader('Content-Digest', contentDigest(summary.sha256));
    res.setHeader('Content-Length', String(summary.bytes));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Disposition', `attachment; filename="${councilId}-export.json"`);
    res.type('application/json').status(200);
    await pipeline(createReadStream(path), res).catch((error: unknown) => {
      // The client hanging up mid-download is theirs to retry, not our failure.
      if (!res.destroyed) throw error;
    });
    return summary;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** RFC 9530: `sha-256=:<base64 of the digest>:`. */
export function contentDigest(sha256Hex: string): string {
  return `sha-256=:${Buffer.from(sha256Hex, 'hex').toString('base64')}:`;
}

async function writeExportFile(
  sql: Sql,
  councilId: string,
  path: string,
  clientGone: () => boolean,
): Promise<CouncilExportSummary | undefined> {
  const file = await open(path, 'wx', 0o600);
  try {
    // Each write is awaited, so the file's pace bounds how far the export reads ahead.
    return await streamCouncilExport(sql, councilId, async (chunk) => {
      if (clientGone()) throw new ClientGoneError();
      await file.appendFile(chunk);
    });
  } catch (error) {
    if (error instanceof ClientGoneError) return undefined;
    throw error;
  } finally {
    await file.close();
  }
}

/** Thrown from the sink to end the export's transaction early; never leaves this module. */
class ClientGoneError extends Error {}
