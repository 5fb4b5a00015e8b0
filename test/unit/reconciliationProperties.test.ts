// Proves, over generated statements, items and rule sets, that reconciliation is a function of
// the records and not of their order, uses every line and item exactly once, never makes a
// match its rule forbids, and agrees with a brute-force reading of the rules.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ExpectedItem,
  type Match,
  type MatchRule,
  normaliseReference,
  reconcile,
  type StatementLine,
} from '../../domain/reconciliation';
import { asOf, dayOf, recordsArbitrary, rulesArbitrary } from './reconciliationFixtures';
import { bruteForce } from './reconciliationOracle';

const scenario = fc
  .tuple(recordsArbitrary, rulesArbitrary)
  .map(([{ lines, items }, rules]) => ({ lines, items, rules }));
const runs = { numRuns: 400 };

const sortedMatches = (matches: Match[]) =>
  matches
    .map((m) => ({
      ...m,
      statementLineIds: [...m.statementLineIds].sort(),
      expectedItemIds: [...m.expectedItemIds].sort(),
    }))
    .map((m) => JSON.stringify(m))
    .sort();

describe('reconciliation properties', () => {
  it('gives the same result however the inputs are ordered', () => {
    const shuffled = scenario.chain(({ lines, items, rules }) =>
      fc.record({
        lines: fc.constant(lines),
        items: fc.constant(items),
        rules: fc.constant(rules),
        shuffledLines: fc.shuffledSubarray(lines, { minLength: lines.length }),
        shuffledItems: fc.shuffledSubarray(items, { minLength: items.length }),
      }),
    );
    fc.assert(
      fc.property(shuffled, ({ lines, items, rules, shuffledLines, shuffledItems }) => {
        expect(reconcile(shuffledLines, shuffledItems, rules, asOf)).toEqual(
          reconcile(lines, items, rules, asOf),
        );
      }),
      runs,
    );
  });

  it('accounts for every line and every item exactly once', () => {
    fc.assert(
      fc.property(scenario, ({ lines, items, rules }) => {
        const { matches, exceptions } = reconcile(lines, items, rules, asOf);
        const lineIds = matches.flatMap((m) => m.statementLineIds);
        const itemIds = matches.flatMap((m) => m.expectedItemIds);
        for (const exception of exceptions) {
          if (exception.kind !== 'expected') lineIds.push(exception.statementLineId);
          if (exception.kind !== 'unexpected') itemIds.push(exception.expectedItemId);
        }
        expect(lineIds.sort()).toEqual(lines.map((l) => l.id).sort());
        expect(itemIds.sort()).toEqual(items.map((i) => i.id).sort());
      }),
      runs,
    );
  });

  it('never makes a match that crosses its rule constraints', () => {
    fc.assert(
      fc.property(scenario, ({ lines, items, rules }) => {
        for (const match of reconcile(lines, items, rules, asOf).matches) {
          assertWithinRule(match, rules, lines, items);
        }
      }),
      runs,
    );
  });

  it('agrees with a brute-force reading of the rules', () => {
    fc.assert(
      fc.property(scenario, ({ lines, items, rules }) => {
        const engine = reconcile(lines, items, rules, asOf);
        const oracle = bruteForce(lines, items, rules, asOf.asOf);
        expect(sortedMatches(engine.matches)).toEqual(sortedMatches(oracle.matches));
        expect(engine.exceptions).toEqual(oracle.exceptions);
      }),
      { numRuns: 1_000 },
    );
  });
});

function assertWithinRule(
  match: Match,
  rules: MatchRule[],
  lines: StatementLine[],
  items: ExpectedItem[],
): void {
  const rule = rules.find((r) => r.name === match.rule) as MatchRule;
  const matchLines = match.statementLineIds.map(
    (id) => lines.find((l) => l.id === id) as StatementLine,
  );
  const matchItems = match.expectedItemIds.map(
    (id) => items.find((i) => i.id === id) as ExpectedItem,
  );
  const shape = [matchLines.length > 1 ? 'many' : 'one', matchItems.length > 1 ? 'many' : 'one'];
  expect(
    { one_to_one: 'one:one', one_to_many: 'one:many', many_to_one: 'many:one' }[rule.kind],
  ).toBe(shape.join(':'));
  const total = (records: { amountPence: number }[]) =>
    records.reduce((s, r) => s + r.amountPence, 0);
  expect(match.differencePence).toBe(total(matchLines) - total(matchItems));
  expect(Math.abs(match.differencePence)).toBeLessThanOrEqual(rule.amountTolerancePence);
  for (const i of matchItems) {
    if (rule.itemKinds !== undefined) expect(rule.itemKinds).toContain(i.kind);
    for (const l of matchLines) {
      expect(Math.abs(dayOf(l.date) - dayOf(i.expectedDate))).toBeLessThanOrEqual(
        rule.dateWindowDays,
      );
      const itemReference = normaliseReference(i.reference);
      const texts = [l.reference, l.narrative ?? ''].map(normaliseReference);
      if (rule.reference !== 'ignore') expect(itemReference).not.toBe('');
      if (rule.reference === 'exact') expect(texts[0]).toBe(itemReference);
      if (rule.reference === 'contains')
        expect(texts.some((t) => t.includes(itemReference))).toBe(true);
    }
  }
  if (rule.kind !== 'one_to_one' && rule.reference === 'ignore') {
    // Reference-blind groups are one date's worth, never a window's.
    const groupDates =
      rule.kind === 'one_to_many'
        ? matchItems.map((i) => i.expectedDate)
        : matchLines.map((l) => l.date);
    expect(new Set(groupDates).size).toBe(1);
  }
}
