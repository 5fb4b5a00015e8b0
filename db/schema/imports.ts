import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { councilId, createdAt, disabled, pence, updatedAt } from './columns';

/** Saved parsing profiles (domain/imports ImportProfile), chosen when a file is uploaded. */
export const importProfiles = pgTable(
  'import_profiles',
  {
    councilId: councilId(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['csv', 'fixedWidth', 'camt053', 'mt940'] }).notNull(),
    definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
    /** Method of payment recorded on the income, e.g. PO for a Post Office file. */
    methodOfPaymentCode: text('method_of_payment_code').notNull(),
    /** The control account debited for the file's income, e.g. CTRL:COLLECTION_CLEARING. */
    clearingAccountCode: text('clearing_account_code').notNull(),
    disabled: disabled(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.councilId, t.id] })],
);

/**
 * One row per uploaded file. The content hash is unique: the same file twice is refused,
 * naming the first import. Counters are what the ImportWorkflow reports as it goes.
 */
export const imports = pgTable(
  'imports',
  {
    councilId: councilId(),
    id: text('id').notNull(),
    fileName: text('file_name').notNull(),
    contentSha256: text('content_sha256').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    profileId: text('profile_id').notNull(),
    /** received → parsing → posting → completed | refused (structurally broken) | failed; reversed later. */
    state: text('state').notNull(),
    rowsRead: integer('rows_read').notNull().default(0),
    rowsAllocated: integer('rows_allocated').notNull().default(0),
    rowsSuspended: integer('rows_suspended').notNull().default(0),
    rowsRejected: integer('rows_rejected').notNull().default(0),
    totalPence: pence('total_pence').notNull().default(0),
    allocatedPence: pence('allocated_pence').notNull().default(0),
    suspendedPence: pence('suspended_pence').notNull().default(0),
    /** Where the uploaded bytes are kept (under the data directory), for re-parsing on resume. */
    storagePath: text('storage_path').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    reversedAt: timestamp('reversed_at', { withTimezone: true }),
    reversalReason: text('reversal_reason'),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.id] }),
    unique('imports_content_sha256_unique').on(t.councilId, t.contentSha256),
    foreignKey({
      columns: [t.councilId, t.profileId],
      foreignColumns: [importProfiles.councilId, importProfiles.id],
    }),
    index('imports_created_at').on(t.councilId, t.createdAt),
  ],
);

/** Structural errors that refused a file, and rows refused within an accepted one. */
export const importErrors = pgTable(
  'import_errors',
  {
    councilId: councilId(),
    importId: text('import_id').notNull(),
    seq: integer('seq').notNull(),
    lineNo: integer('line_no').notNull(),
    field: text('field'),
    message: text('message').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.importId, t.seq] }),
    foreignKey({
      columns: [t.councilId, t.importId],
      foreignColumns: [imports.councilId, imports.id],
    }),
  ],
);

/**
 * Chunks of a file posted so far. A chunk is posted once: its journal's idempotency key and
 * this row are written in one transaction, so a resumed import skips what is done.
 */
export const importChunks = pgTable(
  'import_chunks',
  {
    councilId: councilId(),
    importId: text('import_id').notNull(),
    chunkNo: integer('chunk_no').notNull(),
    firstLineNo: integer('first_line_no').notNull(),
    lastLineNo: integer('last_line_no').notNull(),
    rowsAllocated: integer('rows_allocated').notNull(),
    rowsSuspended: integer('rows_suspended').notNull(),
    allocatedPence: pence('allocated_pence').notNull(),
    suspendedPence: pence('suspended_pence').notNull(),
    journalId: text('journal_id'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.importId, t.chunkNo] }),
    foreignKey({
      columns: [t.councilId, t.importId],
      foreignColumns: [imports.councilId, imports.id],
    }),
  ],
);

/**
 * Money that could not be identified, waiting in the suspense fund for staff. Each item is
 * worked by its own SuspenseWorkflow; `remaining_pence` falls as parts are allocated.
 */
export const suspenseItems = pgTable(
  'suspense_items',
  {
    councilId: councilId(),
    id: text('id').notNull(),
    sourceType: text('source_type', { enum: ['import', 'payment', 'manual'] }).notNull(),
    sourceId: text('source_id').notNull(),
    /** The file line (imports); null for other sources. */
    sourceLineNo: integer('source_line_no'),
    amountPence: pence('amount_pence').notNull(),
    remainingPence: pence('remaining_pence').notNull(),
    /** As received: the reference that could not be matched, for staff to research. */
    receivedReference: text('received_reference').notNull(),
    narrative: text('narrative').notNull().default(''),
    receivedDate: text('received_date').notNull(),
    /** The fund the rules guessed, if any (a hint, not an allocation). */
    fundCodeHint: text('fund_code_hint'),
    reason: text('reason').notNull(),
    /** `reversed`: the import that brought the money was reversed, so it left suspense with it. */
    state: text('state', { enum: ['open', 'allocated', 'refunded', 'written_off', 'reversed'] })
      .notNull()
      .default('open'),
    /** The journal that put the money into suspense. */
    journalId: text('journal_id'),
    assignedTo: text('assigned_to'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.id] }),
    index('suspense_items_state').on(t.councilId, t.state, t.createdAt),
    index('suspense_items_source').on(t.sourceType, t.sourceId),
    check(
      'suspense_amounts',
      sql`${t.amountPence} > 0 and ${t.remainingPence} between 0 and ${t.amountPence}`,
    ),
  ],
);

/**
 * A file's rows between parsing and posting, loaded by COPY. Kept only while the import runs
 * (deleted when it completes): afterwards the rows live on as postings and suspense items.
 */
export const importStagedRows = pgTable(
  'import_staged_rows',
  {
    councilId: councilId(),
    importId: text('import_id').notNull(),
    lineNo: integer('line_no').notNull(),
    reference: text('reference').notNull(),
    amountPence: pence('amount_pence').notNull(),
    narrative: text('narrative').notNull(),
    transactionDate: text('transaction_date').notNull(),
    fundCode: text('fund_code'),
  },
  (t) => [primaryKey({ columns: [t.councilId, t.importId, t.lineNo] })],
);
