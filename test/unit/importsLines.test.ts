// Proves that files become numbered lines whatever the chunking, that UTF-8 (with or without a
// BOM) is accepted and anything else is reported on the right line, and that a runaway line stops.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImportErrorLog, lineCharsMax } from '../../domain/imports';
import { readLines } from '../../domain/imports/lines';
import { chunked, streamOf, utf8 } from './importsHelpers';

async function linesOf(chunks: Iterable<string | Uint8Array>) {
  const errors = new ImportErrorLog();
  const lines: string[] = [];
  const lineCount = await readLines(streamOf(chunks), errors, (text, lineNo) => {
    expect(lineNo).toBe(lines.length + 1);
    lines.push(text);
  });
  return { lines, lineCount, errors: errors.toArray() };
}

describe('readLines', () => {
  it('splits on LF and CRLF and keeps a last line without a terminator', async () => {
    const { lines, lineCount, errors } = await linesOf(['one\r\ntwo\n\nthree']);
    expect(lines).toEqual(['one', 'two', '', 'three']);
    expect(lineCount).toBe(4);
    expect(errors).toEqual([]);
  });

  it('gives the same lines however the bytes are chunked, even inside a character', () => {
    const text = 'Café £12.50\r\nŁódź €3\n\n日本語 ✓\nend';
    const expected = ['Café £12.50', 'Łódź €3', '', '日本語 ✓', 'end'];
    return fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), async (chunkBytes) => {
        const { lines, errors } = await linesOf(chunked(utf8(text), chunkBytes));
        expect(lines).toEqual(expected);
        expect(errors).toEqual([]);
      }),
    );
  });

  it('tolerates a UTF-8 byte-order mark, in bytes or in text, on the first line only', async () => {
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('a\n\uFEFFb\n')]);
    expect((await linesOf(chunked(withBom, 2))).lines).toEqual(['a', '\uFEFFb']);
    expect((await linesOf(['\uFEFFa\nb'])).lines).toEqual(['a', 'b']);
  });

  it('reports each line holding invalid UTF-8 and passes it on empty, keeping numbering', async () => {
    // 0xA3 is '£' in Windows-1252, the usual way a wrong encoding shows itself.
    const bytes = new Uint8Array([
      ...utf8('good\n'),
      ...utf8('price '),
      0xa3,
      ...utf8('5\nfine\n'),
      0xc3,
      ...utf8('\nlast'),
    ]);
    for (const size of [1, 3, 1000]) {
      const { lines, errors } = await linesOf(chunked(bytes, size));
      expect(lines).toEqual(['good', '', 'fine', '', 'last']);
      expect(errors).toEqual([
        { lineNo: 2, field: 'encoding', message: 'The line holds bytes that are not valid UTF-8' },
        { lineNo: 4, field: 'encoding', message: 'The line holds bytes that are not valid UTF-8' },
      ]);
    }
  });

  it('refuses a UTF-16 file with one error on line 1 and reads no further', async () => {
    const utf16 = new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x0a, 0x00, 0x62, 0x00, 0x0a, 0x00]);
    const { lines, errors } = await linesOf([utf16]);
    expect(lines).toEqual([]);
    expect(errors).toEqual([
      {
        lineNo: 1,
        field: 'encoding',
        message: 'The file is UTF-16; only UTF-8 files are accepted',
      },
    ]);
  });

  it('stops at a line longer than the limit instead of holding the file', async () => {
    const { lines, errors } = await linesOf(['ok\n', 'x'.repeat(lineCharsMax + 1), '\nnever']);
    expect(lines).toEqual(['ok']);
    expect(errors).toEqual([
      { lineNo: 2, message: `The line is longer than ${lineCharsMax} characters` },
    ]);
  });

  it('copies what it keeps, so a caller may reuse one buffer for every chunk', async () => {
    // A Buffer, because Buffer#slice is a view where Uint8Array#slice is a copy.
    const shared = Buffer.alloc(8);
    async function* reused() {
      for (const piece of ['ab\nc', 'd', 'ef\ng', 'h']) {
        const length = shared.write(piece);
        yield shared.subarray(0, length);
        shared.fill(0x3f);
      }
    }
    const errors = new ImportErrorLog();
    const lines: string[] = [];
    await readLines(reused(), errors, (text) => {
      lines.push(text);
    });
    expect(lines).toEqual(['ab', 'cdef', 'gh']);
    expect(errors.toArray()).toEqual([]);
  });

  it('treats a source that mixes bytes and text mid-line as a programmer error', async () => {
    await expect(linesOf([utf8('half'), 'line\n'])).rejects.toThrow(TypeError);
  });
});
