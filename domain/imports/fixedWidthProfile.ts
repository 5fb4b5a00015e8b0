import type { FileDateFormat } from './dates';
import { fileDateLength } from './dates';

/**
 * The layout of a collection agent's fixed-width file (Post Office, PayPoint...): where the
 * record type sits, and per record type where each field sits. Positions are 0-based
 * character offsets, as in `String.prototype.slice`, so `{ start: 1, length: 19 }` is the
 * 2nd to the 20th character. Agents' specifications count from 1: subtract one.
 */
export type FixedWidthField = { start: number; length: number };

export type FixedWidthDetail = {
  code: string;
  /** Left-aligned and space-padded; trimmed when read. */
  reference: FixedWidthField;
  /** Integer pence, zero-padded digits only. */
  amountPence: FixedWidthField;
  /** The field is as long as the format. */
  date: { start: number; format: FileDateFormat };
  /**
   * The agent's channel letter. With `codes`, the letter is translated (e.g. 'P' → 'PO', the
   * demo council's Post Office method) and a letter not listed is an error; without, the
   * trimmed text is passed through.
   */
  channel?: FixedWidthField & { codes?: Readonly<Record<string, string>> };
  narrative?: FixedWidthField;
  fund?: FixedWidthField;
  /** The agent's own transaction id. */
  bankReference?: FixedWidthField;
};

export type FixedWidthTrailer = {
  code: string;
  /** Number of detail records, zero-padded. */
  count: FixedWidthField;
  /** Sum of the detail amounts in pence, zero-padded. */
  totalPence: FixedWidthField;
};

export type FixedWidthProfile = {
  kind: 'fixedWidth';
  recordType: FixedWidthField;
  /** An optional header record, allowed only as the first record; its content is not read. */
  header?: { code: string };
  detail: FixedWidthDetail;
  trailer: FixedWidthTrailer;
};

function assertField(name: string, field: FixedWidthField): void {
  if (!Number.isSafeInteger(field.start) || field.start < 0) {
    throw new RangeError(`Fixed-width field ${name}: start must be a whole number ≥ 0`);
  }
  if (!Number.isSafeInteger(field.length) || field.length < 1) {
    throw new RangeError(`Fixed-width field ${name}: length must be a whole number ≥ 1`);
  }
}

/**
 * Refuses a layout that cannot be read, at the time the parser is made: a profile is
 * configuration, and a broken one is the administrator's mistake, not the file's.
 */
export function assertFixedWidthProfile(profile: FixedWidthProfile): void {
  const { recordType, header, detail, trailer } = profile;
  assertField('recordType', recordType);
  const codes = [detail.code, trailer.code, ...(header ? [header.code] : [])];
  for (const code of codes) {
    if (code.length !== recordType.length || code.trim() === '') {
      throw new RangeError(`Record type code "${code}" must be ${recordType.length} characters`);
    }
  }
  if (new Set(codes).size !== codes.length) {
    throw new RangeError('Header, detail and trailer record types must differ');
  }
  assertField('detail.reference', detail.reference);
  assertField('detail.amountPence', detail.amountPence);
  assertField('detail.date', {
    start: detail.date.start,
    length: fileDateLength(detail.date.format),
  });
  for (const name of ['channel', 'narrative', 'fund', 'bankReference'] as const) {
    const field = detail[name];
    if (field !== undefined) assertField(`detail.${name}`, field);
  }
  assertField('trailer.count', trailer.count);
  assertField('trailer.totalPence', trailer.totalPence);
}
