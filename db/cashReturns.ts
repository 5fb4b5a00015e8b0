import { and, asc, desc, eq, sql } from 'drizzle-orm';
import {
  type CashReturnState,
  overShortLines,
  type ReturnContent,
  type ReturnProblem,
  returnTotals,
  submitProblems,
} from '../domain/cashReturn';
import { controlAccounts } from '../domain/ledgerAccounts';
import { recordAudit } from './audit';
import type { Executor } from './executor';
import { postJournal } from './ledger';
import { queueOutboxMessage } from './outbox';
import { cashReturns, cashReturnTemplates } from './schema';

/**
 * The read model of cash returns (eReturns), kept by their workflow's activities, and what a
 * return is checked against: the ledger's record of what the cashier took.
 */

export type CashReturnRow = typeof cashReturns.$inferSelect;
export type TemplateRow = typeof cashReturnTemplates.$inferSelect;

export async function createTemplate(
  db: Executor,
  input: Omit<typeof cashReturnTemplates.$inferInsert, 'councilId' | 'createdAt' | 'updatedAt'>,
  actor: string,
): Promise<TemplateRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(cashReturnTemplates).values(input).returning();
    await recordAudit(tx, {
      actor,
      action: 'cash_return_template.create',
      entityType: 'cash_return_template',
      entityId: input.id,
      after: input,
    });
    return row!;
  });
}

export async function listTemplates(db: Executor, officeCode?: string): Promise<TemplateRow[]> {
  return db
    .select()
    .from(cashReturnTemplates)
    .where(officeCode === undefined ? undefined : eq(cashReturnTemplates.officeCode, officeCode))
    .orderBy(asc(cashReturnTemplates.id));
}

export async function getCashReturn(db: Executor, id: string): Promise<CashReturnRow | null> {
  const [row] = await db.select().from(cashReturns).where(eq(cashReturns.id, id));
  return row ?? null;
}

export async function insertCashReturn(
  db: Executor,
  input: {
    id: string;
    templateId: string;
    officeCode: string;
    cashier: string;
    businessDate: string;
  },
): Promise<'created' | 'exists'> {
  const inserted = await db
    .insert(cashReturns)
    .values({ ...input, state: 'draft', bags: [], cheques: [], notes: [] })
    .onConflictDoNothing()
    .returning({ id: cashReturns.id });
  return inserted.length === 0 ? 'exists' : 'created';
}

/**
 * What the ledger says the cashier took at the office that day, in the till: the net movement
 * on cash in hand of their counter payments' journals (voids reverse theirs), split into cash
 * and cheques (postal orders count with cheques). PDQ takings never enter the till.
 */
export async function expectedTakings(
  db: Executor,
  key: { officeCode: string; cashier: string; businessDate: string },
): Promise<{ cashPence: number; chequePence: number; pdqPence: number }> {
  const rows = await db.execute<{ tender_kind: string; amount_pence: string }>(sql`
    select cp.tender_kind, sum(p.debit_pence - p.credit_pence)::bigint as amount_pence
      from counter_payments cp
      join journals j on j.source_type = 'counter_payment' and j.source_id = cp.id
      join postings p on p.journal_id = j.id
       and p.account_code in (${controlAccounts.cashInHand}, ${controlAccounts.pdqClearing})
     where cp.office_code = ${key.officeCode} and cp.cashier = ${key.cashier}
       and cp.business_date = ${key.businessDate}
     group by cp.tender_kind`);
  const of = (kinds: string[]) =>
    rows
      .filter((row) => kinds.includes(row.tender_kind))
      .reduce((sum, row) => sum + Number(row.amount_pence), 0);
  return {
    cashPence: of(['cash']),
    chequePence: of(['cheque', 'postal_order']),
    pdqPence: of(['pdq']),
  };
}

/** Each fund's takings that day by the cashier at the office: the rows a return lists. */
export async function takingsByFund(
  db: Executor,
  key: { officeCode: string; cashier: string; businessDate: string },
): Promise<{ fundCode: string; amountPence: number }[]> {
  const rows = await db.execute<{ fund_code: string; amount_pence: string }>(sql`
    select l.fund_code, sum(l.amount_pence)::bigint as amount_pence
      from counter_payment_lines l join counter_payments cp on cp.id = l.counter_payment_id
     where cp.state = 'posted' and cp.office_code = ${key.officeCode}
       and cp.cashier = ${key.cashier} and cp.business_date = ${key.businessDate}
     group by l.fund_code order by l.fund_code`);
  return rows.map((row) => ({ fundCode: row.fund_code, amountPence: Number(row.amount_pence) }));
}

async function move(
  db: Executor,
  id: string,
  from: CashReturnState[],
  patch: Partial<typeof cashReturns.$inferInsert>,
): Promise<void> {
  await db
    .update(cashReturns)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(and(eq(cashReturns.id, id), sql`${cashReturns.state} in ${from}`));
}

export async function saveContent(db: Executor, id: string, content: ReturnContent) {
  await move(db, id, ['draft'], {
    bags: content.bags,
    cheques: content.cheques,
    explanation: content.explanation ?? null,
  });
}

export async function addNote(db: Executor, id: string, note: { by: string; text: string }) {
  const entry = JSON.stringify([{ at: new Date().toISOString(), ...note }]);
  await db
    .update(cashReturns)
    .set({ notes: sql`${cashReturns.notes} || ${entry}::jsonb`, updatedAt: sql`now()` })
    .where(eq(cashReturns.id, id));
}

/**
 * Submits a draft: reads the expected totals from the ledger now, and refuses (with every
 * problem) a return whose content is bad or whose over/short is unexplained. Idempotent: a
 * retried activity finds the return submitted and answers no problems.
 */
export async function submitReturn(db: Executor, id: string): Promise<ReturnProblem[]> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(cashReturns).where(eq(cashReturns.id, id)).for('update');
    if (row === undefined) throw new Error(`no cash return ${id}`);
    if (row.state === 'submitted') return [];
    const expected = await expectedTakings(tx, row);
    const content = { bags: row.bags, cheques: row.cheques, explanation: row.explanation };
    const totals = returnTotals(content, expected);
    const problems = submitProblems(content, totals);
    if (problems.length > 0) return problems;
    await move(tx, id, ['draft'], {
      state: 'submitted',
      ...totals,
      submissionCount: sql`${cashReturns.submissionCount} + 1` as unknown as number,
      submittedAt: sql`now()` as unknown as Date,
    });
    await recordAudit(tx, {
      actor: row.cashier,
      action: 'cash_return.submit',
      entityType: 'cash_return',
      entityId: id,
      after: totals,
    });
    return [];
  });
}

export async function rejectReturn(db: Executor, id: string, actor: string, reason: string) {
  await db.transaction(async (tx) => {
    await move(tx, id, ['submitted'], {
      state: 'draft',
      decidedBy: actor,
      decisionReason: reason,
    });
    await recordAudit(tx, {
      actor,
      action: 'cash_return.reject',
      entityType: 'cash_return',
      entityId: id,
      reason,
    });
  });
}

/**
 * Approves a submitted return and posts its over/short, in one transaction: cash in hand then
 * holds exactly what is in the bags, which bank matching clears bag by bag.
 */
export async function approveReturn(db: Executor, id: string, actor: string): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await getCashReturn(tx, id);
    if (row === null) throw new Error(`no cash return ${id}`);
    if (row.state === 'approved') return;
    const lines = overShortLines(
      row.overShortPence ?? 0,
      `Cash return ${id}: ${row.explanation ?? ''}`.slice(0, 200),
    );
    const journal =
      lines === null
        ? null
        : await postJournal(tx, {
            idempotencyKey: `cash_return:${id}:over_short`,
            kind: 'adjustment',
            description: `Cash ${(row.overShortPence ?? 0) < 0 ? 'short' : 'over'}: return ${id} (${row.officeCode}, ${row.cashier})`,
            postingDate: row.businessDate,
            causedBy: actor,
            sourceType: 'cash_return',
            sourceId: id,
            lines,
          });
    await move(tx, id, ['submitted'], {
      state: 'approved',
      decidedBy: actor,
      decisionReason: null,
      approvedAt: sql`now()` as unknown as Date,
      overShortJournalId: journal?.journalId ?? null,
    });
    await recordAudit(tx, {
      actor,
      action: 'cash_return.approve',
      entityType: 'cash_return',
      entityId: id,
      after: { overShortPence: row.overShortPence, journalId: journal?.journalId ?? null },
    });
  });
}

export async function voidReturn(db: Executor, id: string, actor: string, reason: string) {
  await db.transaction(async (tx) => {
    await move(tx, id, ['draft', 'submitted'], { state: 'voided', voidReason: reason });
    const [voided] = await tx.select().from(cashReturns).where(eq(cashReturns.id, id));
    // The cashier hears by email (docs/email.md); the outbox sweep relays it within a minute.
    if (voided?.state === 'voided')
      await queueOutboxMessage(tx, {
        topic: 'cash_return.voided',
        dedupeKey: `cash_return:${id}:voided`,
        payload: {
          returnId: id,
          officeCode: voided.officeCode,
          businessDate: voided.businessDate,
          cashier: voided.cashier,
          voidedBy: actor,
          reason,
        },
        orderingKey: id,
        fundCodes: [],
      });
    await recordAudit(tx, {
      actor,
      action: 'cash_return.void',
      entityType: 'cash_return',
      entityId: id,
      reason,
    });
  });
}

export async function searchCashReturns(
  db: Executor,
  filter: {
    state?: string;
    officeCode?: string;
    cashier?: string;
    businessDate?: string;
    limit: number;
  },
): Promise<CashReturnRow[]> {
  const conditions = [
    filter.state === undefined ? undefined : eq(cashReturns.state, filter.state),
    filter.officeCode === undefined ? undefined : eq(cashReturns.officeCode, filter.officeCode),
    filter.cashier === undefined ? undefined : eq(cashReturns.cashier, filter.cashier),
    filter.businessDate === undefined
      ? undefined
      : eq(cashReturns.businessDate, filter.businessDate),
  ].filter((condition) => condition !== undefined);
  return db
    .select()
    .from(cashReturns)
    .where(and(...conditions))
    .orderBy(desc(cashReturns.id))
    .limit(filter.limit);
}

/**
 * Cashiers who took money at an office on a day and have no submitted or approved return for
 * it, once the office's template says it has closed: what operations shows as overdue.
 */
export async function unsubmittedReturns(db: Executor, fromDate: string) {
  const rows = await db.execute<{
    office_code: string;
    cashier: string;
    business_date: string;
    closes_at: string;
    return_id: string | null;
    state: string | null;
  }>(sql`
    select cp.office_code, cp.cashier, cp.business_date::text as business_date,
           min(t.closes_at) as closes_at, r.id as return_id, r.state
      from counter_payments cp
      join cash_return_templates t on t.office_code = cp.office_code
      left join cash_returns r on r.office_code = cp.office_code and r.cashier = cp.cashier
                              and r.business_date = cp.business_date and r.state <> 'voided'
     where cp.business_date >= ${fromDate}
       and (r.id is null or r.state = 'draft')
     group by cp.office_code, cp.cashier, cp.business_date, r.id, r.state
     order by cp.business_date, cp.office_code, cp.cashier`);
  return rows.map((row) => ({
    officeCode: row.office_code,
    cashier: row.cashier,
    businessDate: row.business_date,
    closesAt: row.closes_at,
    returnId: row.return_id,
    state: row.state ?? 'not_started',
  }));
}
