/**
 * The transaction search (docs/search.md): one search over every channel's postings to fund
 * accounts. These are its filters, orders and cursor, with no I/O, shared by the API, the
 * screens and the benchmark.
 */

/** What staff call the channel; derived from the journal's kind. */
export const transactionChannels = [
  'card',
  'import',
  'refund',
  'journal',
  'suspense',
  'other',
] as const;
export type TransactionChannel = (typeof transactionChannels)[number];

/** Journal kinds of each channel, for filtering by channel through the journals. */
export const journalKindsOfChannel: Record<TransactionChannel, readonly string[]> = {
  card: ['payment'],
  import: ['import'],
  refund: ['refund'],
  journal: ['allocation', 'transfer', 'reversal'],
  suspense: ['write_off'],
  other: ['fee', 'adjustment'],
};

export function channelOfJournalKind(kind: string): TransactionChannel {
  for (const channel of transactionChannels)
    if (journalKindsOfChannel[channel].includes(kind)) return channel;
  return 'other';
}

export type TransactionFilter = {
  /** The account reference, exactly (compared upper-cased, as references are stored). */
  reference?: string;
  /** Inclusive bounds on the amount, VAT included; equal bounds search one amount. */
  amountFromPence?: number;
  amountToPence?: number;
  /** Inclusive London days on which the posting was recorded (YYYY-MM-DD). */
  recordedFrom?: string;
  recordedTo?: string;
  fundCode?: string;
  methodOfPaymentCode?: string;
  officeCode?: string;
  /** The PSP's payment id (GOV.UK Pay's payment_id). */
  pspReference?: string;
  cardLastDigits?: string;
  /** Words the narrative contains (case-insensitive). */
  narrative?: string;
  /** The id on the receipt: a journal id or the payment, import or suspense item it posted. */
  receiptNumber?: string;
  /** Who did it: the journal's author, or who took the payment or uploaded the file. */
  user?: string;
  channel?: TransactionChannel;
  importId?: string;
};

export const transactionSorts = ['recorded', 'amount'] as const;
export type TransactionSort = (typeof transactionSorts)[number];
export type SortDirection = 'asc' | 'desc';

/**
 * Where a page ends: the sort key of its last row and the posting's key, so the next page starts
 * exactly after it however many rows share a time or an amount (keyset paging, never OFFSET).
 */
export type TransactionCursor = {
  /** The amount (sort=amount); null for sort=recorded. */
  amountPence: number | null;
  /** created_at as PostgreSQL prints it, to the microsecond (a JavaScript Date keeps ms only). */
  recordedAt: string;
  journalId: string;
  lineNo: number;
};

/** A cursor is opaque to callers: base64url of its JSON, checked when it comes back. */
export function encodeTransactionCursor(cursor: TransactionCursor): string {
  const parts = [cursor.amountPence, cursor.recordedAt, cursor.journalId, cursor.lineNo];
  return btoa(JSON.stringify(parts)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function decodeTransactionCursor(text: string): TransactionCursor | null {
  try {
    const json = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
    const [amountPence, recordedAt, journalId, lineNo] = JSON.parse(json) as unknown[];
    const amountOk = amountPence === null || Number.isSafeInteger(amountPence);
    if (!amountOk || typeof recordedAt !== 'string' || typeof journalId !== 'string') return null;
    if (!Number.isSafeInteger(lineNo) || !/^\d{4}-\d\d-\d\d [\d:.+-]+$/.test(recordedAt))
      return null;
    return {
      amountPence: amountPence as number | null,
      recordedAt,
      journalId,
      lineNo: lineNo as number,
    };
  } catch {
    return null;
  }
}
