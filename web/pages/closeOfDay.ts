import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { ProblemError } from '../../api/problem';
import { businessDateOf } from '../../domain/businessDate';
import { isIsoDate } from '../../domain/financialPeriod';
import { apiFor } from '../api';
import { blankReasonForm, type ReasonForm, reasonInput } from '../forms';
import { screenNotices } from '../notices';
import { addressed, field, getPage, type Page, postPage } from '../page';
import { render } from '../render';
import { submitForm } from '../submit';

/**
 * Close of day: the recent business days, closed or open, with the files each closed day
 * stored (GL export, fund feed: links to the API's CSV routes, which the session cookie
 * opens), and closing a day after a confirmation page. The nightly schedule closes days too.
 */
type ClosedDay = {
  businessDate: string;
  closedAt: string;
  closedBy: string;
  glLineCount: number;
  totalDebitPence: number;
  totalCreditPence: number;
};

const recentDays = 14;
const dayMs = 86_400_000;

/** Today and the days before it, newest first, as YYYY-MM-DD business dates. */
export function daysBack(today: string, count: number): string[] {
  const start = Date.parse(`${today}T00:00:00Z`);
  return Array.from({ length: count }, (_, index) =>
    new Date(start - index * dayMs).toISOString().slice(0, 10),
  );
}

const noticeOf = screenNotices({ closed: 'The day has been closed.' });

/** The closed day, or null while it is open. */
async function closedDay(ctx: ApiContext, req: Request, res: Response, date: string) {
  try {
    return await apiFor(ctx, req, res)<ClosedDay>('getClosedDay', { params: { date } });
  } catch (error) {
    if (error instanceof ProblemError && error.code === 'not_found') return null;
    throw error;
  }
}

async function listPage(ctx: ApiContext, req: Request, res: Response) {
  const today = businessDateOf(Date.now());
  const dates = daysBack(today, recentDays);
  const closed = await Promise.all(dates.map((date) => closedDay(ctx, req, res, date)));
  render(res, 'close-of-day/list.njk', {
    today,
    days: dates.map((date, index) => ({ date, isToday: date === today, closed: closed[index] })),
    notice: noticeOf(req.query),
  });
}

/** The day named in the address: a real date, else a page that does not exist. */
const dateOf = (req: Request) => addressed(req, 'date', isIsoDate, 'business day');

async function confirmPage(ctx: ApiContext, req: Request, res: Response, form: ReasonForm) {
  const date = dateOf(req);
  const api = apiFor(ctx, req, res);
  const [closed, cash, status] = await Promise.all([
    closedDay(ctx, req, res, date),
    api<{ totalPence: number }>('dailyCashReport', { query: { date } }),
    api('reconciliationStatusReport', { query: { date } }),
  ]);
  render(
    res,
    'close-of-day/confirm.njk',
    {
      date,
      closed,
      notEnded: date >= businessDateOf(Date.now()),
      cash,
      status,
      errors: form.errors,
      reason: form.reason,
    },
    form.status,
  );
}

async function closeDay(ctx: ApiContext, req: Request, res: Response) {
  const date = dateOf(req);
  const reason = field(req.body, 'reason');
  await submitForm(ctx, req, res, {
    operationId: 'closeDay',
    input: { body: reason === '' ? { date } : { date, reason } },
    fields: reasonInput,
    again: (errors, status) => confirmPage(ctx, req, res, { errors, reason, status }),
    redirect: '/close-of-day?notice=closed',
  });
}

export function closeOfDayPages(ctx: ApiContext): Page[] {
  const closer = { permission: 'reconcile' } as const;
  return [
    getPage('/close-of-day', { permission: 'view' }, 'Close of day', (req, res) =>
      listPage(ctx, req, res),
    ),
    getPage('/close-of-day/:date/close', closer, 'Close a business day', (req, res) =>
      confirmPage(ctx, req, res, blankReasonForm),
    ),
    postPage('/close-of-day/:date/close', closer, (req, res) => closeDay(ctx, req, res)),
  ];
}
