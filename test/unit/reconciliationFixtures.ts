// Builders and generators shared by the reconciliation tests.
import fc from 'fast-check';
import type {
  ExpectedItem,
  ExpectedItemKind,
  MatchRule,
  StatementLine,
} from '../../domain/reconciliation';

export function line(
  id: string,
  amountPence: number,
  date: string,
  reference = '',
  narrative?: string,
): StatementLine {
  return narrative === undefined
    ? { id, amountPence, date, reference }
    : { id, amountPence, date, reference, narrative };
}

export function item(
  id: string,
  amountPence: number,
  expectedDate: string,
  reference = '',
  kind: ExpectedItemKind = 'direct_credit',
): ExpectedItem {
  return { id, kind, amountPence, expectedDate, reference };
}

export function rule(overrides: Partial<MatchRule> = {}): MatchRule {
  return {
    name: 'rule',
    kind: 'one_to_one',
    dateWindowDays: 0,
    amountTolerancePence: 0,
    reference: 'exact',
    ...overrides,
  };
}

export const asOf = { asOf: '2025-04-10' };

/** Day number by the platform's calendar, independent of the engine's own date parser. */
export function dayOf(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 86_400_000;
}

// Small domains on purpose: collisions of amount, date and reference are where bugs live.
const dates = fc.constantFrom('2025-03-30', '2025-03-31', '2025-04-01', '2025-04-02', '2025-04-04');
const references = fc.constantFrom('', 'A1', 'a-1', 'B2', 'XA1Y', 'b 2', 'C3', 'A1B2');
const amounts = fc.oneof(
  fc.constantFrom(0, 1, 2, 3, 5, 8, 100, 101),
  fc.integer({ min: -3, max: 12 }),
);
const kinds = fc.constantFrom<ExpectedItemKind>(
  'psp_payout',
  'collection_file',
  'cash_banking',
  'direct_credit',
);

const shift = fc.integer({ min: -2, max: 2 });
const linePart = fc.record({ amountPence: amounts, shiftDays: shift, reference: references });
const itemPart = fc.record({ amountPence: amounts, shiftDays: shift, kind: kinds });

/**
 * Business events, each giving lines and items that nearly agree (shifted dates and amounts,
 * references embedded in longer text, parts of a total), plus lone records on either side.
 */
const event = fc.record({
  date: dates,
  reference: references,
  narrative: fc.option(references, { nil: undefined }),
  embed: fc.boolean(),
  balance: fc.boolean(),
  lineParts: fc.array(linePart, { minLength: 0, maxLength: 3 }),
  itemParts: fc.array(itemPart, { minLength: 0, maxLength: 3 }),
});

export const recordsArbitrary = fc.array(event, { maxLength: 8 }).map((events) => {
  const lines: StatementLine[] = [];
  const items: ExpectedItem[] = [];
  for (const e of events) {
    const day = dayOf(e.date);
    // A balanced event's single record carries the total of the other side, as a group would.
    const sum = (parts: { amountPence: number }[]) => parts.reduce((t, p) => t + p.amountPence, 0);
    const [onlyLine] = e.lineParts;
    const [onlyItem] = e.itemParts;
    if (e.balance && onlyLine && e.lineParts.length === 1) onlyLine.amountPence = sum(e.itemParts);
    else if (e.balance && onlyItem && e.itemParts.length === 1)
      onlyItem.amountPence = sum(e.lineParts);
    for (const part of e.lineParts) {
      // Lines either carry the event's reference (perhaps inside longer text) or their own.
      const reference = e.embed
        ? `X${e.reference}Y`
        : part.shiftDays === 0
          ? part.reference
          : e.reference;
      const date = dateAfter(day + part.shiftDays);
      lines.push(line(`L${lines.length}`, part.amountPence, date, reference, e.narrative));
    }
    for (const part of e.itemParts) {
      const date = dateAfter(day + part.shiftDays);
      items.push(item(`I${items.length}`, part.amountPence, date, e.reference, part.kind));
    }
  }
  return { lines, items };
});

function dateAfter(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

export const rulesArbitrary = fc
  .array(
    fc.record({
      kind: fc.constantFrom<MatchRule['kind']>('one_to_one', 'one_to_many', 'many_to_one'),
      dateWindowDays: fc.integer({ min: 0, max: 3 }),
      amountTolerancePence: fc.integer({ min: 0, max: 2 }),
      reference: fc.constantFrom<MatchRule['reference']>('exact', 'contains', 'ignore'),
      itemKinds: fc.option(fc.uniqueArray(kinds, { minLength: 1, maxLength: 3 }), {
        nil: undefined,
      }),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((rules) =>
    rules.map((fields, index) => {
      const { itemKinds, ...rest } = fields;
      return itemKinds === undefined
        ? { name: `rule${index}`, ...rest }
        : { name: `rule${index}`, ...rest, itemKinds };
    }),
  );
