import type { FixedWidthProfile } from './fixedWidthProfile';

/**
 * A Post Office / PayPoint-like collection file for the demo council. The layout is ours (each
 * agent publishes its own); it has the usual shape: 51-character detail records with a 19-digit
 * payer reference, zero-padded pence, a channel letter, the payment date and the agent's
 * transaction id, and one trailer. Positions are 0-based.
 *
 *   H<anything>
 *   D<reference 19><amount pence 10><channel 1><YYYYMMDD><transaction id 12>
 *   T<count 9><total pence 13>
 */
export const postOfficeProfile: FixedWidthProfile = {
  kind: 'fixedWidth',
  recordType: { start: 0, length: 1 },
  header: { code: 'H' },
  detail: {
    code: 'D',
    reference: { start: 1, length: 19 },
    amountPence: { start: 20, length: 10 },
    // The letters become the demo council's methods of payment: Post Office and PayPoint.
    channel: { start: 30, length: 1, codes: { P: 'PO', Y: 'PP' } },
    date: { start: 31, format: 'YYYYMMDD' },
    bankReference: { start: 39, length: 12 },
  },
  trailer: {
    code: 'T',
    count: { start: 1, length: 9 },
    totalPence: { start: 10, length: 13 },
  },
};
