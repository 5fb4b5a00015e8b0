import type { ExpectedItem } from './types';

/**
 * An expected item in the words of a finance officer, for exception lists: what the money is
 * and where it comes from, never the item's internal id.
 */
export function describeExpectedItem(item: ExpectedItem): string {
  const day = inWords(item.expectedDate);
  switch (item.kind) {
    case 'psp_payout':
      return `Card payments payout for ${day}`;
    case 'collection_file':
      return `Collection file ${item.reference}`;
    case 'cash_banking': {
      const point = item.id.split(':')[2] ?? '';
      return point === 'NONE' || point === ''
        ? `Cash and cheques banked for ${day}`
        : `Cash and cheques banked from ${point} for ${day}`;
    }
    case 'direct_credit':
      return `Direct credit ${item.reference}`;
  }
}

/** 2026-01-05 → 5 January 2026, as GOV.UK writes dates. */
function inWords(isoDate: string): string {
  return new Date(`${isoDate}T12:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
