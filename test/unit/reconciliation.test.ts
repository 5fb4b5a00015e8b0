// Proves the one-to-one matching rules on worked examples: exact matches, the edges of the date
// window and of the amount tolerance, each reference rule, the tie-breaks, and zero and one
// penny, plus the refusal of malformed input.
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../domain/reconciliation';
import { asOf, item, line, rule } from './reconciliationFixtures';

const pairs = (result: ReturnType<typeof reconcile>) =>
  result.matches.map((m) => [...m.statementLineIds, ...m.expectedItemIds, m.differencePence]);

describe('one to one', () => {
  it('matches the same amount, date and reference exactly', () => {
    const result = reconcile(
      [line('L1', 12_345, '2025-04-01', 'PO123')],
      [item('I1', 12_345, '2025-04-01', 'PO123', 'psp_payout')],
      [rule({ name: 'exact' })],
      asOf,
    );
    expect(result.matches).toEqual([
      { rule: 'exact', statementLineIds: ['L1'], expectedItemIds: ['I1'], differencePence: 0 },
    ]);
    expect(result.exceptions).toEqual([]);
  });

  it('accepts a date exactly at the window edge and refuses one day beyond, either side', () => {
    const lines = [line('L1', 100, '2025-04-04', 'A'), line('L2', 200, '2025-03-29', 'B')];
    const items = [item('I1', 100, '2025-04-01', 'A'), item('I2', 200, '2025-04-01', 'B')];
    expect(pairs(reconcile(lines, items, [rule({ dateWindowDays: 3 })], asOf))).toEqual([
      ['L1', 'I1', 0],
      ['L2', 'I2', 0],
    ]);
    expect(pairs(reconcile(lines, items, [rule({ dateWindowDays: 2 })], asOf))).toEqual([]);
  });

  it('counts the window across month and leap-year ends', () => {
    const lines = [line('L1', 100, '2024-03-01', 'A')];
    const items = [item('I1', 100, '2024-02-28', 'A')];
    expect(pairs(reconcile(lines, items, [rule({ dateWindowDays: 2 })], asOf))).toHaveLength(1);
    expect(pairs(reconcile(lines, items, [rule({ dateWindowDays: 1 })], asOf))).toEqual([]);
  });

  it('accepts an amount exactly at the tolerance and refuses one penny beyond', () => {
    const lines = [line('L1', 1_005, '2025-04-01', 'A'), line('L2', 1_994, '2025-04-01', 'B')];
    const items = [item('I1', 1_000, '2025-04-01', 'A'), item('I2', 2_000, '2025-04-01', 'B')];
    const result = reconcile(lines, items, [rule({ amountTolerancePence: 5 })], asOf);
    expect(pairs(result)).toEqual([['L1', 'I1', 5]]);
  });

  it('reports the difference as statement minus expected, in pence', () => {
    const result = reconcile(
      [line('L1', 998, '2025-04-01', 'A')],
      [item('I1', 1_000, '2025-04-01', 'A')],
      [rule({ amountTolerancePence: 2 })],
      asOf,
    );
    expect(pairs(result)).toEqual([['L1', 'I1', -2]]);
  });

  it('compares references on letters and digits, upper-cased', () => {
    const result = reconcile(
      [line('L1', 100, '2025-04-01', ' po-123/45 ')],
      [item('I1', 100, '2025-04-01', 'PO12345')],
      [rule()],
      asOf,
    );
    expect(pairs(result)).toEqual([['L1', 'I1', 0]]);
  });

  it('exact needs equal references; contains finds the item reference in reference or narrative', () => {
    const lines = [
      line('L1', 100, '2025-04-01', 'GOVUK PAY PO123'),
      line('L2', 200, '2025-04-01', 'CREDIT', 'Payout PO456 settled'),
    ];
    const items = [item('I1', 100, '2025-04-01', 'PO123'), item('I2', 200, '2025-04-01', 'PO456')];
    expect(pairs(reconcile(lines, items, [rule({ reference: 'exact' })], asOf))).toEqual([]);
    expect(pairs(reconcile(lines, items, [rule({ reference: 'contains' })], asOf))).toEqual([
      ['L1', 'I1', 0],
      ['L2', 'I2', 0],
    ]);
  });

  it('ignore matches on amount and date alone; an empty reference never satisfies the others', () => {
    const lines = [line('L1', 100, '2025-04-01', '')];
    const items = [item('I1', 100, '2025-04-01', '')];
    expect(pairs(reconcile(lines, items, [rule({ reference: 'exact' })], asOf))).toEqual([]);
    expect(pairs(reconcile(lines, items, [rule({ reference: 'contains' })], asOf))).toEqual([]);
    expect(pairs(reconcile(lines, items, [rule({ reference: 'ignore' })], asOf))).toHaveLength(1);
  });

  it('prefers the closest date, then the smallest amount difference, then the lowest id', () => {
    const lines = [line('L1', 1_000, '2025-04-02', 'A')];
    const tolerant = [rule({ dateWindowDays: 2, amountTolerancePence: 5 })];
    const closestDate = [
      item('I9', 1_005, '2025-04-02', 'A'),
      item('I1', 1_000, '2025-04-01', 'A'),
    ];
    expect(pairs(reconcile(lines, closestDate, tolerant, asOf))).toEqual([['L1', 'I9', -5]]);
    const closestAmount = [
      item('I9', 1_001, '2025-04-03', 'A'),
      item('I1', 1_003, '2025-04-01', 'A'),
    ];
    expect(pairs(reconcile(lines, closestAmount, tolerant, asOf))).toEqual([['L1', 'I9', -1]]);
    const lowestId = [item('I9', 999, '2025-04-03', 'A'), item('I10', 1_001, '2025-04-01', 'A')];
    expect(pairs(reconcile(lines, lowestId, tolerant, asOf))).toEqual([['L1', 'I10', -1]]);
  });

  it('never lets a line one day off take the item a same-day line needs', () => {
    // L0 sorts first (lower id) but is a day off; the same-day pass runs before it is considered.
    const lines = [line('L0', 100, '2025-04-02', 'A'), line('L1', 100, '2025-04-01', 'A')];
    const items = [item('I1', 100, '2025-04-01', 'A')];
    expect(pairs(reconcile(lines, items, [rule({ dateWindowDays: 1 })], asOf))).toEqual([
      ['L1', 'I1', 0],
    ]);
  });

  it('applies rules in order and limits a rule to its item kinds', () => {
    const lines = [line('L1', 100, '2025-04-01', 'A'), line('L2', 200, '2025-04-03', 'B')];
    const items = [
      item('I1', 100, '2025-04-01', 'A', 'cash_banking'),
      item('I2', 200, '2025-04-01', 'B', 'psp_payout'),
    ];
    const rules = [
      rule({ name: 'payouts only', itemKinds: ['psp_payout'], dateWindowDays: 3 }),
      rule({ name: 'anything same day' }),
    ];
    const result = reconcile(lines, items, rules, asOf);
    expect(
      result.matches.map((m) => [m.rule, ...m.statementLineIds, ...m.expectedItemIds]),
    ).toEqual([
      ['payouts only', 'L2', 'I2'],
      ['anything same day', 'L1', 'I1'],
    ]);
  });

  it('matches zero and one-penny amounts, and tells one penny from two', () => {
    const lines = [line('L0', 0, '2025-04-01', 'Z'), line('L1', 1, '2025-04-01', 'P')];
    const items = [item('I0', 0, '2025-04-01', 'Z'), item('I2', 2, '2025-04-01', 'P')];
    const strict = reconcile(lines, items, [rule()], asOf);
    expect(pairs(strict)).toEqual([['L0', 'I0', 0]]);
    expect(strict.exceptions).toContainEqual({
      kind: 'mismatched',
      statementLineId: 'L1',
      expectedItemId: 'I2',
      differencePence: -1,
    });
    const onePenny = reconcile(lines, items, [rule({ amountTolerancePence: 1 })], asOf);
    expect(pairs(onePenny)).toEqual([
      ['L0', 'I0', 0],
      ['L1', 'I2', -1],
    ]);
  });
});

describe('input checks', () => {
  const ok = [line('L1', 100, '2025-04-01', 'A')];
  it.each([
    ['fractional pence', [line('L1', 1.5, '2025-04-01')], [], [rule()]],
    ['a malformed date', [line('L1', 1, '2025-4-01')], [], [rule()]],
    ['an impossible date', [line('L1', 1, '2025-02-29')], [], [rule()]],
    ['a duplicate id', [...ok, ...ok], [], [rule()]],
    ['a negative window', ok, [], [rule({ dateWindowDays: -1 })]],
    ['a fractional tolerance', ok, [], [rule({ amountTolerancePence: 0.5 })]],
    ['duplicate rule names', ok, [], [rule(), rule()]],
    ['an unknown item kind', ok, [], [rule({ itemKinds: ['cheque' as 'psp_payout'] })]],
  ])('refuses %s', (_label, lines, items, rules) => {
    expect(() => reconcile(lines, items, rules, asOf)).toThrow(RangeError);
  });
});
