// Proves how unmatched records are classified: a pair linked by reference and window but
// differing in amount is `mismatched` with the difference, an item still awaited is
// `expected` with its age, and a line nothing expected is `unexpected`.
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../domain/reconciliation';
import { asOf, item, line, rule } from './reconciliationFixtures';

describe('exceptions', () => {
  it('classifies a reference-and-window pair outside tolerance as mismatched, line minus item', () => {
    const result = reconcile(
      [line('L1', 10_050, '2025-04-02', 'GOVUK PAY PO7')],
      [item('I1', 10_000, '2025-04-01', 'PO7', 'psp_payout')],
      [rule({ dateWindowDays: 1, amountTolerancePence: 49, reference: 'contains' })],
      asOf,
    );
    expect(result.matches).toEqual([]);
    expect(result.exceptions).toEqual([
      { kind: 'mismatched', statementLineId: 'L1', expectedItemId: 'I1', differencePence: 50 },
    ]);
  });

  it('pairs a mismatch with the closest date, then the closest amount', () => {
    const lines = [line('L1', 500, '2025-04-02', 'A')];
    const items = [
      item('I1', 400, '2025-04-01', 'A'),
      item('I2', 100, '2025-04-02', 'A'),
      item('I3', 499, '2025-04-03', 'A'),
    ];
    const result = reconcile(lines, items, [rule({ dateWindowDays: 1 })], asOf);
    expect(result.exceptions[0]).toEqual({
      kind: 'mismatched',
      statementLineId: 'L1',
      expectedItemId: 'I2',
      differencePence: 400,
    });
  });

  it('does not call a pair outside the mismatch window mismatched', () => {
    const lines = [line('L1', 500, '2025-04-05', 'A')];
    const items = [item('I1', 400, '2025-04-01', 'A')];
    const kinds = (windowDays?: number) =>
      reconcile(lines, items, [rule()], { ...asOf, mismatchWindowDays: windowDays }).exceptions.map(
        (e) => e.kind,
      );
    expect(kinds()).toEqual(['expected', 'unexpected']);
    expect(kinds(4)).toEqual(['mismatched']);
  });

  it('reports an item with no line as expected, aged from asOf (negative when not yet due)', () => {
    const items = [item('I1', 100, '2025-04-01', 'A'), item('I2', 200, '2025-04-12', 'B')];
    expect(reconcile([], items, [rule()], { asOf: '2025-04-10' }).exceptions).toEqual([
      { kind: 'expected', expectedItemId: 'I1', ageDays: 9 },
      { kind: 'expected', expectedItemId: 'I2', ageDays: -2 },
    ]);
  });

  it('reports a line nothing expected as unexpected, including one with no reference', () => {
    const lines = [line('L1', 100, '2025-04-01', 'WHO'), line('L2', 1, '2025-04-01')];
    expect(
      reconcile(lines, [item('I1', 100, '2025-04-01', '')], [rule()], asOf).exceptions,
    ).toEqual([
      { kind: 'expected', expectedItemId: 'I1', ageDays: 9 },
      { kind: 'unexpected', statementLineId: 'L2' },
      { kind: 'unexpected', statementLineId: 'L1' },
    ]);
  });

  it('with no rules at all, every record is an exception and none is lost', () => {
    const lines = [line('L1', 0, '2025-04-01', 'A'), line('L2', 1, '2025-04-01', 'B')];
    const items = [item('I1', 0, '2025-04-01', 'A')];
    const result = reconcile(lines, items, [], asOf);
    expect(result.matches).toEqual([]);
    expect(result.exceptions).toEqual([
      { kind: 'mismatched', statementLineId: 'L1', expectedItemId: 'I1', differencePence: 0 },
      { kind: 'unexpected', statementLineId: 'L2' },
    ]);
  });
});
