import { demoCouncil } from '../demoCouncil';
import { formatFileDate } from './dates';
import type { FixedWidthField, FixedWidthProfile } from './fixedWidthProfile';
import { assertFixedWidthProfile } from './fixedWidthProfile';
import { postOfficeProfile } from './postOfficeProfile';
import {
  sampleFundCodes,
  seededRandom,
  unidentifiableReference,
  validReference,
} from './sampleReferences';

export { postOfficeProfile } from './postOfficeProfile';

/**
 * Writes collection files for tests, demos and the benchmark: deterministic for a seed, one
 * line at a time (each ending in '\n'), so a million rows can stream to disk or straight into
 * a parser without being held.
 */
export type CollectionFileOptions = {
  rows: number;
  /** Share of rows, 0 to 1, whose reference no fund accepts (they will go to suspense). */
  unidentifiableRatio: number;
  seed: number;
  profile?: FixedWidthProfile;
  /** YYYY-MM-DD for every row; collection files report one day's takings. */
  transactionDate?: string;
};

type Placed = { start: number; text: string };

/** Lays texts out at their positions; a text too long for its field is a generator bug. */
function layOut(placed: Placed[]): string {
  placed.sort((first, second) => first.start - second.start);
  let line = '';
  for (const { start, text } of placed) line = line.padEnd(start, ' ') + text;
  return `${line}\n`;
}

function padded(value: string, field: FixedWidthField, fill: ' ' | '0'): string {
  if (value.length > field.length) {
    throw new RangeError(`"${value}" does not fit a field of ${field.length} characters`);
  }
  return fill === '0' ? value.padStart(field.length, '0') : value.padEnd(field.length, ' ');
}

function detailLine(
  profile: FixedWidthProfile,
  values: { reference: string; amountPence: number; date: string; sequence: number },
  channelLetter: string,
): string {
  const { recordType, detail } = profile;
  const placed: Placed[] = [
    { start: recordType.start, text: detail.code },
    { start: detail.reference.start, text: padded(values.reference, detail.reference, ' ') },
    {
      start: detail.amountPence.start,
      text: padded(String(values.amountPence), detail.amountPence, '0'),
    },
    { start: detail.date.start, text: values.date },
  ];
  if (detail.channel) {
    placed.push({ start: detail.channel.start, text: padded(channelLetter, detail.channel, ' ') });
  }
  if (detail.bankReference) {
    const transactionId = padded(String(values.sequence), detail.bankReference, '0');
    placed.push({ start: detail.bankReference.start, text: transactionId });
  }
  return layOut(placed);
}

function trailerLine(profile: FixedWidthProfile, count: number, totalPence: number): string {
  const { recordType, trailer } = profile;
  return layOut([
    { start: recordType.start, text: trailer.code },
    { start: trailer.count.start, text: padded(String(count), trailer.count, '0') },
    { start: trailer.totalPence.start, text: padded(String(totalPence), trailer.totalPence, '0') },
  ]);
}

/** The lines of a collection file: header (if the profile has one), details, trailer. */
const fundMaxPence = new Map(demoCouncil.funds.map((fund) => [fund.code, fund.maxPence]));

export function* generateCollectionFile(options: CollectionFileOptions): Generator<string> {
  const profile = options.profile ?? postOfficeProfile;
  assertFixedWidthProfile(profile);
  const random = seededRandom(options.seed);
  const date = formatFileDate(options.transactionDate ?? '2025-04-01', profile.detail.date.format);
  const letters = Object.keys(profile.detail.channel?.codes ?? { P: 'PO' });
  if (profile.header) {
    yield layOut([{ start: profile.recordType.start, text: profile.header.code }]);
  }
  let totalPence = 0;
  for (let sequence = 1; sequence <= options.rows; sequence++) {
    const identifiable = random() >= options.unidentifiableRatio;
    const fundCode = sampleFundCodes[Math.floor(random() * sampleFundCodes.length)] ?? 'CTAX';
    const reference = identifiable
      ? validReference(fundCode, random)
      : unidentifiableReference(random);
    // £1.00 up to £999.99 or the fund's own maximum (a parking fine is never £900), so only the
    // unidentifiable share of rows ends in suspense.
    const ceilingPence = Math.min(99_999, fundMaxPence.get(fundCode) ?? 99_999);
    const amountPence = 100 + Math.floor(random() * (ceilingPence - 99));
    const letter = letters[Math.floor(random() * letters.length)] ?? 'P';
    totalPence += amountPence;
    yield detailLine(profile, { reference, amountPence, date, sequence }, letter);
  }
  yield trailerLine(profile, options.rows, totalPence);
}

/** Batches lines into chunks of about `chunkChars`, as a file read would deliver them. */
export function* inChunks(lines: Iterable<string>, chunkChars = 65_536): Generator<string> {
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}
