import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { ImportRule } from '../../domain/importRules';
import type { ReferenceValidator } from '../../domain/references';
import { councilId, createdAt, disabled, pence, updatedAt } from './columns';

/** A council's configuration (domain.md §2). Codes are the keys people and files use. */

export const vatCodes = pgTable(
  'vat_codes',
  {
    councilId: councilId(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** 2000 means 20%. Zero for zero-rated, exempt and outside-scope income alike. */
    rateBasisPoints: integer('rate_basis_points').notNull(),
    disabled: disabled(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.code] }),
    check('vat_rate_range', sql`${t.rateBasisPoints} between 0 and 10000`),
  ],
);

/**
 * A reference check configured once and used by several funds (a council's one "council tax
 * reference" rule). A fund that names one keeps a copy in its own `validator`, rewritten in the
 * same transaction whenever the shared one changes, so every reader sees one column.
 */
export const referenceValidators = pgTable(
  'reference_validators',
  {
    councilId: councilId(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    validator: jsonb('validator').$type<ReferenceValidator>().notNull(),
    disabled: disabled(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.councilId, t.code] })],
);

export const funds = pgTable(
  'funds',
  {
    councilId: councilId(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** Reference rules (domain/references ReferenceValidator), checked by the API before storing. */
    validator: jsonb('validator').$type<ReferenceValidator>().notNull(),
    /** The shared reference check this fund follows; null: the fund's own `validator`. */
    validatorCode: text('validator_code'),
    vatCode: text('vat_code').notNull(),
    /** The largest single payment the fund accepts. */
    maxPence: pence('max_pence').notNull(),
    ledgerCode: text('ledger_code').notNull(),
    costCentre: text('cost_centre').notNull(),
    isSuspense: boolean('is_suspense').notNull().default(false),
    /** When true a reference must also be in the fund's loaded account-holder list. */
    accountHolderListRequired: boolean('account_holder_list_required').notNull().default(false),
    /** Refunds from this fund above this need a second person; null: the council's default. */
    refundApprovalAbovePence: pence('refund_approval_above_pence'),
    disabled: disabled(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.code] }),
    foreignKey({
      columns: [t.councilId, t.vatCode],
      foreignColumns: [vatCodes.councilId, vatCodes.code],
    }),
    foreignKey({
      columns: [t.councilId, t.validatorCode],
      foreignColumns: [referenceValidators.councilId, referenceValidators.code],
    }),
    index('funds_validator_code').on(t.councilId, t.validatorCode),
    check('fund_max_positive', sql`${t.maxPence} > 0`),
    check('fund_refund_approval_not_negative', sql`${t.refundApprovalAbovePence} >= 0`),
    // Exactly one place for unidentified money in each council.
    uniqueIndex('one_suspense_fund').on(t.councilId, t.isSuspense).where(sql`${t.isSuspense}`),
  ],
);

export const fundGroups = pgTable(
  'fund_groups',
  {
    councilId: councilId(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    disabled: disabled(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.councilId, t.code] })],
);

export const fundGroupMembers = pgTable(
  'fund_group_members',
  {
    councilId: councilId(),
    groupCode: text('group_code').notNull(),
    fundCode: text('fund_code').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.groupCode, t.fundCode] }),
    foreignKey({
      columns: [t.councilId, t.groupCode],
      foreignColumns: [fundGroups.councilId, fundGroups.code],
    }),
    foreignKey({
      columns: [t.councilId, t.fundCode],
      foreignColumns: [funds.councilId, funds.code],
    }),
  ],
);

export const methodsOfPayment = pgTable(
  'methods_of_payment',
  {
    councilId: councilId(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    minPence: pence('min_pence').notNull(),
    maxPence: pence('max_pence').notNull(),
    isCard: boolean('is_card').notNull().default(false),
    isCash: boolean('is_cash').notNull().default(false),
    isCheque: boolean('is_cheque').notNull().default(false),
    isRefundable: boolean('is_refundable').notNull().default(false),
    incursFee: boolean('incurs_fee').notNull().default(false),
    /** Journals and transfers: movements inside the IMS where no money arrives. */
    isInternal: boolean('is_internal').notNull().default(false),
    disabled: disabled(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.code] }),
    check('mop_limits', sql`${t.minPence} >= 0 and ${t.maxPence} >= ${t.minPence}`),
  ],
);

export const offices = pgTable(
  'offices',
  {
    councilId: councilId(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    disabled: disabled(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.code] }),
    check('office_code_two_letters', sql`${t.code} ~ '^[A-Z]{2}$'`),
  ],
);

/** References that arrive without a fund are routed by the first matching pattern. */
export const referenceRoutes = pgTable(
  'reference_routes',
  {
    councilId: councilId(),
    position: integer('position').notNull(),
    fundCode: text('fund_code').notNull(),
    pattern: text('pattern').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.position] }),
    foreignKey({
      columns: [t.councilId, t.fundCode],
      foreignColumns: [funds.councilId, funds.code],
    }),
  ],
);

/**
 * The loaded list of account holders per fund. Personal data (name, address) lives here and
 * nowhere else: never in logs, search attributes or workflow payloads.
 */
export const accountHolders = pgTable(
  'account_holders',
  {
    councilId: councilId(),
    fundCode: text('fund_code').notNull(),
    reference: text('reference').notNull(),
    name: text('name').notNull(),
    address: text('address').notNull().default(''),
    /** What the line-of-business system says is owed; null when the file gave none. */
    balancePence: pence('balance_pence'),
    /** Non-null blocks payments to this account unless the user holds the override permission. */
    onStopMessage: text('on_stop_message'),
    /**
     * Structured name and address, when staff entered the account on screen; null for rows a
     * CSV load wrote, whose `name` and `address` are the file's single fields. `name` and
     * `address` are always the display form, so every reader sees one shape.
     */
    title: text('title'),
    forenames: text('forenames'),
    surname: text('surname'),
    organisation: text('organisation'),
    addressLine1: text('address_line1'),
    addressLine2: text('address_line2'),
    town: text('town'),
    postcode: text('postcode'),
    /** What fuzzy search matches (pg_trgm, migration 0021): reference, name, address, postcode. */
    searchText: text('search_text').generatedAlwaysAs(
      sql`lower(reference || ' ' || name || ' ' || address || ' ' || coalesce(postcode, ''))`,
    ),
    /**
     * The postcode, upper case without spaces, so `s70 2ta` finds `S70 2TA`: the structured
     * field, or else a UK postcode ending the loaded address.
     */
    postcodeKey: text('postcode_key').generatedAlwaysAs(
      sql`upper(replace(coalesce(postcode, substring(address from '([A-Za-z]{1,2}[0-9][0-9A-Za-z]? ?[0-9][A-Za-z]{2})[^A-Za-z0-9]*$')), ' ', ''))`,
    ),
    /** The audit row of the load or edit that last wrote this row. */
    loadId: text('load_id').notNull(),
    loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.fundCode, t.reference] }),
    foreignKey({
      columns: [t.councilId, t.fundCode],
      foreignColumns: [funds.councilId, funds.code],
    }),
    index('account_holders_search_trgm').using('gin', sql`${t.searchText} gin_trgm_ops`),
    index('account_holders_postcode_trgm').using('gin', sql`${t.postcodeKey} gin_trgm_ops`),
  ],
);

/**
 * A fund's reusable on-stop messages: staff putting an account on stop pick one rather than
 * typing the same words again. The account keeps its own copy of the text, so editing a
 * message later does not change what stopped accounts already say.
 */
export const onStopMessages = pgTable(
  'on_stop_messages',
  {
    councilId: councilId(),
    fundCode: text('fund_code').notNull(),
    code: text('code').notNull(),
    message: text('message').notNull(),
    disabled: disabled(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.fundCode, t.code] }),
    foreignKey({
      columns: [t.councilId, t.fundCode],
      foreignColumns: [funds.councilId, funds.code],
    }),
  ],
);

export const importRules = pgTable(
  'import_rules',
  {
    councilId: councilId(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    conditionGroups: jsonb('condition_groups').$type<ImportRule['conditionGroups']>().notNull(),
    actions: jsonb('actions').$type<ImportRule['actions']>().notNull(),
    stopProcessing: boolean('stop_processing').notNull().default(false),
    /** The one import profile whose files the rule looks at; null: every profile's. */
    profileId: text('profile_id'),
    disabled: disabled(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.councilId, t.id] }),
    index('import_rules_position').on(t.councilId, t.position),
  ],
);

/**
 * Who changed what, when and why. Append-only: the database refuses UPDATE and DELETE.
 * `before` is null for creations; `after` is null for nothing (disabling records the row).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    councilId: councilId(),
    id: text('id').primaryKey(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    reason: text('reason'),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
  },
  (t) => [
    index('audit_log_entity').on(t.entityType, t.entityId),
    index('audit_log_occurred_at').on(t.occurredAt),
  ],
);
