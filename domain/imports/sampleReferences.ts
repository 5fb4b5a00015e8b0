import { demoCouncil } from '../demoCouncil';
import { type CheckDigitScheme, computeCheckCharacter } from '../references';

/**
 * Real-shaped payer references for generated files: the demo council's shapes (domain.md §3),
 * with check characters from its own schemes, so generated rows route and validate like real
 * ones. "Unidentifiable" references are what staff meet in suspense: a mistyped check
 * character, a name, a note, or nothing.
 */

/** A deterministic generator of numbers in [0, 1) (mulberry32): the same seed, the same file. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Random = () => number;

function digits(random: Random, count: number): string {
  let text = '';
  for (let index = 0; index < count; index++) text += String(Math.floor(random() * 10));
  return text;
}

function schemeOf(fundCode: string): CheckDigitScheme {
  const scheme = demoCouncil.funds.find((fund) => fund.code === fundCode)?.validator.checkDigit;
  if (scheme === undefined) throw new RangeError(`Fund ${fundCode} has no check-digit scheme`);
  return scheme;
}

/** Payloads (without the check character) in the shapes the demo council routes by. */
const payloadMakers: Record<string, (random: Random) => string> = {
  // Nine digits starting 7x or 5x, but never 56, which is the business-rates shape.
  CTAX: (random) =>
    random() < 0.5
      ? `7${digits(random, 7)}`
      : `5${'01234578'[Math.floor(random() * 8)]}${digits(random, 6)}`,
  NNDR: (random) => `56${digits(random, 6)}`,
  PCN: (random) => `BJ${digits(random, 7)}`,
  FPN: (random) => `FP${digits(random, 7)}`,
  RENT: (random) => `6${digits(random, 9)}`,
};

export const sampleFundCodes = Object.keys(payloadMakers);

const schemes = new Map(sampleFundCodes.map((code) => [code, schemeOf(code)]));

/** A reference that passes the fund's check: e.g. CTAX '123456780'-shaped, RENT Luhn. */
export function validReference(fundCode: string, random: Random): string {
  const makePayload = payloadMakers[fundCode];
  const scheme = schemes.get(fundCode);
  if (makePayload === undefined || scheme === undefined) {
    throw new RangeError(`No sample references for fund ${fundCode}`);
  }
  const payload = makePayload(random);
  return payload + computeCheckCharacter(scheme, `${payload}?`);
}

const notes = ['COUNCIL TAX', 'RENT', 'MR J SMITH', 'PARKING FINE', 'SEE LETTER', 'FLAT 4'];

/** A reference that no fund accepts, in one of the ways real ones go wrong. */
export function unidentifiableReference(random: Random): string {
  const kind = Math.floor(random() * 4);
  if (kind === 0) {
    const valid = validReference('CTAX', random);
    const wrongDigit = (Number(valid.slice(-1)) + 1 + Math.floor(random() * 9)) % 10;
    return valid.slice(0, -1) + String(wrongDigit);
  }
  if (kind === 1) return notes[Math.floor(random() * notes.length)] ?? '';
  if (kind === 2) return digits(random, 5);
  return '';
}
