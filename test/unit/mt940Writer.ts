// A small MT940 writer for property tests: statements from a model, laid out as banks do
// (envelopes, preambles, separators, line endings, :86: wrapped at any column up to 65).
import fc from 'fast-check';
import { penceToDecimal } from '../../domain/imports';

export type Mark = 'C' | 'D' | 'RC' | 'RD';
export type NarrativeModel =
  | { kind: 'free'; words: string[] }
  | { kind: 'german'; code: string; endToEndId: string; remittance: string; name: string }
  | { kind: 'sepa'; pairs: [string, string][] };
export type EntryModel = {
  mark: Mark;
  amountPence: number;
  type: string;
  reference: string;
  bankReference: string;
  withEntryDate: boolean;
  narrative: NarrativeModel;
};
export type StatementModel = {
  account: string;
  number: number;
  day: number;
  openingPence: number;
  entries: EntryModel[];
};

export type MessageLayout = {
  envelope: 'bare' | 'headerLine' | 'alone' | 'inline';
  trailer: 0 | 1 | 2;
  preamble: string[];
  blankLinesAfter: number;
};
export type Layout = {
  lineEnd: '\n' | '\r\n';
  messages: MessageLayout[];
  /** Wrap width per :86:, in the order written; missing means the canonical 65. */
  widths: number[];
};

export const canonical: Layout = { lineEnd: '\n', messages: [], widths: [] };
const header = '{1:F01NWBKGB2LAXXX0000000000}{2:O9401200250101NWBKGB2LAXXX00000000002501011200N}';

export function signedPence(entry: EntryModel): number {
  const out = entry.mark === 'D' || entry.mark === 'RC';
  return out && entry.amountPence !== 0 ? -entry.amountPence : entry.amountPence;
}

export function closingPence(statement: StatementModel): number {
  return statement.entries.reduce((sum, entry) => sum + signedPence(entry), statement.openingPence);
}

export function narrativeText(narrative: NarrativeModel): string {
  if (narrative.kind === 'free') return narrative.words.join(' ');
  if (narrative.kind === 'sepa')
    return narrative.pairs.map(([key, value]) => `/${key}/${value}`).join('');
  const { code, endToEndId, remittance, name } = narrative;
  return `${code}?00GUTSCHRIFT?20EREF+${endToEndId}?21SVWZ+${remittance}?32${name}`;
}

function hardWrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (let start = 0; start < text.length; start += width)
    lines.push(text.slice(start, start + width));
  return lines;
}

/** Free text may only be broken where a space was (which the break replaces), or at 65. */
function wordWrap(words: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

function wrap(narrative: NarrativeModel, width: number): string[] {
  const text = narrativeText(narrative);
  if (narrative.kind !== 'free') return hardWrap(text, width);
  return width >= 65 ? hardWrap(text, 65) : wordWrap(narrative.words, width);
}

function yymmdd(day: number): string {
  return `2501${String(day).padStart(2, '0')}`;
}

function balance(day: number, pence: number): string {
  return `${pence < 0 ? 'D' : 'C'}${yymmdd(day)}GBP${penceToDecimal(Math.abs(pence), ',')}`;
}

function statementLines(statement: StatementModel, nextWidth: () => number): string[] {
  const date = yymmdd(statement.day);
  const lines = [
    `:20:STMT${statement.number}`,
    `:25:${statement.account}`,
    `:28C:${String(statement.number).padStart(5, '0')}/001`,
    `:60F:${balance(statement.day, statement.openingPence)}`,
  ];
  for (const entry of statement.entries) {
    const entryDate = entry.withEntryDate ? date.slice(2) : '';
    const amount = penceToDecimal(entry.amountPence, ',');
    const reference = entry.reference === '' ? 'NONREF' : entry.reference;
    const bank = entry.bankReference === '' ? '' : `//${entry.bankReference}`;
    lines.push(`:61:${date}${entryDate}${entry.mark}${amount}${entry.type}${reference}${bank}`);
    const [first = '', ...rest] = wrap(entry.narrative, nextWidth());
    lines.push(`:86:${first}`, ...rest);
  }
  lines.push(`:62F:${balance(statement.day, closingPence(statement))}`);
  return lines;
}

function envelope(lines: string[], layout: MessageLayout | undefined): string[] {
  if (layout === undefined) return [...lines, '-'];
  const trailer =
    ['-}', '-}{5:{CHK:0123456789AB}}', '-}\n{5:{CHK:0123456789AB}}'][layout.trailer] ?? '-}';
  const body = (() => {
    if (layout.envelope === 'bare') return [...layout.preamble, ...lines, '-'];
    if (layout.envelope === 'headerLine') return [`${header}{4:`, ...lines, trailer];
    if (layout.envelope === 'alone') return [header, '{4:', ...lines, trailer];
    return [`${header}{4:${lines[0]}`, ...lines.slice(1), trailer];
  })();
  return [...body.flatMap((line) => line.split('\n')), ...Array(layout.blankLinesAfter).fill('')];
}

export function writeMt940(statements: readonly StatementModel[], layout: Layout): string {
  let widthIndex = 0;
  const nextWidth = () => layout.widths[widthIndex++] ?? 65;
  const lines = statements.flatMap((statement, index) =>
    envelope(statementLines(statement, nextWidth), layout.messages[index]),
  );
  return `${lines.join(layout.lineEnd)}${layout.lineEnd}`;
}

// Generators. Text avoids ':', '-', '$', '{', '?', '/' and '+' so that wrapping can never
// make a line look like a tag, a separator or an envelope, nor a value look like a key.
const word = fc.stringMatching(/^[A-Z0-9.,]{1,12}$/);
const spaced = fc.stringMatching(/^[A-Z0-9][A-Z0-9 .,]{0,40}[A-Z0-9]$/);
const id = fc.stringMatching(/^[A-Z0-9]{1,16}$/);

const narrativeModel: fc.Arbitrary<NarrativeModel> = fc.oneof(
  fc.record({
    kind: fc.constant('free' as const),
    words: fc.array(word, { minLength: 1, maxLength: 30 }),
  }),
  fc.record({
    kind: fc.constant('german' as const),
    code: fc.stringMatching(/^\d{3}$/),
    endToEndId: id,
    remittance: spaced,
    name: spaced,
  }),
  fc.record({
    kind: fc.constant('sepa' as const),
    pairs: fc
      .uniqueArray(fc.constantFrom('TRTP', 'NAME', 'REMI', 'IBAN', 'BIC', 'EREF'), { minLength: 1 })
      .chain((keys) => fc.tuple(...keys.map((key) => fc.tuple(fc.constant(key), spaced)))),
  }),
);

const entryModel: fc.Arbitrary<EntryModel> = fc.record({
  mark: fc.constantFrom<Mark>('C', 'D', 'RC', 'RD'),
  amountPence: fc.integer({ min: 0, max: 1_000_000_000 }),
  type: fc.constantFrom('NTRF', 'NMSC', 'FTRF', 'NDDT'),
  reference: fc.oneof(fc.constant(''), id),
  bankReference: fc.oneof(fc.constant(''), id),
  withEntryDate: fc.boolean(),
  narrative: narrativeModel,
});

const accountIds = ['GB12NWBK60161331926819', 'GB98LOYD30963412345678', '40051234567890'];

/** One to three accounts, each with consecutive statements, interleaved as a bank might. */
export const statementsModel: fc.Arbitrary<StatementModel[]> = fc
  .array(
    fc.record({
      openingPence: fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
      statements: fc.array(fc.array(entryModel, { maxLength: 4 }), { minLength: 1, maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .map((accounts) => {
    const perAccount = accounts.map(({ openingPence, statements }, accountIndex) => {
      let opening = openingPence;
      return statements.map((entries, index) => {
        const statement = {
          account: accountIds[accountIndex] ?? '',
          number: index + 1,
          day: index + 1,
          openingPence: opening,
          entries,
        };
        opening = closingPence(statement);
        return statement;
      });
    });
    const interleaved: StatementModel[] = [];
    for (let round = 0; round < 3; round++) {
      for (const statements of perAccount) {
        const statement = statements[round];
        if (statement !== undefined) interleaved.push(statement);
      }
    }
    return interleaved;
  });

const messageLayout: fc.Arbitrary<MessageLayout> = fc.record({
  envelope: fc.constantFrom('bare', 'headerLine', 'alone', 'inline'),
  trailer: fc.constantFrom(0, 1, 2),
  preamble: fc.constantFrom([], ['NWBKGB2LXXX', '940 00'], ['', 'LOYDGB2L', '940', ''], ['942']),
  blankLinesAfter: fc.integer({ min: 0, max: 2 }),
});

export const layoutModel: fc.Arbitrary<Layout> = fc.record({
  lineEnd: fc.constantFrom('\n', '\r\n'),
  messages: fc.array(messageLayout, { maxLength: 9 }),
  widths: fc.array(fc.integer({ min: 1, max: 65 }), { maxLength: 36 }),
});
