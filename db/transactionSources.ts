import { type SQL, sql } from 'drizzle-orm';
import type { TransactionFilter } from '../domain/transactionSearch';
import type { Database } from './client';

/**
 * The search's filters that live on a posting's source, not on the posting: method of payment,
 * office, PSP reference and card (the payment), and user (the payment, the file or the journal).
 *
 * How each is written matters more than anything else at ten million postings, because the two
 * kinds of source are opposite shapes. A card payment is one small journal, so "postings of the
 * payments with this value" is a semi-join PostgreSQL plans well either way round. A file is a
 * few huge journals (10,000 lines each), which the planner cannot know: joined, it would fetch
 * every line of every such file and sort them. So the file branch is kept from being joined
 * (`(… in (…)) is true` stays a hashed subplan: a set of journal ids each posting is checked
 * against while the order's index is walked). An OR of branches can only be hashed, which for a
 * common card value reads every such payment first, so before searching we ask which sources
 * hold the value at all and leave the others out; usually one remains.
 */
export type SourceBranches = { payments: boolean; imports: boolean; journals: boolean };
export type SourceHolders = { methodOfPayment: SourceBranches; user: SourceBranches };

const all: SourceBranches = { payments: true, imports: true, journals: true };
export const everySource: SourceHolders = { methodOfPayment: all, user: all };

type Row = { mp: boolean; mi: boolean; up: boolean; ui: boolean; uj: boolean };

/** Which sources hold the filter's method of payment and user (indexed look-ups, one query). */
export async function sourceHolders(
  tx: Pick<Database, 'execute'>,
  filter: TransactionFilter,
): Promise<SourceHolders> {
  const mop = filter.methodOfPaymentCode ?? null;
  const user = filter.user ?? null;
  if (mop === null && user === null) return everySource;
  const [row] = (await tx.execute(sql`select
    exists(select 1 from payments where method_of_payment_code = ${mop}) as mp,
    exists(select 1 from imports i join import_profiles ip
             on ip.council_id = i.council_id and ip.id = i.profile_id
            where ip.method_of_payment_code = ${mop}) as mi,
    exists(select 1 from payments where created_by = ${user}) as up,
    exists(select 1 from imports where created_by = ${user}) as ui,
    exists(select 1 from journals where caused_by = ${user}) as uj`)) as unknown as Row[];
  if (row === undefined) return everySource;
  return {
    methodOfPayment: { payments: row.mp, imports: row.mi, journals: false },
    user: { payments: row.up, imports: row.ui, journals: row.uj },
  };
}

type Branch = { payment?: SQL; importRow?: SQL; journal?: SQL };

function condition(branch: Branch, holders: SourceBranches): SQL {
  const parts: SQL[] = [];
  if (branch.payment !== undefined && holders.payments)
    parts.push(
      sql`p.journal_id in (select pay.journal_id from payments pay where ${branch.payment})`,
    );
  if (branch.importRow !== undefined && holders.imports)
    parts.push(sql`(p.journal_id in (select j.id from journals j
      join imports i on i.council_id = j.council_id and i.id = j.source_id
      join import_profiles ip on ip.council_id = i.council_id and ip.id = i.profile_id
     where j.source_type = 'import' and ${branch.importRow})) is true`);
  if (branch.journal !== undefined && holders.journals)
    parts.push(sql`p.journal_id in (select j.id from journals j where ${branch.journal})`);
  if (parts.length === 0) return sql`false`;
  return parts.length === 1 ? (parts[0] as SQL) : sql`(${sql.join(parts, sql` or `)})`;
}

export function sourceConditions(filter: TransactionFilter, holders: SourceHolders): SQL[] {
  const where: SQL[] = [];
  const payments = { payments: true, imports: false, journals: false };
  const mop = filter.methodOfPaymentCode;
  if (mop !== undefined)
    where.push(
      condition(
        {
          payment: sql`pay.method_of_payment_code = ${mop}`,
          importRow: sql`ip.method_of_payment_code = ${mop}`,
        },
        holders.methodOfPayment,
      ),
    );
  if (filter.officeCode !== undefined)
    where.push(condition({ payment: sql`pay.office_code = ${filter.officeCode}` }, payments));
  if (filter.pspReference !== undefined)
    where.push(condition({ payment: sql`pay.psp_payment_id = ${filter.pspReference}` }, payments));
  if (filter.cardLastDigits !== undefined)
    where.push(
      condition({ payment: sql`pay.card_last_digits = ${filter.cardLastDigits}` }, payments),
    );
  const user = filter.user;
  if (user !== undefined)
    where.push(
      condition(
        {
          payment: sql`pay.created_by = ${user}`,
          importRow: sql`i.created_by = ${user}`,
          journal: sql`j.caused_by = ${user}`,
        },
        holders.user,
      ),
    );
  return where;
}
