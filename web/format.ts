/**
 * How the screens write money and time. Pure functions, so the Nunjucks filters and the tests
 * share one definition.
 */

/** Integer pence as pounds: 123456 → '£1,234.56', -5 → '-£0.05'. Never via floating point. */
export function formatPence(value: unknown): string {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return '';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const pounds = Math.floor(abs / 100).toLocaleString('en-GB');
  const pennies = String(abs % 100).padStart(2, '0');
  return `${sign}£${pounds}.${pennies}`;
}

/** Pounds without the sign or separators, for re-filling a form: 1234 → '12.34'. */
export function penceToPoundsInput(value: number | null | undefined): string {
  if (value == null || !Number.isSafeInteger(value)) return '';
  return `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')}`;
}

export type PoundsParse = { ok: true; pence: number } | { ok: false; message: string };

/**
 * What a person typed as pounds, as integer pence: '12.34' → 1234, '£5' → 500. Refuses what a
 * careless conversion would silently change (a third decimal place, a thousands separator, a
 * minus sign) with a message that says which, so nobody is charged a different amount.
 */
export function parsePounds(input: unknown, label = 'Amount'): PoundsParse {
  const typed = typeof input === 'string' ? input.trim().replace(/^£/, '').trim() : '';
  if (typed === '') return { ok: false, message: `Enter the ${label.toLowerCase()}` };
  // Thousands separators as people write them ('5,000', '£1,234.56'); a comma anywhere else
  // (a decimal comma, '5,00') is refused rather than guessed at.
  if (typed.includes(',') && !/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(typed)) {
    return {
      ok: false,
      message: `${label} must be a number of pounds, with commas only between thousands, for example 1,234.56`,
    };
  }
  const text = typed.replaceAll(',', '');
  if (text.startsWith('-')) return { ok: false, message: `${label} must be more than £0` };
  // '12', '12.5', '12.' and '.50' are all ways people write money; '1e3' and '.' are not.
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (match === null || !/\d/.test(text)) {
    return { ok: false, message: `${label} must be a number of pounds, for example 12.34` };
  }
  const decimals = match[2] ?? '';
  if (decimals.length > 2) {
    return { ok: false, message: `${label} must not have more than 2 decimal places` };
  }
  const pence = Number(match[1] || '0') * 100 + Number(decimals.padEnd(2, '0'));
  if (!Number.isSafeInteger(pence)) return { ok: false, message: `${label} is too large` };
  if (pence === 0) return { ok: false, message: `${label} must be more than £0` };
  return { ok: true, pence };
}

const londonDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const londonTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h12',
});
const calendarDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

function toDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** GOV.UK style time in UK local time: '4:05pm'. */
function time(date: Date): string {
  return londonTime.format(date).replace(/\s/g, '').toLowerCase();
}

/** '5 January 2026 at 4:05pm' in UK local time, whatever the server's zone. */
export function formatDateTime(value: unknown): string {
  const date = toDate(value);
  if (date === null) return '';
  return `${londonDate.format(date)} at ${time(date)}`;
}

/**
 * '5 January 2026'. A bare YYYY-MM-DD is a business day already and is not shifted by any
 * zone; a timestamp is read in UK local time.
 */
export function formatDate(value: unknown): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const date = toDate(`${value}T00:00:00Z`);
    return date === null ? '' : calendarDate.format(date);
  }
  const date = toDate(value);
  return date === null ? '' : londonDate.format(date);
}

/** The MOJ timeline's `mojDate` filter, for the types our templates use. */
export function formatMojDate(value: unknown, type: string): string {
  const date = toDate(value);
  if (date === null) return '';
  if (type === 'date') return formatDate(value);
  if (type === 'time') return time(date);
  return formatDateTime(value);
}

/** Abbreviations written in capitals wherever a code's name is shown in words. */
const acronyms = /\b(bacs|psp|vat)\b/g;

/**
 * A code's name in words: `createPspPayment` → 'Create PSP payment'; `awaiting_payment` →
 * 'Awaiting payment'; `awaiting_bacs_file` → 'Awaiting BACS file'.
 */
export function humanise(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.]+/g, ' ')
    .trim()
    .toLowerCase()
    .replace(acronyms, (word) => word.toUpperCase());
  return words.charAt(0).toUpperCase() + words.slice(1);
}
