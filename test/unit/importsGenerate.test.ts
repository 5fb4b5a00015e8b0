// Proves that generated collection files are deterministic, real-shaped (valid references pass
// the demo council's checks, about the asked share do not) and parse back to their own trailer.
import { describe, expect, it } from 'vitest';
import { demoCouncil } from '../../domain/demoCouncil';
import {
  createFixedWidthParser,
  type FixedWidthProfile,
  generateCollectionFile,
  type ImportRow,
  inChunks,
  parserFor,
  postOfficeProfile,
} from '../../domain/imports';
import {
  normaliseReference,
  routeReference,
  validateReferenceShape,
} from '../../domain/references';

function isIdentifiable(reference: string): boolean {
  const fundCode = routeReference(reference, demoCouncil.referenceRoutes);
  const fund = demoCouncil.funds.find((candidate) => candidate.code === fundCode);
  return (
    fund !== undefined &&
    validateReferenceShape(normaliseReference(reference), fund.validator) === null
  );
}

async function parseGenerated(
  rows: number,
  unidentifiableRatio: number,
  profile = postOfficeProfile,
) {
  const lines = generateCollectionFile({ rows, unidentifiableRatio, seed: 42, profile });
  const parsed: ImportRow[] = [];
  const summary = await createFixedWidthParser(profile).parse(inChunks(lines), (row) => {
    parsed.push(row);
  });
  return { parsed, summary };
}

describe('generateCollectionFile', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const options = { rows: 50, unidentifiableRatio: 0.3, seed: 7 };
    const first = [...generateCollectionFile(options)];
    expect([...generateCollectionFile(options)]).toEqual(first);
    expect([...generateCollectionFile({ ...options, seed: 8 })]).not.toEqual(first);
    expect(first).toHaveLength(52);
    expect(first.every((line) => line.endsWith('\n'))).toBe(true);
  });

  it('writes a 10,000-row file that parses with the right count and total', async () => {
    const { parsed, summary } = await parseGenerated(10_000, 0.1);
    expect(summary.errors).toEqual([]);
    expect(summary.rowCount).toBe(10_000);
    expect(summary.control?.declaredCount).toBe(10_000);
    expect(summary.totalPence).toBe(summary.control?.declaredTotalPence);
    expect(parsed.reduce((sum, row) => sum + row.amountPence, 0)).toBe(summary.totalPence);
    expect(parsed.at(-1)?.lineNo).toBe(10_001);
    expect(new Set(parsed.map((row) => row.channel))).toEqual(new Set(['PO', 'PP']));
  });

  it('makes valid references for every demo fund shape, and about the asked share of garbage', async () => {
    const { parsed } = await parseGenerated(10_000, 0.2);
    const unidentifiable = parsed.filter((row) => !isIdentifiable(row.reference)).length;
    expect(unidentifiable / parsed.length).toBeGreaterThan(0.17);
    expect(unidentifiable / parsed.length).toBeLessThan(0.23);
    const funds = new Set(
      parsed.map((row) => routeReference(row.reference, demoCouncil.referenceRoutes)),
    );
    expect(funds).toEqual(new Set(['CTAX', 'NNDR', 'PCN', 'FPN', 'RENT', null]));
  });

  it('makes only valid references at ratio 0 and none at ratio 1', async () => {
    const valid = await parseGenerated(2000, 0);
    expect(valid.parsed.every((row) => isIdentifiable(row.reference))).toBe(true);
    const garbage = await parseGenerated(2000, 1);
    expect(garbage.parsed.some((row) => isIdentifiable(row.reference))).toBe(false);
  });

  it('lays records out by any profile, e.g. DDMMYY dates and no header', async () => {
    const profile: FixedWidthProfile = {
      kind: 'fixedWidth',
      recordType: { start: 0, length: 2 },
      detail: {
        code: '05',
        amountPence: { start: 2, length: 8 },
        date: { start: 10, format: 'DDMMYY' },
        reference: { start: 16, length: 20 },
      },
      trailer: {
        code: '99',
        totalPence: { start: 2, length: 12 },
        count: { start: 14, length: 7 },
      },
    };
    const { parsed, summary } = await parseGenerated(500, 0.5, profile);
    expect(summary.errors).toEqual([]);
    expect(parsed[0]).toMatchObject({ lineNo: 1, transactionDate: '2025-04-01' });
  });
});

describe('parserFor', () => {
  it('gives each kind of profile its parser', async () => {
    const lines = [...generateCollectionFile({ rows: 3, unidentifiableRatio: 0, seed: 1 })];
    const fixedWidth = await parserFor(postOfficeProfile).parse(lines, () => {});
    expect(fixedWidth.rowCount).toBe(3);
    for (const kind of ['camt053', 'mt940'] as const) {
      const summary = await parserFor({ kind }).parse(['nothing'], () => {});
      expect(summary.errors.length).toBeGreaterThan(0);
    }
  });
});
