// Proves one-to-many and many-to-one matching: groups form only by shared reference within
// the window (or by one shared date when references are ignored), totals must fit the
// tolerance, groups never use subsets, and a group of one is left to one-to-one rules.
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../domain/reconciliation';
import { asOf, item, line, rule } from './reconciliationFixtures';

const oneToMany = rule({ name: '1:N', kind: 'one_to_many', dateWindowDays: 1 });
const manyToOne = rule({ name: 'N:1', kind: 'many_to_one', dateWindowDays: 2 });

describe('one to many', () => {
  it('matches one credit to several bankings with its reference inside the window', () => {
    const lines = [line('L1', 600, '2025-04-02', 'BAG7')];
    const items = [
      item('I1', 100, '2025-04-01', 'bag 7', 'cash_banking'),
      item('I2', 200, '2025-04-02', 'BAG7', 'cash_banking'),
      item('I3', 300, '2025-04-03', 'BAG7', 'cash_banking'),
      item('I4', 999, '2025-04-05', 'BAG7', 'cash_banking'),
    ];
    expect(reconcile(lines, items, [oneToMany], asOf).matches).toEqual([
      {
        rule: '1:N',
        statementLineIds: ['L1'],
        expectedItemIds: ['I1', 'I2', 'I3'],
        differencePence: 0,
      },
    ]);
  });

  it('takes the whole group or nothing: no subset is searched', () => {
    const lines = [line('L1', 300, '2025-04-01', 'BAG7')];
    const items = [
      item('I1', 100, '2025-04-01', 'BAG7'),
      item('I2', 200, '2025-04-01', 'BAG7'),
      item('I3', 50, '2025-04-01', 'BAG7'),
    ];
    expect(reconcile(lines, items, [oneToMany], asOf).matches).toEqual([]);
  });

  it('fits the total within the tolerance, and not one penny beyond', () => {
    const lines = [line('L1', 302, '2025-04-01', 'BAG7')];
    const items = [item('I1', 100, '2025-04-01', 'BAG7'), item('I2', 200, '2025-04-01', 'BAG7')];
    const within = reconcile(lines, items, [{ ...oneToMany, amountTolerancePence: 2 }], asOf);
    expect(within.matches.map((m) => m.differencePence)).toEqual([2]);
    const beyond = reconcile(lines, items, [{ ...oneToMany, amountTolerancePence: 1 }], asOf);
    expect(beyond.matches).toEqual([]);
  });

  it('leaves a group of one to one-to-one rules', () => {
    const lines = [line('L1', 100, '2025-04-01', 'BAG7')];
    const items = [item('I1', 100, '2025-04-01', 'BAG7')];
    expect(reconcile(lines, items, [oneToMany], asOf).matches).toEqual([]);
  });

  it('groups by one expected date, closest first, when references are ignored', () => {
    const lines = [line('L1', 300, '2025-04-02')];
    const items = [
      item('I1', 100, '2025-04-01', 'X'),
      item('I2', 200, '2025-04-01', 'Y'),
      item('I3', 300, '2025-04-02', 'Z'),
    ];
    // The same-day "group" is one item, so the day before (two items summing to 300) wins.
    const result = reconcile(lines, items, [{ ...oneToMany, reference: 'ignore' }], asOf);
    expect(result.matches.map((m) => m.expectedItemIds)).toEqual([['I1', 'I2']]);
  });

  it('finds references inside the line text with contains, and respects item kinds', () => {
    const lines = [line('L1', 300, '2025-04-01', 'OFFICE BANKING', 'bags BAG7 and more')];
    const items = [
      item('I1', 100, '2025-04-01', 'BAG7', 'cash_banking'),
      item('I2', 200, '2025-04-01', 'BAG7', 'cash_banking'),
    ];
    const contains = { ...oneToMany, reference: 'contains' as const };
    expect(reconcile(lines, items, [contains], asOf).matches).toHaveLength(1);
    const payoutsOnly = { ...contains, itemKinds: ['psp_payout' as const] };
    expect(reconcile(lines, items, [payoutsOnly], asOf).matches).toEqual([]);
  });
});

describe('many to one', () => {
  it('matches a payout credited in parts, each quoting the payout reference', () => {
    const lines = [
      line('L1', 7_000, '2025-04-01', 'GOVUK PAY PO99 1/2'),
      line('L2', 5_345, '2025-04-03', 'GOVUK PAY PO99 2/2'),
      line('L3', 1, '2025-04-01', 'GOVUK PAY PO98'),
    ];
    const items = [item('I1', 12_345, '2025-04-01', 'PO99', 'psp_payout')];
    const result = reconcile(lines, items, [{ ...manyToOne, reference: 'contains' }], asOf);
    expect(result.matches).toEqual([
      { rule: 'N:1', statementLineIds: ['L1', 'L2'], expectedItemIds: ['I1'], differencePence: 0 },
    ]);
  });

  it('with exact references, needs every part to carry the reference itself', () => {
    const lines = [line('L1', 100, '2025-04-01', 'PO99'), line('L2', 200, '2025-04-01', 'PO99 B')];
    const items = [item('I1', 300, '2025-04-01', 'PO99')];
    expect(reconcile(lines, items, [manyToOne], asOf).matches).toEqual([]);
    const both = [line('L1', 100, '2025-04-01', 'PO99'), line('L2', 200, '2025-04-02', 'po-99')];
    expect(reconcile(both, items, [manyToOne], asOf).matches).toHaveLength(1);
  });

  it('does not reach past the window', () => {
    const lines = [line('L1', 100, '2025-04-01', 'PO99'), line('L2', 200, '2025-04-04', 'PO99')];
    const items = [item('I1', 300, '2025-04-01', 'PO99')];
    expect(reconcile(lines, items, [manyToOne], asOf).matches).toEqual([]);
  });

  it('groups lines of one date when references are ignored', () => {
    const lines = [line('L1', 1, '2025-04-03'), line('L2', 1, '2025-04-03')];
    const items = [item('I1', 2, '2025-04-01', 'ANY')];
    const result = reconcile(lines, items, [{ ...manyToOne, reference: 'ignore' }], asOf);
    expect(result.matches.map((m) => m.statementLineIds)).toEqual([['L1', 'L2']]);
  });

  it('matches groups of zero-pence parts to a zero-pence item', () => {
    const lines = [line('L1', 0, '2025-04-01', 'Z'), line('L2', 0, '2025-04-01', 'Z')];
    const items = [item('I1', 0, '2025-04-01', 'Z')];
    expect(reconcile(lines, items, [manyToOne], asOf).matches).toHaveLength(1);
  });
});
