// Proves import rules run in order, each seeing earlier changes, with case-insensitive text
// operators, numeric amount operators, AND/OR groups, stopProcessing, no mutation of the input,
// and that bad rules are refused at compile time with the rule and condition named.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyRules,
  compileRules,
  type ImportRow,
  type ImportRule,
  ImportRuleError,
  type RuleCondition,
} from '../../domain/importRules';

const row: ImportRow = {
  reference: 'bj12345673',
  amountPence: 7000,
  narrative: 'PCN payment ref BJ12345673',
  fundCode: null,
};

function rule(
  id: string,
  order: number,
  conditions: RuleCondition[][],
  actions: ImportRule['actions'],
  stopProcessing = false,
): ImportRule {
  return { id, name: `Rule ${id}`, order, conditionGroups: conditions, actions, stopProcessing };
}

function when(
  field: RuleCondition['field'],
  operator: RuleCondition['operator'],
  value: string,
): RuleCondition {
  return { field, operator, value };
}

function fundAfter(condition: RuleCondition, input: ImportRow = row): string | null {
  const compiled = compileRules([rule('r1', 1, [[condition]], { setFundCode: 'HIT' })]);
  return applyRules(compiled, input).row.fundCode;
}

describe('operators', () => {
  it.each([
    [when('narrative', 'contains', 'pcn PAYMENT'), true],
    [when('narrative', 'contains', 'council tax'), false],
    [when('narrative', 'notContains', 'council tax'), true],
    [when('narrative', 'notContains', 'PCN'), false],
    [when('reference', 'startsWith', 'BJ'), true],
    [when('reference', 'startsWith', 'J1'), false],
    [when('reference', 'endsWith', '673'), true],
    [when('reference', 'equals', 'BJ12345673'), true],
    [when('reference', 'equals', 'BJ1234567'), false],
    [when('reference', 'matches', '\\d{8}'), true],
    [when('reference', 'matches', '^\\d'), false],
    [when('narrative', 'matches', 'REF\\s+bj'), true],
    [when('amountPence', 'equals', '7000'), true],
    [when('amountPence', 'greaterThan', '6999'), true],
    [when('amountPence', 'greaterThan', '7000'), false],
    [when('amountPence', 'lessThan', '7001'), true],
    [when('amountPence', 'lessThan', '7000'), false],
    [when('fundCode', 'equals', ''), true],
    [when('fundCode', 'contains', 'X'), false],
  ])('%j matches: %s', (condition, matched) => {
    expect(fundAfter(condition)).toBe(matched ? 'HIT' : null);
  });

  it('compares amounts numerically, never as text', () => {
    const small = { ...row, amountPence: 9 };
    expect(fundAfter(when('amountPence', 'lessThan', '10'), small)).toBe('HIT');
    expect(fundAfter(when('amountPence', 'greaterThan', '-1'), { ...row, amountPence: 0 })).toBe(
      'HIT',
    );
  });
});

describe('groups and order', () => {
  it('ANDs within a group and ORs between groups', () => {
    const groups = [
      [when('reference', 'startsWith', 'BJ'), when('amountPence', 'greaterThan', '10000')],
      [when('narrative', 'contains', 'pcn'), when('amountPence', 'lessThan', '10000')],
    ];
    const compiled = compileRules([rule('r', 1, groups, { setFundCode: 'PCN' })]);
    expect(applyRules(compiled, row).row.fundCode).toBe('PCN');
    expect(applyRules(compiled, { ...row, amountPence: 10000 }).row.fundCode).toBeNull();
    expect(applyRules(compiled, { ...row, amountPence: 10001 }).row.fundCode).toBe('PCN');
  });

  it('runs rules by order then id, each seeing the changes before it', () => {
    const compiled = compileRules([
      rule('c', 3, [[when('reference', 'equals', 'BJ12345673')]], { setFundCode: 'PCN' }),
      rule('b', 2, [[when('reference', 'startsWith', 'REF:')]], { setReference: 'BJ12345673' }),
      rule('a', 2, [[when('narrative', 'contains', 'pcn')]], { setReference: 'REF:bj12345673' }),
    ]);
    const result = applyRules(compiled, { ...row, reference: 'unreadable' });
    expect(result.matchedRuleIds).toEqual(['a', 'b', 'c']);
    expect(result.row).toEqual({ ...row, reference: 'BJ12345673', fundCode: 'PCN' });
  });

  it('lets a later rule see a fund set earlier, and stops after a matching stopProcessing rule', () => {
    const compiled = compileRules([
      rule('set', 1, [[when('reference', 'startsWith', 'bj')]], { setFundCode: 'PCN' }, true),
      rule('never', 2, [[when('fundCode', 'equals', 'pcn')]], { setNarrative: 'changed' }),
    ]);
    expect(applyRules(compiled, row)).toEqual({
      row: { ...row, fundCode: 'PCN' },
      matchedRuleIds: ['set'],
    });
    const withoutStop = compileRules([
      rule('set', 1, [[when('reference', 'startsWith', 'bj')]], { setFundCode: 'PCN' }),
      rule('sees', 2, [[when('fundCode', 'equals', 'pcn')]], { setNarrative: 'changed' }),
    ]);
    expect(applyRules(withoutStop, row).row.narrative).toBe('changed');
  });

  it('does not stop on a stopProcessing rule that did not match', () => {
    const compiled = compileRules([
      rule('stop', 1, [[when('reference', 'equals', 'nothing')]], {}, true),
      rule('next', 2, [[when('reference', 'startsWith', 'bj')]], { setFundCode: 'PCN' }),
    ]);
    expect(applyRules(compiled, row).matchedRuleIds).toEqual(['next']);
  });

  it('leaves a row with no matching rule without a fund, ready for suspense', () => {
    const compiled = compileRules([
      rule('r', 1, [[when('reference', 'equals', 'x')]], { setFundCode: 'A' }),
    ]);
    expect(applyRules(compiled, row)).toEqual({ row, matchedRuleIds: [] });
  });
});

describe('purity', () => {
  it('never mutates the input row or the rules, and returns a fresh row', () => {
    const frozenRow = Object.freeze({ ...row });
    const rules = [
      rule('r', 1, [[when('reference', 'startsWith', 'bj')]], {
        setFundCode: 'PCN',
        setNarrative: 'n',
      }),
    ];
    const before = JSON.stringify(rules);
    const compiled = compileRules(rules);
    const result = applyRules(compiled, frozenRow);
    expect(frozenRow).toEqual(row);
    expect(JSON.stringify(rules)).toBe(before);
    expect(applyRules(compileRules([]), frozenRow).row).not.toBe(frozenRow);
    expect(result.row).not.toBe(frozenRow);
  });

  it('gives the same answer whatever order the rules were loaded in', () => {
    const rules = [
      rule('x', 1, [[when('narrative', 'contains', 'pcn')]], { setFundCode: 'X' }),
      rule('y', 1, [[when('narrative', 'contains', 'pcn')]], { setFundCode: 'Y' }),
      rule('z', 0, [[when('amountPence', 'greaterThan', '0')]], { setReference: 'R' }),
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(rules, { minLength: 3, maxLength: 3 }), (shuffled) => {
        expect(applyRules(compileRules(shuffled), row)).toEqual(
          applyRules(compileRules(rules), row),
        );
      }),
    );
  });
});

describe('compile-time refusals', () => {
  function refusal(rules: ImportRule[]): ImportRuleError {
    try {
      compileRules(rules);
    } catch (error) {
      expect(error).toBeInstanceOf(ImportRuleError);
      return error as ImportRuleError;
    }
    throw new Error('expected compileRules to refuse');
  }

  it('names the rule and condition of an invalid regular expression', () => {
    const bad = rule(
      'r9',
      1,
      [
        [when('reference', 'equals', 'a')],
        [when('reference', 'equals', 'b'), when('narrative', 'matches', '([a-z')],
      ],
      {},
    );
    const error = refusal([bad]);
    expect(error.ruleId).toBe('r9');
    expect(error.message).toMatch(
      /^Import rule "Rule r9" \(r9\): condition 2 of group 2: invalid regular expression "\(\[a-z"/,
    );
  });

  it.each([
    [
      'greaterThan on text',
      [[when('reference', 'greaterThan', '5')]],
      /greaterThan compares numbers/,
    ],
    ['lessThan on text', [[when('narrative', 'lessThan', '5')]], /lessThan compares numbers/],
    [
      'contains on an amount',
      [[when('amountPence', 'contains', '5')]],
      /contains does not apply to amountPence/,
    ],
    [
      'a pounds value on an amount',
      [[when('amountPence', 'equals', '12.34')]],
      /whole number of pence/,
    ],
    ['an empty amount value', [[when('amountPence', 'equals', '')]], /whole number of pence/],
    ['no condition groups', [], /could never match/],
    ['an empty condition group', [[]], /condition group 1 is empty/],
  ])('refuses %s', (_, groups, message) => {
    expect(refusal([rule('r', 1, groups as RuleCondition[][], {})]).message).toMatch(message);
  });

  it('refuses a duplicate id, an empty fund code and a non-finite order', () => {
    const ok = [[when('reference', 'equals', 'a')]];
    expect(refusal([rule('d', 1, ok, {}), rule('d', 2, ok, {})]).message).toMatch(/Duplicate/);
    expect(refusal([rule('f', 1, ok, { setFundCode: '' })]).message).toMatch(/setFundCode/);
    expect(refusal([rule('o', Number.NaN, ok, {})]).message).toMatch(/order/);
  });
});
