/**
 * The business day a moment belongs to, in UK local time. Income is recorded on the day it is
 * received as a council officer would count it: a card payment at 00:30 BST on 1 April belongs
 * to 1 April (period 1), although it is still 31 March in UTC.
 */
const londonDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export function businessDateOf(epochMs: number): string {
  // en-CA formats as YYYY-MM-DD.
  return londonDay.format(new Date(epochMs));
}
