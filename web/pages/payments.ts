import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { ProblemError } from '../../api/problem';
import { paymentWorkflowId } from '../../workflows/payment';
import { apiFor } from '../api';
import {
  cursorPagination,
  dateFromParts,
  type FilterValues,
  selectedFilters,
  tag,
} from '../filters';
import { errorsFromProblem, type FormErrors, noErrors, selectItems } from '../forms';
import { noticeFor } from '../notices';
import { definePage, field, type Page, param } from '../page';
import { render } from '../render';
import {
  auditTimeline,
  describeDetail,
  humanise,
  item,
  newestFirst,
  workflowTimeline,
} from '../timeline';
import { newPaymentPages } from './paymentNew';

/** Finding payments and looking at one: lines, ledger journals, refunds and what happened. */

export const paymentStates = [
  'validating',
  'rejected',
  'creating',
  'awaiting_payment',
  'posting',
  'allocated',
  'failed',
  'cancelled',
  'expired',
  'error',
] as const;

type PaymentSummary = {
  id: string;
  state: string;
  amountPence: number;
  description: string;
  createdAt: string;
};
type Payment = {
  paymentId: string;
  state: string;
  journal: { journalId: string; reversedBy: string | null } | null;
  timeline: { at: string; event: string; detail: Record<string, unknown> }[];
};
type Refund = { refundId: string; journalId: string | null };

const filterKeys = [
  'reference',
  'state',
  'fromDay',
  'fromMonth',
  'fromYear',
  'toDay',
  'toMonth',
  'toYear',
] as const;

const dateText = (prefix: 'from' | 'to') => (values: FilterValues) =>
  dateFromParts(
    values[`${prefix}Day`] ?? '',
    values[`${prefix}Month`] ?? '',
    values[`${prefix}Year`] ?? '',
  );

const filterTags = [
  tag('Reference', 'reference'),
  tag('State', 'state', humanise),
  { heading: 'Created from', keys: ['fromDay', 'fromMonth', 'fromYear'], text: dateText('from') },
  { heading: 'Created to', keys: ['toDay', 'toMonth', 'toYear'], text: dateText('to') },
];

const listErrorInputs: Record<string, string> = {
  'query.reference': 'reference',
  'query.state': 'state',
  'query.from': 'from-day',
  'query.to': 'to-day',
  'query.before': 'reference',
};
const listLabels = {
  reference: 'Reference',
  state: 'State',
  'from-day': 'Created from',
  'to-day': 'Created to',
};

async function listPage(ctx: ApiContext, req: Request, res: Response) {
  const values: FilterValues = Object.fromEntries(
    filterKeys.map((key) => [key, field(req.query, key)]),
  );
  const before = field(req.query, 'before');
  const query = Object.fromEntries(
    Object.entries({
      reference: values.reference,
      state: values.state,
      from: dateText('from')(values),
      to: dateText('to')(values),
      before,
      limit: '25',
    }).filter(([, value]) => value !== ''),
  );
  let errors: FormErrors = noErrors;
  let page: { payments: PaymentSummary[]; nextCursor: string | null } = {
    payments: [],
    nextCursor: null,
  };
  try {
    page = await apiFor(ctx, req, res)('listPayments', { query });
  } catch (error) {
    if (!(error instanceof ProblemError) || error.code !== 'validation_failed') throw error;
    errors = errorsFromProblem(error, { inputs: listErrorInputs, labels: listLabels });
  }
  render(
    res,
    'payments/list.njk',
    {
      values,
      errors,
      stateItems: selectItems(
        paymentStates.map((state) => ({ value: state, text: humanise(state) })),
        values.state ?? '',
        'Any state',
      ),
      payments: page.payments,
      selectedFilters: selectedFilters('/payments', values, filterTags),
      pagination: cursorPagination('/payments', values, before, page.nextCursor),
    },
    errors.list.length > 0 ? 400 : 200,
  );
}

async function detailPage(ctx: ApiContext, req: Request, res: Response) {
  const api = apiFor(ctx, req, res);
  const paymentId = param(req, 'paymentId');
  const payment = await api<Payment>('getPayment', { params: { paymentId } });
  const [refunds, history, audit] = await Promise.all([
    api<{ refunds: Refund[] }>('listRefunds', { query: { sourceId: paymentId, limit: '200' } }),
    workflowTimeline(ctx, paymentWorkflowId(paymentId)),
    auditTimeline(ctx, req, res, paymentId),
  ]);
  const journalIds = [
    payment.journal?.journalId,
    payment.journal?.reversedBy,
    ...refunds.refunds.map((refund) => refund.journalId),
  ].filter((id): id is string => typeof id === 'string');
  const journals = await Promise.all(
    [...new Set(journalIds)].map((journalId) => api('getJournal', { params: { journalId } })),
  );
  const events = payment.timeline.map((event) =>
    item(event.at, humanise(event.event), describeDetail(event.detail), 'IMS'),
  );
  render(res, 'payments/detail.njk', {
    payment,
    refunds: refunds.refunds,
    journals,
    historyUnavailable: history === null,
    timeline: newestFirst([...events, ...(history ?? []), ...audit]),
    notice: noticeFor(req.query),
  });
}

export function paymentPages(ctx: ApiContext): Page[] {
  return [
    // Before '/payments/:paymentId', which would otherwise take 'new' for an id.
    ...newPaymentPages(ctx),
    definePage({
      method: 'get',
      path: '/payments',
      access: { permission: 'view' },
      title: 'Payments',
      handler: (req, res) => listPage(ctx, req, res),
    }),
    definePage({
      method: 'get',
      path: '/payments/:paymentId',
      access: { permission: 'view' },
      title: 'Payment',
      handler: (req, res) => detailPage(ctx, req, res),
    }),
  ];
}
