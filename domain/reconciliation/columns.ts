import { dayNumber } from './dates';
import { normaliseReference } from './references';
import { canonicalOrder } from './sorting';
import { intern, lookUp, newStringTable, type StringTable } from './stringTable';
import type { ExpectedItem, ExpectedItemKind, StatementLine } from './types';

/**
 * The engine works on columns (typed arrays indexed by input position) rather than on the
 * input objects: a million comparisons then read packed numbers instead of chasing pointers,
 * and nothing is allocated per comparison.
 */
export type Columns = {
  count: number;
  ids: string[];
  amountPence: Float64Array;
  day: Int32Array;
  /** Normalised reference. */
  reference: string[];
  /** Interned reference shared by both sides; -1 when empty or unknown to every item. */
  referenceKey: Int32Array;
  /** 1 once the record is in a match or an exception. */
  used: Uint8Array;
  /** Positions in (amount, day, id) order: the order every pass visits, whatever the input. */
  canonical: Int32Array;
};

export type LineColumns = Columns & { narrative: (string | undefined)[] };
export type ItemColumns = Columns & { kindCode: Uint8Array };

export const itemKindCodes: Record<ExpectedItemKind, number> = {
  psp_payout: 0,
  collection_file: 1,
  cash_banking: 2,
  direct_credit: 3,
};

function emptyColumns(count: number): Columns {
  return {
    count,
    ids: new Array(count),
    amountPence: new Float64Array(count),
    day: new Int32Array(count),
    reference: new Array(count),
    referenceKey: new Int32Array(count),
    used: new Uint8Array(count),
    canonical: new Int32Array(0),
  };
}

/** Fills one record's columns; each input object is read in one place, once. */
function fillRecord(
  columns: Columns,
  seenIds: StringTable,
  index: number,
  id: string,
  amountPence: number,
  date: string,
  reference: string,
): void {
  if (!Number.isSafeInteger(amountPence)) {
    throw new RangeError(`Amount of ${id} must be integer pence`);
  }
  // Ids break ties, so a duplicate would make the result depend on input order.
  if (intern(seenIds, id) !== index) throw new RangeError(`Duplicate id ${id}`);
  columns.ids[index] = id;
  columns.amountPence[index] = amountPence;
  columns.day[index] = dayNumber(date);
  columns.reference[index] = normaliseReference(reference);
}

/** Items first: reference keys are numbered in item canonical order, so they are stable. */
export function itemColumns(items: readonly ExpectedItem[], keys: StringTable) {
  const columns = emptyColumns(items.length);
  const seenIds = newStringTable(items.length);
  const kindCode = new Uint8Array(columns.count);
  for (let index = 0; index < columns.count; index++) {
    const item = items[index] as ExpectedItem;
    fillRecord(
      columns,
      seenIds,
      index,
      item.id,
      item.amountPence,
      item.expectedDate,
      item.reference,
    );
    const code = itemKindCodes[item.kind];
    if (code === undefined) throw new RangeError(`Unknown item kind ${item.kind}`);
    kindCode[index] = code;
  }
  columns.canonical = canonicalOrder(columns.amountPence, columns.day, columns.ids);
  for (const index of columns.canonical) {
    const reference = columns.reference[index] as string;
    columns.referenceKey[index] = reference === '' ? -1 : intern(keys, reference);
  }
  return { ...columns, kindCode } satisfies ItemColumns;
}

export function lineColumns(lines: readonly StatementLine[], keys: StringTable) {
  const columns = emptyColumns(lines.length);
  const seenIds = newStringTable(lines.length);
  const narrative: (string | undefined)[] = new Array(columns.count);
  for (let index = 0; index < columns.count; index++) {
    const line = lines[index] as StatementLine;
    fillRecord(columns, seenIds, index, line.id, line.amountPence, line.date, line.reference);
    const reference = columns.reference[index] as string;
    columns.referenceKey[index] = reference === '' ? -1 : lookUp(keys, reference);
    narrative[index] = line.narrative;
  }
  columns.canonical = canonicalOrder(columns.amountPence, columns.day, columns.ids);
  return { ...columns, narrative } satisfies LineColumns;
}

/** The normalised narrative, computed on first use: only `contains` rules ever read it. */
export function lineNarrative(lines: LineColumns, index: number): string {
  const raw = lines.narrative[index];
  if (raw === undefined) return '';
  const normal = normaliseReference(raw);
  lines.narrative[index] = normal;
  return normal;
}
