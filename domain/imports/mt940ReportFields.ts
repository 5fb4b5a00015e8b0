import { parseFileDate } from './dates';
import { amountPenceOf } from './mt940Fields';
import type { FieldProblem } from './statements';

/**
 * The MT940/MT942 fields that describe a statement rather than an entry: :28C: statement and
 * sequence number, :34F: floor limit, :13D: date and time of an interim report, and
 * :90D:/:90C: the number and sum of its debits and credits.
 */

export type StatementNumber = { statementNumber: string; sequenceNumber: string | undefined };
export type FloorLimit = { currency: string; amountPence: number };
export type EntrySum = { count: number; currency: string; amountPence: number };

const statementNumberPattern = /^(\d{1,5})(?:\/(\d{1,5}))?$/;
const floorLimitPattern = /^([A-Z]{3})([DC])?([0-9,]+)$/;
const dateTimePattern = /^(\d{6})(\d{2})(\d{2})([+-])(\d{2})(\d{2})$/;
const entrySumPattern = /^(\d{1,5})([A-Z]{3})([0-9,]+)$/;

export function parseStatementNumber(text: string): StatementNumber | FieldProblem {
  const match = statementNumberPattern.exec(text.trim());
  if (match === null) {
    return { field: 'statementNumber', message: 'A statement number must be 5n[/5n]' };
  }
  return { statementNumber: match[1] ?? '', sequenceNumber: match[2] };
}

export function parseFloorLimit(text: string): FloorLimit | FieldProblem {
  const match = floorLimitPattern.exec(text.trim());
  if (match === null) {
    return { field: 'floorLimit', message: 'A floor limit must be currency, [D/C], amount' };
  }
  const amountPence = amountPenceOf(match[3] ?? '');
  if (typeof amountPence !== 'number') return amountPence;
  return { currency: match[1] ?? '', amountPence };
}

/** :13D: is YYMMDDhhmm and a UTC offset; it is checked, not kept (the import has its own time). */
export function checkDateTime(text: string): FieldProblem | null {
  const match = dateTimePattern.exec(text.trim());
  const message = 'A date and time must be YYMMDDhhmm±hhmm';
  if (match === null) return { field: 'dateTime', message };
  const [, dateText = '', hours = '', minutes = '', , offsetHours = '', offsetMinutes = ''] = match;
  if (parseFileDate(dateText, 'YYMMDD') === null) {
    return { field: 'dateTime', message: `"${dateText}" is not a real YYMMDD date` };
  }
  const inRange = Number(hours) < 24 && Number(minutes) < 60;
  const offsetInRange = Number(offsetHours) < 15 && Number(offsetMinutes) < 60;
  return inRange && offsetInRange ? null : { field: 'dateTime', message };
}

export function parseEntrySum(text: string): EntrySum | FieldProblem {
  const match = entrySumPattern.exec(text.trim());
  if (match === null) {
    return {
      field: 'entrySum',
      message: 'A number and sum of entries must be count, currency, amount',
    };
  }
  const amountPence = amountPenceOf(match[3] ?? '');
  if (typeof amountPence !== 'number') return amountPence;
  return { count: Number(match[1]), currency: match[2] ?? '', amountPence };
}
