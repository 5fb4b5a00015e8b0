// Proves the double-entry checks made before insert: every balanced journal passes, every
// malformed or unbalanced one (down to a single penny) is refused, and reversals undo exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertBalanced,
  LedgerInvariantError,
  netPenceByAccount,
  type PostingLine,
  reversalOf,
} from '../../domain/ledger';

const accountCode = fc.constantFrom('BANK', 'PSP_CLEARING', 'SUSPENSE', 'CTAX', 'FEES');

/** Positive debit amounts, then the same total cut into positive credit amounts. */
const balancedJournal: fc.Arbitrary<PostingLine[]> = fc
  .array(fc.integer({ min: 1, max: 1_000_000_000 }), { minLength: 1, maxLength: 6 })
  .chain((debits) => {
    const total = debits.reduce((sum, amount) => sum + amount, 0);
    // A total of one penny cannot be cut, so its single credit line carries it whole.
    const cuts =
      total === 1
        ? fc.constant<number[]>([])
        : fc.uniqueArray(fc.integer({ min: 1, max: total - 1 }), { maxLength: 5 });
    return fc.tuple(
      fc.constant(debits),
      cuts.map((points) => [0, ...points.sort((a, b) => a - b), total]),
    );
  })
  .chain(([debits, bounds]) => {
    const credits = bounds.slice(1).map((bound, i) => bound - (bounds[i] ?? 0));
    const amounts = [
      ...debits.map((d) => ({ debitPence: d, creditPence: 0 })),
      ...credits.map((c) => ({ debitPence: 0, creditPence: c })),
    ];
    return fc.tuple(
      ...amounts.map((amount) => accountCode.map((code) => ({ accountCode: code, ...amount }))),
    );
  })
  .chain((lines) =>
    fc.shuffledSubarray(lines, { minLength: lines.length, maxLength: lines.length }),
  );

function codeOf(lines: PostingLine[]): string | null {
  try {
    assertBalanced(lines);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(LedgerInvariantError);
    return (error as LedgerInvariantError).code;
  }
}

describe('assertBalanced', () => {
  it('accepts the smallest balanced journal: one penny each way', () => {
    expect(
      codeOf([
        { accountCode: 'BANK', debitPence: 1, creditPence: 0 },
        { accountCode: 'CTAX', debitPence: 0, creditPence: 1 },
      ]),
    ).toBeNull();
  });

  it.each([
    ['no lines', [], 'too_few_lines'],
    ['one line', [{ accountCode: 'A', debitPence: 1, creditPence: 0 }], 'too_few_lines'],
    [
      'both sides',
      [
        { accountCode: 'A', debitPence: 1, creditPence: 1 },
        { accountCode: 'B', debitPence: 0, creditPence: 0 },
      ],
      'not_one_sided',
    ],
    [
      'neither side',
      [
        { accountCode: 'A', debitPence: 0, creditPence: 0 },
        { accountCode: 'B', debitPence: 0, creditPence: 0 },
      ],
      'not_one_sided',
    ],
    [
      'a negative amount',
      [
        { accountCode: 'A', debitPence: -1, creditPence: 0 },
        { accountCode: 'B', debitPence: 0, creditPence: -1 },
      ],
      'negative_amount',
    ],
    [
      'a fraction',
      [
        { accountCode: 'A', debitPence: 0.5, creditPence: 0 },
        { accountCode: 'B', debitPence: 0, creditPence: 0.5 },
      ],
      'amount_not_safe_integer',
    ],
    [
      'NaN',
      [
        { accountCode: 'A', debitPence: Number.NaN, creditPence: 0 },
        { accountCode: 'B', debitPence: 0, creditPence: 1 },
      ],
      'amount_not_safe_integer',
    ],
    [
      'an unsafe integer',
      [
        { accountCode: 'A', debitPence: 2 ** 53, creditPence: 0 },
        { accountCode: 'B', debitPence: 0, creditPence: 2 ** 53 },
      ],
      'amount_not_safe_integer',
    ],
    [
      'a total beyond the safe range',
      [
        { accountCode: 'A', debitPence: Number.MAX_SAFE_INTEGER, creditPence: 0 },
        { accountCode: 'A', debitPence: Number.MAX_SAFE_INTEGER, creditPence: 0 },
        { accountCode: 'B', debitPence: 0, creditPence: 1 },
      ],
      'amount_not_safe_integer',
    ],
    [
      'debits above credits',
      [
        { accountCode: 'A', debitPence: 101, creditPence: 0 },
        { accountCode: 'B', debitPence: 0, creditPence: 100 },
      ],
      'unbalanced',
    ],
  ])('refuses %s', (_, lines, code) => {
    expect(codeOf(lines as PostingLine[])).toBe(code);
  });

  it('says which line is wrong and by how much a journal is out', () => {
    expect(() =>
      assertBalanced([
        { accountCode: 'BANK', debitPence: 5, creditPence: 0 },
        { accountCode: 'CTAX', debitPence: 0, creditPence: 0 },
      ]),
    ).toThrow(/Line 2 \(CTAX\): exactly one of debit and credit must be positive/);
    expect(() =>
      assertBalanced([
        { accountCode: 'BANK', debitPence: 5, creditPence: 0 },
        { accountCode: 'CTAX', debitPence: 0, creditPence: 4 },
      ]),
    ).toThrow('Journal does not balance: debits 5 pence, credits 4 pence');
  });

  it('accepts every generated balanced journal', () => {
    fc.assert(
      fc.property(balancedJournal, (lines) => {
        expect(codeOf(lines)).toBeNull();
      }),
    );
  });

  it('refuses every single-penny change to any line', () => {
    fc.assert(
      fc.property(balancedJournal, fc.nat(), fc.boolean(), (lines, seed, up) => {
        const index = seed % lines.length;
        const perturbed = lines.map((line, i) => {
          if (i !== index) return line;
          const delta = up ? 1 : -1;
          return line.debitPence > 0
            ? { ...line, debitPence: line.debitPence + delta }
            : { ...line, creditPence: line.creditPence + delta };
        });
        expect(codeOf(perturbed)).not.toBeNull();
      }),
    );
  });
});

describe('reversalOf', () => {
  it('swaps sides, stays balanced, and nets every account to zero with the original', () => {
    fc.assert(
      fc.property(balancedJournal, (lines) => {
        const reversal = reversalOf(lines);
        expect(codeOf(reversal)).toBeNull();
        for (const net of netPenceByAccount([...lines, ...reversal]).values()) expect(net).toBe(0);
        expect(reversalOf(reversal)).toEqual(lines);
      }),
    );
  });

  it('does not mutate the journal it reverses', () => {
    const lines = [
      Object.freeze({ accountCode: 'BANK', debitPence: 7, creditPence: 0 }),
      Object.freeze({ accountCode: 'CTAX', debitPence: 0, creditPence: 7 }),
    ];
    expect(reversalOf(lines)).toEqual([
      { accountCode: 'BANK', debitPence: 0, creditPence: 7 },
      { accountCode: 'CTAX', debitPence: 7, creditPence: 0 },
    ]);
  });

  it('nets a balanced journal to zero overall', () => {
    fc.assert(
      fc.property(balancedJournal, (lines) => {
        const total = [...netPenceByAccount(lines).values()].reduce((sum, net) => sum + net, 0);
        expect(total).toBe(0);
      }),
    );
  });
});
