import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import {
  buildFundFeed,
  buildGlExport,
  defaultGlLayout,
  type FundFeedRow,
  type GlLayout,
  type GlPostingRow,
} from '../domain/glExport';
import type { AuditMeta } from './configWrites';
import type { Executor } from './executor';
import { readSetting, type StoredSetting, writeSetting } from './reconciliationSettings';

/**
 * Reads a posting date's postings and turns them into the close-of-day files. Closing stores the
 * bytes and the GL layout it used; `produceCloseFiles` on a closed day gives the same bytes
 * again, because postings are append-only, a closed day takes no new journals, the formatter
 * sorts for itself, and the day's own stored layout is used whatever is configured now.
 */
export type CloseFiles = {
  glExportCsv: string;
  glExportSha256: string;
  fundFeedCsv: string;
  fundFeedSha256: string;
  glLineCount: number;
  totalDebitPence: number;
  totalCreditPence: number;
};

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

async function glRows(db: Executor, postingDate: string): Promise<GlPostingRow[]> {
  // Fund accounts report under their fund's ledger code and cost centre; control accounts
  // (PSP clearing, bank, fees...) under their own account code with no cost centre.
  const rows = await db.execute<{
    ledger_code: string;
    cost_centre: string;
    vat_code: string;
    financial_year: string;
    period: number;
    debit_pence: number;
    credit_pence: number;
  }>(sql`
    select coalesce(f.ledger_code, a.code) as ledger_code, coalesce(f.cost_centre, '') as cost_centre,
           coalesce(p.vat_code, '') as vat_code, j.financial_year, j.period,
           sum(p.debit_pence)::bigint as debit_pence, sum(p.credit_pence)::bigint as credit_pence
      from postings p
      join journals j on j.id = p.journal_id
      join ledger_accounts a on a.code = p.account_code
      left join funds f on f.code = a.fund_code
     where j.posting_date = ${postingDate}
     group by 1, 2, 3, 4, 5`);
  return rows.map((row) => ({
    ledgerCode: row.ledger_code,
    costCentre: row.cost_centre,
    vatCode: row.vat_code,
    financialYear: row.financial_year,
    period: row.period,
    debitPence: row.debit_pence,
    creditPence: row.credit_pence,
  }));
}

async function fundFeedRows(db: Executor, postingDate: string): Promise<FundFeedRow[]> {
  const rows = await db.execute<{
    fund_code: string;
    account_reference: string;
    amount_pence: number;
    journal_id: string;
    line_no: number;
  }>(sql`
    select a.fund_code, coalesce(p.account_reference, '') as account_reference,
           (p.credit_pence - p.debit_pence)::bigint as amount_pence, p.journal_id, p.line_no
      from postings p
      join journals j on j.id = p.journal_id
      join ledger_accounts a on a.code = p.account_code
     where j.posting_date = ${postingDate} and a.kind = 'fund'`);
  return rows.map((row) => ({
    fundCode: row.fund_code,
    accountReference: row.account_reference,
    amountPence: row.amount_pence,
    journalId: row.journal_id,
    lineNo: row.line_no,
  }));
}

/** The GL export layout in force for days closed from now on (GET/PUT /v1/close-of-day/gl-layout). */
export function glExportLayout(db: Pick<Executor, 'select'>): Promise<StoredSetting<GlLayout>> {
  return readSetting(db, 'gl_layout', defaultGlLayout);
}

export function saveGlExportLayout(
  db: Executor,
  layout: GlLayout,
  meta: AuditMeta,
): Promise<StoredSetting<GlLayout>> {
  return writeSetting(db, 'gl_layout', layout, defaultGlLayout, meta);
}

/**
 * The layout a day's files are written in: a closed day's own (null on days closed before
 * layouts were kept: the default, which is what they used), otherwise the configured one.
 */
async function layoutFor(db: Executor, postingDate: string): Promise<GlLayout> {
  const [closed] = await db.execute<{ gl_layout: GlLayout | null }>(sql`
    select gl_layout from closed_days where business_date = ${postingDate}`);
  if (closed !== undefined) return closed.gl_layout ?? defaultGlLayout;
  return (await glExportLayout(db)).value;
}

export async function produceCloseFiles(
  db: Executor,
  postingDate: string,
  layout?: GlLayout,
): Promise<CloseFiles> {
  const gl = buildGlExport(
    postingDate,
    await glRows(db, postingDate),
    layout ?? (await layoutFor(db, postingDate)),
  );
  const fundFeedCsv = buildFundFeed(postingDate, await fundFeedRows(db, postingDate));
  return {
    glExportCsv: gl.csv,
    glExportSha256: sha256Hex(gl.csv),
    fundFeedCsv,
    fundFeedSha256: sha256Hex(fundFeedCsv),
    glLineCount: gl.lineCount,
    totalDebitPence: gl.totalDebitPence,
    totalCreditPence: gl.totalCreditPence,
  };
}
