// Proves the suspense split rules: parts must be whole positive pence, at most 20, add up to the
// control total to the penny and not exceed what is available; and the journals balance.
import { describe, expect, it } from 'vitest';
import { netPenceByAccount } from '../../domain/ledger';
import {
  allocationPartsMax,
  checkSplit,
  suspenseAllocationLines,
  suspenseIntakeLines,
  suspenseWriteOffLines,
} from '../../domain/suspense';

const part = (amountPence: number, fundCode = 'CTAX', reference = '123456780') => ({
  fundCode,
  reference,
  amountPence,
});

describe('checkSplit', () => {
  it('accepts a split that adds up to the total, including a one-penny part', () => {
    expect(checkSplit({ parts: [part(9_999), part(1)], totalPence: 10_000 }, 10_000)).toBeNull();
  });

  it('accepts a partial allocation that leaves a remainder', () => {
    expect(checkSplit({ parts: [part(4_000)], totalPence: 4_000 }, 10_000)).toBeNull();
  });

  it('refuses parts that do not add up to the total, by one penny either way', () => {
    expect(checkSplit({ parts: [part(5_000), part(4_999)], totalPence: 10_000 }, 10_000)).toEqual({
      field: 'totalPence',
      message: 'the parts add up to £99.99, not £100.00',
    });
    expect(
      checkSplit({ parts: [part(5_001), part(5_000)], totalPence: 10_000 }, 20_000)?.field,
    ).toBe('totalPence');
  });

  it('refuses a total above what is available', () => {
    expect(checkSplit({ parts: [part(10_001)], totalPence: 10_001 }, 10_000)?.message).toBe(
      'only £100.00 is available to allocate',
    );
  });

  it('refuses zero, negative and fractional parts, naming the part', () => {
    for (const bad of [0, -1, 0.5, Number.NaN]) {
      expect(checkSplit({ parts: [part(100), part(bad)], totalPence: 100 }, 1_000)?.field).toBe(
        'parts[1].amountPence',
      );
    }
  });

  it('refuses no parts, too many parts and blank targets', () => {
    expect(checkSplit({ parts: [], totalPence: 1 }, 10)?.field).toBe('parts');
    const many = Array.from({ length: allocationPartsMax + 1 }, () => part(1));
    expect(checkSplit({ parts: many, totalPence: many.length }, 100)?.field).toBe('parts');
    const twenty = many.slice(1);
    expect(checkSplit({ parts: twenty, totalPence: 20 }, 100)).toBeNull();
    expect(checkSplit({ parts: [part(1, ' ')], totalPence: 1 }, 10)?.field).toBe(
      'parts[0].fundCode',
    );
    expect(checkSplit({ parts: [part(1, 'CTAX', '')], totalPence: 1 }, 10)?.field).toBe(
      'parts[0].reference',
    );
  });
});

describe('suspense journals', () => {
  it('allocate 1:N as one balanced journal, with VAT split off where the fund carries it', () => {
    const lines = suspenseAllocationLines('SUSP', 'UNKNOWN REF', [
      { ...part(6_000), vatCode: 'O', vatRateBasisPoints: 0 },
      { ...part(1_200, 'LIB', 'LOAN-1'), vatCode: 'S', vatRateBasisPoints: 2000 },
    ]);
    const net = netPenceByAccount(lines);
    expect(net.get('FUND:SUSP')).toBe(7_200);
    expect(net.get('FUND:CTAX')).toBe(-6_000);
    expect(net.get('FUND:LIB')).toBe(-1_000);
    expect(net.get('CTRL:VAT_OUTPUT')).toBe(-200);
  });

  it('take money in and write it off, balanced', () => {
    expect(
      netPenceByAccount(suspenseIntakeLines('CTRL:BANK', 'SUSP', 500, 'X')).get('CTRL:BANK'),
    ).toBe(500);
    expect(netPenceByAccount(suspenseWriteOffLines('SUSP', 'X', 500)).get('CTRL:WRITE_OFF')).toBe(
      -500,
    );
  });
});
