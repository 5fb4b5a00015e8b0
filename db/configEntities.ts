import { and, asc, eq, inArray, isNotNull, type SQL, sql } from 'drizzle-orm';
import type {
  FundConfig,
  FundGroupConfig,
  MethodOfPaymentConfig,
  OfficeConfig,
  ReferenceValidatorConfig,
  VatCodeConfig,
} from '../domain/councilConfig';
import type { ImportRule } from '../domain/importRules';
import { fundAccountCode } from '../domain/ledgerAccounts';
import type { ReferenceValidator } from '../domain/references';
import { type ConfigPatch, type Dated, tableStore } from './configStore';
import type { Executor } from './executor';
import {
  fundGroupMembers,
  fundGroups,
  funds,
  importRules,
  ledgerAccounts,
  methodsOfPayment,
  offices,
  referenceValidators,
  vatCodes,
} from './schema';
import { connectionCouncil } from './schema/columns';

/** The stores of each configuration entity, shared by the API and the seeds. */

const plainRows = async <Row>(_db: Executor, rows: Row[]) => rows;

export type VatCodeInput = VatCodeConfig;
export const vatCodeStore = tableStore({
  entityType: 'vat_code',
  table: vatCodes,
  keyColumn: vatCodes.code,
  keyOf: (input: VatCodeInput) => input.code,
  decorate: plainRows<Dated<typeof vatCodes.$inferSelect>>,
});

export type ReferenceValidatorInput = ReferenceValidatorConfig;
type ReferenceValidatorRow = Dated<typeof referenceValidators.$inferSelect>;

/** Each shared check with the funds that follow it: what a change to it would change. */
async function withFundsUsing(db: Executor, rows: ReferenceValidatorRow[]) {
  const codes = rows.map((row) => row.code);
  const users =
    codes.length === 0
      ? []
      : await db
          .select({ code: funds.code, validatorCode: funds.validatorCode })
          .from(funds)
          .where(and(isNotNull(funds.validatorCode), inArray(funds.validatorCode, codes)))
          .orderBy(asc(funds.code));
  return rows.map((row) => ({
    ...row,
    fundCodes: users.filter((fund) => fund.validatorCode === row.code).map((fund) => fund.code),
  }));
}

export const referenceValidatorStore = tableStore({
  entityType: 'reference_validator',
  table: referenceValidators,
  keyColumn: referenceValidators.code,
  keyOf: (input: ReferenceValidatorInput) => input.code,
  columnsOf: ({
    fundCodes: _users,
    ...columns
  }: Partial<ReferenceValidatorInput> & {
    fundCodes?: unknown;
  }) => columns,
  decorate: withFundsUsing,
  // The funds' copies change in the same transaction as the shared check, so no payment can
  // be checked by the old rule after the change commits, nor by the new one before.
  afterUpdate: async (tx, code, patch: ConfigPatch<ReferenceValidatorInput>) => {
    if (patch.validator === undefined) return;
    await tx
      .update(funds)
      .set({ validator: patch.validator, updatedAt: new Date() })
      .where(eq(funds.validatorCode, code));
  },
});

/** The shared check's rules, read in the same statement that stores a fund's copy of them. */
const sharedValidator = (code: string): SQL =>
  sql`(select ${referenceValidators.validator} from ${referenceValidators}
        where ${referenceValidators.code} = ${code})`;

type FundFlags = 'isSuspense' | 'accountHolderListRequired' | 'disabled';
export type FundInput = Omit<FundConfig, FundFlags | 'validator'> &
  Partial<Pick<FundConfig, FundFlags>> & {
    /** Absent only when `validatorCode` names the shared check to copy. */
    validator?: ReferenceValidator;
  };

/** A fund that names a shared check stores a copy of it; `validator` is then not its own. */
function fundColumns(input: Partial<FundInput>): Record<string, unknown> {
  if (typeof input.validatorCode !== 'string') return { ...input };
  return { ...input, validator: sharedValidator(input.validatorCode) };
}

export const fundStore = tableStore({
  entityType: 'fund',
  table: funds,
  keyColumn: funds.code,
  keyOf: (input: FundInput) => input.code,
  columnsOf: fundColumns,
  decorate: plainRows<Dated<typeof funds.$inferSelect>>,
  // Every fund has its own ledger account from the moment it exists, so nothing can ever be
  // allocated to a fund that the ledger cannot post to.
  afterInsert: async (tx, input: FundInput) => {
    await tx.insert(ledgerAccounts).values({
      code: fundAccountCode(input.code),
      kind: 'fund',
      fundCode: input.code,
      name: input.name,
    });
  },
});

export type MethodOfPaymentInput = Pick<
  MethodOfPaymentConfig,
  'code' | 'name' | 'minPence' | 'maxPence'
> &
  Partial<MethodOfPaymentConfig>;
export const methodOfPaymentStore = tableStore({
  entityType: 'method_of_payment',
  table: methodsOfPayment,
  keyColumn: methodsOfPayment.code,
  keyOf: (input: MethodOfPaymentInput) => input.code,
  decorate: plainRows<Dated<typeof methodsOfPayment.$inferSelect>>,
});

export type OfficeInput = OfficeConfig;
export const officeStore = tableStore({
  entityType: 'office',
  table: offices,
  keyColumn: offices.code,
  keyOf: (input: OfficeInput) => input.code,
  decorate: plainRows<Dated<typeof offices.$inferSelect>>,
});

export type FundGroupInput = FundGroupConfig;
type FundGroupRow = Dated<typeof fundGroups.$inferSelect>;

async function withMembers(db: Executor, rows: FundGroupRow[]) {
  const codes = rows.map((row) => row.code);
  const members =
    codes.length === 0
      ? []
      : await db
          .select()
          .from(fundGroupMembers)
          .where(inArray(fundGroupMembers.groupCode, codes))
          .orderBy(asc(fundGroupMembers.fundCode));
  return rows.map((row) => ({
    ...row,
    fundCodes: members.filter((m) => m.groupCode === row.code).map((m) => m.fundCode),
  }));
}

async function replaceMembers(tx: Executor, groupCode: string, fundCodes?: readonly string[]) {
  if (fundCodes === undefined) return;
  await tx
    .delete(fundGroupMembers)
    .where(
      and(
        eq(fundGroupMembers.councilId, connectionCouncil),
        eq(fundGroupMembers.groupCode, groupCode),
      ),
    );
  if (fundCodes.length === 0) return;
  await tx
    .insert(fundGroupMembers)
    .values([...new Set(fundCodes)].map((fundCode) => ({ groupCode, fundCode })));
}

export const fundGroupStore = tableStore({
  entityType: 'fund_group',
  table: fundGroups,
  keyColumn: fundGroups.code,
  keyOf: (input: FundGroupInput) => input.code,
  columnsOf: ({ fundCodes: _members, ...columns }: Partial<FundGroupInput>) => columns,
  decorate: withMembers,
  afterInsert: (tx, input: FundGroupInput) => replaceMembers(tx, input.code, input.fundCodes),
  afterUpdate: (tx, key, patch: ConfigPatch<FundGroupInput>) =>
    replaceMembers(tx, key, patch.fundCodes),
});

/** Import rules are keyed by an id staff choose, and run in `position` order. */
export type ImportRuleInput = Omit<ImportRule, 'order'> & { position: number };
export const importRuleStore = tableStore({
  entityType: 'import_rule',
  table: importRules,
  keyColumn: importRules.id,
  keyOf: (input: ImportRuleInput) => input.id,
  orderBy: [asc(importRules.position), asc(importRules.id)],
  decorate: plainRows<Dated<typeof importRules.$inferSelect>>,
});
