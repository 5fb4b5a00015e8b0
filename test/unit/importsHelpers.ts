// Shared by the imports*.test.ts files: fixtures, chunking and a parse that collects its rows.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ChunkSource, ImportRow, IncomeFileParser, ParseSummary } from '../../domain/imports';

const fixturesDirectory = fileURLToPath(new URL('../fixtures/imports/', import.meta.url));

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(`${fixturesDirectory}${name}`));
}

export function fixtureText(name: string): string {
  return new TextDecoder().decode(fixtureBytes(name));
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Splits bytes into chunks of `size`, as a stream would, cutting lines and characters anywhere. */
export function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += size) {
    chunks.push(bytes.subarray(start, start + size));
  }
  return chunks;
}

/** An async source, so tests exercise the same path a file stream takes. */
export async function* streamOf(
  chunks: Iterable<string | Uint8Array>,
): AsyncGenerator<string | Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

export async function parseAll(
  parser: IncomeFileParser,
  source: ChunkSource,
): Promise<{ rows: ImportRow[]; summary: ParseSummary }> {
  const rows: ImportRow[] = [];
  const summary = await parser.parse(source, (row) => {
    rows.push(row);
  });
  return { rows, summary };
}

/** Replaces exactly one occurrence, so a test cannot silently edit nothing. */
export function replaceOnce(text: string, search: string, replacement: string): string {
  const index = text.indexOf(search);
  if (index < 0 || text.indexOf(search, index + 1) >= 0) {
    throw new Error(`Expected exactly one "${search}"`);
  }
  return text.slice(0, index) + replacement + text.slice(index + search.length);
}
