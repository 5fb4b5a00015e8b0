/**
 * What surrounds MT940/MT942 text in the files banks deliver:
 * - SWIFT envelopes: `{1:F01…}{2:…}{3:…}{4:` opens the text block, either at the end of the
 *   header line, alone on a line, or with the first tag after it on the same line
 *   (`{4::20:…`); `-}` closes it, possibly followed by `{5:…}` trailers and the next
 *   message's header on the same line.
 * - Separators between messages: a line of `-` or `$`, and blank lines.
 * - Bank preambles before a message's `:20:` (a sender line such as `NWBKGB2L`, a `940 00`
 *   or `942` line): those are told apart by the reader (mt940.ts), since only the next tag
 *   shows that they were a preamble.
 */

export type EnvelopeLine = {
  /** The line ends the message it is in (`-}`, `-`, `$`). */
  endsMessage: boolean;
  /** The MT text on the line once its envelope is taken off; null when there is none. */
  content: string | null;
};

const textBlockStart = '{4:';
const blockStart = /^\{[1-5S]:/;

function afterTextBlockStart(text: string): string | null {
  const start = text.lastIndexOf(textBlockStart);
  if (start < 0) return null;
  const rest = text.slice(start + textBlockStart.length);
  return rest.trim() === '' ? null : rest;
}

export function envelopeLine(text: string): EnvelopeLine {
  // A line of spaces may be part of a narrative; the reader decides (mt940.ts).
  if (text === '') return { endsMessage: false, content: null };
  const trimmed = text.trim();
  if (trimmed === '-' || trimmed === '$') return { endsMessage: true, content: null };
  if (trimmed.startsWith('-}')) return { endsMessage: true, content: afterTextBlockStart(trimmed) };
  if (trimmed === '') return { endsMessage: false, content: text };
  if (blockStart.test(trimmed))
    return { endsMessage: false, content: afterTextBlockStart(trimmed) };
  return { endsMessage: false, content: text };
}
