// Proves the hand-built structures under the reconciliation engine against plain JavaScript:
// the date parser against Date, the radix canonical order against a comparator sort (wide and
// negative amounts included), the reference scanner against String.includes, the string
// table against a Map, and the Fenwick sums against adding up.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../domain/reconciliation/dates';
import { addAt, newFenwick, rangeSum } from '../../domain/reconciliation/fenwick';
import { buildScanner, scanText } from '../../domain/reconciliation/scanner';
import { canonicalOrder } from '../../domain/reconciliation/sorting';
import { intern, lookUp, newStringTable } from '../../domain/reconciliation/stringTable';

describe('reconciliation internals', () => {
  it('counts days like Date does, across centuries and leap years', () => {
    const dates = fc.date({
      min: new Date('1600-01-01'),
      max: new Date('2400-12-31'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(dates, (date) => {
        const text = date.toISOString().slice(0, 10);
        expect(dayNumber(text)).toBe(Date.parse(`${text}T00:00:00Z`) / 86_400_000);
      }),
    );
  });

  it('orders by amount, day and id exactly as a comparator sort does', () => {
    const amount = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -1e12, max: 1e12 }));
    const records = fc.array(
      fc.record({ amount, day: fc.integer({ min: 0, max: 3 }), id: fc.string({ maxLength: 2 }) }),
      {
        maxLength: 60,
      },
    );
    fc.assert(
      fc.property(records, (rows) => {
        const unique = rows.filter(
          (row, index) => rows.findIndex((r) => r.id === row.id) === index,
        );
        const order = canonicalOrder(
          Float64Array.from(unique, (r) => r.amount),
          Int32Array.from(unique, (r) => r.day),
          unique.map((r) => r.id),
        );
        const expected = unique
          .map((_, index) => index)
          .sort((a, b) => {
            const x = unique[a] as (typeof unique)[number];
            const y = unique[b] as (typeof unique)[number];
            return x.amount - y.amount || x.day - y.day || (x.id < y.id ? -1 : 1);
          });
        expect([...order]).toEqual(expected);
      }),
    );
  });

  it('finds exactly the references that String.includes finds', () => {
    const text = fc.string({ unit: fc.constantFrom('A', 'B', '1'), maxLength: 12 });
    const references = fc.uniqueArray(
      fc.string({ unit: fc.constantFrom('A', 'B', '1'), minLength: 1, maxLength: 4 }),
      {
        maxLength: 8,
      },
    );
    fc.assert(
      fc.property(references, text, (refs, haystack) => {
        const scanner = buildScanner(
          refs,
          refs.map((_, key) => key),
        );
        const found = new Set<number>();
        scanText(scanner, haystack, (key) => found.add(key));
        const expected = refs.flatMap((ref, key) => (haystack.includes(ref) ? [key] : []));
        expect([...found].sort((a, b) => a - b)).toEqual(expected);
      }),
    );
  });

  it('interns strings like a Map, through growth', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 3 }), { maxLength: 200 }), (texts) => {
        const table = newStringTable(1);
        const map = new Map<string, number>();
        for (const text of texts) {
          if (!map.has(text)) map.set(text, map.size);
          expect(intern(table, text)).toBe(map.get(text));
        }
        expect(lookUp(table, '\u0000absent')).toBe(-1);
      }),
    );
  });

  it('keeps range sums exact through point updates', () => {
    const values = fc.array(fc.integer({ min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(values, fc.nat(), fc.nat(), (numbers, at, span) => {
        const fenwick = newFenwick(numbers);
        const position = at % numbers.length;
        addAt(fenwick, position, -(numbers[position] as number));
        numbers[position] = 0;
        const start = Math.min(position, numbers.length - 1);
        const end = Math.min(numbers.length, start + (span % 8));
        const naive = numbers.slice(start, end).reduce((sum, n) => sum + n, 0);
        expect(rangeSum(fenwick, start, end)).toBe(naive);
      }),
    );
  });
});
