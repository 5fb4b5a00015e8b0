import type { ImportErrorLog } from './errors';
import type { ChunkSource } from './types';

/**
 * Turns chunks into numbered lines, checking the encoding on the way. Decisions:
 * - Files must be UTF-8 (plain ASCII is UTF-8). A UTF-8 byte-order mark is tolerated and
 *   dropped. Anything else is refused: a line holding bytes that are not valid UTF-8 (a
 *   Windows-1252 '£' is the usual culprit) is an error on that line, and a UTF-16 file is one
 *   error on line 1 that stops the read, since every later line would be noise.
 * - A line with invalid bytes is passed on as an empty line, so line numbers stay aligned and
 *   no row is ever built from mis-decoded text.
 * - Lines end with LF or CRLF; the terminator is not part of the line.
 * - A line longer than `lineCharsMax` stops the read: it is not a file we know, and holding
 *   an endless "line" would hold the whole file.
 * Decoding whole chunks is the fast path; only a chunk that fails is decoded line by line, to
 * find the lines to blame. `TextDecoder` keeps this free of Node built-ins.
 */

export const lineCharsMax = 1_048_576;

export type LineHandler = (text: string, lineNo: number) => void | Promise<void>;

const lineFeed = 10;
const carriageReturn = 13;
const byteOrderMark = 0xfeff;
const emptyBytes = new Uint8Array(0);

function concatBytes(first: Uint8Array, second: Uint8Array): Uint8Array {
  if (first.length === 0) return second;
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first, 0);
  joined.set(second, first.length);
  return joined;
}

function isUtf16ByteOrderMark(bytes: Uint8Array): boolean {
  const [first, second] = bytes;
  return (first === 0xff && second === 0xfe) || (first === 0xfe && second === 0xff);
}

class LineReader {
  lineNo = 0;
  stopped = false;
  private carryText = '';
  private carryBytes: Uint8Array = emptyBytes;
  // ignoreBOM keeps a BOM in the text: each decode() call would otherwise drop one at its own
  // start, and only the file's first character may be a BOM.
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  constructor(
    private readonly errors: ImportErrorLog,
    private readonly onLine: LineHandler,
  ) {}

  async pushText(chunk: string): Promise<void> {
    if (this.carryBytes.length > 0) throw new TypeError('A source must not mix bytes and text');
    this.carryText = await this.splitText(this.carryText + chunk);
    this.checkCarryLength(this.carryText.length);
  }

  async pushBytes(chunk: Uint8Array): Promise<void> {
    if (this.carryText.length > 0) throw new TypeError('A source must not mix bytes and text');
    const lastLineFeed = chunk.lastIndexOf(lineFeed);
    if (lastLineFeed < 0) {
      // Copies (a Buffer's slice would be a view), because the caller may reuse its buffer.
      this.carryBytes = concatBytes(this.carryBytes, new Uint8Array(chunk));
      this.checkCarryLength(this.carryBytes.length);
      return;
    }
    const complete = concatBytes(this.carryBytes, chunk.subarray(0, lastLineFeed + 1));
    this.carryBytes = new Uint8Array(chunk.subarray(lastLineFeed + 1));
    let text: string;
    try {
      text = this.decoder.decode(complete);
    } catch {
      await this.decodeLineByLine(complete);
      return;
    }
    await this.splitText(text);
  }

  async finish(): Promise<void> {
    if (this.stopped) return;
    if (this.carryBytes.length > 0) await this.decodeLineByLine(this.carryBytes);
    else if (this.carryText.length > 0) await this.emit(this.carryText);
    this.carryBytes = emptyBytes;
    this.carryText = '';
  }

  /** Emits every complete line and returns the unfinished rest. */
  private async splitText(text: string): Promise<string> {
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      if (end < 0) return text.slice(start);
      const pending = this.emit(text.slice(start, end));
      // Awaiting only real promises: an await per line would cost a microtask per row.
      if (pending !== undefined) await pending;
      start = end + 1;
    }
  }

  private async decodeLineByLine(bytes: Uint8Array): Promise<void> {
    let start = 0;
    while (start < bytes.length && !this.stopped) {
      const found = bytes.indexOf(lineFeed, start);
      const end = found < 0 ? bytes.length : found;
      const lineBytes = bytes.subarray(start, end);
      start = end + 1;
      let text = '';
      try {
        text = this.decoder.decode(lineBytes);
      } catch {
        this.reportEncoding(lineBytes);
      }
      if (this.stopped) return;
      const pending = this.emit(text);
      if (pending !== undefined) await pending;
    }
  }

  private reportEncoding(lineBytes: Uint8Array): void {
    const lineNo = this.lineNo + 1;
    if (lineNo === 1 && isUtf16ByteOrderMark(lineBytes)) {
      this.errors.add(1, 'The file is UTF-16; only UTF-8 files are accepted', 'encoding');
      this.stopped = true;
      return;
    }
    this.errors.add(lineNo, 'The line holds bytes that are not valid UTF-8', 'encoding');
  }

  private emit(raw: string): void | Promise<void> {
    this.lineNo++;
    let text = raw;
    if (text.charCodeAt(text.length - 1) === carriageReturn) text = text.slice(0, -1);
    if (this.lineNo === 1 && text.charCodeAt(0) === byteOrderMark) text = text.slice(1);
    return this.onLine(text, this.lineNo);
  }

  private checkCarryLength(length: number): void {
    if (length <= lineCharsMax) return;
    this.errors.add(this.lineNo + 1, `The line is longer than ${lineCharsMax} characters`);
    this.stopped = true;
  }
}

/** Reads every line of the source in order; resolves to the number of lines read. */
export async function readLines(
  source: ChunkSource,
  errors: ImportErrorLog,
  onLine: LineHandler,
): Promise<number> {
  const reader = new LineReader(errors, onLine);
  for await (const chunk of source) {
    if (typeof chunk === 'string') await reader.pushText(chunk);
    else await reader.pushBytes(chunk);
    if (reader.stopped) break;
  }
  await reader.finish();
  return reader.lineNo;
}
