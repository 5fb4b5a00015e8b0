import { and, asc, eq, inArray } from 'drizzle-orm';
import type {
  FundConfig,
  FundGroupConfig,
  MethodOfPaymentConfig,
  OfficeConfig,
  VatCodeConfig,
} from '../domain/councilConfig';
import type { ImportRule } from '../domain/importRules';
import { fundAccountCode } from '../domain/ledgerAccounts';
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

type FundFlags = 'isSuspense' | 'accountHolderListRequired' | 'disabled';
export type FundInput = Omit<FundConfig, FundFlags> & Partial<Pick<FundConfig, FundFlags>>;
export const fundStore = tableStore({
  entityType: 'fund',
  table: funds,
  keyColumn: funds.code,
  keyOf: (input: FundInput) => input.code,
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
