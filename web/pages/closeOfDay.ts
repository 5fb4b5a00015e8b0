import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { ProblemError } from '../../api/problem';
import { businessDateOf } from '../../domain/businessDate';
import { isIsoDate } from '../../domain/financialPeriod';
import { apiFor } from '../api';
import { errorsFromProblem, type FormErrors, isFormProblem, noErrors, statusOf } from '../forms';
import { definePage, field, type Page, param } from '../page';
import { render } from '../render';

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

const notices: Record<string, string> = { closed: 'The day has been closed.' };
const noticeOf = (req: Request) => {
  const key = field(req.query, 'notice');
  return Object.hasOwn(notices, key) ? notices[key] : undefined;
};

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
    notice: noticeOf(req),
  });
}

/** The day named in the address; anything but a real date is a page that does not exist. */
function dateOf(req: Request): string {
  const date = param(req, 'date');
  if (!isIsoDate(date)) throw new ProblemError('not_found', `No business day ${date}`);
  return date;
}

async function confirmPage(
  ctx: ApiContext,
  req: Request,
  res: Response,
  form: { errors: FormErrors; reason: string; status: number },
) {
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
  try {
    await apiFor(
      ctx,
      req,
      res,
    )('closeDay', {
      body: reason === '' ? { date } : { date, reason },
    });
    res.redirect(303, '/close-of-day?notice=closed');
  } catch (error) {
    if (!isFormProblem(error)) throw error;
    const errors = errorsFromProblem(error, {
      inputs: { 'body.reason': 'reason' },
      labels: { reason: 'Reason' },
    });
    await confirmPage(ctx, req, res, { errors, reason, status: statusOf(error) });
  }
}

export function closeOfDayPages(ctx: ApiContext): Page[] {
  return [
    definePage({
      method: 'get',
      path: '/close-of-day',
      access: { permission: 'view' },
      title: 'Close of day',
      handler: (req, res) => listPage(ctx, req, res),
    }),
    definePage({
      method: 'get',
      path: '/close-of-day/:date/close',
      access: { permission: 'reconcile' },
      title: 'Close a business day',
      handler: (req, res) =>
        confirmPage(ctx, req, res, { errors: noErrors, reason: '', status: 200 }),
    }),
    definePage({
      method: 'post',
      path: '/close-of-day/:date/close',
      access: { permission: 'reconcile' },
      handler: (req, res) => closeDay(ctx, req, res),
    }),
  ];
}
