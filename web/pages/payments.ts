import type { Request, Response } from 'express';
import type { ApiContext } from '../../api/context';
import { requireCouncil } from '../../db/councils';
import { paymentWorkflowId } from '../../workflows/payment';
import { apiFor } from '../api';
import { dateFilter, dateKeys, dateTag, filterValuesFrom, tag } from '../filters';
import { selectItems } from '../forms';
import { type FundOption, fundSelectItems, fundsInScope } from '../funds';
import { renderFilteredList } from '../lists';
import { noticeFor } from '../notices';
import { field, getPage, type Page, param, present } from '../page';
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
  fundCodes: string[];
};
type Payment = {
  paymentId: string;
  state: string;
  takenBy: string;
  journal: { journalId: string; reversedBy: string | null } | null;
  timeline: { at: string; event: string; detail: Record<string, unknown> }[];
};
type Refund = { refundId: string; journalId: string | null };

const filterKeys = ['reference', 'fundCode', 'state', ...dateKeys('from'), ...dateKeys('to')];

const filterTags = (funds: readonly FundOption[]) => [
  tag('Reference', 'reference'),
  tag('Fund', 'fundCode', (code) => fundLabel(funds, code)),
  tag('State', 'state', humanise),
  dateTag('Created from', 'from'),
  dateTag('Created to', 'to'),
];

const listErrorInputs: Record<string, string> = {
  'query.reference': 'reference',
  'query.fundCode': 'fundCode',
  'query.state': 'state',
  'query.from': 'from-day',
  'query.to': 'to-day',
  'query.before': 'reference',
};
const listLabels = {
  reference: 'Reference',
  fundCode: 'Fund',
  state: 'State',
  'from-day': 'Created from',
  'to-day': 'Created to',
};

/** A fund's name and code as the select shows it; the bare code for a fund not offered. */
function fundLabel(funds: readonly FundOption[], code: string): string {
  const fund = funds.find((each) => each.code === code);
  return fund === undefined ? code : `${fund.name} (${fund.code})`;
}

async function listPage(ctx: ApiContext, req: Request, res: Response) {
  const values = filterValuesFrom(req.query, filterKeys);
  const before = field(req.query, 'before');
  const query = present({
    reference: values.reference,
    fundCode: values.fundCode,
    state: values.state,
    from: dateFilter(values, 'from'),
    to: dateFilter(values, 'to'),
    before,
    limit: '25',
  });
  // Card payments are never to the suspense fund, so it is not offered.
  const funds = (await fundsInScope(ctx, req, res)).filter((fund) => !fund.isSuspense);
  await renderFilteredList(res, {
    path: '/payments',
    template: 'payments/list.njk',
    values,
    before,
    tags: filterTags(funds),
    fields: { inputs: listErrorInputs, labels: listLabels },
    load: () =>
      apiFor(
        ctx,
        req,
        res,
      )<{ payments: PaymentSummary[]; nextCursor: string | null }>('listPayments', { query }),
    empty: { payments: [], nextCursor: null },
    view: (page) => ({
      stateItems: selectItems(
        paymentStates.map((state) => ({ value: state, text: humanise(state) })),
        values.state ?? '',
        'Any state',
      ),
      fundItems: fundSelectItems(funds, values.fundCode ?? '', 'Any fund'),
      payments: page.payments,
    }),
  });
}

async function detailPage(ctx: ApiContext, req: Request, res: Response) {
  const api = apiFor(ctx, req, res);
  const paymentId = param(req, 'paymentId');
  const payment = await api<Payment>('getPayment', { params: { paymentId } });
  const [refunds, history, audit] = await Promise.all([
    api<{ refunds: Refund[] }>('listRefunds', { query: { sourceId: paymentId, limit: '200' } }),
    workflowTimeline(ctx, paymentWorkflowId(requireCouncil(), paymentId)),
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
  // The request is the person's (or the integration's); what follows is the IMS and the PSP.
  const events = payment.timeline.map((event) =>
    item(
      event.at,
      humanise(event.event),
      describeDetail(event.detail),
      event.event === 'requested' ? payment.takenBy : 'IMS',
    ),
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
  const access = { permission: 'view' } as const;
  return [
    // Before '/payments/:paymentId', which would otherwise take 'new' for an id.
    ...newPaymentPages(ctx),
    getPage('/payments', access, 'Payments', (req, res) => listPage(ctx, req, res)),
    getPage('/payments/:paymentId', access, 'Payment', (req, res) => detailPage(ctx, req, res)),
  ];
}
