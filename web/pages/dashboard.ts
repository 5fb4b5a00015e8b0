import type { ApiContext } from '../../api/context';
import { businessDateOf } from '../../domain/businessDate';
import type { Logger } from '../../platform/logger';
import { apiFor } from '../api';
import { fundsInScope } from '../funds';
import { getPage, type Page } from '../page';
import { render } from '../render';

/**
 * The first screen after signing in: today's income, today's files, what waits in suspense
 * and for approval, and the bank exceptions by age. Each panel is one API call; a panel whose
 * call fails says so rather than taking the whole page down.
 */
type CashRow = { fundCode: string; methodOfPaymentCode: string | null; incomePence: number };
type SuspenseSummary = {
  receivedDate: string;
  remainingPence: number;
  overdue: boolean;
  priority: string;
};
type ImportView = {
  importId: string;
  fileName: string;
  state: string;
  createdAt: string;
  totalPence: number;
  rowsSuspended: number;
};

const pageLimit = 200;

/** Sums by one key, keeping first-seen order. */
function totalsBy<T>(rows: readonly T[], key: (row: T) => string, pence: (row: T) => number) {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(key(row), (totals.get(key(row)) ?? 0) + pence(row));
  return [...totals].map(([code, totalPence]) => ({ code, totalPence }));
}

const dayMs = 86_400_000;

/** Calendar days since a business date, as the officer counts them on the wall calendar. */
export function daysSince(date: string, today: string): number {
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / dayMs);
}

export const ageBands = [
  { label: '0 to 5 days', minDays: 0, maxDays: 5 },
  { label: '6 to 20 days', minDays: 6, maxDays: 20 },
  { label: 'Over 20 days', minDays: 21, maxDays: null },
] as const;

function suspensePanel(items: readonly SuspenseSummary[], more: boolean, today: string) {
  return {
    openCount: items.length,
    more,
    remainingPence: items.reduce((sum, item) => sum + item.remainingPence, 0),
    overdueCount: items.filter((item) => item.overdue).length,
    urgentCount: items.filter((item) => item.priority === 'urgent').length,
    bands: ageBands.map((band) => ({
      label: band.label,
      count: items.filter((item) => {
        const age = daysSince(item.receivedDate, today);
        return age >= band.minDays && (band.maxDays === null || age <= band.maxDays);
      }).length,
    })),
  };
}

/** A panel's value, or null (logged) when its call failed. */
async function panel<T>(logger: Logger, name: string, work: Promise<T>): Promise<T | null> {
  try {
    return await work;
  } catch (error) {
    logger.warn({ err: error, panel: name }, 'dashboard panel failed');
    return null;
  }
}

export function dashboardPages(ctx: ApiContext): Page[] {
  return [
    getPage('/', { permission: 'view' }, 'Dashboard', async (req, res) => {
      const api = apiFor(ctx, req, res);
      const today = businessDateOf(Date.now());
      const log = ctx.logger;
      const funds = await fundsInScope(ctx, req, res);
      const visible = new Set(funds.map((fund) => fund.code));
      const [cash, methods, imports, suspense, writeOffs, refunds, exceptions, recon] =
        await Promise.all([
          panel(
            log,
            'cash',
            api<{ rows: CashRow[] }>('dailyCashReport', { query: { date: today } }),
          ),
          panel(
            log,
            'methods',
            api<{ items: { code: string; name: string }[] }>('listMethodsOfPayment', { query: {} }),
          ),
          panel(
            log,
            'imports',
            api<{ imports: ImportView[] }>('listImports', { query: { limit: '50' } }),
          ),
          panel(
            log,
            'suspense',
            api<{ items: SuspenseSummary[]; nextCursor: string | null }>('listSuspenseItems', {
              query: { state: 'open', limit: String(pageLimit) },
            }),
          ),
          panel(
            log,
            'write-offs',
            api<{ items: unknown[]; nextCursor: string | null }>('listSuspenseItems', {
              query: { writeOff: 'requested', limit: String(pageLimit) },
            }),
          ),
          panel(
            log,
            'refunds',
            api<{ refunds: unknown[]; nextCursor: string | null }>('listRefunds', {
              query: { state: 'awaiting_approval', limit: String(pageLimit) },
            }),
          ),
          panel(
            log,
            'exceptions',
            api<{
              buckets: {
                label: string;
                count: number;
                expected: number;
                mismatched: number;
                unexpected: number;
              }[];
            }>('exceptionsByAgeReport'),
          ),
          panel(
            log,
            'reconciliation',
            api<Record<string, unknown>>('reconciliationStatusReport', { query: { date: today } }),
          ),
        ]);
      const fundName = new Map(funds.map((fund) => [fund.code, fund.name]));
      const methodName = new Map(
        (methods?.items ?? []).map((method) => [method.code, method.name]),
      );
      // Rows about funds outside the actor's scope are not theirs to see.
      const cashRows = cash?.rows.filter((row) => visible.has(row.fundCode)) ?? null;
      render(res, 'dashboard.njk', {
        today,
        cash:
          cashRows === null
            ? null
            : {
                totalPence: cashRows.reduce((sum, row) => sum + row.incomePence, 0),
                byFund: totalsBy(
                  cashRows,
                  (row) => row.fundCode,
                  (row) => row.incomePence,
                ).map((row) => ({ ...row, name: fundName.get(row.code) ?? row.code })),
                byMethod: totalsBy(
                  cashRows,
                  (row) => row.methodOfPaymentCode ?? '',
                  (row) => row.incomePence,
                ).map((row) => ({
                  ...row,
                  name:
                    row.code === ''
                      ? 'Not a payment or import (journals)'
                      : (methodName.get(row.code) ?? row.code),
                })),
              },
        imports:
          imports?.imports.filter((row) => businessDateOf(Date.parse(row.createdAt)) === today) ??
          null,
        suspense:
          suspense === null
            ? null
            : suspensePanel(suspense.items, suspense.nextCursor !== null, today),
        writeOffsAwaiting:
          writeOffs === null
            ? null
            : { count: writeOffs.items.length, more: writeOffs.nextCursor !== null },
        refundsAwaiting:
          refunds === null
            ? null
            : { count: refunds.refunds.length, more: refunds.nextCursor !== null },
        exceptions: exceptions?.buckets ?? null,
        recon,
      });
    }),
  ];
}
